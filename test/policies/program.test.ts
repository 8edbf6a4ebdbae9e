/**
 * The real program, run offline for the shipped stacks, passes the guardrails, with the pack's
 * defaults and with the example policy config of its tier; and what the ProvisioningMonitoring
 * component declares for prod satisfies the production monitoring policy. Runs are sequential
 * (Pulumi's runtime state is process-wide).
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { readFileSync } from "fs";
import * as path from "path";
import { planStack, REPO_ROOT } from "../../tools/plan/plan-stack";
import { evaluatePolicies } from "../../policies/runner";
import { TYPES } from "../../policies/lib/types";

const policyConfig = (tier: "dev" | "prod") => JSON.parse(readFileSync(path.join(REPO_ROOT, "policies", `config.${tier}.json`), "utf8"));

describe("the shipped stacks pass the guardrails", () => {
  for (const stack of ["dev", "prod"] as const) {
    for (const mode of ["preview", "apply"] as const) {
      test(`${stack} (${mode}), pack defaults and config.${stack}.json`, async () => {
        const { run, document } = await planStack(stack, { mode });
        expect(run.error).toBeUndefined();
        expect(document.policy).toEqual({ pack: "entra-provisioning-guardrails@0.1.0", verdict: "pass", violations: [] });
        expect(evaluatePolicies(run, policyConfig(stack))).toEqual(document.policy);
      });
    }
  }

  test("a stricter policy config turns the same dev plan into a failure, naming the rule and resource", async () => {
    const { run } = await planStack("dev");
    const verdict = evaluatePolicies(run, { "deletion-threshold-is-on": { maxThreshold: 10 }, "failure-notifications-are-on": { allowedRecipientDomains: ["fabrikam.example"] } });
    expect(verdict.verdict).toBe("fail");
    expect(verdict.violations.map((v) => [v.policy, v.urn?.split("::").pop()])).toEqual([
      ["failure-notifications-are-on", "rouse-sales-settings"],
      ["deletion-threshold-is-on", "rouse-sales-settings"],
    ]);
  });
});

describe("the monitoring component satisfies the production monitoring policy", () => {
  test.each(["preview", "apply"] as const)("in %s, with the pack defaults and with config.prod.json", async (mode) => {
    const { run } = await planStack("prod", { mode });
    expect(run.error).toBeUndefined();
    // What the policy judges is the real component's: a diagnostic setting and three alert rules.
    expect(run.resources.filter((r) => r.type === TYPES.provisioningMonitoring)).toHaveLength(1);
    expect(run.resources.filter((r) => r.type === TYPES.diagnosticSetting)).toHaveLength(1);
    expect(run.resources.filter((r) => r.type === TYPES.scheduledQueryRule)).toHaveLength(3);
    const monitoringViolations = (config: PolicyPackConfig) => evaluatePolicies(run, config).violations.filter((v) => v.policy === "production-monitoring-is-on");
    expect(monitoringViolations({})).toEqual([]);
    expect(monitoringViolations(policyConfig("prod"))).toEqual([]);
    // The policy would notice a category the component does not send, or too few alert rules.
    expect(monitoringViolations({ "production-monitoring-is-on": { requiredLogCategories: ["ProvisioningLogs", "SignInLogs"], minAlertRules: 4 } })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/no Entra diagnostic setting sending SignInLogs/) }),
      expect.objectContaining({ message: expect.stringMatching(/has 3 enabled log alert rule\(s\) with an action group \(of 3 declared\); at least 4 required/) }),
    ]);
  });
});
