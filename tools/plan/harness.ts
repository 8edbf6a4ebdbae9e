/**
 * Runs the real tenant program in-process under Graph-shaped Pulumi mocks and returns what it
 * registered: every resource with its inputs (secrets masked, unknowns marked), options that matter
 * to reviewers and policies (parent, protect, dependsOn, additionalSecretOutputs), and the stack
 * outputs. Nothing here talks to Azure or needs the Pulumi CLI.
 */
import * as pulumi from "@pulumi/pulumi";
import { SECRET_MARK, SIG_KEY, UNKNOWN_SENTINELS } from "../../components/pulumi-wire";
import { GraphMocks, PlanMode } from "./mocks";

/** How plans show a value that is not known before deployment. */
export const UNKNOWN_MARK = "(computed)";

export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  readonly protect: boolean;
  readonly dependsOn: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  /** Inputs with secrets as "[secret]" and unknown values as "(computed)". Safe to print and store. */
  readonly inputs: Record<string, unknown>;
  /**
   * Inputs with secrets unwrapped, for in-process policy evaluation only (CrossGuard also sees plain
   * values). Never printed or written.
   */
  readonly plainInputs: Record<string, unknown>;
  /** Input property paths whose values were secrets (e.g. `credentials[1].value`). */
  readonly secretPaths: readonly string[];
}

export interface OfflineRun {
  readonly project: string;
  readonly stack: string;
  readonly mode: PlanMode;
  readonly resources: readonly PlannedResource[];
  /** Stack outputs with secrets masked and unknowns marked. */
  readonly outputs: Record<string, unknown>;
  /** The program's error (e.g. invalid config), if it failed. */
  readonly error?: Error;
}

export interface OfflineRunOptions {
  readonly project: string;
  readonly stack: string;
  /** Config as `pulumi.runtime.setAllConfig` takes it: `project:key` → string (objects as JSON). */
  readonly config: Record<string, string>;
  /** Config keys (`project:key`) whose values are secrets. */
  readonly secretKeys: readonly string[];
  readonly mode?: PlanMode;
  /** The program: returns stack outputs. Defaults to the tenant program in stacks/. */
  readonly program?: () => Promise<Record<string, unknown>>;
}

function isSecretWrapper(v: unknown): v is { value: unknown } {
  return !!v && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] !== undefined;
}
function isUnknown(v: unknown): boolean {
  return v === UNKNOWN_SENTINELS.string || (!!v && typeof v === "object" && (v as Record<string, unknown>).__pulumiUnknown === true);
}

/** Masks secrets and marks unknowns; records secret paths. */
export function maskValue(v: unknown, path = "", secretPaths: string[] = []): unknown {
  if (isUnknown(v)) return UNKNOWN_MARK;
  if (isSecretWrapper(v)) {
    secretPaths.push(path || "(root)");
    return SECRET_MARK;
  }
  if (Array.isArray(v)) return v.map((x, i) => maskValue(x, `${path}[${i}]`, secretPaths));
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, maskValue(x, path ? `${path}.${k}` : k, secretPaths)]));
  }
  return v;
}

/** Unwraps secrets (for policy evaluation only) and marks unknowns. */
export function unwrapValue(v: unknown): unknown {
  if (isUnknown(v)) return UNKNOWN_MARK;
  if (isSecretWrapper(v)) return unwrapValue(v.value);
  if (Array.isArray(v)) return v.map(unwrapValue);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, unwrapValue(x)]));
  return v;
}

/** Resolves program outputs (nested Outputs allowed) to plain data with secrets masked and unknowns marked. */
export async function resolveOutputs(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const o = value as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean>; promise(withUnknowns?: boolean): Promise<unknown> };
    if (await o.isSecret) return SECRET_MARK;
    if (!(await o.isKnown)) return UNKNOWN_MARK;
    return resolveOutputs(await o.promise(true));
  }
  if (value instanceof Promise) return resolveOutputs(await value);
  if (isUnknown(value)) return UNKNOWN_MARK;
  if (Array.isArray(value)) return Promise.all(value.map(resolveOutputs));
  if (value && typeof value === "object" && !(value instanceof pulumi.Resource)) {
    const entries = await Promise.all(Object.entries(value as Record<string, unknown>).map(async ([k, v]) => [k, await resolveOutputs(v)] as const));
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  }
  return value;
}

interface CapturedOptions {
  parent?: { type: string; name: string };
  protect: boolean;
  dependsOn: { type: string; name: string }[];
  additionalSecretOutputs: string[];
}

const key = (type: string, name: string) => `${type}::${name}`;
const describeResource = (r: unknown) => ({ type: (r as { __pulumiType: string }).__pulumiType, name: (r as { __name: string }).__name });

/**
 * Runs a program under mocks. Runs are sequential: Pulumi's runtime state is process-global, so callers
 * must await one run before starting the next.
 */
export async function runOffline(options: OfflineRunOptions): Promise<OfflineRun> {
  const mode = options.mode ?? "preview";
  const mocks = new GraphMocks(mode, options.stack);
  await pulumi.runtime.setMocks(mocks, options.project, options.stack, mode === "preview");
  pulumi.runtime.setAllConfig({ ...options.config }, [...options.secretKeys]);
  const program = options.program ?? (await import("../../stacks/program")).tenantProgram;

  const captured = new Map<string, CapturedOptions>();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stackRuntime = require("@pulumi/pulumi/runtime/stack") as { runInPulumiStack(init: () => Promise<unknown>): Promise<unknown> };
  let outputs: unknown = {};
  let error: Error | undefined;
  try {
    await stackRuntime.runInPulumiStack(async () => {
      // Legacy stack transformations run in-process, so they see options that mocks never receive.
      pulumi.runtime.registerStackTransformation((a) => {
        const deps = a.opts.dependsOn;
        const depList = (Array.isArray(deps) ? deps : deps ? [deps] : []).filter((d) => pulumi.Resource.isInstance(d));
        captured.set(key(a.type, a.name), {
          parent: a.opts.parent ? describeResource(a.opts.parent) : undefined,
          protect: !!(a.opts as pulumi.CustomResourceOptions).protect,
          dependsOn: depList.map(describeResource),
          additionalSecretOutputs: [...((a.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? [])],
        });
        return undefined;
      });
      // The program's own error (e.g. invalid config) is the run's result, not a crash of the root stack.
      try {
        outputs = await resolveOutputs(await program());
      } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
      }
      return {};
    });
    // Registrations finish asynchronously; drain the RPC queue so every resource is recorded.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
  }

  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, { urn: string }> };
  // A URN ends with `<type>::<name>` (the type after the last `$` of the parent chain).
  const urnByKey = new Map<string, string>();
  for (const urn of monitor.getRegisteredResources().keys()) {
    const [qualifiedType, name] = urn.split("::").slice(-2);
    urnByKey.set(key(qualifiedType.split("$").pop()!, name), urn);
  }
  const urnOf = (type: string, name: string) => urnByKey.get(key(type, name)) ?? `urn:pulumi:${options.stack}::${options.project}::${type}::${name}`;
  const resources: PlannedResource[] = mocks.registrations
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => {
      const opts = captured.get(key(r.type, r.name));
      const secretPaths: string[] = [];
      const inputs = maskValue(r.inputs, "", secretPaths) as Record<string, unknown>;
      delete inputs.__provider; // the serialized code of a dynamic provider: not an input anyone reviews
      const plainInputs = unwrapValue(r.inputs) as Record<string, unknown>;
      delete plainInputs.__provider;
      return {
        urn: urnOf(r.type, r.name),
        type: r.type,
        name: r.name,
        custom: r.custom,
        parent: opts?.parent && opts.parent.type !== "pulumi:pulumi:Stack" ? urnOf(opts.parent.type, opts.parent.name) : undefined,
        protect: opts?.protect ?? false,
        dependsOn: (opts?.dependsOn ?? []).map((d) => urnOf(d.type, d.name)).sort(),
        additionalSecretOutputs: opts?.additionalSecretOutputs ?? [],
        inputs,
        plainInputs,
        secretPaths,
      };
    })
    .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { project: options.project, stack: options.stack, mode, resources, outputs: (outputs ?? {}) as Record<string, unknown>, error };
}
