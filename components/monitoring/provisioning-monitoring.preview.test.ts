/**
 * ProvisioningMonitoring in the preview of a first deployment: the service principal and the workspace do
 * not exist yet, so their ids are unknown. The component must still register every resource with the
 * inputs that are known, and leave the rest unknown rather than fail or wait.
 */
import * as pulumi from "@pulumi/pulumi";
import { MonitoringConfigSchema } from "../../stacks/config/monitoring";
import { ProvisioningMonitoring } from "./provisioning-monitoring";

const registered: { type: string; name: string; inputs: Record<string, any> }[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      // Like a first preview: no ids, no computed outputs.
      newResource: (a) => {
        registered.push({ type: a.type, name: a.name, inputs: a.inputs });
        return { id: undefined, state: a.inputs };
      },
      call: () => ({}),
    },
    "entra-app-provisioning",
    "prod",
    true,
  );
});

/** Stands in for the app's service principal, whose id a first preview does not know. */
class FakeServicePrincipal extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:ServicePrincipal", name, {});
  }
}

const promiseOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

it("registers every resource with the known inputs and leaves the ids unknown", async () => {
  const sp = new FakeServicePrincipal("sp");
  const component = new ProvisioningMonitoring("mon", {
    tenantId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
    tenantName: "contoso",
    appDisplayName: "Rouse Sales",
    servicePrincipalObjectId: sp.id,
    synchronizationJobId: sp.id,
    notificationEmail: "ops@contoso.com",
    config: MonitoringConfigSchema.parse({ subscriptionId: "11111111-2222-4333-8444-555555555555", resourceGroupName: "rg", location: "westeurope" }),
  });
  expect(await promiseOf(component.alertRuleNames)).toHaveLength(3);
  expect(await (component.summary as any).isKnown).toBe(false);
  await new Promise((r) => setTimeout(r, 200));

  const mine = registered.filter((r) => r.name.startsWith("mon"));
  expect(mine.map((r) => r.name).sort()).toEqual(
    ["mon", "mon-azure-native", "mon-workspace", "mon-diagnostics", "mon-action-group", "mon-alert-failures", "mon-alert-inactive", "mon-alert-quarantine"].sort(),
  );
  const failures = mine.find((r) => r.name === "mon-alert-failures")!.inputs;
  expect(pulumi.isUnknown(failures.criteria.allOf[0].query)).toBe(true);
  expect(failures.criteria.allOf[0].threshold).toBe(10);
  expect(failures.ruleName).toBe("contoso-rouse-sales-provisioning-failures");
  expect(pulumi.isUnknown(mine.find((r) => r.name === "mon-diagnostics")!.inputs.workspaceId)).toBe(true);
  expect(mine.find((r) => r.name === "mon-diagnostics")!.inputs.logs).toEqual([
    { category: "ProvisioningLogs", enabled: true },
    { category: "AuditLogs", enabled: true },
  ]);
});
