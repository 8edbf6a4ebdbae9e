/**
 * `npm run plan -- <stack> --policy-config <file.json>`: the verdict decides the exit code (0 pass,
 * 1 mandatory violation, 2 unusable config), and violations are printed like the CLI prints them.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { REPO_ROOT } from "../../tools/plan/plan-stack";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "plan-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plan(...args: string[]) {
  const r = spawnSync(path.join(REPO_ROOT, "node_modules", ".bin", "tsx"), ["tools/plan.ts", ...args, "--out", dir], { cwd: REPO_ROOT, encoding: "utf8", timeout: 90000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function configFile(name: string, content: unknown): string {
  const f = path.join(dir, name);
  writeFileSync(f, typeof content === "string" ? content : JSON.stringify(content));
  return f;
}

describe("plan CLI with policy config", () => {
  test("the shipped dev stack passes with its tier's config (exit 0)", () => {
    const r = plan("dev", "--policy-config", path.join(REPO_ROOT, "policies", "config.dev.json"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Policies: entra-provisioning-guardrails@0.1.0: all policies passed");
    expect(JSON.parse(readFileSync(path.join(dir, "plan-dev.json"), "utf8")).policy).toEqual({ pack: "entra-provisioning-guardrails@0.1.0", verdict: "pass", violations: [] });
  });

  test("a stricter threshold makes the same stack a mandatory violation (exit 1), printed with policy, level, resource and message", () => {
    const r = plan("dev", "--policy-config", configFile("strict.json", { "deletion-threshold-is-on": { maxThreshold: 10 } }), "--markdown", path.join(dir, "report.md"));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      [
        "Policy violations (entra-provisioning-guardrails@0.1.0):",
        "    [mandatory]  deletion-threshold-is-on  (urn:pulumi:dev::entra-app-provisioning::entra-app-provisioning:index:EnterpriseAppProvisioning$azuread:index/synchronizationSecret:SynchronizationSecret::rouse-sales-settings)",
        '    The deletion threshold 50 is higher than the maximum 10 allowed in the stack "dev"; lower app.provisioning.accidentalDeletions.threshold.',
      ].join("\n"),
    );
    expect(readFileSync(path.join(dir, "report.md"), "utf8")).toContain("❌ fail — 1 mandatory, 0 advisory violation(s)");
    // Advisory keeps the finding but not the failure.
    const advisory = plan("dev", "--policy-config", configFile("advisory.json", { "deletion-threshold-is-on": { enforcementLevel: "advisory", maxThreshold: 10 } }));
    expect(advisory.code).toBe(0);
    expect(advisory.stdout).toContain("    [advisory]  deletion-threshold-is-on");
  });

  test("unusable policy config is refused before planning (exit 2)", () => {
    const typo = plan("dev", "--policy-config", configFile("typo.json", { "deletion-threshold-is-on": { maxThreshhold: 10 } }));
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("deletion-threshold-is-on.maxThreshhold: unknown setting; allowed: maxThreshold, productionMaxThreshold, productionStacks");
    expect(typo.stdout).toBe("");
    const notJson = plan("dev", "--policy-config", configFile("bad.json", "{ all: mandatory"));
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^error: --policy-config: .*bad\.json: /);
    const missing = plan("dev", "--policy-config", path.join(dir, "nope.json"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ENOENT/);
  });
});
