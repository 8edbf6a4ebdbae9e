/**
 * The guardrails re-evaluated on state are the pack's own rules run by policies/runner.ts: on a state
 * made from a plan they give the plan's verdict; encrypted values make a rule "not evaluated" rather
 * than a pass or a fail; policy config applies; a rule that echoes a value cannot leak a secret.
 */
import type { PolicyPackConfig, ResourceValidationPolicy } from "@pulumi/policy";
import { evaluatePolicies } from "../../policies/runner";
import { viewState } from "../../tools/audit/extract";
import { makeStackStateFixture } from "../../tools/audit/make-state-fixture";
import { evaluateState, toOfflineRun, toPlannedResource } from "../../tools/audit/policy";
import { parseStateText, readStateFile } from "../../tools/audit/state";
import { planStack } from "../../tools/plan/plan-stack";
import { CANARY_TOKEN, fixture } from "./support";

const viewOf = (name: string) => viewState(readStateFile(fixture(name)));
const shortUrn = (urn?: string) => urn?.split("::").pop() ?? "stack";
const normalize = (vs: readonly { policy: string; enforcementLevel: string; urn?: string; message: string }[]) =>
  vs.map((v) => `${v.enforcementLevel} ${v.policy} ${shortUrn(v.urn)}: ${v.message}`).sort();

describe("a state made from a plan gets the plan's verdict", () => {
  test.each(["dev", "prod"])("%s", async (stack) => {
    const { run } = await planStack(stack, { mode: "apply" });
    const fromPlan = evaluatePolicies(run);
    const state = await makeStackStateFixture(stack);
    const fromState = evaluateState(viewState(parseStateText(JSON.stringify(state), `${stack}.json`)));
    expect(fromState.pack).toBe(fromPlan.pack);
    expect(fromState.verdict).toBe(fromPlan.verdict);
    expect(normalize(fromState.violations)).toEqual(normalize(fromPlan.violations));
    expect(fromState.notEvaluated).toEqual([]);
  });
});

test("state resources take the harness's shape", () => {
  const view = viewOf("acme-scim.export.json");
  const run = toOfflineRun(view);
  expect(run).toMatchObject({ project: "entra-app-provisioning", stack: "acme-scim", mode: "apply" });
  expect(run.resources.some((r) => r.type === "pulumi:pulumi:Stack")).toBe(false);
  const settings = run.resources.find((r) => r.name === "generic-scim-settings")!;
  expect(settings.secretPaths).toEqual(["credentials"]);
  expect(settings.inputs.credentials).toBe("[secret]");
  expect(settings.plainInputs.credentials).toBe("(computed)"); // encrypted: unknown to the rules
  const app = run.resources.find((r) => r.name === "generic-scim-app")!;
  const component = run.resources.find((r) => r.type === "entra-app-provisioning:index:EnterpriseAppProvisioning")!;
  expect(app.parent).toBe(component.urn);
  expect(component.parent).toBeUndefined(); // children of the root stack have none, as in the harness
  const job = run.resources.find((r) => r.name === "generic-scim-job")!;
  expect(job.dependsOn).toEqual([settings.urn, run.resources.find((r) => r.name === "generic-scim-sp")!.urn].sort());

  const decrypted = toPlannedResource(readStateFile(fixture("acme-scim.show-secrets.json")).resources.find((r) => r.urn.endsWith("::generic-scim-settings"))!, undefined);
  expect(decrypted.secretPaths).toEqual(["credentials"]);
  expect(decrypted.inputs.credentials).toBe("[secret]");
  expect((decrypted.plainInputs.credentials as { key: string }[]).map((c) => c.key)).toContain("SyncNotificationSettings");
});

test("rules that read an encrypted value are 'not evaluated'; with the values decrypted they run", () => {
  const encrypted = evaluateState(viewOf("acme-scim.export.json"));
  const decrypted = evaluateState(viewOf("acme-scim.show-secrets.json"));
  // The acme config turns failure emails off: only a rule that can read the settings can say so.
  expect(decrypted.violations.map((v) => v.policy)).toContain("failure-notifications-are-on");
  expect(encrypted.violations.map((v) => v.policy)).not.toContain("failure-notifications-are-on");
  expect(encrypted.notEvaluated.map((v) => v.policy)).toContain("failure-notifications-are-on");
  for (const v of encrypted.notEvaluated) {
    expect(v.enforcementLevel).toBe("advisory");
    expect(v.message).toMatch(/^not evaluated on this state: a value it reads is encrypted/);
  }
  expect(decrypted.notEvaluated).toEqual([]);
});

test("policy config applies as it does for plans", () => {
  const view = viewOf("acme-scim.show-secrets.json");
  expect(evaluateState(view).verdict).toBe("fail");
  const config: PolicyPackConfig = { all: "advisory" };
  const relaxed = evaluateState(view, config);
  expect(relaxed.verdict).toBe("pass");
  expect(relaxed.violations.length).toBeGreaterThan(0);
  expect(relaxed.violations.every((v) => v.enforcementLevel === "advisory")).toBe(true);
});

test("a rule that echoes what it reads cannot put a secret in the report", () => {
  const echo: ResourceValidationPolicy = {
    name: "echo-settings",
    description: "test rule: reports the settings document it sees",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
      if (args.type.endsWith("SynchronizationSecret")) report(`settings: ${JSON.stringify(args.props)}`);
    },
  };
  const pack = { name: "echo-pack", version: "0.0.0", args: { policies: [echo] } };
  const view = viewOf("acme-scim.show-secrets.json");
  // The runner hands the rule the decrypted document, token included...
  expect(JSON.stringify(evaluatePolicies(toOfflineRun(view), {}, pack).violations)).toContain(CANARY_TOKEN);
  // ...and the audit's verdict does not carry it.
  const verdict = evaluateState(view, {}, pack);
  expect(verdict.violations).toHaveLength(1);
  expect(verdict.violations[0].message).toMatch(/^settings: \{"credentials":.*\[secret\]/);
  expect(JSON.stringify(verdict)).not.toContain(CANARY_TOKEN);
});
