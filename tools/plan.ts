/**
 * `npm run plan -- [stack] [--base <plan.json>] [--out <dir>] [--markdown <file>] [--mode preview|apply] [--policy-config <file.json>]`
 *
 * The offline plan: runs the real program for `Pulumi.<stack>.yaml` (default `dev`) under mocks, prints
 * the resource tree with inputs (secrets masked, unknowns computed) and outputs, writes
 * `<out>/plan-<stack>.json`, and, with `--base`, what changes relative to a base plan. The policy pack
 * (policies/) judges the plan, with `--policy-config` as `pulumi preview --policy-pack-config` takes it.
 * Exit codes: 0 ok, 1 mandatory policy violation, 2 invalid config or usage.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { readPolicyConfigFile } from "../policies/runner";
import { ConfigValidationError } from "../stacks/config/errors";
import { diffPlans, PlanDiff } from "./plan/diff";
import { parsePlan, serializePlan } from "./plan/document";
import { planStack } from "./plan/plan-stack";
import { renderDiffText, renderMarkdown, renderPlanText } from "./plan/render";

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        base: { type: "string" },
        out: { type: "string", default: "out" },
        markdown: { type: "string" },
        mode: { type: "string", default: "preview" },
        "policy-config": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\nusage: npm run plan -- [stack] [--base plan.json] [--out dir] [--markdown file] [--mode preview|apply] [--policy-config file.json]\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write("usage: npm run plan -- [stack] [--base plan.json] [--out dir] [--markdown file] [--mode preview|apply] [--policy-config file.json]\n");
    return 0;
  }
  const stack = args.positionals[0] ?? "dev";
  const mode = args.values.mode;
  if (mode !== "preview" && mode !== "apply") {
    process.stderr.write(`error: --mode: received ${JSON.stringify(mode)}; allowed: preview, apply\n`);
    return 2;
  }
  let policyConfig: PolicyPackConfig | undefined;
  const policyConfigFile = args.values["policy-config"];
  if (policyConfigFile !== undefined) {
    try {
      policyConfig = readPolicyConfigFile(policyConfigFile);
    } catch (e) {
      process.stderr.write(`error: --policy-config: ${(e as Error).message}\n`);
      return 2;
    }
  }
  let plan;
  try {
    plan = await planStack(stack, { mode, policyConfig });
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 2;
  }
  if (plan.run.error) {
    const err = plan.run.error;
    process.stderr.write(`error: ${err instanceof ConfigValidationError ? err.message : `the program failed: ${err.stack ?? err.message}`}\n`);
    return 2;
  }
  const doc = plan.document;
  process.stdout.write(renderPlanText(doc));
  if (plan.policyConfigFile) process.stdout.write(`Policy config: ${path.relative(process.cwd(), plan.policyConfigFile)} (default for this stack; override with --policy-config)\n`);

  let diff: PlanDiff | undefined;
  if (args.values.base) {
    try {
      diff = diffPlans(parsePlan(readFileSync(args.values.base, "utf8"), args.values.base), doc);
    } catch (e) {
      process.stderr.write(`error: --base: ${(e as Error).message}\n`);
      return 2;
    }
    process.stdout.write(`\n${renderDiffText(diff)}`);
  }
  const outDir = args.values.out!;
  mkdirSync(outDir, { recursive: true });
  const planFile = path.join(outDir, `plan-${stack}.json`);
  writeFileSync(planFile, serializePlan(doc));
  process.stdout.write(`\nPlan written to ${planFile}\n`);
  if (args.values.markdown) writeFileSync(args.values.markdown, renderMarkdown(doc, diff));
  return doc.policy?.verdict === "fail" ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`error: ${(e as Error).stack ?? e}\n`);
    process.exit(2);
  },
);
