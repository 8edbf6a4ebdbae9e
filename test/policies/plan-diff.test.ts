/**
 * The pull-request view of a change (`npm run plan -- <stack> --base <plan.json>`): a reviewer must see
 * a changed scoping filter or matching attribute as such, plus added and removed resources, with
 * secrets masked, and the guardrails' verdict on the head. Base and head are planned with the real
 * program from stack files that differ only in the change under review.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { diffPlans, PlanDiff } from "../../tools/plan/diff";
import { parsePlan, PlanDocument, serializePlan } from "../../tools/plan/document";
import { planStack, REPO_ROOT } from "../../tools/plan/plan-stack";
import { renderDiffText, renderMarkdown } from "../../tools/plan/render";
import { SECURE_PLACEHOLDER } from "../../tools/plan/stack-file";

const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "policy");
const SCHEMA = "urn:pulumi:dev::entra-app-provisioning::entra-app-provisioning:index:EnterpriseAppProvisioning$pulumi-nodejs:dynamic:Resource::";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "plan-diff-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Doc = { config: Record<string, any> };
/** Plans `Pulumi.<stack>.yaml` from `from`, and the same file after `change`, as stack `dev`. */
async function baseAndHead(from: string, stack: string, change: (doc: Doc) => void): Promise<{ base: PlanDocument; head: PlanDocument; diff: PlanDiff }> {
  const text = readFileSync(path.join(from, `Pulumi.${stack}.yaml`), "utf8");
  writeFileSync(path.join(dir, "Pulumi.dev.yaml"), text);
  const base = (await planStack("dev", { dir })).document;
  const doc = parse(text) as Doc;
  change(doc);
  writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stringify(doc));
  const head = (await planStack("dev", { dir })).document;
  // As in CI: the base plan is read back from the artifact the base branch wrote.
  return { base, head, diff: diffPlans(parsePlan(serializePlan(base), "base.json"), head) };
}

const app = (doc: Doc) => doc.config["entra-app-provisioning:app"];

describe("plan diff for pull requests", () => {
  test("a changed scoping filter: the schema resource's filter values, nothing else", async () => {
    const { diff, head } = await baseAndHead(REPO_ROOT, "dev", (doc) => {
      const filter = app(doc).mappings.users.scopingFilter[0];
      filter.clauses[0].value = "Marketing";
      filter.clauses.push({ attribute: "country", operator: "EQUALS", value: "DE" });
    });
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => c.urn)).toEqual([`${SCHEMA}rouse-sales-schema`]);
    const at = "inputs.objectMappings[key=users].scopingFilter[name=Sales department].clauses";
    expect(diff.changed[0].changes).toEqual([
      { path: `${at}[0].values[0]`, before: "Sales", after: "Marketing" },
      { path: `${at}[2].attribute`, after: "country" },
      { path: `${at}[2].operator`, after: "EQUALS" },
      { path: `${at}[2].values[0]`, after: "DE" },
    ]);
    expect(diff.outputs).toContainEqual({ path: "mappings[object=users].scopingFilter[name=Sales department].clauses[0].values[0]", before: "Sales", after: "Marketing" });
    const text = renderDiffText(diff);
    expect(text).toContain("  ~ pulumi-nodejs:dynamic:Resource  rouse-sales-schema  (4 changes)\n");
    expect(text).toContain(`      ~ ${at}[0].values[0]: "Sales" → "Marketing"\n`);
    expect(text).toContain(`      ~ ${at}[2].attribute: ∅ → "country"\n`);
    const md = renderMarkdown(head, diff);
    expect(md).toContain("**Policy verdict (entra-provisioning-guardrails@0.1.0):** ✅ pass");
    expect(md).toContain(`!     ${at}[0].values[0]: "Sales" → "Marketing"`);
  });

  test("a changed matching attribute: precedence swapped between userName and externalId", async () => {
    const { diff, head } = await baseAndHead(FIXTURES, "dev-ok-generic-token", (doc) => {
      app(doc).mappings.users.attributes = [
        { target: "externalId", matchingPriority: 1 },
        { target: "userName", matchingPriority: 2 },
      ];
    });
    const schema = diff.changed.find((c) => c.name === "generic-scim-schema")!;
    expect(schema.changes).toEqual([
      { path: "inputs.objectMappings[key=users].attributeMappings[target=externalId].matchingPriority", before: 2, after: 1 },
      { path: "inputs.objectMappings[key=users].attributeMappings[target=userName].matchingPriority", before: 1, after: 2 },
    ]);
    const users = (head.resources.find((r) => r.urn === schema.urn)!.inputs.objectMappings as { attributeMappings: { target: string }[] }[])[0];
    expect([users.attributeMappings[0].target, users.attributeMappings[7].target]).toEqual(["userName", "externalId"]);
    expect(diff.outputs).toEqual(
      expect.arrayContaining([
        { path: "mappings[object=users].matching[target=externalId].priority", before: 2, after: 1 },
        { path: "mappings[object=users].matching[target=userName].priority", before: 1, after: 2 },
      ]),
    );
    expect(head.policy?.verdict).toBe("pass");
  });

  test("the matching attribute removed: the diff shows the mapping gone, the verdict names the rule", async () => {
    const { diff, head } = await baseAndHead(REPO_ROOT, "dev", (doc) => {
      app(doc).mappings.users.attributes = [{ target: "userName", remove: true }];
    });
    const changes = diff.changed.find((c) => c.urn === `${SCHEMA}rouse-sales-schema`)!.changes;
    // Keyed by target, the removal is one mapping gone, not every later mapping shifted by one.
    expect(changes).toContainEqual({ path: "inputs.objectMappings[key=users].attributeMappings[target=userName].target", before: "userName" });
    expect(changes).toContainEqual({ path: "inputs.objectMappings[key=users].attributeMappings[target=userName].matchingPriority", before: 1 });
    expect(changes.every((c) => c.path.includes("[target=userName]"))).toBe(true);
    expect(head.policy?.verdict).toBe("fail");
    expect(head.policy?.violations.map((v) => v.policy)).toEqual(["matching-is-set"]);
    expect(renderMarkdown(head, diff)).toMatch(/\| mandatory \| matching-is-set \| rouse-sales-schema \| object mapping "Synchronize Microsoft Entra users to Rouse Sales" has no matching attribute/);
  });

  test("an assigned group swapped for another: one assignment added, one removed", async () => {
    const { diff } = await baseAndHead(REPO_ROOT, "dev", (doc) => {
      app(doc).assignments.groups = [{ objectId: "00000000-0000-0000-0000-00000000d0b9", displayName: "SG-RouseSales-All" }];
    });
    expect(diff.added.map((r) => r.name)).toEqual(["rouse-sales-group-00000000-0000-0000-0000-00000000d0b9"]);
    expect(diff.removed.map((r) => r.name)).toEqual(["rouse-sales-group-00000000-0000-0000-0000-00000000d0b1"]);
    const text = renderDiffText(diff);
    expect(text).toContain("  + azuread:index/appRoleAssignment:AppRoleAssignment  rouse-sales-group-00000000-0000-0000-0000-00000000d0b9  (added)");
    expect(text).toContain("  - azuread:index/appRoleAssignment:AppRoleAssignment  rouse-sales-group-00000000-0000-0000-0000-00000000d0b1  (removed)");
  });

  test("secrets stay masked: a rotated token and the credentials list it is in never show", async () => {
    const { base, head, diff } = await baseAndHead(FIXTURES, "dev-ok-generic-token", (doc) => {
      app(doc).provisioning.tenantUrl = "https://scim2.acme.example/scim/v2";
      doc.config["entra-app-provisioning:scimToken"] = { secure: "v1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" };
    });
    // The token makes the whole credentials list a secret, so the plan shows it masked on both sides.
    for (const doc of [base, head]) expect(doc.resources.find((r) => r.name.endsWith("-settings"))!.inputs.credentials).toBe("[secret]");
    expect(diff.changed.find((c) => c.name.endsWith("-settings"))).toBeUndefined();
    for (const text of [serializePlan(base), serializePlan(head), renderDiffText(diff), renderMarkdown(head, diff), JSON.stringify(diff)]) {
      expect(text).not.toContain(SECURE_PLACEHOLDER);
      expect(text).not.toContain("v1:BBBB");
      expect(text).not.toContain("v1:AAAA");
    }
    expect(head.policy?.verdict).toBe("pass");
  });

  test("settings without credentials are reviewable: a changed notification email shows in the secrets document", async () => {
    const { diff } = await baseAndHead(REPO_ROOT, "dev", (doc) => {
      app(doc).provisioning.notificationEmail = "identity-team@contoso.example";
    });
    const settings = diff.changed.find((c) => c.name === "rouse-sales-settings")!;
    expect(settings.changes).toEqual([
      {
        path: "inputs.credentials[key=SyncNotificationSettings].value",
        before: '{"Enabled":true,"Recipients":"entra-provisioning-dev@contoso.example","DeleteThresholdEnabled":true,"DeleteThresholdValue":50}',
        after: '{"Enabled":true,"Recipients":"identity-team@contoso.example","DeleteThresholdEnabled":true,"DeleteThresholdValue":50}',
      },
    ]);
    expect(diff.outputs).toContainEqual({ path: "provisioning.notificationEmail", before: "entra-provisioning-dev@contoso.example", after: "identity-team@contoso.example" });
  });
});
