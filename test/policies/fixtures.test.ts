/**
 * The deliberately bad stack configs in test/fixtures/policy: each passes config validation and is
 * then caught by exactly the policy its `# policy:` line names, when the real program is planned
 * offline (both as a first preview and as after deployment). The `none` fixtures pass.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { resolveTenantConfig } from "../../stacks/config/load";
import { PROJECT } from "../../stacks/config/schema";
import { planStack } from "../../tools/plan/plan-stack";
import { listStacks, readStackFile } from "../../tools/plan/stack-file";
import { POLICIES } from "../../policies/rules";

const DIR = path.join(__dirname, "..", "fixtures", "policy");
const STACKS = listStacks(DIR);

function expectedPolicy(stack: string): string | undefined {
  const text = readFileSync(path.join(DIR, `Pulumi.${stack}.yaml`), "utf8");
  const m = /^# policy: (\S+)$/m.exec(text);
  if (!m) throw new Error(`Pulumi.${stack}.yaml has no "# policy:" line`);
  return m[1] === "none" ? undefined : m[1];
}

describe("policy fixtures", () => {
  test("cover every rule of the pack except the ones only synthetic resources can break", () => {
    const covered = new Set(STACKS.map(expectedPolicy).filter(Boolean));
    const names = POLICIES.map((p) => p.name);
    for (const p of covered) expect(names).toContain(p);
    // The component always declares the job with its schema and always makes the token a secret,
    // so no stack config can break these two; their rule tests use synthetic resources.
    expect(names.filter((n) => !covered.has(n)).sort()).toEqual(["credentials-are-secret", "job-and-schema-belong-together"]);
    expect(STACKS.filter((s) => expectedPolicy(s) === undefined).length).toBeGreaterThanOrEqual(2);
  });

  test.each(STACKS)("%s passes config validation", (stack) => {
    const sc = readStackFile(stack, DIR, PROJECT);
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sc.config)) if (!sc.secretKeys.includes(k)) values[k.slice(PROJECT.length + 1)] = JSON.parse(v);
    expect(() => resolveTenantConfig({ values, hasScimToken: sc.secretKeys.includes(`${PROJECT}:scimToken`), unknownKeys: [] })).not.toThrow();
  });

  for (const mode of ["preview", "apply"] as const) {
    test.each(STACKS)(`%s is caught by the policy it names (${mode})`, async (stack) => {
      const { run, document } = await planStack(stack, { dir: DIR, mode });
      expect(run.error).toBeUndefined();
      const expected = expectedPolicy(stack);
      const mandatory = document.policy!.violations.filter((v) => v.enforcementLevel === "mandatory");
      expect([...new Set(mandatory.map((v) => v.policy))]).toEqual(expected ? [expected] : []);
      expect(document.policy!.verdict).toBe(expected ? "fail" : "pass");
      // Nothing was skipped for unknown values either.
      expect(document.policy!.violations.filter((v) => v.enforcementLevel === "advisory")).toEqual([]);
    });
  }
});
