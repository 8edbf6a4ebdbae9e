/**
 * Reads Pulumi state as the CLI writes it, for the audit:
 *
 * - `pulumi stack export` output: `{"version": 3, "deployment": DeploymentV3}` (`UntypedDeployment`);
 * - the local-files (DIY) backend's stack file: `{"version": 3, "checkpoint": {stack, config?, latest: DeploymentV3}}`.
 *
 * DeploymentV3 is `{manifest: {time, magic, version}, secrets_providers?, resources?: ResourceV3[],
 * pending_operations?: [{resource, type}]}` (pulumi/pulumi `sdk/go/common/apitype/core.go`,
 * `deployments.json`, `resources.json`). Version 4 is the same shape plus `features`; it is read when every
 * feature it lists is one this reader knows not to change the resource shape.
 *
 * Every way a file can be wrong ends in a {@link StateInputError} that says which file, what is wrong and
 * what to do, never a stack trace: not JSON, truncated, not a Pulumi state, an offline plan instead of a
 * state, an unsupported version, a malformed deployment, or a state of another project.
 */
import { readFileSync, statSync } from "fs";
import { gunzipSync } from "zlib";
import { z } from "zod";
import { UNKNOWN_SENTINELS } from "../../components/pulumi-wire";
import { PROJECT } from "../../stacks/config/schema";

export { SIG, SIG_KEY } from "../../components/pulumi-wire";
/** The value the engine stores for a property that was unknown (computed) when written. */
export const UNKNOWN_SENTINEL = UNKNOWN_SENTINELS.string;

/** Deployment schema versions this reader understands, and the version-4 features that keep the v3 shape. */
export const SUPPORTED_VERSIONS = [3, 4] as const;
export const SUPPORTED_FEATURES = ["refreshBeforeUpdate"] as const;

/** A file the audit cannot read, with a message meant for the person who ran it. */
export class StateInputError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
    this.name = "StateInputError";
  }
}

const Urn = z.string().regex(/^urn:pulumi:/, { error: "expected a URN (urn:pulumi:<stack>::<project>::<type>::<name>)" });

/** ResourceV3 (`resources.json#v3` plus `created`/`modified`/… from core.go): known keys checked, others kept. */
export const ResourceV3Schema = z.looseObject({
  urn: Urn,
  custom: z.boolean().default(false),
  delete: z.boolean().optional(),
  id: z.string().optional(),
  type: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  parent: Urn.optional(),
  protect: z.boolean().optional(),
  taint: z.boolean().optional(),
  external: z.boolean().optional(),
  dependencies: z.array(Urn).optional(),
  initErrors: z.array(z.string()).optional(),
  provider: z.string().optional(),
  propertyDependencies: z.record(z.string(), z.array(Urn).nullable()).optional(),
  pendingReplacement: z.boolean().optional(),
  additionalSecretOutputs: z.array(z.string()).optional(),
  retainOnDelete: z.boolean().optional(),
  created: z.string().optional(),
  modified: z.string().optional(),
});
export type StateResource = z.output<typeof ResourceV3Schema>;

const ManifestSchema = z.looseObject({
  time: z.string({ error: "expected the deployment time (a string)" }),
  magic: z.string({ error: "expected a string" }),
  version: z.string({ error: "expected the Pulumi version that wrote the state (a string)" }),
});

const OperationSchema = z.looseObject({
  resource: ResourceV3Schema,
  type: z.string(),
});
export type PendingOperation = z.output<typeof OperationSchema>;

export const DeploymentV3Schema = z.looseObject({
  manifest: ManifestSchema,
  secrets_providers: z.looseObject({ type: z.string(), state: z.unknown().optional() }).optional(),
  resources: z.array(ResourceV3Schema).optional(),
  pending_operations: z.array(OperationSchema).optional(),
});

export type Envelope = "export" | "checkpoint";

export interface ParsedState {
  /** Where it was read from (a path, or a name given by the caller). */
  readonly source: string;
  /** `export`: `pulumi stack export`; `checkpoint`: the local-files backend's stack file. */
  readonly envelope: Envelope;
  readonly schemaVersion: number;
  readonly features: readonly string[];
  /** The checkpoint's own `stack` field (checkpoint envelope only). */
  readonly checkpointStack?: string;
  readonly manifest: { readonly time: string; readonly magic: string; readonly version: string };
  /** `secrets_providers.type`: passphrase, service, awskms, azurekeyvault, b64, … */
  readonly secretsProvider?: string;
  readonly resources: readonly StateResource[];
  readonly pendingOperations: readonly PendingOperation[];
  /** Stack and project, from the resources' URNs. */
  readonly stack: string;
  readonly project: string;
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` → its parts; undefined if not a URN. */
export function parseUrn(urn: string): { stack: string; project: string; qualifiedType: string; type: string; name: string } | undefined {
  const m = /^urn:pulumi:([^:]*)::([^:]+)::(.+?)::(.*)$/s.exec(urn);
  if (!m) return undefined;
  const qualifiedType = m[3];
  return { stack: m[1], project: m[2], qualifiedType, type: qualifiedType.split("$").pop()!, name: m[4] };
}

/** The logical name of a resource (the last URN segment). */
export const urnName = (urn: string): string => parseUrn(urn)?.name ?? urn;

/**
 * Whether text that failed to parse is JSON cut short: scanning outside strings, an object or array is
 * still open (or a string is) when the text ends.
 */
export function looksTruncated(text: string): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let sawOpen = false;
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") {
      depth++;
      sawOpen = true;
    } else if (ch === "}" || ch === "]") depth--;
  }
  return sawOpen && (depth > 0 || inString);
}

const EXPORT_HINT = "produce one with `pulumi stack export --file state.json` (or pass the local-files backend's `.pulumi/stacks/<project>/<stack>.json`)";

function describeZodIssues(error: z.ZodError, prefix: string): string {
  const shown = error.issues.slice(0, 5).map((i) => {
    const path = i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    return `${prefix}${path}: ${i.message}`;
  });
  const more = error.issues.length > shown.length ? `; and ${error.issues.length - shown.length} more` : "";
  return `${shown.join("; ")}${more}`;
}

/** Parses state text; throws {@link StateInputError} with a clear reason when it is not a state of this project. */
export function parseStateText(text: string, source: string, expectedProject: string = PROJECT): ParsedState {
  const fail: (reason: string) => never = (reason) => {
    throw new StateInputError(source, reason);
  };
  if (text.trim() === "") fail(`the file is empty; ${EXPORT_HINT}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const detail = (e as Error).message;
    if (looksTruncated(text)) {
      fail(`the file is truncated: its JSON ends before the state is complete (${text.length} characters read; ${detail}). Export it again; ${EXPORT_HINT}`);
    }
    fail(`not JSON (${detail}); expected Pulumi state: ${EXPORT_HINT}`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    fail(`not a Pulumi state: expected a JSON object with \`version\` and \`deployment\` (\`pulumi stack export\`) or \`checkpoint\` (a local-files backend stack file), got ${Array.isArray(doc) ? "an array" : JSON.stringify(doc)}`);
  }
  const top = doc as Record<string, unknown>;
  if ("formatVersion" in top && Array.isArray(top.resources)) {
    fail(`this is an offline plan (\`npm run plan\`), not Pulumi state: a plan says what would be deployed, the audit reads what was deployed; ${EXPORT_HINT}`);
  }
  const envelope: Envelope | undefined = "deployment" in top ? "export" : "checkpoint" in top ? "checkpoint" : undefined;
  if (!envelope) {
    const keys = Object.keys(top).slice(0, 8).join(", ") || "none";
    fail(`not a Pulumi state: expected \`version\` with \`deployment\` (\`pulumi stack export\`) or \`checkpoint\` (local-files backend), found keys: ${keys}; ${EXPORT_HINT}`);
  }
  const version = top.version;
  const features = Array.isArray(top.features) ? top.features.map(String) : [];
  if (typeof version !== "number" || !Number.isInteger(version)) {
    fail(`the state has no deployment version (\`version\` is ${JSON.stringify(version)}); expected 3`);
  }
  if (!(SUPPORTED_VERSIONS as readonly number[]).includes(version as number)) {
    const hint =
      (version as number) < 3
        ? "it was written by an old Pulumi CLI; export the stack again with a current one, which writes version 3"
        : "it was written by a Pulumi CLI newer than this audit knows";
    fail(`deployment version ${version} is not supported (this audit reads version 3, and 4 without unknown features): ${hint}`);
  }
  const unknownFeatures = features.filter((f) => !(SUPPORTED_FEATURES as readonly string[]).includes(f));
  if (unknownFeatures.length > 0) {
    fail(`deployment version ${version} uses features this audit does not know (${unknownFeatures.join(", ")}); known: ${SUPPORTED_FEATURES.join(", ")}`);
  }

  let rawDeployment: unknown;
  let checkpointStack: string | undefined;
  if (envelope === "export") {
    rawDeployment = top.deployment;
  } else {
    const cp = top.checkpoint;
    if (!cp || typeof cp !== "object") fail("`checkpoint` must be an object with `stack` and `latest`");
    const c = cp as Record<string, unknown>;
    checkpointStack = typeof c.stack === "string" ? c.stack : undefined;
    if (c.latest === undefined || c.latest === null) {
      fail(`the checkpoint of stack ${JSON.stringify(checkpointStack ?? "")} has no \`latest\` deployment: the stack was created but never deployed; nothing to audit`);
    }
    rawDeployment = c.latest;
  }
  const prefix = envelope === "export" ? "deployment" : "checkpoint.latest";
  const parsed = DeploymentV3Schema.safeParse(rawDeployment);
  if (!parsed.success) fail(`not a valid Pulumi deployment: ${describeZodIssues(parsed.error, prefix)}`);
  const d = parsed.data;
  const resources = d.resources ?? [];
  const pendingOperations = d.pending_operations ?? [];

  const urns = [...resources.map((r) => r.urn), ...pendingOperations.map((o) => o.resource.urn)];
  if (urns.length === 0) fail("the state has no resources: the stack was never deployed or has been destroyed; nothing to audit");
  const parts = urns.map((u) => ({ u, p: parseUrn(u) }));
  const bad = parts.find((x) => !x.p);
  if (bad) fail(`resource URN ${JSON.stringify(bad.u)} is not of the form urn:pulumi:<stack>::<project>::<type>::<name>`);
  const projects = [...new Set(parts.map((x) => x.p!.project))];
  const stacks = [...new Set(parts.map((x) => x.p!.stack))];
  if (projects.length > 1 || stacks.length > 1) {
    fail(`resources belong to more than one stack or project (${[...new Set(parts.map((x) => `${x.p!.project}/${x.p!.stack}`))].join(", ")}); a state holds one stack`);
  }
  if (projects[0] !== expectedProject) {
    fail(`this is the state of project "${projects[0]}" (stack "${stacks[0]}"), not of ${expectedProject}: the audit reads stacks of this project only`);
  }
  return {
    source,
    envelope,
    schemaVersion: version as number,
    features,
    checkpointStack,
    manifest: { time: d.manifest.time, magic: d.manifest.magic, version: d.manifest.version },
    secretsProvider: d.secrets_providers?.type,
    resources,
    pendingOperations,
    stack: stacks[0],
    project: projects[0],
  };
}

/** Reads and parses a state file (plain or gzip-compressed); a missing or unreadable file is a {@link StateInputError} too. */
export function readStateFile(file: string): ParsedState {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new StateInputError(file, "is a directory, not a state file");
    const bytes = readFileSync(file);
    // Self-managed backends can store stack files gzip-compressed (`<stack>.json.gz`).
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        text = gunzipSync(bytes).toString("utf8");
      } catch (e) {
        throw new StateInputError(file, `is gzip-compressed but cannot be decompressed (${(e as Error).message}); the file is damaged or truncated`);
      }
    } else text = bytes.toString("utf8");
  } catch (e) {
    if (e instanceof StateInputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new StateInputError(file, code === "ENOENT" ? "no such file" : `cannot be read (${(e as Error).message})`);
  }
  return parseStateText(text, file);
}
