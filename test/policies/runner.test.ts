/**
 * The offline runner reproduces what the CrossGuard server and the engine do with the same rules:
 * config reconciliation, enforcement levels, unknown values, not-applicable, errors.
 */
import type { PolicyPackArgs, PolicyPackConfig, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { OfflineRun, PlannedResource } from "../../tools/plan/harness";
import { OfflineFacts } from "../../policies/lib/offline";
import { UNKNOWN_SENTINELS } from "../../policies/lib/values";
import { PACK_ARGS, PACK_ID } from "../../policies/pack";
import { evaluatePolicies, PackUnderTest, PolicyConfigError, resolvePolicyConfig } from "../../policies/runner";

const STACK_URN = "urn:pulumi:dev::proj::";
function resource(name: string, plainInputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource {
  return {
    urn: `${STACK_URN}test:index:Thing::${name}`,
    type: "test:index:Thing",
    name,
    custom: true,
    protect: false,
    dependsOn: [],
    additionalSecretOutputs: [],
    inputs: plainInputs,
    plainInputs,
    secretPaths: [],
    ...extra,
  };
}
const runOf = (...resources: PlannedResource[]): OfflineRun => ({ project: "proj", stack: "dev", mode: "preview", resources, outputs: {} });
const pack = (policies: PolicyPackArgs["policies"], enforcementLevel?: PolicyPackArgs["enforcementLevel"]): PackUnderTest => ({
  name: "test-pack",
  version: "1.2.3",
  args: { policies, ...(enforcementLevel ? { enforcementLevel } : {}) },
});

describe("unknown values", () => {
  test("the sentinels are the ones @pulumi/policy checks for", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proxy = require("@pulumi/policy/proxy") as Record<string, string>;
    expect(UNKNOWN_SENTINELS).toEqual({
      boolean: proxy.unknownBooleanValue,
      number: proxy.unknownNumberValue,
      string: proxy.unknownStringValue,
      array: proxy.unknownArrayValue,
      asset: proxy.unknownAssetValue,
      archive: proxy.unknownArchiveValue,
      object: proxy.unknownObjectValue,
    });
  });

  test('a rule reading a "(computed)" value is reported as CrossGuard reports it in a preview: advisory, cannot run', () => {
    const readsId = { name: "reads-id", description: "d", enforcementLevel: "mandatory" as const, validateResource: (a: ResourceValidationArgs) => void a.props.id };
    const r = resource("x", { id: "(computed)", other: 1 });
    expect(evaluatePolicies(runOf(r), {}, pack([readsId]))).toEqual({
      pack: "test-pack@1.2.3",
      verdict: "pass",
      violations: [{ policy: "reads-id", enforcementLevel: "advisory", urn: r.urn, message: "can't run policy 'reads-id' from policy pack 'test-pack@v1.2.3' during preview: string value at .id can't be known during preview" }],
    });
  });

  test("a rule that does not touch the unknown value runs normally", () => {
    const readsOther = { name: "reads-other", description: "d", validateResource: (a: ResourceValidationArgs, report: (m: string) => void) => report(`other=${a.props.other}`) };
    expect(evaluatePolicies(runOf(resource("x", { id: "(computed)", other: 1 })), {}, pack([readsOther])).violations.map((v) => v.message)).toEqual(["other=1"]);
  });
});

describe("enforcement levels", () => {
  const always = (name: string, level?: "advisory" | "mandatory" | "remediate" | "disabled") => ({
    name,
    description: "d",
    ...(level ? { enforcementLevel: level } : {}),
    validateStack: (_a: StackValidationArgs, report: (m: string) => void) => report(`${name} fired`),
  });

  test("advisory violations do not fail the verdict; mandatory ones do; disabled policies do not run", () => {
    const p = pack([always("a", "advisory"), always("m", "mandatory"), always("d", "disabled")]);
    const out = evaluatePolicies(runOf(), {}, p);
    expect(out.violations).toEqual([
      { policy: "a", enforcementLevel: "advisory", message: "a fired" },
      { policy: "m", enforcementLevel: "mandatory", message: "m fired" },
    ]);
    expect(out.verdict).toBe("fail");
    expect(evaluatePolicies(runOf(), { m: "advisory" }, p).verdict).toBe("pass");
  });

  test("precedence: the policy's config, then 'all', then the policy's own level, then the pack's", () => {
    const p = pack([always("own", "advisory"), always("inherits")], "mandatory");
    const levels = (config: PolicyPackConfig) => evaluatePolicies(runOf(), config, p).violations.map((v) => `${v.policy}:${v.enforcementLevel}`);
    expect(levels({})).toEqual(["own:advisory", "inherits:mandatory"]);
    expect(levels({ all: "advisory" })).toEqual(["own:advisory", "inherits:advisory"]);
    expect(levels({ all: { enforcementLevel: "mandatory" }, own: { enforcementLevel: "disabled" } })).toEqual(["inherits:mandatory"]);
    expect(levels({ all: "disabled" })).toEqual([]);
  });

  test("remediate is reported as mandatory (the pack has no remediations)", () => {
    expect(evaluatePolicies(runOf(), {}, pack([always("r", "remediate")])).violations[0].enforcementLevel).toBe("mandatory");
  });
});

describe("config", () => {
  test("defaults from the schema, then the given settings; enforcementLevel is not passed to the rule", () => {
    let seen: unknown;
    const p = pack([
      {
        name: "cfg",
        description: "d",
        configSchema: { properties: { n: { type: "integer", default: 5 }, list: { type: "array", items: { type: "string" }, default: ["a"] } } },
        validateStack: (a: StackValidationArgs) => {
          seen = a.getConfig();
        },
      },
    ]);
    evaluatePolicies(runOf(), {}, p);
    expect(seen).toEqual({ n: 5, list: ["a"] });
    evaluatePolicies(runOf(), { cfg: { enforcementLevel: "advisory", n: 7 } }, p);
    expect(seen).toEqual({ n: 7, list: ["a"] });
  });

  test("every problem is reported at once, before anything runs", () => {
    let ran = false;
    const p = pack([{ name: "cfg", description: "d", configSchema: { properties: { n: { type: "integer", minimum: 1 } } }, validateStack: () => void (ran = true) }]);
    try {
      evaluatePolicies(runOf(), { cfg: { n: 0, m: 1, enforcementLevel: "loud" }, nope: "advisory", all: { n: 1 } } as never, p);
      throw new Error("expected a PolicyConfigError");
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyConfigError);
      expect((e as PolicyConfigError).problems).toEqual([
        "all: only enforcementLevel can be set for all policies, received n",
        "nope: no such policy in test-pack; policies: cfg",
        "cfg.enforcementLevel: expected one of advisory, mandatory, remediate, disabled, received \"loud\"",
        "cfg.n: must be >= 1, received 0",
        "cfg.m: unknown setting; allowed: n",
      ]);
    }
    expect(ran).toBe(false);
  });

  test("the pack's own defaults resolve, and are mandatory throughout", () => {
    const resolved = resolvePolicyConfig();
    expect([...resolved.keys()]).toEqual(PACK_ARGS.policies.map((p) => p.name));
    expect([...resolved.values()].every((c) => c.enforcementLevel === "mandatory")).toBe(true);
    expect(resolved.get("deletion-threshold-is-on")!.properties).toEqual({ maxThreshold: 500, productionMaxThreshold: 100, productionStacks: ["prod", "production", "prod-*", "*-prod"] });
  });
});

describe("what the rules receive", () => {
  test("resource rules: props with secrets unwrapped, options, and the offline secret paths", () => {
    let args: (ResourceValidationArgs & OfflineFacts) | undefined;
    const r = resource("x", { token: "t" }, { protect: true, additionalSecretOutputs: ["token"], secretPaths: ["token"], parent: `${STACK_URN}test:index:Parent::p` });
    evaluatePolicies(runOf(r), {}, pack([{ name: "spy", description: "d", validateResource: (a: ResourceValidationArgs) => void (args = a) }]));
    expect(args!.props.token).toBe("t");
    expect(args!.opts).toMatchObject({ protect: true, additionalSecretOutputs: ["token"], parent: r.parent });
    expect(args!.secretPaths).toEqual(["token"]);
    expect(args!.urn).toBe(r.urn);
    expect(args!.isType({ __pulumiType: "test:index:Thing" } as never)).toBe(true);
  });

  test("stack rules: every resource, with its parent and its explicit dependencies as objects", () => {
    let args: StackValidationArgs | undefined;
    const parent = resource("p", {}, { custom: false });
    const child = resource("c", {}, { parent: parent.urn, dependsOn: [parent.urn] });
    evaluatePolicies(runOf(parent, child), {}, pack([{ name: "spy", description: "d", validateStack: (a: StackValidationArgs) => void (args = a) }]));
    const c = args!.resources.find((x) => x.name === "c")!;
    expect(c.parent?.name).toBe("p");
    expect(c.dependencies.map((d) => d.name)).toEqual(["p"]);
  });

  test("not applicable is not a violation; any other error names the policy and resource", () => {
    const na = { name: "na", description: "d", validateResource: (a: ResourceValidationArgs) => a.notApplicable("nope") };
    expect(evaluatePolicies(runOf(resource("x", {})), {}, pack([na])).violations).toEqual([]);
    const boom = { name: "boom", description: "d", validateResource: () => { throw new Error("bad rule"); } };
    expect(() => evaluatePolicies(runOf(resource("x", {})), {}, pack([boom]))).toThrow(`policy boom failed on ${STACK_URN}test:index:Thing::x: bad rule`);
    const later = { name: "later", description: "d", validateStack: async () => undefined };
    expect(() => evaluatePolicies(runOf(), {}, pack([later]))).toThrow(/returned a promise; the offline runner evaluates synchronous rules only/);
  });

  test("a failed program cannot be judged", () => {
    expect(() => evaluatePolicies({ ...runOf(), error: new Error("invalid stack config") })).toThrow(/the program failed \(invalid stack config\)/);
  });

  test("the pack id is name@version", () => {
    expect(evaluatePolicies(runOf()).pack).toBe(PACK_ID);
  });
});
