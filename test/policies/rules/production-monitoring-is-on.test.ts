import productionMonitoringIsOn from "../../../policies/rules/production-monitoring-is-on";
import { app, monitoring, runStackPolicy } from "../support";

describe("production-monitoring-is-on: someone hears of provisioning failures in production", () => {
  test("Compliance: provisioning logs to a workspace and alert rules with an action group", () => {
    expect(runStackPolicy(productionMonitoringIsOn, [...app({ stack: "prod" }), ...monitoring("prod")])).toEqual({ violations: [], urns: [] });
    expect(runStackPolicy(productionMonitoringIsOn, [...app({ stack: "prod" }), ...monitoring("prod", { workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w", actionGroups: ["/ag"] })]).violations).toEqual([]);
  });

  test("Noncompliance 1: no monitoring at all", () => {
    expect(runStackPolicy(productionMonitoringIsOn, app({ stack: "prod" })).violations).toEqual([
      'Production stack "prod" has no Entra diagnostic setting sending ProvisioningLogs to a workspace, storage account or event hub; provisioning failures would go unnoticed.',
      'Production stack "prod" has 0 enabled log alert rule(s) with an action group (of 0 declared); at least 1 required so someone hears of failures and quarantine.',
    ]);
  });

  test("Noncompliance 2: the diagnostic setting sends other categories, or sends nowhere", () => {
    expect(runStackPolicy(productionMonitoringIsOn, [...app({ stack: "prod" }), ...monitoring("prod", { categories: ["AuditLogs"] })]).violations).toEqual([
      expect.stringMatching(/no Entra diagnostic setting sending ProvisioningLogs/),
    ]);
    expect(runStackPolicy(productionMonitoringIsOn, [...app({ stack: "prod" }), ...monitoring("prod", { workspaceId: "" })]).violations).toEqual([
      expect.stringMatching(/no Entra diagnostic setting sending ProvisioningLogs/),
    ]);
  });

  test("Noncompliance 3: alert rules that are disabled or notify nobody", () => {
    expect(runStackPolicy(productionMonitoringIsOn, [...app({ stack: "prod" }), ...monitoring("prod", { enabled: false })]).violations).toEqual([expect.stringMatching(/0 enabled log alert rule\(s\) with an action group \(of 3 declared\)/)]);
    expect(runStackPolicy(productionMonitoringIsOn, [...app({ stack: "prod" }), ...monitoring("prod", { actionGroups: [] })]).violations).toHaveLength(1);
  });

  test("config: requiredLogCategories and minAlertRules", () => {
    const stack = [...app({ stack: "prod" }), ...monitoring("prod", { categories: ["ProvisioningLogs"], rules: 2 })];
    expect(runStackPolicy(productionMonitoringIsOn, stack, { requiredLogCategories: ["ProvisioningLogs", "AuditLogs"], minAlertRules: 3 }).violations).toEqual([
      expect.stringMatching(/sending AuditLogs/),
      expect.stringMatching(/2 enabled log alert rule\(s\) .* at least 3 required/),
    ]);
    expect(() => runStackPolicy(productionMonitoringIsOn, stack, { requiredLogCategories: [] })).toThrow(/at least 1 item/);
  });

  test("not applicable outside production", () => {
    expect(runStackPolicy(productionMonitoringIsOn, app({ stack: "dev" })).notApplicable).toBe("not a production stack");
    expect(runStackPolicy(productionMonitoringIsOn, app({ stack: "dev" }), { productionStacks: ["*"] }).violations).toHaveLength(2);
  });
});
