/**
 * One benchmark measurement in a fresh process (so peak memory is this scenario's alone):
 * `tsx bench/plan-worker.ts <ours|bare> <groups> <repeats>` prints JSON {ms: number[], maxRssMb}.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { runOffline } from "../tools/plan/harness";
import { PROJECT } from "../stacks/config/schema";
import { fakeGuid } from "../tools/plan/mocks";

const [kind, groupsArg, repeatsArg] = process.argv.slice(2);
const groups = Array.from({ length: Number(groupsArg) }, (_, i) => ({ objectId: fakeGuid(`bench-group-${i}`), displayName: `SG-Bench-${i}` }));

const values = {
  tenant: { id: "11111111-2222-4333-8444-555555555555", name: "bench", environment: "dev" },
  app: {
    preset: "rouse-sales",
    assignments: { groups },
    provisioning: { synchronizationTemplateId: "rouseSales", notificationEmail: "ops@contoso.example", oauthAuthorized: true },
  },
};
const config = Object.fromEntries(Object.entries(values).map(([k, v]) => [`${PROJECT}:${k}`, JSON.stringify(v)]));

/** The same azuread resources, registered directly with the SDK: no component, no validation, no schema resource. */
async function bareProgram(): Promise<Record<string, unknown>> {
  const provider = new azuread.Provider("bench-entra", { tenantId: values.tenant.id });
  const app = new azuread.ApplicationFromTemplate("app", { displayName: "Rouse Sales", templateId: azuread.getApplicationTemplateOutput({ displayName: "Rouse Sales" }, { provider }).templateId }, { provider });
  const clientId = azuread.getApplicationOutput({ objectId: app.applicationObjectId }, { provider }).clientId;
  const sp = new azuread.ServicePrincipal("sp", { clientId, useExisting: true, appRoleAssignmentRequired: true, featureTags: [{ enterprise: true, gallery: true }] }, { provider });
  const roleId = sp.appRoles.apply((r) => r.find((x) => x.displayName === "User")!.id);
  for (const g of groups) new azuread.AppRoleAssignment(`group-${g.objectId}`, { appRoleId: roleId, principalObjectId: g.objectId, resourceObjectId: sp.objectId }, { provider });
  const secret = new azuread.SynchronizationSecret("settings", { servicePrincipalId: sp.id, credentials: [{ key: "SyncAll", value: "false" }] }, { provider });
  new azuread.SynchronizationJob("job", { servicePrincipalId: sp.id, templateId: "rouseSales", enabled: true }, { provider, dependsOn: [secret] });
  return { sp: sp.objectId };
}

async function main() {
  const ms: number[] = [];
  for (let i = 0; i < Number(repeatsArg ?? 3); i++) {
    const t0 = process.hrtime.bigint();
    const run = await runOffline({ project: PROJECT, stack: "bench", config, secretKeys: [], mode: "apply", program: kind === "bare" ? bareProgram : undefined });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (run.error) throw run.error;
    const assignments = run.resources.filter((r) => r.type === "azuread:index/appRoleAssignment:AppRoleAssignment").length;
    if (assignments !== groups.length) throw new Error(`expected ${groups.length} assignments, got ${assignments}`);
  }
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}
main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
});
void pulumi;
