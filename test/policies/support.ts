/**
 * AWSGuard-style helpers for testing the rules on synthetic resources (pulumi-policy-aws
 * `createResourceValidationArgs` / `createStackValidationArgs`): args shaped like the CrossGuard
 * server's, props behind the same `unknownCheckingProxy`, config with the schema's defaults and
 * validated like the runner does. Plus builders for one compliant app, which cases then break.
 */
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import type {
  PolicyConfigSchema,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { rouseSales } from "../../components/catalog/rouse-sales";
import { AppPreset } from "../../components/catalog";
import { mergeObjectMappings, MappingOverrideInput, ResolvedObjectMapping } from "../../components/mappings/merge";
import { buildSettingsCredentials, ProvisioningSettings } from "../../components/provisioning/settings";
import { configDefaults, validatePolicyConfig } from "../../policies/lib/config-schema";
import type { OfflineFacts } from "../../policies/lib/offline";
import { SCHEMA_RESOURCE_KIND, TYPES } from "../../policies/lib/types";
import { UNKNOWN_SENTINELS } from "../../policies/lib/values";

/** A value that is unknown during preview, as the engine sends it. */
export const UNKNOWN = UNKNOWN_SENTINELS.string;
export const PROJECT = "entra-app-provisioning";

export interface FakeResource {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  /** Stack in the URN. Defaults to "dev". */
  readonly stack?: string;
  /** Name of the parent component (an EnterpriseAppProvisioning), if any. */
  readonly parentName?: string;
  readonly parentType?: string;
  readonly protect?: boolean;
  readonly additionalSecretOutputs?: readonly string[];
  /** Property name → names of the resources it depends on (CrossGuard's propertyDependencies). */
  readonly propertyDependencies?: Record<string, readonly string[]>;
  /** Offline-only fact (policies/lib/offline.ts); undefined = as under the CLI. */
  readonly secretPaths?: readonly string[];
}

export function urnOf(r: Pick<FakeResource, "type" | "name" | "stack" | "parentType" | "parentName">): string {
  const qualified = r.parentName ? `${r.parentType ?? TYPES.enterpriseAppProvisioning}$${r.type}` : r.type;
  return `urn:pulumi:${r.stack ?? "dev"}::${PROJECT}::${qualified}::${r.name}`;
}
function parentUrnOf(r: FakeResource): string | undefined {
  return r.parentName ? urnOf({ type: r.parentType ?? TYPES.enterpriseAppProvisioning, name: r.parentName, stack: r.stack }) : undefined;
}

/** Config as the engine would hand it to the policy: schema defaults under the given values. Throws on invalid config. */
export function policyConfigFor(policy: { name: string; configSchema?: PolicyConfigSchema }, config: Record<string, unknown> = {}): Record<string, unknown> {
  const problems = validatePolicyConfig(policy.name, policy.configSchema, config);
  if (problems.length) throw new Error(`invalid test config: ${problems.join("; ")}`);
  return { ...configDefaults(policy.configSchema), ...config };
}

class NotApplicable extends Error {}

/**
 * A deep copy made of this realm's objects. Not `structuredClone`: under jest it returns objects of the
 * outer realm, which `unknownCheckingProxy` (an `instanceof Object` check) would silently not proxy.
 */
export function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T;
  return v;
}

export function createResourceValidationArgs(r: FakeResource, config: Record<string, unknown> = {}, policy: { name: string; configSchema?: PolicyConfigSchema } = { name: "test" }): ResourceValidationArgs & OfflineFacts {
  const props = unknownCheckingProxy(clone(r.props));
  const parent = parentUrnOf(r);
  return {
    type: r.type,
    name: r.name,
    urn: urnOf(r),
    props,
    opts: {
      protect: r.protect ?? false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [...(r.additionalSecretOutputs ?? [])],
      ...(parent ? { parent } : {}),
    },
    stackTags: new Map(),
    isType: (cls) => (cls as unknown as { __pulumiType?: string }).__pulumiType === r.type,
    asType: (() => undefined) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => policyConfigFor(policy, config) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
    ...(r.secretPaths ? { secretPaths: r.secretPaths } : {}),
  };
}

export function createStackValidationArgs(resources: readonly FakeResource[], config: Record<string, unknown> = {}, policy: { name: string; configSchema?: PolicyConfigSchema } = { name: "test" }): StackValidationArgs {
  const list: PolicyResource[] = resources.map((r) => {
    const a = createResourceValidationArgs(r, config, policy);
    return { type: a.type, name: a.name, urn: a.urn, props: a.props, opts: a.opts, dependencies: [], propertyDependencies: {}, isType: a.isType, asType: (() => undefined) as PolicyResource["asType"] };
  });
  const byName = new Map(list.map((r) => [r.name, r]));
  resources.forEach((r, i) => {
    const parent = parentUrnOf(r);
    if (parent) list[i].parent = list.find((p) => p.urn === parent);
    for (const [prop, names] of Object.entries(r.propertyDependencies ?? {})) {
      list[i].propertyDependencies[prop] = names.map((n) => byName.get(n)).filter((d): d is PolicyResource => !!d);
      list[i].dependencies.push(...list[i].propertyDependencies[prop]);
    }
  });
  return {
    resources: list,
    stackTags: new Map(),
    getConfig: <T extends object>() => policyConfigFor(policy, config) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

/** The outcome of one policy on synthetic input: violation messages (with the URN where given), or why it did not apply or could not run. */
export interface Outcome {
  readonly violations: string[];
  readonly urns: (string | undefined)[];
  readonly notApplicable?: string;
  readonly unknown?: string;
}

function capture(run: (report: (m: string, urn?: string) => void) => void): Outcome {
  const violations: string[] = [];
  const urns: (string | undefined)[] = [];
  try {
    run((m, urn) => {
      violations.push(m);
      urns.push(urn);
    });
  } catch (e) {
    if (e instanceof NotApplicable) return { violations, urns, notApplicable: e.message || "not applicable" };
    if (e instanceof UnknownValueError) return { violations, urns, unknown: (e as Error).message };
    throw e;
  }
  return { violations, urns };
}

export function runResourcePolicy(policy: ResourceValidationPolicy, r: FakeResource, config?: Record<string, unknown>): Outcome {
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
  return capture((report) => {
    for (const v of validations) v(createResourceValidationArgs(r, config, policy), report);
  });
}

export function runStackPolicy(policy: StackValidationPolicy, resources: readonly FakeResource[], config?: Record<string, unknown>): Outcome {
  return capture((report) => policy.validateStack(createStackValidationArgs(resources, config, policy), report));
}

// ---------------------------------------------------------------------------------------------
// One compliant app, as the component declares it (built with the project's own builders).

export interface AppOptions {
  readonly stack?: string;
  readonly name?: string;
  readonly preset?: AppPreset;
  readonly settings?: Partial<ProvisioningSettings>;
  readonly mappings?: Partial<Record<"users" | "groups", MappingOverrideInput>>;
  readonly groups?: number;
  readonly assignmentRequired?: boolean;
  readonly protect?: boolean;
  /** Ids as after deployment (true) or unknown as in a first preview (false). Defaults to false. */
  readonly known?: boolean;
  readonly spObjectId?: string;
}

export const SETTINGS: ProvisioningSettings = {
  scope: "assignedOnly",
  notificationEmail: "ops@contoso.example",
  sendFailureEmails: true,
  accidentalDeletions: { enabled: true, threshold: 50 },
  skipOutOfScopeDeletions: false,
};

export function resolvedMappings(preset: AppPreset = rouseSales, overrides: Partial<Record<"users" | "groups", MappingOverrideInput>> = {}): ResolvedObjectMapping[] {
  const merged = mergeObjectMappings(preset, overrides);
  if (merged.issues.length) throw new Error(`test mappings invalid: ${JSON.stringify(merged.issues)}`);
  return merged.mappings;
}

/** The resources of one EnterpriseAppProvisioning component. */
export function app(o: AppOptions = {}): FakeResource[] {
  const stack = o.stack ?? "dev";
  const name = o.name ?? "rouse-sales";
  const preset = o.preset ?? rouseSales;
  const sp = o.spObjectId ?? "0a0b0c0d-1111-4222-8333-444455556666";
  const spId = o.known ? `/servicePrincipals/${sp}` : UNKNOWN;
  const jobId = o.known ? `/servicePrincipals/${sp}/synchronization/jobs/rouseSales.${sp.replace(/-/g, "")}.7f3a1041-a5df-4479-aee2-4e2703952a17` : UNKNOWN;
  const child = { stack, parentName: name };
  const settings = { ...SETTINGS, ...o.settings };
  return [
    { type: TYPES.enterpriseAppProvisioning, name, props: {}, stack },
    { ...child, type: TYPES.applicationFromTemplate, name: `${name}-app`, props: { displayName: preset.appName, templateId: "c4dd5b61-3f1b-4919-a4ec-9ac04767ad45" }, protect: o.protect },
    {
      ...child,
      type: TYPES.servicePrincipal,
      name: `${name}-sp`,
      props: { clientId: UNKNOWN, useExisting: true, appRoleAssignmentRequired: o.assignmentRequired ?? true, featureTags: [{ enterprise: true, gallery: true }], owners: [] },
      protect: o.protect,
    },
    ...Array.from({ length: o.groups ?? 1 }, (_, i) => ({
      ...child,
      type: TYPES.appRoleAssignment,
      name: `${name}-group-${i}`,
      props: { appRoleId: UNKNOWN, principalObjectId: `aaaaaaaa-0000-4000-8000-00000000000${i}`, resourceObjectId: UNKNOWN },
    })),
    {
      ...child,
      type: TYPES.synchronizationSecret,
      name: `${name}-settings`,
      props: { servicePrincipalId: spId, credentials: buildSettingsCredentials(settings) },
      additionalSecretOutputs: ["credentials"],
    },
    { ...child, type: TYPES.synchronizationJob, name: `${name}-job`, props: { servicePrincipalId: spId, templateId: "rouseSales", enabled: true } },
    {
      ...child,
      type: TYPES.dynamicResource,
      name: `${name}-schema`,
      props: { resourceKind: SCHEMA_RESOURCE_KIND, tenantId: "00000000-0000-0000-0000-00000000d001", synchronizationJobId: jobId, objectMappings: resolvedMappings(preset, o.mappings) },
    },
  ];
}

/** What ProvisioningMonitoring declares (trimmed to what the monitoring policy reads). */
export function monitoring(stack = "prod", o: { categories?: string[]; rules?: number; workspaceId?: string; enabled?: boolean; actionGroups?: unknown } = {}): FakeResource[] {
  const child = { stack, parentName: "monitoring", parentType: TYPES.provisioningMonitoring };
  return [
    { type: TYPES.provisioningMonitoring, name: "monitoring", props: {}, stack },
    {
      ...child,
      type: TYPES.diagnosticSetting,
      name: "monitoring-diagnostics",
      props: { name: "entra-app-provisioning", workspaceId: o.workspaceId ?? UNKNOWN, logs: (o.categories ?? ["ProvisioningLogs", "AuditLogs"]).map((category) => ({ category, enabled: true })) },
    },
    ...Array.from({ length: o.rules ?? 3 }, (_, i) => ({
      ...child,
      type: TYPES.scheduledQueryRule,
      name: `monitoring-alert-${i}`,
      props: { enabled: o.enabled ?? true, scopes: [UNKNOWN], actions: { actionGroups: o.actionGroups ?? [UNKNOWN] } },
    })),
  ];
}

/** Replaces the props of the resource named `name` (a copy; the input is not changed). */
export function withProps(resources: readonly FakeResource[], name: string, change: (props: Record<string, any>) => Record<string, unknown>): FakeResource[] {
  if (!resources.some((r) => r.name === name)) throw new Error(`no resource ${name}`);
  return resources.map((r) => (r.name === name ? { ...r, props: change(clone(r.props)) } : r));
}

export function find(resources: readonly FakeResource[], type: string): FakeResource {
  const r = resources.find((x) => x.type === type);
  if (!r) throw new Error(`no ${type}`);
  return r;
}
