/**
 * `npx tsx tools/list-stacks.ts [--dir <project dir>]`
 *
 * Prints the tenant stacks of the project as a JSON array (`["dev","prod"]`): one per
 * `Pulumi.<stack>.yaml` next to `Pulumi.yaml`. The GitHub workflows feed this to `strategy.matrix`, so
 * adding a tenant is adding one file.
 *
 * It fails (exit 2, message on stderr) instead of skipping a file the Pulumi CLI would not read as a
 * stack, so a misnamed tenant file is caught in CI rather than silently never deployed:
 * - `Pulumi.<stack>.yml`: the CLI looks for the stack file with the project file's extension (`.yaml`);
 * - a stack name the CLI rejects, or one that is unsafe to put in job names, artifact names and
 *   variable names (only letters, digits, `-`, `_` and `.`, starting with a letter or digit, ≤ 100).
 * Exit codes: 0 ok, 2 invalid stack file name or usage.
 */
import { readdirSync } from "fs";
import * as path from "path";

/** Stack names as `pulumi stack init` accepts them, minus leading punctuation. */
export const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const PROJECT_FILES = new Set(["Pulumi.yaml", "Pulumi.yml"]);
const STACK_FILE = /^Pulumi\.(.+)\.(yaml|yml)$/;

export class StackFileError extends Error {}

/** The stacks in `dir`, sorted; throws StackFileError on a file that looks like a stack file but is not one. */
export function listStacks(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const stacks: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || PROJECT_FILES.has(entry.name)) continue;
    const m = STACK_FILE.exec(entry.name);
    if (!m) continue;
    const [, stack, ext] = m;
    if (ext !== "yaml") {
      problems.push(`${entry.name}: the Pulumi CLI reads stack config from Pulumi.${stack}.yaml; rename it`);
    } else if (!STACK_NAME.test(stack)) {
      problems.push(
        `${entry.name}: stack name ${JSON.stringify(stack)} is not allowed; use letters, digits, "-", "_" and "." (starting with a letter or digit, at most 100)`,
      );
    } else {
      stacks.push(stack);
    }
  }
  if (problems.length > 0) throw new StackFileError(problems.sort().join("\n"));
  return stacks.sort();
}

const USAGE = "usage: npx tsx tools/list-stacks.ts [--dir <project dir>]\n";

/** CLI entry point; returns the exit code. */
export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  let dir = ".";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dir" && i + 1 < argv.length) {
      dir = argv[++i];
    } else if (a === "-h" || a === "--help") {
      out(USAGE);
      return 0;
    } else {
      err(`error: unexpected argument ${JSON.stringify(a)}\n${USAGE}`);
      return 2;
    }
  }
  try {
    out(`${JSON.stringify(listStacks(path.resolve(dir)))}\n`);
    return 0;
  } catch (e) {
    err(`error: ${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
