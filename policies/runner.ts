/**
 * Runs the pack's rules in-process against what the real program registered under mocks
 * (tools/plan/harness.ts), the way the CrossGuard server runs them under `pulumi preview`, without
 * constructing the PolicyPack (that would start its gRPC server):
 *
 * - config: the schema defaults, then `all`'s enforcement level, then each policy's settings, then
 *   validation (stricter than the engine: unknown policies and settings are errors, not ignored);
 * - enforcement: a policy's level is its config's, else its own, else the pack's; `disabled` skips it
 *   and `remediate` reports as `mandatory` (the pack has no remediations);
 * - resource policies see each resource's inputs with secrets unwrapped, stack policies see every
 *   resource with parent and explicit dependencies (inputs stand in for outputs, as in a preview);
 * - unknown values (the plan's "(computed)") are behind CrossGuard's own `unknownCheckingProxy`: a rule
 *   that reads one is reported as an advisory "can't run … during preview", exactly as the CLI does;
 * - `notApplicable` is swallowed; any other error is rethrown naming the policy.
 *
 * Beyond the CLI, resource policies also receive `secretPaths` (see lib/offline.ts).
 */
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { readFileSync } from "fs";
import type {
  EnforcementLevel,
  Policies,
  PolicyPackArgs,
  PolicyPackConfig,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyViolationRecord } from "../tools/plan/document";
import { OfflineRun, PlannedResource, UNKNOWN_MARK } from "../tools/plan/harness";
import { configDefaults, validatePolicyConfig } from "./lib/config-schema";
import type { OfflineFacts } from "./lib/offline";
import { UNKNOWN_SENTINELS } from "./lib/values";
import { PACK_ARGS, PACK_NAME, PACK_VERSION } from "./pack";

export interface PolicyVerdict {
  readonly pack: string;
  readonly verdict: "pass" | "fail";
  readonly violations: PolicyViolationRecord[];
}

/** The pack to evaluate; defaults to this repository's pack. */
export interface PackUnderTest {
  readonly name: string;
  readonly version: string;
  readonly args: PolicyPackArgs;
}

const THIS_PACK: PackUnderTest = { name: PACK_NAME, version: PACK_VERSION, args: PACK_ARGS };
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Policy config that does not fit the pack: every problem, before anything is evaluated. */
export class PolicyConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid policy config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PolicyConfigError";
  }
}

/**
 * Reads a policy config file (the JSON that `pulumi preview --policy-pack-config` takes) and checks it
 * against the pack. Throws with the file named when it cannot be read, is not a JSON object, or (a
 * {@link PolicyConfigError}) does not fit the pack.
 */
export function readPolicyConfigFile(file: string): PolicyPackConfig {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: cannot be read as JSON (${(e as Error).message})`);
  }
  if (!config || typeof config !== "object" || Array.isArray(config)) throw new Error(`${file} must hold a JSON object keyed by policy name`);
  resolvePolicyConfig(config as PolicyPackConfig);
  return config as PolicyPackConfig;
}

export interface ResolvedPolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

/** The effective config of every policy of the pack (engine order: defaults, `all`, per policy). */
export function resolvePolicyConfig(config: PolicyPackConfig = {}, pack: PackUnderTest = THIS_PACK): Map<string, ResolvedPolicyConfig> {
  const problems: string[] = [];
  const packLevel = pack.args.enforcementLevel ?? "advisory";
  const levelOf = (where: string, v: unknown): EnforcementLevel | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === "string" && (LEVELS as readonly string[]).includes(v)) return v as EnforcementLevel;
    problems.push(`${where}.enforcementLevel: expected one of ${LEVELS.join(", ")}, received ${JSON.stringify(v)}`);
    return undefined;
  };
  const split = (where: string, value: unknown): { level?: EnforcementLevel; props: Record<string, unknown> } => {
    if (typeof value === "string") return { level: levelOf(where, value), props: {} };
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const { enforcementLevel, ...props } = value as Record<string, unknown>;
      return { level: levelOf(where, enforcementLevel), props };
    }
    problems.push(`${where}: expected an enforcement level or an object, received ${JSON.stringify(value)}`);
    return { props: {} };
  };

  const all = config.all === undefined ? undefined : split("all", config.all);
  if (all && Object.keys(all.props).length > 0) problems.push(`all: only enforcementLevel can be set for all policies, received ${Object.keys(all.props).join(", ")}`);
  const names = new Set(pack.args.policies.map((p) => p.name));
  for (const key of Object.keys(config)) {
    if (key !== "all" && !names.has(key)) problems.push(`${key}: no such policy in ${pack.name}; policies: ${[...names].join(", ")}`);
  }
  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const p of pack.args.policies) {
    const given = config[p.name] === undefined ? { props: {} } : split(p.name, config[p.name]);
    const properties = { ...configDefaults(p.configSchema), ...given.props };
    problems.push(...validatePolicyConfig(p.name, p.configSchema, given.props));
    resolved.set(p.name, { enforcementLevel: given.level ?? all?.level ?? p.enforcementLevel ?? packLevel, properties });
  }
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return resolved;
}

class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/** Plan values to what CrossGuard receives: "(computed)" becomes Pulumi's unknown sentinel. */
function toPolicyValue(v: unknown): unknown {
  if (v === UNKNOWN_MARK) return UNKNOWN_SENTINELS.string;
  if (Array.isArray(v)) return v.map(toPolicyValue);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPolicyValue(x)]));
  return v;
}

function optionsOf(r: PlannedResource): PolicyResourceOptions {
  return {
    protect: r.protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [...r.additionalSecretOutputs],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

function isTypeOf(type: string, cls: unknown): boolean {
  const c = cls as { __pulumiType?: string; isInstance?: (o: unknown) => boolean };
  if (c.__pulumiType) return c.__pulumiType === type;
  return typeof c.isInstance === "function" && c.isInstance({ __pulumiType: type }) === true;
}

const isResourcePolicy = (p: Policies[number]): p is ResourceValidationPolicy => "validateResource" in p;
const isStackPolicy = (p: Policies[number]): p is StackValidationPolicy => "validateStack" in p;

/**
 * Evaluates the pack against an offline run. `verdict` is "fail" when there is a mandatory violation.
 * Throws {@link PolicyConfigError} for invalid config, and when the run itself failed.
 */
export function evaluatePolicies(run: OfflineRun, config: PolicyPackConfig = {}, pack: PackUnderTest = THIS_PACK): PolicyVerdict {
  if (run.error) throw new Error(`cannot evaluate policies: the program failed (${run.error.message})`);
  const resolved = resolvePolicyConfig(config, pack);
  const packId = `${pack.name}@${pack.version}`;
  const violations: PolicyViolationRecord[] = [];
  const stackTags: ReadonlyMap<string, string> = new Map();

  const invoke = (policy: string, urn: string | undefined, call: () => unknown) => {
    try {
      const result = call();
      if (result && typeof (result as PromiseLike<unknown>).then === "function") {
        throw new Error(`policy ${policy} returned a promise; the offline runner evaluates synchronous rules only`);
      }
    } catch (e: unknown) {
      if (e instanceof NotApplicable) return;
      if (e instanceof UnknownValueError) {
        violations.push({ policy, enforcementLevel: "advisory", ...(urn ? { urn } : {}), message: `can't run policy '${policy}' from policy pack '${pack.name}@v${pack.version}' during preview: ${(e as Error).message}` });
        return;
      }
      throw new Error(`policy ${policy} failed on ${urn ?? "the stack"}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };

  for (const policy of pack.args.policies) {
    const cfg = resolved.get(policy.name)!;
    if (cfg.enforcementLevel === "disabled") continue;
    const level = cfg.enforcementLevel === "advisory" ? "advisory" : "mandatory";
    const getConfig = <T extends object>() => structuredClone(cfg.properties) as T;

    if (isResourcePolicy(policy) && policy.validateResource) {
      const validations: ResourceValidation[] = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const r of run.resources) {
        const report: ReportViolation = (message) => violations.push({ policy: policy.name, enforcementLevel: level, urn: r.urn, message });
        for (const validate of validations) {
          const props = unknownCheckingProxy(toPolicyValue(r.plainInputs) as Record<string, unknown>);
          const args: ResourceValidationArgs & OfflineFacts = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            stackTags,
            isType: (cls) => isTypeOf(r.type, cls),
            asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
            getConfig,
            notApplicable,
            secretPaths: [...r.secretPaths],
          };
          invoke(policy.name, r.urn, () => validate(args, report));
        }
      }
    }

    if (isStackPolicy(policy)) {
      const byUrn = new Map<string, PolicyResource>();
      const resources: PolicyResource[] = run.resources.map((r) => {
        const props = unknownCheckingProxy(toPolicyValue(r.plainInputs) as Record<string, unknown>);
        const pr: PolicyResource = {
          type: r.type,
          props,
          urn: r.urn,
          name: r.name,
          opts: optionsOf(r),
          dependencies: [],
          propertyDependencies: {},
          isType: (cls) => isTypeOf(r.type, cls),
          asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
        };
        byUrn.set(r.urn, pr);
        return pr;
      });
      run.resources.forEach((r, i) => {
        if (r.parent && byUrn.has(r.parent)) resources[i].parent = byUrn.get(r.parent);
        resources[i].dependencies = r.dependsOn.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
      });
      const report: ReportViolation = (message, urn) => violations.push({ policy: policy.name, enforcementLevel: level, ...(urn ? { urn } : {}), message });
      const args: StackValidationArgs = { resources, stackTags, getConfig, notApplicable };
      invoke(policy.name, undefined, () => policy.validateStack(args, report));
    }
  }
  return { pack: packId, verdict: violations.some((v) => v.enforcementLevel === "mandatory") ? "fail" : "pass", violations };
}
