/**
 * The facts an auditor asks for, read from the state fixtures and checked against the stack configs
 * they were made from (not against values written into the test), plus partial, failed and
 * inconsistent states.
 */
import { auditState, TenantAudit } from "../../tools/audit/extract";
import { parseStateText, readStateFile, SIG, SIG_KEY } from "../../tools/audit/state";
import { makeStackStateFixture } from "../../tools/audit/make-state-fixture";
import { FIXTURE_STACKS_DIR } from "../../tools/audit/regenerate-fixtures";
import { CANARY_TOKEN, clone, fixture, Json, loadFixture, resourceNamed, stackConfig } from "./support";

const audit = (name: string): TenantAudit => auditState(readStateFile(fixture(name))).audit;
const auditOf = (state: unknown): TenantAudit => auditState(parseStateText(JSON.stringify(state), "modified.json")).audit;

/** The facts of a complete state of the dev or prod stack against the config it was made from. */
function expectFactsOfConfig(a: TenantAudit, cfg: Json, stack: string): void {
  const prov = cfg.app.provisioning;
  const app = a.apps[0];
  // Tenant and app.
  expect(a.stack).toBe(stack);
  expect(a.tenant).toEqual({ id: cfg.tenant.id, name: cfg.tenant.name, environment: cfg.tenant.environment });
  expect(a.apps).toHaveLength(1);
  expect(app.displayName).toEqual({ value: cfg.app.displayName, source: "resource" });
  expect(app.preset).toBe(cfg.app.preset);
  expect(app.owners).toEqual(cfg.app.owners);
  expect(app.applicationObjectId).toMatch(/^[0-9a-f-]{36}$/);
  // Who is assigned: every configured group, with its role.
  expect(app.groups.map((g) => [g.objectId, g.entraName, g.configuredName, g.role, g.status])).toEqual(
    cfg.app.assignments.groups.map((g: Json) => [g.objectId, g.displayName, g.displayName, cfg.app.assignments.appRole, "assigned"]),
  );
  expect(app.assignmentRequired).toEqual({ value: true, source: "resource" });
  // Scope, scoping filters and matching.
  expect(app.scope).toEqual({ value: prov.scope, source: "resource" });
  expect(app.scopingFilters.source).toBe("resource");
  expect(app.scopingFilters.value).toEqual(
    cfg.app.mappings.users.scopingFilter.map((f: Json) => ({
      object: "users",
      name: f.name,
      clauses: f.clauses.map((c: Json) => ({ attribute: c.attribute, operator: c.operator, values: c.values ?? (c.value !== undefined ? [c.value] : []) })),
    })),
  );
  // Rouse Sales matches on userName (the only filterable target), from userPrincipalName.
  expect(app.matching).toEqual({ value: [{ object: "users", target: "userName", source: "[userPrincipalName]", priority: 1 }], source: "resource" });
  // Failure emails, deletion threshold, out-of-scope deletions, credentials.
  expect(app.failureEmails).toEqual({ value: { enabled: prov.sendFailureEmails, recipients: prov.notificationEmail }, source: "resource" });
  expect(app.deletionThreshold).toEqual({ value: { enabled: prov.accidentalDeletions.enabled, value: prov.accidentalDeletions.threshold }, source: "resource" });
  expect(app.skipOutOfScopeDeletions).toEqual({ value: prov.skipOutOfScopeDeletions ?? false, source: "resource" });
  expect(app.credentials.mode).toBe("oauth");
  expect(app.credentials.keysWritten.value).toEqual(["SyncAll", "SyncNotificationSettings", "SkipOutOfScopeDeletions"]);
  // Whether the job runs: only once an admin has authorized the OAuth app.
  expect(app.job.present).toBe(true);
  expect(app.job.templateId).toBe(prov.synchronizationTemplateId);
  expect(app.job.runs).toBe(prov.oauthAuthorized);
  expect(app.job.scheduleState).toBe(prov.oauthAuthorized ? "Active" : "Paused");
  expect(app.job.description).toMatch(prov.oauthAuthorized ? /^runs/ : /^does not run \(paused: awaiting OAuth authorization/);
  // Protection, and a complete state.
  const protect = cfg.app.protect ?? cfg.tenant.environment === "prod";
  expect(app.protect).toEqual({ application: protect, servicePrincipal: protect });
  expect(a.manifestIntact).toBe(true);
  expect(a.resources.every((r) => r.status === "ok")).toBe(true);
  expect(app.missing).toEqual([]);
  expect(a.findings).toEqual([]);
}

describe.each([
  ["dev.export.json", "dev"],
  ["prod.checkpoint.json", "prod"],
])("%s answers the auditor's questions as the %s config it was made from", (file, stack) => {
  test("tenant, app, assignments, scope, scoping, matching, emails, threshold, job, protection", () => {
    expectFactsOfConfig(audit(file), stackConfig(stack, FIXTURE_STACKS_DIR), stack);
  });

  test("times and version come from the manifest and the resources", () => {
    const a = audit(file);
    const d = (loadFixture(file).deployment ?? loadFixture(file).checkpoint.latest) as Json;
    expect(a.lastUpdate).toBe(d.manifest.time);
    expect(a.pulumiVersion).toBe(d.manifest.version);
    expect(a.apps[0].lastChanged).toBe(d.manifest.time);
    const created = new Set((d.resources as Json[]).map((r) => r.created));
    expect(a.resources.map((r) => r.created)).toEqual((d.resources as Json[]).map((r) => r.created));
    expect(created.size).toBe(1);
  });
});

describe("states made now from the live stack configs and the current program", () => {
  test.each(["dev", "prod"])("%s", async (stack) => {
    const state = await makeStackStateFixture(stack);
    expectFactsOfConfig(auditOf(state), stackConfig(stack), stack);
  });
});

test("a token-mode tenant: the settings document is encrypted, so its facts come from the recorded summary, said so", () => {
  const cfg = stackConfig("acme-scim", FIXTURE_STACKS_DIR);
  const app = audit("acme-scim.export.json").apps[0];
  expect(app.credentials.mode).toBe("token");
  expect(app.credentials.keysWritten.value).toEqual(["BaseAddress", "SecretToken", "SyncAll", "SyncNotificationSettings", "SkipOutOfScopeDeletions"]);
  expect(app.credentials.tenantUrl.value).toBeUndefined();
  for (const f of [app.scope, app.failureEmails, app.deletionThreshold, app.skipOutOfScopeDeletions, app.credentials.keysWritten]) {
    expect(f.source).toBe("summary");
    expect(f.note).toMatch(/settings document is encrypted in state/);
  }
  expect(app.scope.value).toBe(cfg.app.provisioning.scope);
  expect(app.failureEmails.value).toEqual({ enabled: cfg.app.provisioning.sendFailureEmails, recipients: cfg.app.provisioning.notificationEmail });
  expect(app.deletionThreshold.value).toEqual({ enabled: true, value: cfg.app.provisioning.accidentalDeletions.threshold });
  expect(app.matching.value?.map((m) => `${m.object}:${m.target}`)).toEqual(["users:userName", "groups:displayName"]);
});

test("the --show-secrets export of the same tenant gives the same facts, and says it holds decrypted secrets", () => {
  const encrypted = audit("acme-scim.export.json");
  const decrypted = audit("acme-scim.show-secrets.json");
  expect(decrypted.apps).toEqual(encrypted.apps);
  expect(decrypted.secrets).toMatchObject({ encrypted: 0, decrypted: encrypted.secrets.encrypted });
  expect(decrypted.findings.map((f) => f.message)).toEqual([expect.stringMatching(/exported with --show-secrets: it holds \d+ decrypted secret value/)]);
  expect(JSON.stringify(decrypted)).not.toContain(CANARY_TOKEN);
});

test("an interrupted first update: what is missing and why, failed and pending resources, no stack outputs", () => {
  const a = audit("dev.interrupted.export.json");
  const app = a.apps[0];
  expect(app.missing).toEqual([
    "provisioning job (rouse-sales-job): not in state; the operation creating it was interrupted",
    "schema declaration (mappings, matching, scoping) (rouse-sales-schema): not in state; the last update was interrupted before creating it",
  ]);
  expect(app.job).toMatchObject({ present: false, description: "unknown: the job is not in state" });
  expect(app.job.runs).toBeUndefined();
  expect(app.matching).toEqual({ source: "none", note: "the schema declaration is not in state" });
  const group = stackConfig("dev", FIXTURE_STACKS_DIR).app.assignments.groups[0];
  expect(app.groups).toEqual([expect.objectContaining({ objectId: group.objectId, entraName: group.displayName, status: "failed" })]);
  expect(a.pendingOperations).toEqual([expect.objectContaining({ type: "creating", name: "rouse-sales-job" })]);
  const errors = a.findings.filter((f) => f.severity === "error").map((f) => f.message);
  expect(errors).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^pending operation: creating rouse-sales-job .* was interrupted/),
      expect.stringMatching(/failed in the last update: creating app role assignment: unexpected status 404/),
      expect.stringMatching(/^missing: provisioning job/),
      expect.stringMatching(/^missing: schema declaration/),
    ]),
  );
  expect(a.findings.map((f) => f.message)).toContain("the stack has no outputs: the last update did not finish (outputs are recorded at the end), so facts come from the resources alone");
  expect(a.resources.find((r) => r.name.startsWith("rouse-sales-group-"))?.status).toBe("failed");
  // Facts the resources still hold are still reported.
  expect(app.deletionThreshold).toEqual({ value: { enabled: true, value: stackConfig("dev", FIXTURE_STACKS_DIR).app.provisioning.accidentalDeletions.threshold }, source: "resource" });
});

describe("inconsistent or edited states are flagged", () => {
  test("the settings document and the recorded summary disagree", () => {
    const state = clone(loadFixture("prod.checkpoint.json"));
    const settings = resourceNamed(state, "rouse-sales-settings");
    const pair = settings.inputs.credentials.find((c: Json) => c.key === "SyncNotificationSettings");
    pair.value = JSON.stringify({ ...JSON.parse(pair.value), DeleteThresholdValue: 4000 });
    const a = auditOf(state);
    expect(a.apps[0].deletionThreshold.value?.value).toBe(4000);
    const recorded = stackConfig("prod", FIXTURE_STACKS_DIR).app.provisioning.accidentalDeletions.threshold;
    expect(a.findings.map((f) => f.message)).toContain(`rouse-sales: the deletion threshold is 4000 in the resources but ${recorded} in the recorded summary (stack outputs)`);
  });

  test("Entra's name of an assigned group differs from the configured one", () => {
    const state = clone(loadFixture("dev.export.json"));
    const assignment = (state.deployment.resources as Json[]).find((r) => r.type.endsWith("AppRoleAssignment"))!;
    assignment.outputs.principalDisplayName = "SG-Renamed-In-Portal";
    const a = auditOf(state);
    expect(a.apps[0].groups[0].entraName).toBe("SG-Renamed-In-Portal");
    expect(a.findings.map((f) => f.severity + ": " + f.message)).toEqual([expect.stringMatching(/^warning: group .* is configured as "SG-RouseSales-Pilot" but Entra named it "SG-Renamed-In-Portal"/)]);
  });

  test("a job declared enabled whose schedule is paused, and a manifest edited by hand", () => {
    const state = clone(loadFixture("prod.checkpoint.json"));
    resourceNamed(state, "rouse-sales-job").outputs.schedules[0].state = "Paused";
    state.checkpoint.latest.manifest.version = "v3.999.0";
    const a = auditOf(state);
    expect(a.apps[0].job.runs).toBe(false);
    expect(a.manifestIntact).toBe(false);
    const messages = a.findings.map((f) => f.message);
    expect(messages).toContain("the job is declared enabled but its recorded schedule is Paused");
    expect(messages).toContain("the manifest's magic does not match its version: the state file was edited after the CLI wrote it");
  });

  test("a credential stored unencrypted is reported, never shown", () => {
    const state = clone(loadFixture("acme-scim.show-secrets.json"));
    const settings = resourceNamed(state, "generic-scim-settings");
    // As a program that forgot pulumi.secret() would have stored it.
    settings.inputs.credentials = JSON.parse(settings.inputs.credentials.plaintext);
    expect(JSON.stringify(settings.inputs)).toContain(CANARY_TOKEN);
    const a = auditOf(state);
    expect(a.findings.map((f) => f.message)).toContain(
      "a credential is stored unencrypted in state at generic-scim-settings.inputs.credentials[1].value (SecretToken); make it a Pulumi secret and rotate it",
    );
    // Now readable, the settings come from the resource; the token itself is never a fact.
    expect(a.apps[0].scope.source).toBe("resource");
    expect(a.apps[0].credentials.tenantUrl.value).toMatch(/^https:\/\//);
    expect(JSON.stringify(a)).not.toContain(CANARY_TOKEN);
  });

  test("the schema as last read from the tenant differs from the declaration (portal edit, then refresh)", () => {
    const state = clone(loadFixture("prod.checkpoint.json"));
    const schema = resourceNamed(state, "rouse-sales-schema");
    const users = schema.outputs.objectMappings.find((m: Json) => m.key === "users");
    users.attributeMappings.find((m: Json) => m.target === "userName").matchingPriority = 0;
    users.attributeMappings.find((m: Json) => m.target === "externalId").matchingPriority = 1;
    const a = auditOf(state);
    // The report shows the tenant's side, and warns that the next update rewrites it.
    expect(a.apps[0].matching.value?.map((m) => m.target)).toEqual(["externalId"]);
    expect(a.findings).toEqual([
      { severity: "warning", resource: "rouse-sales-schema", message: "matching or scoping in the tenant (as last read) differs from the declaration: the next pulumi up rewrites it" },
    ]);
  });

  test("a secret marked only in the ciphertext form is not read as a setting", () => {
    const state = clone(loadFixture("dev.export.json"));
    const settings = resourceNamed(state, "rouse-sales-settings");
    settings.inputs.credentials = { [SIG_KEY]: SIG.secret, ciphertext: "v1:AAAA:BBBB" };
    const app = auditOf(state).apps[0];
    expect(app.scope.source).toBe("summary");
    expect(app.scope.note).toBe("the settings document is encrypted in state (it holds a credential)");
  });
});
