import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { listStacks, main, STACK_NAME, StackFileError } from "./list-stacks";

const repoRoot = path.resolve(__dirname, "..");

function projectDir(files: string[], dirs: string[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), "list-stacks-"));
  for (const f of files) writeFileSync(path.join(dir, f), "config: {}\n");
  for (const d of dirs) mkdirSync(path.join(dir, d));
  return dir;
}

const made: string[] = [];
function tmp(files: string[], dirs: string[] = []): string {
  const d = projectDir(files, dirs);
  made.push(d);
  return d;
}
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("listStacks", () => {
  it("lists one stack per Pulumi.<stack>.yaml, sorted, ignoring the project file and other files", () => {
    const dir = tmp(["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.dev.yaml", "Pulumi.eu-west.2.yaml", "package.json", "README.md", "pulumi.test.yaml", "Pulumi.yaml.bak"]);
    expect(listStacks(dir)).toEqual(["dev", "eu-west.2", "prod"]);
  });

  it("returns an empty list for a project without stacks", () => {
    expect(listStacks(tmp(["Pulumi.yaml"]))).toEqual([]);
  });

  it("ignores directories that happen to match the pattern", () => {
    expect(listStacks(tmp(["Pulumi.yaml", "Pulumi.dev.yaml"], ["Pulumi.cache.yaml"]))).toEqual(["dev"]);
  });

  it("fails on Pulumi.<stack>.yml, which the CLI would not read next to Pulumi.yaml", () => {
    const dir = tmp(["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yml"]);
    expect(() => listStacks(dir)).toThrow(StackFileError);
    expect(() => listStacks(dir)).toThrow(/Pulumi\.prod\.yml: .*Pulumi\.prod\.yaml; rename it/);
  });

  it.each([
    ["a space", "Pulumi.my stack.yaml"],
    ["a shell metacharacter", "Pulumi.dev$(id).yaml"],
    ["leading punctuation", "Pulumi.-dev.yaml"],
    ["a quote", 'Pulumi.dev".yaml'],
  ])("fails on a stack name with %s", (_what, file) => {
    const dir = tmp(["Pulumi.yaml", file]);
    expect(() => listStacks(dir)).toThrow(/is not allowed/);
  });

  it("accepts the characters Pulumi allows in stack names", () => {
    expect(STACK_NAME.test("Contoso_EU-west.1")).toBe(true);
    expect(STACK_NAME.test("a".repeat(100))).toBe(true);
    expect(STACK_NAME.test("a".repeat(101))).toBe(false);
  });
});

describe("main", () => {
  function run(argv: string[]) {
    let out = "";
    let err = "";
    const code = main(argv, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  }

  it("prints the stacks as one line of JSON", () => {
    const dir = tmp(["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]);
    expect(run(["--dir", dir])).toEqual({ code: 0, out: '["dev","prod"]\n', err: "" });
  });

  it("exits 2 with the reason on an invalid stack file", () => {
    const r = run(["--dir", tmp(["Pulumi.yaml", "Pulumi.a b.yaml"])]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^error: Pulumi\.a b\.yaml: stack name "a b" is not allowed/);
  });

  it("exits 2 on a missing directory and on unknown arguments", () => {
    expect(run(["--dir", path.join(tmpdir(), "does-not-exist-list-stacks")]).code).toBe(2);
    const r = run(["--stack", "dev"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unexpected argument "--stack"/);
  });
});

describe("this repository", () => {
  it("lists exactly the Pulumi.<stack>.yaml files at the project root", () => {
    const expected = readdirSync(repoRoot)
      .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
      .map((f) => f.slice("Pulumi.".length, -".yaml".length))
      .sort();
    expect(listStacks(repoRoot)).toEqual(expected);
  });

  it("runs as the workflows run it: `npx tsx tools/list-stacks.ts` prints JSON for strategy.matrix", () => {
    const r = spawnSync("npx", ["tsx", "tools/list-stacks.ts"], { cwd: repoRoot, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith("\n")).toBe(true);
    expect(JSON.parse(r.stdout)).toEqual(listStacks(repoRoot));
  });
});
