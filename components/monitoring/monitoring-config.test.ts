/** The monitoring section of the stack config (stacks/config/monitoring.ts), parsed on its own. */
import { ALERT_WINDOW_MINUTES, INACTIVITY_WINDOW_MINUTES, MonitoringConfigSchema } from "../../stacks/config/monitoring";

const SUB = "11111111-2222-4333-8444-555555555555";
const EXISTING = `/subscriptions/${SUB}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-security`;

/** `path: message` of every issue, or [] when the input parses. */
function issues(input: unknown): string[] {
  const r = MonitoringConfigSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("MonitoringConfigSchema", () => {
  it("fills alert defaults and leaves on/off, placement and workspace retention to the caller", () => {
    expect(MonitoringConfigSchema.parse({})).toEqual({
      workspace: {},
      alerts: { failureThreshold: 10, failureWindowMinutes: 60, inactivityWindowMinutes: 1440, severity: 2 },
    });
  });

  it("accepts the prod example", () => {
    const input = {
      enabled: true,
      subscriptionId: SUB,
      resourceGroupName: "rg-identity-monitoring",
      location: "westeurope",
      workspace: { name: "law-entra-provisioning", retentionInDays: 180 },
      alerts: { failureThreshold: 10, failureWindowMinutes: 60, inactivityWindowMinutes: 180, severity: 1 },
    };
    expect(MonitoringConfigSchema.parse(input)).toEqual(input);
  });

  it("accepts an existing workspace on its own", () => {
    expect(issues({ workspace: { existingResourceId: EXISTING } })).toEqual([]);
  });

  it("rejects a name or retention next to an existing workspace, saying why", () => {
    expect(issues({ workspace: { existingResourceId: EXISTING, name: "law-x", retentionInDays: 60 } })).toEqual([
      "workspace.name: only for a new workspace; remove it or remove existingResourceId (an existing workspace keeps its own name and retention)",
      "workspace.retentionInDays: only for a new workspace; remove it or remove existingResourceId (an existing workspace keeps its own name and retention)",
    ]);
  });

  it("names the allowed alert windows", () => {
    expect(issues({ alerts: { failureWindowMinutes: 20, inactivityWindowMinutes: 45 } })).toEqual([
      `alerts.failureWindowMinutes: expected one of ${ALERT_WINDOW_MINUTES.join(", ")} minutes (the windows Azure Monitor log alerts accept)`,
      `alerts.inactivityWindowMinutes: expected one of ${INACTIVITY_WINDOW_MINUTES.join(", ")} minutes (the windows Azure Monitor log alerts accept)`,
    ]);
    expect(INACTIVITY_WINDOW_MINUTES[0]).toBe(60);
  });

  it.each([
    [{ alerts: { severity: 5 } }, "alerts.severity: expected an Azure Monitor severity from 0 (critical) to 4 (verbose)"],
    [{ alerts: { failureThreshold: -1 } }, "alerts.failureThreshold: expected 0 to 100000 failed events (0 alerts on any failure)"],
    [{ workspace: { retentionInDays: 7 } }, "workspace.retentionInDays: expected 30 to 730 days (Log Analytics interactive retention)"],
    [{ workspace: { name: "law-" } }, "workspace.name: expected 4-63 letters, digits and dashes, starting and ending with a letter or digit"],
    [{ workspace: { existingResourceId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z" } }, "workspace.existingResourceId: expected a Log Analytics workspace resource id"],
    [{ resourceGroupName: "rg-monitoring." }, "resourceGroupName: expected an Azure resource group name (1-90 letters, digits, - _ . ( ), not ending with a period)"],
    [{ location: "West Europe" }, "location: expected an Azure region name in lowercase, such as westeurope"],
    [{ subscriptionId: "my-subscription" }, "subscriptionId: expected a GUID"],
  ])("rejects %j with what is allowed", (input, message) => {
    expect(issues(input)).toEqual([expect.stringContaining(message)]);
  });

  it("rejects unknown keys (typos) at every level", () => {
    expect(issues({ alert: {}, workspace: { retention: 30 }, alerts: { threshold: 1 } })).toHaveLength(3);
  });
});
