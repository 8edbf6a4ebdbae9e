/**
 * `SynchronizationSchema`: a Pulumi dynamic resource for the slice of a provisioning job's
 * synchronization schema that the stack declares (attribute mappings, matching priorities, scoping
 * filters and the enabled flag of the declared object mappings). azuread has no resource for the
 * schema; Graph only offers GET and a whole-document PUT, so every write is read → replace the owned
 * slice → write back, and nothing outside the slice is dropped or reordered (see slice.ts).
 *
 * - `check` validates expressions, operators and ids locally (failures show in `pulumi preview`).
 * - `diff` is local: no Graph call, so a no-op `pulumi up` reads and writes nothing.
 * - `create`/`update`: one schema GET, one PUT only when the document changes; the filterOperators GET
 *   only when a scoping operator's API name is not known yet. Create retries 404s (the job was just
 *   created and may not have replicated).
 * - `read` returns the slice as it is in the tenant, so `pulumi refresh` shows portal edits as drift.
 * - `delete` restores the owned fields recorded before this resource first wrote them (`priorSlice`).
 *
 * The provider is serialized into the stack's state by Pulumi; it captures no credential and no
 * secret: tokens come from the Azure credential chain when it runs (graph-client.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { validateExpression } from "../mappings/expression";
import { normalizeSource, ResolvedObjectMapping } from "../mappings/merge";
import { findScopingOperator } from "../mappings/scoping-operators";
import { createGraphClient, DEFAULT_GRAPH_BASE_URL, GraphClient, GraphRetryOptions, isLoopbackUrl } from "./graph-client";
import {
  applySlice,
  describeSliceChanges,
  FilterOperatorSchema,
  GraphSynchronizationSchema,
  ObjectMappingRef,
  operatorLabelsOf,
  OwnedFieldsRecord,
  readSlice,
  recordOwnedFields,
  resolveOperatorNames,
  restoreOwnedFields,
} from "./slice";

/** Marker in the registered inputs: every dynamic resource has the type `pulumi-nodejs:dynamic:Resource`. */
export const RESOURCE_KIND = "entra-app-provisioning:SynchronizationSchema";

export interface SynchronizationSchemaArgs {
  /** Entra tenant id (GUID) — tokens are requested for this tenant. */
  readonly tenantId: pulumi.Input<string>;
  /** azuread SynchronizationJob.id: "/servicePrincipals/{spObjectId}/synchronization/jobs/{jobId}". */
  readonly synchronizationJobId: pulumi.Input<string>;
  /** The owned slice: the declared object mappings, matched in the job's schema by source and target object names. */
  readonly objectMappings: pulumi.Input<ResolvedObjectMapping[]>;
  /** Graph base URL. Defaults to https://graph.microsoft.com/v1.0 (tests pass the emulator's URL). */
  readonly graphBaseUrl?: pulumi.Input<string>;
}

/** The inputs the provider receives. */
export interface SynchronizationSchemaInputs {
  readonly resourceKind: string;
  readonly tenantId: string;
  readonly synchronizationJobId: string;
  readonly objectMappings: ResolvedObjectMapping[];
  readonly graphBaseUrl: string;
}

/** The resource's state. */
export interface SynchronizationSchemaOutputs extends SynchronizationSchemaInputs {
  /** JSON of the owned fields as they were before this resource first wrote them; put back on delete. */
  readonly priorSlice: string;
  /** Portal operator label → API operator name, as the job advertised them. */
  readonly operatorNames: Record<string, string>;
}

export interface SchemaProviderOptions {
  /** Retry bounds of every Graph call. Defaults to graph-client's DEFAULT_GRAPH_RETRY. */
  readonly retry?: GraphRetryOptions;
  /** Timeout of one Graph attempt. Defaults to 60000 ms. */
  readonly requestTimeoutMs?: number;
}

/**
 * Pulumi's placeholder for a value not known during preview (UNKNOWN_SENTINELS.string in
 * ../pulumi-wire). Kept as a literal: this module's functions are serialized into the dynamic provider,
 * and a literal travels with them where an imported module would have to be serialized too.
 */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const JOB_ID = /^\/servicePrincipals\/[0-9a-fA-F-]{36}\/synchronization\/jobs\/[^/?#\s]+$/;

/** Problems with inputs that can be found without Graph (property name → reason). */
export function inputProblems(inputs: Partial<SynchronizationSchemaInputs>): { property: string; reason: string }[] {
  const problems: { property: string; reason: string }[] = [];
  const known = (v: unknown) => v !== undefined && !JSON.stringify(v).includes(UNKNOWN);
  if (known(inputs.tenantId) && !GUID.test(String(inputs.tenantId))) problems.push({ property: "tenantId", reason: `expected a tenant id (GUID), got ${JSON.stringify(inputs.tenantId)}` });
  if (known(inputs.synchronizationJobId) && !JOB_ID.test(String(inputs.synchronizationJobId))) {
    problems.push({ property: "synchronizationJobId", reason: `expected /servicePrincipals/{objectId}/synchronization/jobs/{jobId}, got ${JSON.stringify(inputs.synchronizationJobId)}` });
  }
  if (known(inputs.graphBaseUrl)) {
    const url = String(inputs.graphBaseUrl);
    let https = false;
    try {
      https = new URL(url).protocol === "https:";
    } catch {
      // reported below
    }
    if (!https && !isLoopbackUrl(url)) problems.push({ property: "graphBaseUrl", reason: `expected an https URL, got ${JSON.stringify(url)}` });
  }
  if (known(inputs.objectMappings)) {
    const keys = new Set<string>();
    (inputs.objectMappings ?? []).forEach((om) => {
      if (keys.has(om.key)) problems.push({ property: "objectMappings", reason: `${om.key}: declared twice` });
      keys.add(om.key);
      om.attributeMappings.forEach((m) => {
        if (m.source !== undefined && m.constant !== undefined) problems.push({ property: "objectMappings", reason: `${om.key}.attributeMappings[${m.target}]: set either source or constant, not both` });
        const invalid = m.source === undefined ? undefined : validateExpression(normalizeSource(m.source));
        if (invalid) problems.push({ property: "objectMappings", reason: `${om.key}.attributeMappings[${m.target}].source: ${invalid}` });
      });
      om.scopingFilter.forEach((g) =>
        g.clauses.forEach((c) => {
          if (!findScopingOperator(c.operator)) problems.push({ property: "objectMappings", reason: `${om.key}.scopingFilter[${g.name}]: unknown operator ${JSON.stringify(c.operator)}` });
        }),
      );
    });
  }
  return problems;
}

const schemaPath = (jobId: string) => `${jobId}/schema`;

/** The schema without OData annotations (`@odata.context`), i.e. what a PUT may carry. */
function documentOf(response: GraphSynchronizationSchema): GraphSynchronizationSchema {
  return Object.fromEntries(Object.entries(response).filter(([k]) => !k.startsWith("@odata."))) as GraphSynchronizationSchema;
}

const sameObjectMapping = (a: ObjectMappingRef, b: ObjectMappingRef) => a.sourceObjectName === b.sourceObjectName && a.targetObjectName === b.targetObjectName;

/**
 * The provider. `options` only tune retries and timeouts (tests use tiny delays); they hold no
 * credential and are safe to serialize.
 */
export function createSynchronizationSchemaProvider(options: SchemaProviderOptions = {}): pulumi.dynamic.ResourceProvider<SynchronizationSchemaInputs, SynchronizationSchemaOutputs> {
  const graphFor = (p: SynchronizationSchemaInputs): GraphClient =>
    createGraphClient({ baseUrl: p.graphBaseUrl, tenantId: p.tenantId, retry: options.retry, requestTimeoutMs: options.requestTimeoutMs });

  async function getSchema(graph: GraphClient, jobId: string, justCreated: boolean): Promise<GraphSynchronizationSchema> {
    return documentOf(await graph.get<GraphSynchronizationSchema>(schemaPath(jobId), { retryNotFound: justCreated }));
  }

  /** API names for the slice's operators: from `known` when all are there, else from the job. */
  async function operatorNamesFor(graph: GraphClient, p: SynchronizationSchemaInputs, known: Record<string, string>, justCreated: boolean): Promise<Record<string, string>> {
    const labels = operatorLabelsOf(p.objectMappings);
    if (labels.every((l) => known[l] !== undefined)) return Object.fromEntries(labels.map((l) => [l, known[l]]));
    const advertised = await graph.get<{ value?: FilterOperatorSchema[] }>(`${schemaPath(p.synchronizationJobId)}/filterOperators`, { retryNotFound: justCreated });
    return resolveOperatorNames(labels, advertised.value ?? []);
  }

  async function writeIfChanged(graph: GraphClient, jobId: string, current: GraphSynchronizationSchema, next: GraphSynchronizationSchema): Promise<void> {
    if (JSON.stringify(next) !== JSON.stringify(current)) await graph.put(schemaPath(jobId), next);
  }

  const outputs = (p: SynchronizationSchemaInputs, schema: GraphSynchronizationSchema, prior: OwnedFieldsRecord[], operatorNames: Record<string, string>): SynchronizationSchemaOutputs => ({
    resourceKind: RESOURCE_KIND,
    tenantId: p.tenantId,
    synchronizationJobId: p.synchronizationJobId,
    graphBaseUrl: p.graphBaseUrl,
    objectMappings: readSlice(schema, p.objectMappings),
    priorSlice: JSON.stringify(prior),
    operatorNames,
  });

  const isNotFound = (e: unknown) => (e as { status?: number })?.status === 404;

  return {
    async check(_olds, news) {
      const failures = inputProblems(news);
      return { inputs: { ...news, resourceKind: RESOURCE_KIND }, failures };
    },

    async diff(_id, olds, news) {
      const unknown = (v: unknown) => v !== undefined && JSON.stringify(v).includes(UNKNOWN);
      const replaces = (["tenantId", "synchronizationJobId"] as const).filter((k) => unknown(news[k]) || olds[k] !== news[k]);
      const sliceChanged = unknown(news.objectMappings) || describeSliceChanges(olds.objectMappings ?? [], news.objectMappings ?? []).length > 0;
      const endpointChanged = unknown(news.graphBaseUrl) || olds.graphBaseUrl !== news.graphBaseUrl;
      return { changes: replaces.length > 0 || sliceChanged || endpointChanged, replaces, deleteBeforeReplace: false };
    },

    async create(inputs) {
      const graph = graphFor(inputs);
      const current = await getSchema(graph, inputs.synchronizationJobId, true);
      const operatorNames = await operatorNamesFor(graph, inputs, {}, true);
      const prior = recordOwnedFields(current, inputs.objectMappings);
      const next = applySlice(current, inputs.objectMappings, operatorNames);
      await writeIfChanged(graph, inputs.synchronizationJobId, current, next);
      return { id: schemaPath(inputs.synchronizationJobId), outs: outputs(inputs, next, prior, operatorNames) };
    },

    async read(id, props) {
      if (!props) throw new Error(`reading ${id} needs the resource's state; import is not supported`);
      let current: GraphSynchronizationSchema;
      try {
        current = await getSchema(graphFor(props), props.synchronizationJobId, false);
      } catch (e) {
        if (isNotFound(e)) return {};
        throw e;
      }
      return { id, props: { ...props, objectMappings: readSlice(current, props.objectMappings ?? []) } };
    },

    async update(_id, olds, news) {
      const graph = graphFor(news);
      const current = await getSchema(graph, news.synchronizationJobId, false);
      const oldPrior: OwnedFieldsRecord[] = JSON.parse(olds.priorSlice ?? "[]");
      const declared = (r: ObjectMappingRef) => news.objectMappings.some((om) => sameObjectMapping(om, r));
      // Object mappings no longer declared get their recorded fields back; newly declared ones are recorded now.
      const base = restoreOwnedFields(current, oldPrior.filter((r) => !declared(r)));
      const newlyOwned = news.objectMappings.filter((om) => !oldPrior.some((r) => sameObjectMapping(om, r)));
      const prior = [...oldPrior.filter(declared), ...recordOwnedFields(base, newlyOwned)];
      const operatorNames = await operatorNamesFor(graph, news, olds.operatorNames ?? {}, false);
      const next = applySlice(base, news.objectMappings, operatorNames);
      await writeIfChanged(graph, news.synchronizationJobId, current, next);
      return { outs: outputs(news, next, prior, operatorNames) };
    },

    async delete(_id, props) {
      const graph = graphFor(props);
      let current: GraphSynchronizationSchema;
      try {
        current = await getSchema(graph, props.synchronizationJobId, false);
      } catch (e) {
        if (isNotFound(e)) return; // the job is gone, and its schema with it
        throw e;
      }
      const next = restoreOwnedFields(current, JSON.parse(props.priorSlice ?? "[]"));
      await writeIfChanged(graph, props.synchronizationJobId, current, next);
    },
  };
}

const provider = createSynchronizationSchemaProvider();

/**
 * The declared slice of a provisioning job's synchronization schema (attribute mappings, matching
 * attributes, scoping filters). See docs/schema-resource.md.
 */
export class SynchronizationSchema extends pulumi.dynamic.Resource {
  /** The owned slice as it is in the tenant: as written, or as `pulumi refresh` last read it. */
  declare public readonly objectMappings: pulumi.Output<ResolvedObjectMapping[]>;
  /** JSON of the owned fields before this resource first wrote them; restored on delete. */
  declare public readonly priorSlice: pulumi.Output<string>;
  /** Portal operator label → API operator name, as the job advertised them. */
  declare public readonly operatorNames: pulumi.Output<Record<string, string>>;
  declare public readonly resourceKind: pulumi.Output<string>;
  declare public readonly tenantId: pulumi.Output<string>;
  declare public readonly synchronizationJobId: pulumi.Output<string>;
  declare public readonly graphBaseUrl: pulumi.Output<string>;

  /**
   * @param name The unique name of the resource.
   * @param args The tenant, the job and the declared slice.
   * @param opts Options; `dependsOn` the job's secrets when the schema must follow them.
   */
  constructor(name: string, args: SynchronizationSchemaArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      {
        resourceKind: RESOURCE_KIND,
        tenantId: args.tenantId,
        synchronizationJobId: args.synchronizationJobId,
        objectMappings: args.objectMappings,
        graphBaseUrl: args.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL,
        priorSlice: undefined,
        operatorNames: undefined,
      },
      opts,
    );
  }
}
