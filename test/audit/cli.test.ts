/**
 * `npm run audit`: one or many tenants, the three outputs, exit codes, bad input next to good input,
 * and the real entry point run as a process.
 */
import { spawnSync } from "child_process";
import { existsSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { main } from "../../tools/audit";
import { AuditReport } from "../../tools/audit/report";
import { FIXTURE_STACKS_DIR } from "../../tools/audit/regenerate-fixtures";
import { fixture, REPO_ROOT, stackConfig, tempDir, writeTempState } from "./support";

class Sink {
  text = "";
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string; out: string }> {
  const out = tempDir("audit-out-");
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await main([...args, "--out", out], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text, out };
}
const readOut = (out: string) => ({
  md: readFileSync(path.join(out, "audit.md"), "utf8"),
  html: readFileSync(path.join(out, "audit.html"), "utf8"),
  json: JSON.parse(readFileSync(path.join(out, "audit.json"), "utf8")) as AuditReport,
});
const RELAXED = (() => {
  const file = path.join(tempDir("audit-policy-"), "relaxed.json");
  writeFileSync(file, JSON.stringify({ all: "advisory" }));
  return file;
})();

test("several tenants in one report: Markdown printed, and the three files written", async () => {
  const { code, stdout, out } = await run([fixture("dev.export.json"), fixture("prod.checkpoint.json")]);
  const { md, html, json } = readOut(out);
  expect(stdout.startsWith(md)).toBe(true);
  expect(stdout).toContain(`Audit written to ${path.join(out, "audit.md")}`);
  expect(json.formatVersion).toBe(1);
  expect(json.inputs).toEqual([
    { file: fixture("dev.export.json"), ok: true },
    { file: fixture("prod.checkpoint.json"), ok: true },
  ]);
  expect(json.tenants.map((t) => t.audit.stack)).toEqual(["dev", "prod"]);
  for (const stack of ["dev", "prod"]) {
    const cfg = stackConfig(stack, FIXTURE_STACKS_DIR);
    const threshold = String(cfg.app.provisioning.accidentalDeletions.threshold);
    expect(md).toContain(`## Tenant ${cfg.tenant.name}`);
    expect(md).toContain(`${threshold} deletions per cycle`);
    expect(html).toContain(`data-stack="${stack}"`);
    for (const g of cfg.app.assignments.groups) {
      expect(md).toContain(g.displayName);
      expect(html).toContain(g.displayName);
    }
  }
  // The dynamic provider's serialized code is state plumbing, not a fact.
  expect(`${md}${html}${JSON.stringify(json)}`).not.toContain("exports.handler");
  // The exit code follows the verdicts and findings it reports.
  const failing = json.tenants.some((t) => ("verdict" in t.policy ? t.policy.verdict === "fail" : true) || t.audit.findings.some((f) => f.severity === "error"));
  expect(code).toBe(failing ? 1 : 0);
});

test("exit 0 when every tenant passes and every state is complete", async () => {
  const { code, out } = await run([fixture("dev.export.json"), fixture("prod.checkpoint.json"), "--policy-config", RELAXED, "--quiet"]);
  expect(code).toBe(0);
  const { json } = readOut(out);
  expect(json.tenants.every((t) => "verdict" in t.policy && t.policy.verdict === "pass")).toBe(true);
});

test("exit 1 for a partial state, which is still reported with what is missing", async () => {
  const { code, stdout } = await run([fixture("dev.interrupted.export.json"), "--policy-config", RELAXED]);
  expect(code).toBe(1);
  expect(stdout).toContain("**Missing from this state:**");
  expect(stdout).toContain("provisioning job (rouse-sales-job): not in state; the operation creating it was interrupted");
  expect(stdout).toContain("| creating | rouse-sales-job | azuread:SynchronizationJob |");
});

test("exit 2 for a bad file; the good ones are still reported, the bad one named in the report and on stderr", async () => {
  const truncated = writeTempState(readFileSync(fixture("dev.export.json"), "utf8").slice(0, 5000), "dev-cut.json");
  const { code, stderr, out } = await run([fixture("prod.checkpoint.json"), truncated, fixture("bad/other-project.json")]);
  expect(code).toBe(2);
  expect(stderr).toContain(`error: ${truncated}: the file is truncated`);
  expect(stderr).toContain(`error: ${fixture("bad/other-project.json")}: this is the state of project "web-frontend"`);
  const { md, html, json } = readOut(out);
  expect(json.tenants.map((t) => t.audit.stack)).toEqual(["prod"]);
  expect(json.inputs.filter((i) => !i.ok).map((i) => i.file)).toEqual([truncated, fixture("bad/other-project.json")]);
  expect(md).toContain("## Files that could not be read");
  expect(html).toContain('data-fact="rejected"');
});

test("the same stack given twice is reported twice and flagged", async () => {
  const copy = writeTempState(readFileSync(fixture("dev.export.json"), "utf8"), "dev-copy.json");
  const { out } = await run([fixture("dev.export.json"), copy, "--quiet"]);
  const { json } = readOut(out);
  expect(json.tenants).toHaveLength(2);
  expect(json.tenants[0].audit.findings.map((f) => f.message)).toContain(`stack "dev" is also given as ${copy}; each file is reported as it is (last update ${json.tenants[0].audit.lastUpdate} here)`);
});

test.each([
  [[], /no state file given/],
  [["--colour"], /Unknown option '--colour'/],
])("usage errors exit 2: %j", async (args, message) => {
  const { code, stderr } = await run(args as string[]);
  expect(code).toBe(2);
  expect(stderr).toMatch(message);
  expect(stderr).toContain("usage: npm run audit --");
});

test("an invalid policy config is refused before anything is read", async () => {
  const bad = path.join(tempDir(), "bad-policy.json");
  writeFileSync(bad, JSON.stringify({ "no-such-policy": "mandatory" }));
  const { code, stderr, out } = await run([fixture("dev.export.json"), "--policy-config", bad]);
  expect(code).toBe(2);
  expect(stderr).toMatch(/--policy-config .*bad-policy\.json: invalid policy config .*no-such-policy: no such policy/s);
  expect(existsSync(path.join(out, "audit.md"))).toBe(false);
});

test("the entry point runs as a process (as `npm run audit` runs it: tsx tools/audit.ts)", () => {
  const out = tempDir("audit-proc-");
  // This Node (the project's pinned one when run by npm test), whatever `node` PATH finds.
  const tsx = (args: string[]) => spawnSync(process.execPath, [require.resolve("tsx/cli"), ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 });
  const r = tsx(["tools/audit.ts", fixture("dev.export.json"), "--out", out, "--policy-config", RELAXED]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("# Entra app provisioning audit");
  expect(existsSync(path.join(out, "audit.html"))).toBe(true);
  const bad = tsx(["tools/audit.ts", fixture("bad/not-json.txt"), "--out", out]);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/not-json\.txt: not JSON/);
});
