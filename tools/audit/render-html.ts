/**
 * The audit as one self-contained HTML file an auditor opens in a browser: inline CSS, no script, no
 * external request (a Content-Security-Policy forbids them), every value from a state escaped as text or
 * attribute. Key cells carry `data-fact` (and each tenant `data-stack`) so tools and tests can find them.
 */
import { TenantAudit } from "./extract";
import { appRows, envelopeText, failureEmailsText, findingsText, formatTime, matchingText, resourceStatusText, scopeText, secretsText, shortType, tenantTitle, thresholdText, verdictClass, verdictText } from "./present";
import { AuditReport, isVerdict, TenantReport } from "./report";
import { escapeHtmlText } from "./values";

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export const esc = (s: string): string => escapeHtmlText(s);

const td = (text: string, fact?: string, cls?: string) => `<td${fact ? ` data-fact="${esc(fact)}"` : ""}${cls ? ` class="${esc(cls)}"` : ""}>${esc(text)}</td>`;
const th = (text: string) => `<th scope="col">${esc(text)}</th>`;
const table = (head: readonly string[], rows: readonly string[], cls = "") => `<table${cls ? ` class="${cls}"` : ""}><thead><tr>${head.map(th).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;

const CSS = `
:root{color-scheme:light;--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--bg:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;padding-top:16px;border-top:2px solid var(--line)}h3{font-size:16px;margin:20px 0 8px}
p.meta,.muted{color:var(--muted)}table{border-collapse:collapse;width:100%;margin:8px 0 16px}th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:break-word}
td.id{overflow-wrap:anywhere;min-width:18em;font:12px ui-monospace,SFMono-Regular,Menlo,monospace}td.time{white-space:nowrap}
thead th{background:var(--bg)}table.facts td:first-child{width:22%;font-weight:600}table.facts td:last-child{width:18%;color:var(--muted)}
.pass{color:var(--ok);font-weight:600}.fail{color:var(--bad);font-weight:600}.partial{color:var(--warn);font-weight:600}.sev-error{color:var(--bad)}.sev-warning{color:var(--warn)}
ul.meta{padding-left:18px;margin:4px 0}code{background:var(--bg);padding:1px 4px;border-radius:4px}
.rejected{border:1px solid var(--bad);padding:8px 12px;border-radius:6px}
@media print{body{max-width:none}h2{break-before:page}}
`;

function tenantSection(t: TenantReport, index: number): string {
  const a: TenantAudit = t.audit;
  const g = a.guardrails;
  const yn = (v: boolean | undefined, on = "yes", off = "no") => (v === undefined ? "not recorded" : v ? on : off);
  const parts: string[] = [];
  parts.push(`<section class="tenant" data-stack="${esc(a.stack)}" id="tenant-${index + 1}-${esc(a.stack)}">`);
  parts.push(`<h2>Tenant <span data-fact="tenant">${esc(tenantTitle(a))}</span>: stack <code>${esc(a.stack)}</code></h2>`);
  parts.push(
    `<ul class="meta">` +
      `<li>Tenant id: <span data-fact="tenant-id">${esc(a.tenant.id ?? "not recorded")}</span></li>` +
      `<li>State: <span data-fact="source">${esc(a.source.file)}</span> (${esc(envelopeText(a).replace(/`/g, ""))})</li>` +
      `<li>Last update: <span data-fact="last-update">${esc(formatTime(a.lastUpdate))}</span>, by Pulumi <span data-fact="pulumi-version">${esc(a.pulumiVersion || "(version not recorded)")}</span>${a.manifestIntact === false ? " (manifest edited after the CLI wrote it)" : ""}</li>` +
      `<li>Secrets: <span data-fact="secrets">${esc(secretsText(a))}</span></li>` +
      `<li>Recorded guardrails: policy pack ${esc(g.policyPackRecorded ?? "not recorded")}; protected from deletion: ${esc(yn(g.protectedFromDeletion))}; monitoring: ${esc(yn(g.monitoring, "on", "off"))}</li>` +
      `</ul>`,
  );
  for (const app of a.apps) {
    parts.push(`<section class="app" data-app="${esc(app.component)}"><h3>${esc(app.displayName.value ?? app.component)} <code>${esc(app.component)}</code></h3>`);
    parts.push(table(["Question", "Answer", "Read from"], appRows(app).map((r) => `<tr>${td(r.question)}${td(r.answer, r.key)}${td(r.from)}</tr>`), "facts"));
    if (app.missing.length) parts.push(`<p><strong>Missing from this state:</strong></p><ul data-fact="missing">${app.missing.map((m) => `<li>${esc(m)}</li>`).join("")}</ul>`);
    parts.push(`</section>`);
  }
  if (a.pendingOperations.length) {
    parts.push(`<h3>Pending operations (an update was interrupted)</h3>`);
    parts.push(table(["Operation", "Resource", "Type"], a.pendingOperations.map((o) => `<tr data-fact="pending-operation">${td(o.type)}${td(o.name)}${td(shortType(o.resourceType))}</tr>`)));
  }
  parts.push(`<h3>Resources</h3>`);
  parts.push(
    table(
      ["Resource", "Type", "Id", "Protect", "Created", "Modified", "Status"],
      a.resources.map(
        (r) =>
          `<tr data-resource="${esc(r.name)}">${td(r.name)}${td(shortType(r.type))}${td(r.id ?? "", "id", "id")}${td(r.protect ? "yes" : "", "protect")}${td(formatTime(r.created), undefined, "time")}${td(formatTime(r.modified), "modified", "time")}${td(resourceStatusText(r.status, r.notes), "status", r.status === "ok" ? "" : "sev-error")}</tr>`,
      ),
    ),
  );
  const p = t.policy;
  parts.push(`<h3>Guardrails re-evaluated on this state${isVerdict(p) ? ` (${esc(p.pack)})` : ""}</h3>`);
  parts.push(`<p>Verdict: <span data-fact="verdict" class="${verdictClass(t)}">${esc(verdictText(t))}</span></p>`);
  if (isVerdict(p) && p.violations.length) {
    parts.push(table(["Level", "Policy", "Resource", "Message"], p.violations.map((v) => `<tr data-fact="violation">${td(v.enforcementLevel)}${td(v.policy)}${td(v.urn?.split("::").pop() ?? "stack")}${td(v.message)}</tr>`)));
  }
  if (isVerdict(p) && p.notEvaluated.length) {
    parts.push(`<p>Not evaluated:</p>`);
    parts.push(table(["Policy", "Resource", "Why"], p.notEvaluated.map((v) => `<tr data-fact="not-evaluated">${td(v.policy)}${td(v.urn?.split("::").pop() ?? "stack")}${td(v.message)}</tr>`)));
  }
  parts.push(`<h3>Findings</h3>`);
  parts.push(
    a.findings.length === 0
      ? `<p data-fact="findings">None: the state is complete and consistent.</p>`
      : `<ul data-fact="findings">${a.findings.map((f) => `<li class="sev-${esc(f.severity)}"><strong>${esc(f.severity)}</strong>${f.resource ? ` (${esc(f.resource)})` : ""}: ${esc(f.message)}</li>`).join("")}</ul>`,
  );
  parts.push(`</section>`);
  return parts.join("\n");
}

export function renderHtml(report: AuditReport): string {
  const rejected = report.inputs.filter((i) => !i.ok);
  const summaryRows = report.tenants.flatMap((t) => {
    const a = t.audit;
    const findings = findingsText(a);
    return (a.apps.length ? a.apps : [undefined]).map(
      (app) =>
        `<tr data-stack="${esc(a.stack)}">${td(tenantTitle(a))}${td(a.stack)}${td(app ? (app.displayName.value ?? app.component) : "no app")}${td(app ? String(app.groups.filter((g) => g.status === "assigned").length) : "")}${td(app ? scopeText(app) : "")}${td(app ? matchingText(app) : "")}${td(app ? failureEmailsText(app) : "")}${td(app ? thresholdText(app).split(";")[0] : "")}${td(app ? app.job.description : "")}${td(formatTime(app?.lastChanged ?? a.lastUpdate))}${td(verdictText(t), "summary-verdict", verdictClass(t))}${td(findings, "summary-findings", findings.includes("error") ? "fail" : "")}</tr>`,
    );
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Entra app provisioning audit</title>
<style>${CSS}</style>
</head>
<body>
<h1>Entra app provisioning audit</h1>
<p class="meta">Read from Pulumi state at <span data-fact="generated-at">${esc(formatTime(report.generatedAt))}</span>: <span data-fact="tenant-count">${report.tenants.length}</span> tenant stack(s) from ${report.inputs.length} file(s). Secret values are never shown: they appear as <code>[secret]</code>.</p>
${rejected.length ? `<div class="rejected"><h2>Files that could not be read</h2><ul data-fact="rejected">${rejected.map((i) => `<li><code>${esc(i.file)}</code>: ${esc(i.error ?? "")}</li>`).join("")}</ul></div>` : ""}
${report.tenants.length ? `<h2>Summary</h2>\n${table(["Tenant", "Stack", "App", "Groups", "Scope", "Matching", "Failure emails", "Deletion threshold", "Job", "Last changed", "Guardrails", "Findings"], summaryRows)}` : ""}
${report.tenants.map((t, i) => tenantSection(t, i)).join("\n")}
</body>
</html>
`;
}
