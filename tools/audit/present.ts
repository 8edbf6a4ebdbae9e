/**
 * The audit's facts in words, shared by the Markdown and HTML reports so both say the same thing.
 * Plain text only: each renderer escapes it for its own format.
 */
import { AppAudit, Fact, FactSource, shortType, TenantAudit, timeOf } from "./extract";
import { isVerdict, TenantReport } from "./report";

/** `2026-03-02T09:41:27.512034017Z` → `2026-03-02 09:41:27 UTC`. */
export function formatTime(t: string | undefined): string {
  const ms = timeOf(t);
  if (ms === undefined) return t ? `${t} (not a time)` : "not recorded";
  return `${new Date(ms).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "")} UTC`;
}

const answer = <T>(f: Fact<T>, say: (v: T) => string): string => (f.value === undefined ? `unknown: ${f.note ?? "not recorded"}` : say(f.value));

export const SOURCE_LABEL: Record<FactSource, string> = { resource: "resources", summary: "recorded summary", none: "—" };

export interface FactRow {
  /** Stable key (HTML `data-fact`, JSON consumers). */
  readonly key: string;
  readonly question: string;
  readonly answer: string;
  /** Where it was read, and why not from the resource when it was not. */
  readonly from: string;
}

const from = (f: Fact<unknown>): string =>
  f.source === "resource" ? SOURCE_LABEL.resource : f.source === "summary" ? `${SOURCE_LABEL.summary}${f.note ? `, because ${f.note}` : ""}` : "—";

export const scopeText = (app: AppAudit): string =>
  answer(app.scope, (v) => (v === "allUsersAndGroups" ? "Sync all users and groups (SyncAll true)" : "Sync only assigned users and groups (SyncAll false)"));

export const scopingText = (app: AppAudit): string =>
  answer(app.scopingFilters, (filters) =>
    filters.length === 0
      ? "none: every user and group in scope is provisioned"
      : filters
          .map((f) => `${f.object}: "${f.name}": ${f.clauses.map((c) => `${c.attribute} ${c.operator}${c.values.length ? ` ${c.values.join(" | ")}` : ""}`).join(" AND ")}`)
          .join("; OR "),
  );

export const matchingText = (app: AppAudit): string =>
  answer(app.matching, (m) => (m.length === 0 ? "none declared" : m.map((x) => `${x.object}: ${x.target} ← ${x.source} (precedence ${x.priority})`).join("; ")));

export const failureEmailsText = (app: AppAudit): string =>
  answer(app.failureEmails, (v) => (v.enabled ? `${v.recipients || "(no recipient)"} (failure emails on)` : `nobody: failure emails are off${v.recipients ? ` (recipient recorded: ${v.recipients})` : ""}`));

export const thresholdText = (app: AppAudit): string =>
  answer(app.deletionThreshold, (v) =>
    v.enabled ? `${v.value ?? "default (500)"} deletions per cycle; more quarantines the job (accidental-deletion prevention on)` : "off: no limit on deletions per cycle",
  );

export const skipText = (app: AppAudit): string =>
  answer(app.skipOutOfScopeDeletions, (v) => (v ? "kept: accounts leaving scope are not disabled (SkipOutOfScopeDeletions on)" : "disabled in the app when they leave scope (SkipOutOfScopeDeletions off)"));

export const groupsText = (app: AppAudit): string =>
  app.groups.length === 0
    ? "no group is assigned"
    : app.groups
        .map((g) => {
          const name = g.entraName ?? g.configuredName ?? "(name not recorded)";
          const role = g.role ? ` as ${g.role}` : "";
          const status = g.status === "assigned" ? "" : ` [${g.status}]`;
          return `${name} (${g.objectId})${role}${status}`;
        })
        .join("; ");

export const credentialsText = (app: AppAudit): string => {
  const c = app.credentials;
  const mode = c.mode === "oauth" ? `OAuth: an admin authorizes in the portal${c.oauthAuthorized === undefined ? "" : c.oauthAuthorized ? " (authorized)" : " (not yet authorized)"}` : c.mode === "token" ? "tenant URL + secret token" : "unknown mode";
  const keys = answer(c.keysWritten, (k) => (k.length ? `keys written: ${k.join(", ")}` : "no keys written"));
  const url = c.tenantUrl.value !== undefined ? `; tenant URL ${c.tenantUrl.value}` : c.mode === "token" ? `; tenant URL: ${c.tenantUrl.note}` : "";
  return `${mode}; ${keys}${url}; credential values are never shown`;
};

export const jobText = (app: AppAudit): string => `${app.job.description}${app.job.templateId ? `; template ${app.job.templateId}` : ""}`;

export const protectText = (app: AppAudit): string => {
  const yn = (v: boolean | undefined) => (v === undefined ? "not in state" : v ? "yes" : "no");
  return `application: ${yn(app.protect.application)}, service principal: ${yn(app.protect.servicePrincipal)}`;
};

/** The questions an auditor asks of one app, in report order. */
export function appRows(app: AppAudit): FactRow[] {
  const ids = [
    app.applicationObjectId ? `application object id ${app.applicationObjectId}` : undefined,
    app.servicePrincipalObjectId ? `service principal ${app.servicePrincipalObjectId}` : undefined,
    app.galleryTemplateId ? `gallery template ${app.galleryTemplateId}` : undefined,
  ].filter(Boolean);
  return [
    { key: "app", question: "Which app", answer: `${answer(app.displayName, (v) => v)}${app.preset ? ` (preset ${app.preset})` : ""}${ids.length ? `; ${ids.join("; ")}` : ""}`, from: from(app.displayName) },
    { key: "groups", question: "Who is assigned", answer: groupsText(app), from: app.groups.some((g) => g.status === "assigned" || g.status === "failed") ? SOURCE_LABEL.resource : app.groups.length ? SOURCE_LABEL.summary : "—" },
    { key: "assignment-required", question: "Assignment required", answer: answer(app.assignmentRequired, (v) => (v ? "yes: only assigned users and groups can use the app" : "no")), from: from(app.assignmentRequired) },
    { key: "scope", question: "Scope", answer: scopeText(app), from: from(app.scope) },
    { key: "scoping-filters", question: "Scoping filters", answer: scopingText(app), from: from(app.scopingFilters) },
    { key: "matching", question: "Matching (which attribute decides identity)", answer: matchingText(app), from: from(app.matching) },
    { key: "failure-emails", question: "Who gets failure emails", answer: failureEmailsText(app), from: from(app.failureEmails) },
    { key: "deletion-threshold", question: "Deletion threshold", answer: thresholdText(app), from: from(app.deletionThreshold) },
    { key: "out-of-scope", question: "Accounts leaving scope", answer: skipText(app), from: from(app.skipOutOfScopeDeletions) },
    { key: "credentials", question: "Admin credentials", answer: credentialsText(app), from: from(app.credentials.keysWritten) },
    { key: "job", question: "Does the job run", answer: jobText(app), from: app.job.present ? SOURCE_LABEL.resource : "—" },
    { key: "protect", question: "Protected from deletion", answer: protectText(app), from: SOURCE_LABEL.resource },
    { key: "owners", question: "Owners", answer: app.owners.length ? app.owners.join(", ") : "none recorded", from: SOURCE_LABEL.resource },
    { key: "last-changed", question: "Last changed", answer: formatTime(app.lastChanged), from: "resources' modified time" },
  ];
}

export const tenantTitle = (a: TenantAudit): string => `${a.tenant.name ?? a.stack}${a.tenant.environment ? ` (${a.tenant.environment})` : ""}`;

export const envelopeText = (a: TenantAudit): string =>
  `${a.source.envelope === "export" ? "`pulumi stack export`" : "local-files backend stack file"}, deployment version ${a.source.schemaVersion}${a.source.features.length ? ` (features: ${a.source.features.join(", ")})` : ""}`;

export const secretsText = (a: TenantAudit): string =>
  `${a.secrets.provider ? `secrets provider ${a.secrets.provider}` : "no secrets provider recorded"}; ${a.secrets.encrypted} encrypted secret value(s)${a.secrets.decrypted ? `, ${a.secrets.decrypted} decrypted by --show-secrets` : ""}; shown as [secret]`;

export function verdictText(t: TenantReport): string {
  const p = t.policy;
  if (!isVerdict(p)) return `not evaluated: ${p.error}`;
  const mandatory = p.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = p.violations.length - mandatory;
  const skipped = p.notEvaluated.length ? `, ${p.notEvaluated.length} check(s) not evaluated` : "";
  return `${p.verdict === "pass" ? "pass" : "FAIL"}: ${mandatory} mandatory, ${advisory} advisory violation(s)${skipped}`;
}

/** "none", or "2 error(s), 1 warning(s)": partial and failed states show in the summary. */
export function findingsText(a: TenantAudit): string {
  const count = (sev: string) => a.findings.filter((f) => f.severity === sev).length;
  const parts = [`${count("error")} error(s)`, `${count("warning")} warning(s)`].filter((p) => !p.startsWith("0 "));
  return parts.length ? parts.join(", ") : "none";
}

/** pass, fail, or partial (passes, but some checks could not read the values they need). */
export function verdictClass(t: TenantReport): "pass" | "fail" | "partial" {
  const p = t.policy;
  if (!isVerdict(p) || p.verdict === "fail") return "fail";
  return p.notEvaluated.length ? "partial" : "pass";
}

export const resourceStatusText = (status: string, notes: readonly string[]): string => (notes.length ? `${status}: ${notes.join("; ")}` : status);

export { shortType };
