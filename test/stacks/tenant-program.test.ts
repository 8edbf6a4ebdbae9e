/**
 * The real tenant program for the shipped stacks, run in-process under Graph-shaped mocks: which
 * resources it declares, with which inputs and options, and that secrets stay secret.
 */
import { serializePlan } from "../../tools/plan/document";
import { PlannedResource, runOffline } from "../../tools/plan/harness";
import { planStack, StackPlan } from "../../tools/plan/plan-stack";
import { renderMarkdown, renderPlanText } from "../../tools/plan/render";
import { PROJECT } from "../../stacks/config/schema";
import { GALLERY_APP_ROLES } from "../../tools/plan/mocks";
import { genericScimConfig, toRuntimeConfig } from "../support/tenant-config";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SP_ID = /^\/servicePrincipals\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USER_ROLE = GALLERY_APP_ROLES.find((r) => r.displayName === "User")!.id;

const byType = (plan: StackPlan, type: string) => plan.run.resources.filter((r) => r.type === type);
const one = (plan: StackPlan, type: string): PlannedResource => {
  const list = byType(plan, type);
  expect(list).toHaveLength(1);
  return list[0];
};
const AZ = {
  app: "azuread:index/applicationFromTemplate:ApplicationFromTemplate",
  sp: "azuread:index/servicePrincipal:ServicePrincipal",
  assignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  secret: "azuread:index/synchronizationSecret:SynchronizationSecret",
  job: "azuread:index/synchronizationJob:SynchronizationJob",
  provider: "pulumi:providers:azuread",
};
const schemaOf = (plan: StackPlan) => plan.run.resources.find((r) => r.inputs.resourceKind === "entra-app-provisioning:SynchronizationSchema")!;
/** `type name` of every resource a plan registered, sorted. */
const resourceNames = (plan: StackPlan) => plan.run.resources.map((r) => `${r.type} ${r.name}`).sort();
/** The component's children every tenant has, besides its group assignments. */
const APP_CHILDREN = [
  "entra-app-provisioning:index:EnterpriseAppProvisioning rouse-sales",
  `${AZ.app} rouse-sales-app`,
  `${AZ.sp} rouse-sales-sp`,
  `${AZ.secret} rouse-sales-settings`,
  `${AZ.job} rouse-sales-job`,
  "pulumi-nodejs:dynamic:Resource rouse-sales-schema",
];
const credentialsOf = (r: PlannedResource) => Object.fromEntries((r.plainInputs.credentials as { key: string; value: string }[]).map((c) => [c.key, c.value]));

describe("dev stack (apply mode: Graph-shaped ids)", () => {
  let plan: StackPlan;
  beforeAll(async () => {
    plan = await planStack("dev", { mode: "apply" });
    expect(plan.run.error).toBeUndefined();
  });

  it("declares exactly the tutorial's resources, under the component", () => {
    expect(byType(plan, "azure-native:aadiam:DiagnosticSetting")).toEqual([]); // monitoring is off in dev
    expect(resourceNames(plan)).toEqual([`${AZ.provider} contoso-dev-entra`, ...APP_CHILDREN, `${AZ.assignment} rouse-sales-group-00000000-0000-0000-0000-00000000d0b1`].sort());
    const component = plan.run.resources.find((r) => r.name === "rouse-sales")!;
    for (const r of plan.run.resources.filter((x) => x.name.startsWith("rouse-sales-"))) expect(r.parent).toBe(component.urn);
    expect(component.inputs).toEqual({});
  });

  it("pins the provider to the tenant from config", () => {
    expect(one(plan, AZ.provider).inputs.tenantId).toBe("00000000-0000-0000-0000-00000000d001");
  });

  it("instantiates the gallery app found by its gallery name", () => {
    const app = one(plan, AZ.app);
    expect(app.inputs.displayName).toBe("Rouse Sales (dev)");
    expect(app.inputs.templateId).toMatch(GUID);
    expect(app.protect).toBe(false);
  });

  it("adopts the service principal without stripping its tags or assignment requirement", () => {
    const sp = one(plan, AZ.sp);
    expect(sp.inputs).toMatchObject({ useExisting: true, appRoleAssignmentRequired: true, featureTags: [{ enterprise: true, gallery: true }], owners: ["00000000-0000-0000-0000-00000000d0a1"] });
    expect(sp.inputs.clientId).toMatch(GUID);
    expect(String(sp.inputs.notes)).toMatch(/managed as code/);
  });

  it("assigns each group with the User role, using bare GUIDs", () => {
    const a = one(plan, AZ.assignment);
    expect(a.inputs).toEqual({ appRoleId: USER_ROLE, principalObjectId: "00000000-0000-0000-0000-00000000d0b1", resourceObjectId: expect.stringMatching(GUID) });
  });

  it("writes scope, notification and deletion settings in one secrets document, and no credentials in OAuth mode", () => {
    const s = one(plan, AZ.secret);
    expect(s.inputs.servicePrincipalId).toMatch(SP_ID);
    expect(credentialsOf(s)).toEqual({
      SyncAll: "false",
      SyncNotificationSettings: JSON.stringify({ Enabled: true, Recipients: "entra-provisioning-dev@contoso.example", DeleteThresholdEnabled: true, DeleteThresholdValue: 50 }),
      SkipOutOfScopeDeletions: "False",
    });
    expect(s.secretPaths).toEqual([]);
  });

  it("creates the job paused until an admin has authorized (phase 1), after its settings", () => {
    const job = one(plan, AZ.job);
    expect(job.inputs).toEqual({ servicePrincipalId: expect.stringMatching(SP_ID), templateId: "rouseSales", enabled: false });
    expect(job.dependsOn).toEqual([one(plan, AZ.secret).urn]);
    expect(job.inputs.servicePrincipalId).toBe(one(plan, AZ.secret).inputs.servicePrincipalId);
    expect(job.inputs.servicePrincipalId).toBe(`/servicePrincipals/${one(plan, AZ.assignment).inputs.resourceObjectId}`);
  });

  it("declares the mappings with userName as the matching attribute and the scoping filter", () => {
    const schema = schemaOf(plan);
    expect(schema.inputs.synchronizationJobId).toMatch(/^\/servicePrincipals\/[0-9a-f-]{36}\/synchronization\/jobs\/rouseSales\.[0-9a-f]{32}\.[0-9a-f-]{36}$/);
    const [users] = schema.plainInputs.objectMappings as any[];
    expect(users.name).toBe("Synchronize Microsoft Entra users to Rouse Sales");
    expect(users.attributeMappings.filter((m: any) => m.matchingPriority > 0)).toEqual([expect.objectContaining({ target: "userName", source: "[userPrincipalName]", matchingPriority: 1 })]);
    expect(users.attributeMappings.map((m: any) => m.target)).toEqual(["userName", "active", 'emails[type eq "work"].value', "name.givenName", "name.familyName", "name.formatted", "externalId"]);
    expect(users.scopingFilter).toEqual([
      { name: "Sales department", clauses: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }, { attribute: "accountEnabled", operator: "IS TRUE", values: [] }] },
    ]);
  });

  it("outputs a secret-free summary for auditors", () => {
    const o = plan.run.outputs as any;
    expect(o.tenant).toEqual({ id: "00000000-0000-0000-0000-00000000d001", name: "contoso-dev", environment: "dev" });
    expect(o.app.servicePrincipalObjectId).toMatch(GUID);
    expect(o.assignments).toEqual({ appRole: "User", appRoleId: USER_ROLE, assignmentRequired: true, groups: [{ objectId: "00000000-0000-0000-0000-00000000d0b1", displayName: "SG-RouseSales-Pilot" }] });
    expect(o.provisioning).toMatchObject({ credentialMode: "oauth", jobState: "paused: awaiting OAuth authorization", scope: "assignedOnly", notificationEmail: "entra-provisioning-dev@contoso.example" });
    expect(o.mappings[0].matching).toEqual([{ target: "userName", source: "[userPrincipalName]", priority: 1 }]);
  });
});

describe("prod stack (apply mode)", () => {
  let plan: StackPlan;
  beforeAll(async () => {
    plan = await planStack("prod", { mode: "apply" });
    expect(plan.run.error).toBeUndefined();
  });

  it("declares exactly the tutorial's resources plus monitoring", () => {
    const groups = ["f0b1", "f0b2", "f0b3"].map((g) => `${AZ.assignment} rouse-sales-group-00000000-0000-0000-0000-00000000${g}`);
    const monitoring = [
      "entra-app-provisioning:monitoring:ProvisioningMonitoring rouse-sales-monitoring",
      "pulumi:providers:azure-native rouse-sales-monitoring-azure-native",
      "azure-native:operationalinsights:Workspace rouse-sales-monitoring-workspace",
      "azure-native:aadiam:DiagnosticSetting rouse-sales-monitoring-diagnostics",
      "azure-native:monitor:ActionGroup rouse-sales-monitoring-action-group",
      "azure-native:monitor:ScheduledQueryRule rouse-sales-monitoring-alert-failures",
      "azure-native:monitor:ScheduledQueryRule rouse-sales-monitoring-alert-inactive",
      "azure-native:monitor:ScheduledQueryRule rouse-sales-monitoring-alert-quarantine",
    ];
    expect(resourceNames(plan)).toEqual([`${AZ.provider} contoso-entra`, ...APP_CHILDREN, ...groups, ...monitoring].sort());
  });

  it("protects the app and the service principal", () => {
    expect(one(plan, AZ.app).protect).toBe(true);
    expect(one(plan, AZ.sp).protect).toBe(true);
  });

  it("assigns three groups and starts the authorized job", () => {
    expect(byType(plan, AZ.assignment).map((a) => a.inputs.principalObjectId).sort()).toEqual([
      "00000000-0000-0000-0000-00000000f0b1",
      "00000000-0000-0000-0000-00000000f0b2",
      "00000000-0000-0000-0000-00000000f0b3",
    ]);
    expect(one(plan, AZ.job).inputs.enabled).toBe(true);
    expect((plan.run.outputs as any).provisioning.jobState).toBe("started");
  });

  it("monitors provisioning: logs to a workspace, alerts to the same notification address", () => {
    const diag = one(plan, "azure-native:aadiam:DiagnosticSetting");
    expect((diag.plainInputs.logs as { category: string; enabled: boolean }[]).map((l) => l.category).sort()).toEqual(["AuditLogs", "ProvisioningLogs"]);
    expect(one(plan, "azure-native:operationalinsights:Workspace").plainInputs).toMatchObject({ resourceGroupName: "rg-identity-monitoring", retentionInDays: 180 });
    expect(JSON.stringify(one(plan, "azure-native:monitor:ActionGroup").plainInputs.emailReceivers)).toContain("entra-provisioning@contoso.example");
    expect(byType(plan, "azure-native:monitor:ScheduledQueryRule")).toHaveLength(3);
    expect(one(plan, "pulumi:providers:azure-native").plainInputs.subscriptionId).toBe("00000000-0000-0000-0000-00000000f0c1");
    expect((plan.run.outputs as any).monitoring.enabled).toBe(true);
  });

  it("uses the stricter deletion threshold and the stack's externalId override", () => {
    expect(JSON.parse(credentialsOf(one(plan, AZ.secret)).SyncNotificationSettings)).toEqual({ Enabled: true, Recipients: "entra-provisioning@contoso.example", DeleteThresholdEnabled: true, DeleteThresholdValue: 25 });
    const [users] = schemaOf(plan).plainInputs.objectMappings as any[];
    expect(users.attributeMappings.find((m: any) => m.target === "externalId").source).toBe("[employeeId]");
  });
});

describe("preview mode (a first deployment)", () => {
  it("shows provider-computed values as computed", async () => {
    const plan = await planStack("dev");
    expect(one(plan, AZ.job).inputs.servicePrincipalId).toBe("(computed)");
    expect(one(plan, AZ.assignment).inputs.appRoleId).toBe("(computed)");
    expect((plan.run.outputs as any).app.servicePrincipalObjectId).toBe("(computed)");
    expect((plan.run.outputs as any).provisioning.scope).toBe("assignedOnly");
  });
});

describe("token mode keeps the secret token secret", () => {
  const TOKEN = "tok-ZX81-never-print-me-4f9b";
  let plan: Awaited<ReturnType<typeof runOffline>>;
  beforeAll(async () => {
    plan = await runOffline({ project: PROJECT, stack: "scim", mode: "apply", ...toRuntimeConfig(genericScimConfig(), TOKEN) });
    expect(plan.error).toBeUndefined();
  });

  it("writes BaseAddress and the token, the token as a Pulumi secret", () => {
    const s = plan.resources.find((r) => r.type === AZ.secret)!;
    const keys = (s.plainInputs.credentials as { key: string }[]).map((c) => c.key);
    expect(keys).toEqual(["BaseAddress", "SecretToken", "SyncAll", "SyncNotificationSettings", "SkipOutOfScopeDeletions"]);
    expect(s.secretPaths.length).toBeGreaterThan(0);
    expect(s.additionalSecretOutputs).toEqual(["credentials"]);
    expect(JSON.stringify(s.inputs)).not.toContain(TOKEN);
    expect(credentialsOf(s).SecretToken).toBe(TOKEN); // reaches the provider, nowhere else
  });

  it("appears in no component input, output or plan artifact", () => {
    const doc = { formatVersion: 1, project: PROJECT, stack: "scim", mode: "apply", config: {}, resources: plan.resources.map(({ plainInputs: _p, ...r }) => r), outputs: plan.outputs };
    const artifacts = [serializePlan(doc as any), renderPlanText(doc as any), renderMarkdown(doc as any), JSON.stringify(plan.outputs)];
    for (const a of artifacts) expect(a).not.toContain(TOKEN);
    for (const r of plan.resources.filter((x) => x.type !== AZ.secret)) expect(JSON.stringify(r.plainInputs)).not.toContain(TOKEN);
    expect((plan.outputs as any).provisioning.secretKeysWritten).toContain("SecretToken");
    // The settings document is secret as a whole once it holds the token; the outputs keep its
    // non-secret parts reviewable in plan diffs.
    expect((plan.outputs as any).provisioning).toMatchObject({ tenantUrl: "https://scim.acme.example/scim/v2", scope: "assignedOnly", notificationEmail: "ops@contoso.example" });
  });

  it("uses the generic SCIM preset's template and provisions groups too", () => {
    expect(plan.resources.find((r) => r.type === AZ.job)!.inputs).toMatchObject({ templateId: "scim", enabled: true });
    expect(plan.resources.find((r) => r.type === AZ.app)!.inputs.templateId).toBe("8adf8e6e-67b2-4cf2-a259-e3dc5476c621");
    const schema = plan.resources.find((r) => r.inputs.resourceKind)!;
    expect((schema.plainInputs.objectMappings as any[]).map((m) => m.key)).toEqual(["users", "groups"]);
  });
});
