import { runOffline } from "../../tools/plan/harness";
import { genericScimConfig, Json, rouseSalesConfig, toRuntimeConfig, withChange } from "../../test/support/tenant-config";
import { ConfigValidationError } from "./errors";
import { resolveTenantConfig } from "./load";
import { PROJECT } from "./schema";

const resolve = (values: Json, opts: { token?: boolean; unknownKeys?: string[] } = {}) =>
  resolveTenantConfig({ values, hasScimToken: !!opts.token, unknownKeys: opts.unknownKeys ?? [] });

function issuesOf(values: Json, opts: { token?: boolean; unknownKeys?: string[] } = {}) {
  try {
    resolve(values, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigValidationError);
    return (e as ConfigValidationError).issues;
  }
  throw new Error("expected the config to be rejected");
}

const rs = rouseSalesConfig;
const gs = genericScimConfig;
const G = "aaaaaaaa-0000-4000-8000-000000000009";

/** Each case: a config that must be rejected, the path the message must name, and a word of the message. */
type Case = [string, Json, string, RegExp, { token?: boolean; unknownKeys?: string[] }?];
const CASES: Case[] = [
  ["missing tenant", withChange(rs(), (c) => delete c.tenant), "tenant", /expected object/],
  ["missing app", withChange(rs(), (c) => delete c.app), "app", /expected object/],
  ["tenant id not a GUID", withChange(rs(), (c) => (c.tenant.id = "contoso.onmicrosoft.com")), "tenant.id", /GUID/],
  ["tenant name with spaces", withChange(rs(), (c) => (c.tenant.name = "Contoso Dev")), "tenant.name", /lowercase/],
  ["unknown environment", withChange(rs(), (c) => (c.tenant.environment = "production")), "tenant.environment", /dev.*test.*prod/],
  ["bad email", withChange(rs(), (c) => (c.app.provisioning.notificationEmail = "ops-at-contoso")), "app.provisioning.notificationEmail", /email/],
  ["missing email", withChange(rs(), (c) => delete c.app.provisioning.notificationEmail), "app.provisioning.notificationEmail", /email/],
  ["unknown preset", withChange(rs(), (c) => (c.app.preset = "salesforce")), "app.preset", /rouse-sales/],
  ["unknown app setting (typo)", withChange(rs(), (c) => (c.app.assigments = {})), "app", /unknown setting.*assigments/],
  ["unknown top-level key", rs(), `${PROJECT}:ap`, /unknown setting/, { unknownKeys: ["ap"] }],
  [
    "non-filterable matching attribute",
    withChange(rs(), (c) => (c.app.mappings = { users: { attributes: [{ target: "name.givenName", matchingPriority: 2 }] } })),
    "app.mappings.users.attributes[0].matchingPriority",
    /does not support filtering.*allowed: userName/,
  ],
  [
    "two mappings with the same matching priority",
    withChange(gs(), (c) => (c.app.mappings = { users: { attributes: [{ target: "externalId", matchingPriority: 1 }] } })),
    "app.mappings.users.attributes",
    /share matching priority 1/,
    { token: true },
  ],
  ["unknown target attribute", withChange(rs(), (c) => (c.app.mappings = { users: { attributes: [{ target: "title", source: "[jobTitle]" }] } })), "app.mappings.users.attributes[0].target", /no target attribute.*allowed/],
  ["same target twice", withChange(rs(), (c) => (c.app.mappings = { users: { attributes: [{ target: "externalId", source: "[a]" }, { target: "externalId", source: "[b]" }] } })), "app.mappings.users.attributes[1].target", /already changed/],
  ["source and constant", withChange(rs(), (c) => (c.app.mappings = { users: { attributes: [{ target: "externalId", source: "[a]", constant: "x" }] } })), "app.mappings.users.attributes[0].constant", /either source or constant/],
  ["remove with other settings", withChange(rs(), (c) => (c.app.mappings = { users: { attributes: [{ target: "externalId", remove: true, source: "[a]" }] } })), "app.mappings.users.attributes[0].remove", /no other settings/],
  ["negative matching priority", withChange(rs(), (c) => (c.app.mappings = { users: { attributes: [{ target: "userName", matchingPriority: -1 }] } })), "app.mappings.users.attributes[0].matchingPriority", />=0/],
  ["groups mapping for a users-only app", withChange(rs(), (c) => (c.app.mappings = { groups: { enabled: true } })), "app.mappings.groups", /does not provision groups/],
  ["duplicate groups", withChange(rs(), (c) => c.app.assignments.groups.push({ objectId: "AAAAAAAA-0000-4000-8000-000000000001", displayName: "again" })), "app.assignments.groups[1].objectId", /already assigned/],
  ["group id not a GUID", withChange(rs(), (c) => (c.app.assignments.groups[0].objectId = "SG-Pilot")), "app.assignments.groups[0].objectId", /GUID/],
  ["duplicate owners", withChange(rs(), (c) => (c.app.owners = [G, G])), "app.owners[1]", /already listed/],
  ["threshold out of range (0)", withChange(rs(), (c) => (c.app.provisioning.accidentalDeletions = { threshold: 0 })), "app.provisioning.accidentalDeletions.threshold", />=1/],
  ["threshold out of range (huge)", withChange(rs(), (c) => (c.app.provisioning.accidentalDeletions = { threshold: 1e9 })), "app.provisioning.accidentalDeletions.threshold", /<=100000/],
  ["threshold not whole", withChange(rs(), (c) => (c.app.provisioning.accidentalDeletions = { threshold: 12.5 })), "app.provisioning.accidentalDeletions.threshold", /whole number/],
  ["token mode without token", gs(), `${PROJECT}:scimToken`, /needs the secret token/],
  ["token mode without tenant URL", withChange(gs(), (c) => delete c.app.provisioning.tenantUrl), "app.provisioning.tenantUrl", /tenant URL/, { token: true }],
  ["tenant URL not https", withChange(gs(), (c) => (c.app.provisioning.tenantUrl = "http://scim.acme.example")), "app.provisioning.tenantUrl", /https/, { token: true }],
  ["token in oauth mode", rs(), `${PROJECT}:scimToken`, /not used in oauth mode/, { token: true }],
  ["tenant URL in oauth mode", withChange(rs(), (c) => (c.app.provisioning.tenantUrl = "https://x.example")), "app.provisioning.tenantUrl", /not used in oauth mode/],
  ["oauthAuthorized in token mode", withChange(gs(), (c) => (c.app.provisioning.oauthAuthorized = true)), "app.provisioning.oauthAuthorized", /only used in oauth mode/, { token: true }],
  ["unknown credential mode", withChange(rs(), (c) => (c.app.provisioning.mode = "basic")), "app.provisioning.mode", /oauth.*token/],
  ["missing synchronization template id", withChange(rs(), (c) => delete c.app.provisioning.synchronizationTemplateId), "app.provisioning.synchronizationTemplateId", /no known synchronization template id/],
  ["unknown scope", withChange(rs(), (c) => (c.app.provisioning.scope = "everyone")), "app.provisioning.scope", /assignedOnly/],
  [
    "unknown scoping operator",
    withChange(rs(), (c) => (c.app.mappings = { users: { scopingFilter: [{ name: "f", clauses: [{ attribute: "department", operator: "CONTAINS", value: "x" }] }] } })),
    "app.mappings.users.scopingFilter[0].clauses[0].operator",
    /EQUALS/,
  ],
  [
    "binary operator without value",
    withChange(rs(), (c) => (c.app.mappings = { users: { scopingFilter: [{ name: "f", clauses: [{ attribute: "department", operator: "EQUALS" }] }] } })),
    "app.mappings.users.scopingFilter[0].clauses[0].value",
    /needs a value/,
  ],
  [
    "unary operator with value",
    withChange(rs(), (c) => (c.app.mappings = { users: { scopingFilter: [{ name: "f", clauses: [{ attribute: "accountEnabled", operator: "IS TRUE", value: "true" }] }] } })),
    "app.mappings.users.scopingFilter[0].clauses[0].value",
    /takes no value/,
  ],
  [
    "Greater_Than with a non-integer",
    withChange(rs(), (c) => (c.app.mappings = { users: { scopingFilter: [{ name: "f", clauses: [{ attribute: "employeeId", operator: "Greater_Than", value: "ten" }] }] } })),
    "app.mappings.users.scopingFilter[0].clauses[0].value",
    /whole number/,
  ],
  [
    "invalid regular expression",
    withChange(rs(), (c) => (c.app.mappings = { users: { scopingFilter: [{ name: "f", clauses: [{ attribute: "userPrincipalName", operator: "REGEX MATCH", value: "(.*@contoso" }] }] } })),
    "app.mappings.users.scopingFilter[0].clauses[0].value",
    /regular expression/,
  ],
  [
    "scoping on an unsupported attribute",
    withChange(rs(), (c) => (c.app.mappings = { users: { scopingFilter: [{ name: "f", clauses: [{ attribute: "manager", operator: "IS NOT NULL" }] }] } })),
    "app.mappings.users.scopingFilter[0].clauses[0].attribute",
    /does not support this attribute/,
  ],
  ["scoping filter without clauses", withChange(rs(), (c) => (c.app.mappings = { users: { scopingFilter: [{ name: "f", clauses: [] }] } })), "app.mappings.users.scopingFilter[0].clauses", /at least one clause/],
  ["prod without monitoring settings", withChange(rs(), (c) => (c.tenant.environment = "prod")), "monitoring.subscriptionId", /needed when monitoring is on/],
  ["monitoring resource group invalid", withChange(rs(), (c) => (c.monitoring = { enabled: false, resourceGroupName: "rg with spaces" })), "monitoring.resourceGroupName", /resource group/],
];

// Every row gets all five cells: jest passes a `done` callback to a test whose function takes more
// parameters than the row has cells, and then waits for it.
const INVALID = CASES.map(([a, b, c, d, e]) => [a, b, c, d, e ?? {}] as const);

describe("stack config validation", () => {
  it("has at least 30 distinct invalid cases", () => {
    expect(new Set(INVALID.map((c) => c[0])).size).toBeGreaterThanOrEqual(30);
  });

  it.each(INVALID)("rejects %s, naming the config path", (_name, values, path, message, opts) => {
    const issues = issuesOf(values, opts);
    const fullPath = path.startsWith(PROJECT) ? path : `${PROJECT}:${path}`;
    const hit = issues.find((i) => i.path === fullPath);
    if (!hit) throw new Error(`no issue at ${fullPath}; got ${JSON.stringify(issues)}`);
    expect(hit.message).toMatch(message);
  });

  it("says what was received", () => {
    const err = (() => {
      try {
        resolve(withChange(rs(), (c) => (c.app.provisioning.notificationEmail = "ops-at-contoso")));
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toContain(`${PROJECT}:app.provisioning.notificationEmail: expected an email address such as ops@contoso.com; received "ops-at-contoso"`);
    expect(err?.message).toMatch(/nothing was planned or changed/);
  });

  it("never echoes a secret token value", () => {
    const issues = issuesOf(rs(), { token: true });
    expect(JSON.stringify(issues)).toContain("[secret]");
  });

  it("applies safe defaults for everything the tutorial sets", () => {
    const r = resolve(rs());
    expect(r.config.app.provisioning).toMatchObject({ scope: "assignedOnly", sendFailureEmails: true, accidentalDeletions: { enabled: true, threshold: 500 }, skipOutOfScopeDeletions: false, enabled: true, oauthAuthorized: false });
    expect(r.config.app.assignments).toMatchObject({ appRole: "User", assignmentRequired: true });
    expect(r).toMatchObject({ credentialMode: "oauth", jobEnabled: false, protect: false, monitoringEnabled: false, displayName: "Rouse Sales" });
    expect(r.objectMappings.map((m) => m.key)).toEqual(["users"]);
  });

  it("starts the job only when OAuth is authorized", () => {
    expect(resolve(withChange(rs(), (c) => (c.app.provisioning.oauthAuthorized = true))).jobEnabled).toBe(true);
    expect(resolve(withChange(rs(), (c) => Object.assign(c.app.provisioning, { oauthAuthorized: true, enabled: false }))).jobEnabled).toBe(false);
    expect(resolve(gs(), { token: true }).jobEnabled).toBe(true);
  });

  describe("nothing is registered for invalid config", () => {
    it.each(INVALID.slice(0, 12))("%s", async (_name, values, _path, _msg, opts) => {
      const { config, secretKeys } = toRuntimeConfig(values, opts?.token ? "tok" : undefined);
      if (opts?.unknownKeys) for (const k of opts.unknownKeys) config[`${PROJECT}:${k}`] = "x";
      const run = await runOffline({ project: PROJECT, stack: "dev", config, secretKeys });
      expect(run.error).toBeInstanceOf(ConfigValidationError);
      expect(run.resources.filter((r) => r.custom)).toEqual([]);
      expect(run.resources).toEqual([]);
    });
  });
});
