/**
 * The audit as Markdown: printed by `npm run audit` and written as audit.md (fit for a pull-request
 * comment or a CI step summary). Every value from a state is escaped so it cannot add links, images,
 * HTML or table cells.
 */
import { TenantAudit } from "./extract";
import {
  appRows,
  envelopeText,
  failureEmailsText,
  findingsText,
  formatTime,
  matchingText,
  resourceStatusText,
  scopeText,
  secretsText,
  shortType,
  tenantTitle,
  thresholdText,
  verdictText,
} from "./present";
import { AuditReport, isVerdict } from "./report";

/** Escapes text from a state for Markdown prose and table cells. */
export function md(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/`/g, "\\`")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\]\(/g, "]\\(")
    .replace(/\r?\n/g, " ");
}

const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  `| ${head.join(" | ")} |`,
  `|${head.map(() => "---").join("|")}|`,
  ...rows.map((r) => `| ${r.map(md).join(" | ")} |`),
];

function tenantSection(a: TenantAudit, t: AuditReport["tenants"][number]): string[] {
  const lines = [`## Tenant ${md(tenantTitle(a))}: stack \`${md(a.stack)}\``, ""];
  lines.push(`- Tenant id: ${md(a.tenant.id ?? "not recorded")}`);
  lines.push(`- State: ${md(a.source.file)} (${envelopeText(a)})`);
  lines.push(`- Last update: ${md(formatTime(a.lastUpdate))}, by Pulumi ${md(a.pulumiVersion || "(version not recorded)")}${a.manifestIntact === false ? " (manifest edited after the CLI wrote it)" : ""}`);
  lines.push(`- Secrets: ${md(secretsText(a))}`);
  const g = a.guardrails;
  lines.push(
    `- Recorded guardrails: policy pack ${md(g.policyPackRecorded ?? "not recorded")}; protected from deletion: ${g.protectedFromDeletion === undefined ? "not recorded" : g.protectedFromDeletion ? "yes" : "no"}; monitoring: ${g.monitoring === undefined ? "not recorded" : g.monitoring ? "on" : "off"}`,
  );
  lines.push("");
  for (const app of a.apps) {
    lines.push(`### ${md(app.displayName.value ?? app.component)} (\`${md(app.component)}\`)`, "");
    lines.push(...table(["Question", "Answer", "Read from"], appRows(app).map((r) => [r.question, r.answer, r.from])), "");
    if (app.missing.length) lines.push("**Missing from this state:**", "", ...app.missing.map((m) => `- ${md(m)}`), "");
  }
  if (a.pendingOperations.length) {
    lines.push("### Pending operations (an update was interrupted)", "");
    lines.push(...table(["Operation", "Resource", "Type"], a.pendingOperations.map((o) => [o.type, o.name, shortType(o.resourceType)])), "");
  }
  lines.push("### Resources", "");
  lines.push(
    ...table(
      ["Resource", "Type", "Id", "Protect", "Created", "Modified", "Status"],
      a.resources.map((r) => [r.name, shortType(r.type), r.id ?? "", r.protect ? "yes" : "", formatTime(r.created), formatTime(r.modified), resourceStatusText(r.status, r.notes)]),
    ),
    "",
  );
  const p = t.policy;
  lines.push(`### Guardrails re-evaluated on this state${isVerdict(p) ? ` (${md(p.pack)})` : ""}`, "");
  lines.push(`**Verdict:** ${md(verdictText(t))}`, "");
  if (isVerdict(p)) {
    if (p.violations.length) lines.push(...table(["Level", "Policy", "Resource", "Message"], p.violations.map((v) => [v.enforcementLevel, v.policy, v.urn?.split("::").pop() ?? "stack", v.message])), "");
    if (p.notEvaluated.length) lines.push("Not evaluated:", "", ...table(["Policy", "Resource", "Why"], p.notEvaluated.map((v) => [v.policy, v.urn?.split("::").pop() ?? "stack", v.message])), "");
  }
  lines.push("### Findings", "");
  if (a.findings.length === 0) lines.push("None: the state is complete and consistent.", "");
  else lines.push(...a.findings.map((f) => `- **${f.severity}**${f.resource ? ` (${md(f.resource)})` : ""}: ${md(f.message)}`), "");
  return lines;
}

export function renderMarkdown(report: AuditReport): string {
  const lines = ["# Entra app provisioning audit", ""];
  lines.push(
    `Read from Pulumi state at ${formatTime(report.generatedAt)}: ${report.tenants.length} tenant stack(s) from ${report.inputs.length} file(s). Secret values are never shown: they appear as \`[secret]\`.`,
    "",
  );
  const rejected = report.inputs.filter((i) => !i.ok);
  if (rejected.length) {
    lines.push("## Files that could not be read", "", ...rejected.map((i) => `- ${md(i.file)}: ${md(i.error ?? "")}`), "");
  }
  if (report.tenants.length) {
    lines.push("## Summary", "");
    const rows = report.tenants.flatMap((t) => {
      const a = t.audit;
      const apps = a.apps.length ? a.apps : [undefined];
      return apps.map((app) => [
        tenantTitle(a),
        a.stack,
        app ? (app.displayName.value ?? app.component) : "no app",
        app ? String(app.groups.filter((g) => g.status === "assigned").length) : "",
        app ? scopeText(app) : "",
        app ? matchingText(app) : "",
        app ? failureEmailsText(app) : "",
        app ? thresholdText(app).split(";")[0] : "",
        app ? app.job.description : "",
        formatTime(app?.lastChanged ?? a.lastUpdate),
        verdictText(t),
        findingsText(a),
      ]);
    });
    lines.push(...table(["Tenant", "Stack", "App", "Groups", "Scope", "Matching", "Failure emails", "Deletion threshold", "Job", "Last changed", "Guardrails", "Findings"], rows), "");
  }
  for (const t of report.tenants) lines.push(...tenantSection(t.audit, t));
  return `${lines.join("\n").trimEnd()}\n`;
}
