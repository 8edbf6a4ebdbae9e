/**
 * The HTML report, opened in headless Chromium (Debian's chromium) as an auditor would open it: the key
 * facts of each tenant are on the page, and markup smuggled into a state (a group named like an HTML
 * tag) stays text. Fails, not skips, when Chromium is missing: CI installs it (.ci/run).
 */
import { writeFileSync } from "fs";
import * as path from "path";
import { renderHtml } from "../../tools/audit/render-html";
import { buildAuditReport } from "../../tools/audit/report";
import { scrubSecrets } from "../../tools/audit/values";
import { FIXTURE_STACKS_DIR } from "../../tools/audit/regenerate-fixtures";
import { clone, dumpDom, fact, facts, fixture, Json, loadFixture, resourceNamed, stackConfig, tempDir, tenantSection, writeTempState } from "./support";

const HOSTILE = `SG-<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>&amp;"quoted'`;

function writeReport(files: string[]): string {
  const { report, secretTexts } = buildAuditReport(files);
  const file = path.join(tempDir("audit-html-"), "audit.html");
  writeFileSync(file, scrubSecrets(renderHtml(report), secretTexts));
  return file;
}

describe("the HTML report in Chromium", () => {
  let dom: string;
  beforeAll(() => {
    dom = dumpDom(writeReport([fixture("dev.export.json"), fixture("prod.checkpoint.json"), fixture("dev.interrupted.export.json")]));
  });

  test("it is one page with a section per tenant", () => {
    expect(dom).toContain("<title>Entra app provisioning audit</title>");
    expect(fact(dom, "tenant-count")).toBe("3");
    expect(facts(dom, "summary-verdict")).toHaveLength(3);
  });

  test.each(["dev", "prod"])("stack %s: the key facts as configured", (stack) => {
    const cfg = stackConfig(stack, FIXTURE_STACKS_DIR);
    const prov = cfg.app.provisioning;
    const section = tenantSection(dom, stack);
    expect(fact(section, "tenant")).toBe(`${cfg.tenant.name} (${cfg.tenant.environment})`);
    expect(fact(section, "tenant-id")).toBe(cfg.tenant.id);
    expect(fact(section, "app")).toContain(cfg.app.displayName);
    const groups = fact(section, "groups");
    for (const g of cfg.app.assignments.groups) expect(groups).toContain(`${g.displayName} (${g.objectId}) as ${cfg.app.assignments.appRole}`);
    expect(fact(section, "scope")).toBe(prov.scope === "assignedOnly" ? "Sync only assigned users and groups (SyncAll false)" : "Sync all users and groups (SyncAll true)");
    const filter = cfg.app.mappings.users.scopingFilter[0];
    expect(fact(section, "scoping-filters")).toContain(`users: "${filter.name}": ${filter.clauses[0].attribute} ${filter.clauses[0].operator} ${filter.clauses[0].value}`);
    expect(fact(section, "matching")).toBe("users: userName ← [userPrincipalName] (precedence 1)");
    expect(fact(section, "failure-emails")).toBe(`${prov.notificationEmail} (failure emails on)`);
    expect(fact(section, "deletion-threshold")).toMatch(new RegExp(`^${prov.accidentalDeletions.threshold} deletions per cycle`));
    expect(fact(section, "job")).toMatch(prov.oauthAuthorized ? /^runs \(schedule Active/ : /^does not run \(paused: awaiting OAuth authorization; schedule Paused/);
    const d = (loadFixture(stack === "dev" ? "dev.export.json" : "prod.checkpoint.json") as Json);
    const manifest = (d.deployment ?? d.checkpoint.latest).manifest;
    expect(fact(section, "pulumi-version")).toBe(manifest.version);
    expect(fact(section, "last-update")).toBe(`${manifest.time.slice(0, 10)} ${manifest.time.slice(11, 19)} UTC`);
    const protect = cfg.app.protect ?? cfg.tenant.environment === "prod";
    expect(fact(section, "protect")).toBe(protect ? "application: yes, service principal: yes" : "application: no, service principal: no");
    expect(fact(section, "verdict")).toMatch(/^(pass|FAIL): \d+ mandatory, \d+ advisory violation\(s\)/);
  });

  test("the summary shows which tenants need attention", () => {
    // dev complete, prod complete, dev interrupted: both dev states are flagged as the same stack
    // given twice, and the interrupted one has errors.
    const findings = facts(dom, "summary-findings");
    expect(findings.slice(0, 2)).toEqual(["1 warning(s)", "none"]);
    expect(findings[2]).toMatch(/^\d+ error\(s\), 2 warning\(s\)$/);
  });

  test("the interrupted state says what is missing", () => {
    expect(facts(dom, "missing")).toEqual([expect.stringContaining("provisioning job (rouse-sales-job): not in state; the operation creating it was interrupted")]);
    expect(facts(dom, "pending-operation")).toEqual(["creating rouse-sales-job azuread:SynchronizationJob"]);
  });
});

test("markup in a state stays text in the browser", () => {
  const state = clone(loadFixture("dev.export.json"));
  resourceNamed(state, "rouse-sales-group-00000000-0000-0000-0000-00000000d0b1").outputs.principalDisplayName = HOSTILE;
  (state.deployment.resources[0].outputs.tenant as Json).name = `</td></tr></table><h1 id="injected">x</h1>`;
  const dom = dumpDom(writeReport([writeTempState(state, "hostile.json")]));
  expect(dom).not.toMatch(/<img/i);
  expect(dom).not.toMatch(/<script/i);
  expect(dom).not.toMatch(/<h1 id="injected"/);
  expect(dom.match(/<h1[ >]/g)).toHaveLength(1);
  expect(dom).toContain("<title>Entra app provisioning audit</title>"); // no script ran to change it
  expect(fact(tenantSection(dom, "dev"), "groups")).toContain(HOSTILE);
});
