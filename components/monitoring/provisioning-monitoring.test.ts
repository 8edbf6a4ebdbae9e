/**
 * ProvisioningMonitoring under Pulumi mocks (pulumi-practice.md §1): which resources it registers, with
 * which inputs, parent and provider, for a minimal and a full config. Mocks do not see resource options,
 * so parent, provider and dependsOn are read through the legacy `transformations` option, which runs
 * in-process for every child.
 */
import * as pulumi from "@pulumi/pulumi";
import { MonitoringConfig, MonitoringConfigSchema } from "../../stacks/config/monitoring";
import { failedProvisioningQuery, provisioningActivityQuery, provisioningTarget, quarantineEventsQuery } from "./queries";
import {
  monitoringResourceNames,
  PROVISIONING_MONITORING_TYPE,
  ProvisioningMonitoring,
  ProvisioningMonitoringArgs,
  validateProvisioningMonitoringArgs,
} from "./provisioning-monitoring";

const SUB = "11111111-2222-4333-8444-555555555555";
const TENANT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const SP = "3f2b9c1e-7a4d-4e8b-9c0f-1a2b3c4d5e6f";
const JOB = "scim.3f2b9c1e7a4d4e8b9c0f1a2b3c4d5e6f.5ef3be57-f45f-4512-88c4-68a7fda680bb";
const EXISTING = `/subscriptions/${SUB}/resourceGroups/rg-shared-logs/providers/Microsoft.OperationalInsights/workspaces/law-security`;

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, any>;
  readonly provider?: string;
  readonly urn: string;
}

const registered: Registered[] = [];

/** ARM-like ids so that references between resources can be checked. */
function armId(type: string, inputs: Record<string, any>): string {
  const rg = `/subscriptions/${SUB}/resourceGroups/${inputs.resourceGroupName}`;
  switch (type) {
    case "azure-native:operationalinsights:Workspace":
      return `${rg}/providers/Microsoft.OperationalInsights/workspaces/${inputs.workspaceName}`;
    case "azure-native:monitor:ActionGroup":
      return `${rg}/providers/Microsoft.Insights/actionGroups/${inputs.actionGroupName}`;
    case "azure-native:monitor:ScheduledQueryRule":
      return `${rg}/providers/Microsoft.Insights/scheduledQueryRules/${inputs.ruleName}`;
    case "azure-native:aadiam:DiagnosticSetting":
      return `/providers/microsoft.aadiam/diagnosticSettings/${inputs.name}`;
    default:
      return `${type}-id`;
  }
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (a) => {
        const urn = `urn:pulumi:test::entra-app-provisioning::${a.type}::${a.name}`;
        registered.push({ type: a.type, name: a.name, custom: !!a.custom, inputs: a.inputs, provider: a.provider, urn });
        return { id: a.custom ? armId(a.type, a.inputs) : undefined, state: a.inputs };
      },
      call: () => ({}),
    },
    "entra-app-provisioning",
    "test",
  );
});

const promiseOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

interface Child {
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  readonly provider?: string;
  readonly dependsOn: string[];
  readonly resource: pulumi.Resource;
}

/** Builds the component, waits until every child is registered, and returns what the mocks saw. */
async function build(name: string, args: ProvisioningMonitoringArgs) {
  const children: Child[] = [];
  const component = new ProvisioningMonitoring(name, args, {
    transformations: [
      (t) => {
        if (t.name === name) return undefined; // the component itself
        const deps = t.opts.dependsOn;
        children.push({
          type: t.type,
          name: t.name,
          parent: (t.opts.parent as any)?.__name,
          provider: (t.opts.provider as any)?.__name,
          dependsOn: (Array.isArray(deps) ? deps : deps ? [deps] : []).map((d: any) => d.__name),
          resource: t.resource,
        });
        return undefined;
      },
    ],
  });
  await Promise.all([component.urn, ...children.map((c) => c.resource.urn)].map((u) => promiseOf(u)));
  await promiseOf(component.summary);
  const mine = registered.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
  const byName = (n: string) => {
    const r = mine.find((x) => x.name === n);
    if (!r) throw new Error(`${n} was not registered; registered: ${mine.map((x) => x.name).join(", ")}`);
    return r;
  };
  return { component, children, mine, byName };
}

function config(input: unknown): MonitoringConfig {
  return MonitoringConfigSchema.parse(input);
}

const MINIMAL = config({ subscriptionId: SUB, resourceGroupName: "rg-identity-monitoring", location: "westeurope" });

const baseArgs: ProvisioningMonitoringArgs = {
  tenantId: TENANT,
  tenantName: "contoso",
  appDisplayName: "Rouse Sales",
  servicePrincipalObjectId: SP,
  notificationEmail: "ops@contoso.com",
  config: MINIMAL,
};

describe("ProvisioningMonitoring, minimal config (new workspace, defaults)", () => {
  let built: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    built = await build("mon", baseArgs);
  });

  it("registers the component, its provider, workspace, diagnostic setting, action group and three alert rules", () => {
    // Registration order is asynchronous; compare as sorted lists.
    const sorted = (xs: string[][]) => [...xs].sort((a, b) => a[1].localeCompare(b[1]));
    expect(sorted(built.mine.map((r) => [r.type, r.name]))).toEqual(sorted([
      [PROVISIONING_MONITORING_TYPE, "mon"],
      ["pulumi:providers:azure-native", "mon-azure-native"],
      ["azure-native:operationalinsights:Workspace", "mon-workspace"],
      ["azure-native:aadiam:DiagnosticSetting", "mon-diagnostics"],
      ["azure-native:monitor:ActionGroup", "mon-action-group"],
      ["azure-native:monitor:ScheduledQueryRule", "mon-alert-failures"],
      ["azure-native:monitor:ScheduledQueryRule", "mon-alert-inactive"],
      ["azure-native:monitor:ScheduledQueryRule", "mon-alert-quarantine"],
    ]));
    expect(built.children).toHaveLength(7);
  });

  it("registers the component without inputs", () => {
    expect(built.byName("mon").inputs).toEqual({});
  });

  it("targets the configured subscription in the stack's tenant", () => {
    expect(built.byName("mon-azure-native").inputs).toMatchObject({ subscriptionId: SUB, tenantId: TENANT });
  });

  it("parents every child to the component and puts every Azure resource on the component's provider", () => {
    expect(built.children.map((c) => [c.name, c.parent])).toEqual(built.children.map((c) => [c.name, "mon"]));
    for (const c of built.children.filter((x) => x.type.startsWith("azure-native:"))) {
      expect([c.name, c.provider]).toEqual([c.name, "mon-azure-native"]);
      expect(built.byName(c.name).provider).toMatch(/::mon-azure-native::/);
    }
  });

  it("creates a PerGB2018 workspace with the default name and 90-day retention", () => {
    expect(built.byName("mon-workspace").inputs).toMatchObject({
      workspaceName: "log-entra-provisioning-contoso",
      resourceGroupName: "rg-identity-monitoring",
      location: "westeurope",
      retentionInDays: 90,
      sku: { name: "PerGB2018" },
    });
  });

  it("sends ProvisioningLogs and AuditLogs to that workspace, without the deprecated retentionPolicy", async () => {
    const inputs = built.byName("mon-diagnostics").inputs;
    const workspaceId = `/subscriptions/${SUB}/resourceGroups/rg-identity-monitoring/providers/Microsoft.OperationalInsights/workspaces/log-entra-provisioning-contoso`;
    expect(inputs).toEqual({
      name: "entra-app-provisioning-contoso",
      workspaceId,
      logs: [
        { category: "ProvisioningLogs", enabled: true },
        { category: "AuditLogs", enabled: true },
      ],
    });
    expect(await promiseOf(built.component.workspaceResourceId)).toBe(workspaceId);
  });

  it("emails the provisioning notification address from a global action group", () => {
    expect(built.byName("mon-action-group").inputs).toMatchObject({
      actionGroupName: "ag-entra-provisioning-contoso",
      groupShortName: "prov-contoso",
      location: "Global",
      enabled: true,
      emailReceivers: [{ name: "provisioning-notification-email", emailAddress: "ops@contoso.com", useCommonAlertSchema: true }],
    });
  });

  it("alerts on more than 10 failures in an hour, filtered on the service principal (job unknown)", () => {
    const inputs = built.byName("mon-alert-failures").inputs;
    expect(inputs).toMatchObject({
      ruleName: "contoso-rouse-sales-provisioning-failures",
      kind: "LogAlert",
      enabled: true,
      location: "westeurope",
      resourceGroupName: "rg-identity-monitoring",
      severity: 2,
      windowSize: "PT1H",
      evaluationFrequency: "PT15M",
      autoMitigate: true,
      skipQueryValidation: true,
      scopes: [built.byName("mon-diagnostics").inputs.workspaceId],
      actions: { actionGroups: [`/subscriptions/${SUB}/resourceGroups/rg-identity-monitoring/providers/Microsoft.Insights/actionGroups/ag-entra-provisioning-contoso`] },
    });
    expect(inputs.criteria.allOf).toEqual([
      {
        query: failedProvisioningQuery(provisioningTarget(SP, undefined, "Rouse Sales")),
        timeAggregation: "Count",
        operator: "GreaterThan",
        threshold: 10,
        failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
      },
    ]);
    expect(inputs.criteria.allOf[0].query).toContain(SP);
  });

  it("alerts when a day passes without any provisioning event", () => {
    const inputs = built.byName("mon-alert-inactive").inputs;
    expect(inputs).toMatchObject({ enabled: true, windowSize: "P1D", evaluationFrequency: "PT1H" });
    expect(inputs.criteria.allOf[0]).toMatchObject({ query: provisioningActivityQuery(provisioningTarget(SP, undefined, "Rouse Sales")), operator: "LessThan", threshold: 1 });
  });

  it("alerts on any quarantine audit event of the app", () => {
    const inputs = built.byName("mon-alert-quarantine").inputs;
    expect(inputs).toMatchObject({ enabled: true, windowSize: "PT1H", evaluationFrequency: "PT15M" });
    expect(inputs.criteria.allOf[0]).toMatchObject({ query: quarantineEventsQuery(provisioningTarget(SP, undefined, "Rouse Sales")), operator: "GreaterThan", threshold: 0 });
    expect(inputs.criteria.allOf[0].query.startsWith("AuditLogs\n")).toBe(true);
  });

  it("creates the alert rules after the diagnostic setting", () => {
    for (const c of built.children.filter((x) => x.name.startsWith("mon-alert-"))) expect(c.dependsOn).toEqual(["mon-diagnostics"]);
  });

  it("exposes rule names, action group id and a secret-free summary", async () => {
    const { component } = built;
    expect(await promiseOf(component.alertRuleNames)).toEqual([
      "contoso-rouse-sales-provisioning-failures",
      "contoso-rouse-sales-provisioning-inactive",
      "contoso-rouse-sales-provisioning-quarantine",
    ]);
    expect(await promiseOf(component.actionGroupId)).toMatch(/\/actionGroups\/ag-entra-provisioning-contoso$/);
    expect(await pulumi.isSecret(component.summary)).toBe(false);
    const summary = await promiseOf(component.summary);
    expect(summary).toMatchObject({
      workspaceCreated: true,
      retentionInDays: 90,
      diagnosticSettingName: "entra-app-provisioning-contoso",
      categories: ["ProvisioningLogs", "AuditLogs"],
      actionGroupEmail: "ops@contoso.com",
    });
    expect(summary.alerts.map((a) => [a.role, a.threshold, a.windowMinutes, a.severity, a.enabled])).toEqual([
      ["failures", 10, 60, 2, true],
      ["inactive", 1, 1440, 2, true],
      ["quarantine", 0, 60, 2, true],
    ]);
  });
});

describe("ProvisioningMonitoring, full config (existing workspace, job known, job not running yet)", () => {
  const FULL = config({
    enabled: true,
    subscriptionId: SUB,
    resourceGroupName: "rg-identity-monitoring",
    location: "northeurope",
    workspace: { existingResourceId: EXISTING },
    alerts: { failureThreshold: 0, failureWindowMinutes: 15, inactivityWindowMinutes: 180, severity: 1 },
  });
  let built: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    built = await build("full", {
      ...baseArgs,
      tenantName: "fabrikam-eu",
      appDisplayName: `Rouse "Sales"`,
      servicePrincipalObjectId: pulumi.output(SP),
      synchronizationJobId: pulumi.output(`/servicePrincipals/${SP}/synchronization/jobs/${JOB}`),
      jobEnabled: false,
      config: FULL,
    });
  });

  it("creates no workspace and sends the logs to the existing one", async () => {
    expect(built.mine.some((r) => r.type === "azure-native:operationalinsights:Workspace")).toBe(false);
    expect(built.mine.filter((r) => r.type === "azure-native:monitor:ScheduledQueryRule").map((r) => r.name)).toEqual([
      "full-alert-failures",
      "full-alert-inactive",
      "full-alert-quarantine",
    ]);
    expect(built.byName("full-diagnostics").inputs.workspaceId).toBe(EXISTING);
    for (const role of ["failures", "inactive", "quarantine"]) expect(built.byName(`full-alert-${role}`).inputs.scopes).toEqual([EXISTING]);
    expect(await promiseOf(built.component.workspaceResourceId)).toBe(EXISTING);
  });

  it("filters the provisioning logs on the bare job id taken from the azuread id", () => {
    const query: string = built.byName("full-alert-failures").inputs.criteria.allOf[0].query;
    expect(query).toContain(`| where JobId == "${JOB}"`);
    expect(query).not.toContain("/servicePrincipals/");
    expect(query).toContain(`| extend App = "Rouse \\"Sales\\"", ErrorCode = ResultSignature`);
  });

  it("uses the configured thresholds, windows and severity", () => {
    const failures = built.byName("full-alert-failures").inputs;
    expect(failures).toMatchObject({ severity: 1, windowSize: "PT15M", evaluationFrequency: "PT15M", location: "northeurope" });
    expect(failures.criteria.allOf[0].threshold).toBe(0);
    expect(built.byName("full-alert-inactive").inputs).toMatchObject({ severity: 1, windowSize: "PT3H", evaluationFrequency: "PT1H" });
  });

  it("creates the inactivity rule disabled while the job is not meant to run, and keeps the others on", () => {
    expect(built.byName("full-alert-inactive").inputs.enabled).toBe(false);
    expect(built.byName("full-alert-failures").inputs.enabled).toBe(true);
    expect(built.byName("full-alert-quarantine").inputs.enabled).toBe(true);
  });

  it("reports the existing workspace and no retention of its own", async () => {
    const summary = await promiseOf(built.component.summary);
    expect(summary.workspaceCreated).toBe(false);
    expect(summary.workspaceResourceId).toBe(EXISTING);
    expect("retentionInDays" in summary).toBe(false);
    expect(summary.alerts.find((a) => a.role === "inactive")!.enabled).toBe(false);
    expect(summary.alerts.map((a) => a.name)).toEqual([
      "fabrikam-eu-rouse-sales-provisioning-failures",
      "fabrikam-eu-rouse-sales-provisioning-inactive",
      "fabrikam-eu-rouse-sales-provisioning-quarantine",
    ]);
  });

  it("names a new workspace as configured", async () => {
    const named = await build("named", {
      ...baseArgs,
      config: config({ ...MINIMAL, workspace: { name: "law-entra-provisioning", retentionInDays: 180 } }),
    });
    expect(named.byName("named-workspace").inputs).toMatchObject({ workspaceName: "law-entra-provisioning", retentionInDays: 180 });
  });
});

describe("validation", () => {
  it("accepts the base arguments", () => {
    expect(validateProvisioningMonitoringArgs(baseArgs)).toEqual([]);
  });

  it("lists every problem with what was received", () => {
    const problems = validateProvisioningMonitoringArgs({
      ...baseArgs,
      tenantId: "contoso.onmicrosoft.com",
      notificationEmail: "ops at contoso",
      servicePrincipalObjectId: "not-a-guid",
      synchronizationJobId: "bad job",
      appDisplayName: "Rouse\u0007Sales",
      config: { ...MINIMAL, enabled: false, subscriptionId: undefined, location: undefined },
    });
    expect(problems).toEqual([
      "monitoring.enabled is false: do not construct ProvisioningMonitoring when monitoring is off",
      "monitoring.subscriptionId is required when monitoring is on",
      "monitoring.location is required when monitoring is on",
      'tenantId must be the Entra tenant id (a GUID); received "contoso.onmicrosoft.com"',
      'notificationEmail must be an email address (app.provisioning.notificationEmail); received "ops at contoso"',
      expect.stringMatching(/control character U\+0007/),
      expect.stringMatching(/^synchronizationJobId "bad job" is not a synchronization job id/),
      expect.stringMatching(/^servicePrincipalObjectId must be .*received "not-a-guid"$/),
    ]);
  });

  it("checks that a known job id belongs to the known service principal", () => {
    const other = "00000000-0000-4000-8000-000000000001";
    expect(validateProvisioningMonitoringArgs({ ...baseArgs, synchronizationJobId: `/servicePrincipals/${other}/synchronization/jobs/${JOB}` })).toEqual([
      expect.stringMatching(new RegExp(`belongs to service principal ${other}, not to servicePrincipalObjectId ${SP}`)),
    ]);
    expect(validateProvisioningMonitoringArgs({ ...baseArgs, servicePrincipalObjectId: pulumi.output(SP), synchronizationJobId: "bad job" })).toEqual([
      expect.stringMatching(/^synchronizationJobId "bad job" is not a synchronization job id/),
    ]);
  });

  it("throws before registering anything", async () => {
    const before = registered.length;
    expect(() => new ProvisioningMonitoring("bad", { ...baseArgs, notificationEmail: "nobody" })).toThrow(
      /^ProvisioningMonitoring bad: notificationEmail must be an email address .*received "nobody"$/,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(registered.slice(before).filter((r) => r.name.startsWith("bad"))).toEqual([]);
  });
});

describe("monitoringResourceNames", () => {
  it("keeps the action group short name within Azure's 12 characters, without a trailing dash", () => {
    expect(monitoringResourceNames("contoso-emea-production", MINIMAL).actionGroupShortName).toBe("prov-contoso");
    expect(monitoringResourceNames("abcdef-xyz", MINIMAL).actionGroupShortName).toBe("prov-abcdef");
  });

  it("fits the default workspace name into Log Analytics' 63 characters for the longest tenant name", () => {
    const name = monitoringResourceNames("a".repeat(39) + "-", MINIMAL).workspaceName;
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/);
  });
});
