/**
 * policies/index.ts constructs the PolicyPack, which starts a gRPC server (and a second one in the same
 * process exits it). Only the Pulumi CLI may load it: no test, tool or module in the repository
 * imports it, directly or through its directory (`../policies` resolves to policies/index.ts).
 */
import { readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const PACK_FILE = path.join(ROOT, "policies", "index.ts");
const SKIP = new Set(["node_modules", ".git", "bin", "out", "coverage"]);

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (/\.(ts|js)$/.test(entry) && !entry.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Module specifiers a file loads: import/export from, import(), require(), jest.mock/requireActual. */
function specifiers(source: string): string[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\bjest\s*\.\s*(?:mock|doMock|requireActual|requireMock)\s*\(\s*)(["'`])([^"'`]+)\1/g;
  return [...source.matchAll(re)].map((m) => m[2]);
}

/** Whether a relative specifier from `file` resolves to the pack file. */
function resolvesToPack(file: string, spec: string, packFile = PACK_FILE): boolean {
  if (!spec.startsWith(".")) return false;
  const base = path.resolve(path.dirname(file), spec);
  return [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts"), path.join(base, "index.js")].includes(packFile) || base === packFile.replace(/\.ts$/, "");
}

describe("policies/index.ts is loaded by the Pulumi CLI only", () => {
  test("the scanner sees every way of loading it", () => {
    const from = path.join(ROOT, "test", "policies", "x.test.ts");
    // Spelled through a variable so that this file does not itself import the pack.
    const dir = ["..", "..", "policies"].join("/");
    const found = specifiers(
      [`import "${dir}";`, `import { x } from '${dir}/index';`, `const a = require("${dir}/index.ts");`, `jest.mock("${dir}/");`, `await import(${"`"}${dir}${"`"});`].join("\n"),
    );
    expect(found.map((s) => resolvesToPack(from, s))).toEqual([true, true, true, true, true]);
    expect(resolvesToPack(from, `${dir}/rules`)).toBe(false);
    expect(resolvesToPack(from, `${dir}/runner`)).toBe(false);
    expect(resolvesToPack(path.join(ROOT, "policies", "pack.ts"), "./index")).toBe(true);
  });

  test("no file in the repository imports it", () => {
    const files = tsFiles(ROOT);
    for (const f of ["policies/runner.ts", "tools/plan/plan-stack.ts", "test/policies/runner.test.ts"]) expect(files).toContain(path.join(ROOT, f));
    const offenders = files
      .filter((f) => f !== PACK_FILE)
      .flatMap((f) => specifiers(readFileSync(f, "utf8")).filter((s) => resolvesToPack(f, s)).map((s) => `${path.relative(ROOT, f)}: ${s}`));
    expect(offenders).toEqual([]);
  });
});
