/**
 * `npm run audit -- <state.json> [more states…] [--out <dir>] [--policy-config <file>] [--quiet]`
 *
 * The audit report: what is provisioned to whom, under which guardrails, read from Pulumi state
 * (`pulumi stack export` output or the local-files backend's stack file), one file per tenant stack.
 * Prints the report as Markdown and writes `<out>/audit.md`, `<out>/audit.html` (self-contained) and
 * `<out>/audit.json` (default out: `out/audit`). Secret values are never shown. See docs/audit.md.
 *
 * Exit codes: 0 every tenant passes its guardrails and its state is complete; 1 a tenant fails a
 * mandatory guardrail or its state is partial or failed (reported all the same); 2 a file could not be
 * read (the others are still reported) or the usage is wrong.
 */
import { mkdirSync, writeFileSync } from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { PolicyConfigError, readPolicyConfigFile } from "../policies/runner";
import { renderHtml } from "./audit/render-html";
import { renderMarkdown } from "./audit/render-markdown";
import { buildAuditReport, exitCodeOf } from "./audit/report";
import { scrubSecrets } from "./audit/values";

const USAGE = `usage: npm run audit -- <state.json> [more states…] [--out <dir>] [--policy-config <file>] [--quiet]
  <state.json>            \`pulumi stack export --file <stack>.json\`, or a local-files backend stack file
                          (~/.pulumi-entra-app-provisioning/.pulumi/stacks/entra-app-provisioning/<stack>.json)
  --out <dir>             where audit.md, audit.html and audit.json go (default out/audit)
  --policy-config <file>  policy pack config, as for \`pulumi preview --policy-pack-config\`
  --quiet                 do not print the Markdown report`;

/** Where the CLI writes (the process's streams; tests pass their own). */
export interface AuditIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export async function main(argv: readonly string[], io: AuditIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: "string", default: path.join("out", "audit") },
        "policy-config": { type: "string" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.positionals.length === 0) {
    io.stderr.write(`error: no state file given\n${USAGE}\n`);
    return 2;
  }
  let policyConfig = {};
  const configFile = args.values["policy-config"];
  if (configFile) {
    try {
      policyConfig = readPolicyConfigFile(configFile);
    } catch (e) {
      io.stderr.write(`error: --policy-config ${e instanceof PolicyConfigError ? `${configFile}: ${e.message}` : (e as Error).message}\n`);
      return 2;
    }
  }

  const { report, secretTexts } = buildAuditReport(args.positionals, { policyConfig });
  for (const i of report.inputs) if (!i.ok) io.stderr.write(`error: ${i.file}: ${i.error}\n`);

  // Renderers only ever see redacted facts; scrubbing every secret text the inputs held is the last net.
  const markdown = scrubSecrets(renderMarkdown(report), secretTexts);
  const html = scrubSecrets(renderHtml(report), secretTexts);
  const json = scrubSecrets(`${JSON.stringify(report, null, 2)}\n`, secretTexts);

  const outDir = args.values.out!;
  mkdirSync(outDir, { recursive: true });
  const files = { markdown: path.join(outDir, "audit.md"), html: path.join(outDir, "audit.html"), json: path.join(outDir, "audit.json") };
  writeFileSync(files.markdown, markdown);
  writeFileSync(files.html, html);
  writeFileSync(files.json, json);
  if (!args.values.quiet) io.stdout.write(markdown);
  io.stdout.write(`\nAudit written to ${files.markdown}, ${files.html} and ${files.json}\n`);
  return exitCodeOf(report);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`error: ${(e as Error).stack ?? e}\n`);
      process.exit(2);
    },
  );
}
