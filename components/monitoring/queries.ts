/**
 * Pure builders for the KQL of the provisioning alert rules, and the rule definitions around them
 * (thresholds, windows, operators). No Pulumi here: tested without mocks.
 *
 * Tables (docs/monitoring.md, entra-graph.md §6.2):
 * - `AADProvisioningLogs`: one row per provisioning event; `ResultType` is Success/Failure/Skipped,
 *   `JobId` the synchronization job, `ServicePrincipal` a JSON string `{"Id": …, "Name": …}`.
 * - `AuditLogs`: quarantine shows up there as the activity (`OperationName`) "Quarantine".
 */

/** Tables the queries read; each comes from the diagnostic-setting category of the same role. */
export const PROVISIONING_TABLE = "AADProvisioningLogs";
export const AUDIT_TABLE = "AuditLogs";

/** Which app the queries watch. */
export interface ProvisioningTarget {
  /** Object id (GUID) of the app's service principal. */
  readonly servicePrincipalObjectId: string;
  /** Bare synchronization job id (e.g. `scim.0a1b….5ef3…`), when known. */
  readonly jobId?: string;
  /** App display name, carried into the results as the `App` column. */
  readonly appDisplayName: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,255}$/;
const JOB_RESOURCE_ID = /^\/servicePrincipals\/([^/]+)\/synchronization\/jobs\/([^/]+)$/;

/**
 * A KQL string literal for `value`: double-quoted, with `\`, `"`, tab, newline and carriage return
 * escaped, so no input can end the literal early. Other control characters have no documented escape
 * and are rejected.
 */
export function kqlString(value: string): string {
  const bad = [...value].find((c) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(c));
  if (bad !== undefined) {
    throw new Error(`cannot put ${JSON.stringify(value)} in a KQL string: control character U+${bad.codePointAt(0)!.toString(16).padStart(4, "0").toUpperCase()} is not allowed`);
  }
  const escaped = value.replace(/[\\"\t\n\r]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);
  return `"${escaped}"`;
}

/**
 * The bare job id from either form: a bare id (`scim.….…`) or the azuread `SynchronizationJob.id`
 * (`/servicePrincipals/{sp}/synchronization/jobs/{jobId}`). Throws on anything else.
 */
export function parseSynchronizationJobId(value: string): { readonly jobId: string; readonly servicePrincipalObjectId?: string } {
  const path = JOB_RESOURCE_ID.exec(value);
  const jobId = path ? path[2] : value;
  if (!JOB_ID.test(jobId)) {
    throw new Error(
      `synchronizationJobId ${JSON.stringify(value)} is not a synchronization job id: expected "scim.<sp id>.<guid>"-style letters, digits, . _ - ` +
        `or "/servicePrincipals/{id}/synchronization/jobs/{jobId}"`,
    );
  }
  return path ? { jobId, servicePrincipalObjectId: path[1] } : { jobId };
}

/**
 * Validates the app identifiers and returns the query target. Throws with a specific message when the
 * service principal id is not a GUID, the job id is malformed, or the job belongs to another service
 * principal.
 */
export function provisioningTarget(servicePrincipalObjectId: string, synchronizationJobId: string | undefined, appDisplayName: string): ProvisioningTarget {
  if (!GUID.test(servicePrincipalObjectId)) {
    throw new Error(`servicePrincipalObjectId must be the service principal's object id (a bare GUID); received ${JSON.stringify(servicePrincipalObjectId)}`);
  }
  if (synchronizationJobId === undefined || synchronizationJobId === "") return { servicePrincipalObjectId, appDisplayName };
  const job = parseSynchronizationJobId(synchronizationJobId);
  if (job.servicePrincipalObjectId !== undefined && job.servicePrincipalObjectId.toLowerCase() !== servicePrincipalObjectId.toLowerCase()) {
    throw new Error(
      `synchronizationJobId ${JSON.stringify(synchronizationJobId)} belongs to service principal ${job.servicePrincipalObjectId}, ` +
        `not to servicePrincipalObjectId ${servicePrincipalObjectId}`,
    );
  }
  return { servicePrincipalObjectId, jobId: job.jobId, appDisplayName };
}

/**
 * The `where` line that keeps this app's provisioning events: by `JobId` when the job is known (the
 * filter Microsoft's samples use; an app can have several jobs), else by the service principal id in
 * the `ServicePrincipal` JSON column.
 */
export function provisioningEventFilter(target: ProvisioningTarget): string {
  return target.jobId !== undefined
    ? `| where JobId == ${kqlString(target.jobId)}`
    : `| where tostring(parse_json(ServicePrincipal).Id) == ${kqlString(target.servicePrincipalObjectId)}`;
}

/** Failed provisioning events of the app; the rule counts rows. */
export function failedProvisioningQuery(target: ProvisioningTarget): string {
  return [
    PROVISIONING_TABLE,
    provisioningEventFilter(target),
    `| where ResultType =~ "Failure"`,
    `| extend App = ${kqlString(target.appDisplayName)}, ErrorCode = ResultSignature`,
    `| project TimeGenerated, App, JobId, CycleId, ErrorCode, ResultDescription, SourceIdentity, TargetIdentity`,
  ].join("\n");
}

/** Any provisioning event of the app (success, failure or skip); the inactivity rule alerts on none. */
export function provisioningActivityQuery(target: ProvisioningTarget): string {
  return [
    PROVISIONING_TABLE,
    provisioningEventFilter(target),
    `| extend App = ${kqlString(target.appDisplayName)}`,
    `| project TimeGenerated, App, JobId, CycleId, ResultType`,
  ].join("\n");
}

/**
 * Quarantine events of the app in the audit log (portal: Audit logs, Activity "Quarantine"; also the
 * accidental-deletion threshold, reason TooManyDeletes). The service principal (or job) id is matched
 * anywhere in the target resources and details, since the event's exact shape is not documented.
 */
export function quarantineEventsQuery(target: ProvisioningTarget): string {
  const ids = [target.servicePrincipalObjectId, ...(target.jobId !== undefined ? [target.jobId] : [])];
  const match = ids.flatMap((id) => [`tostring(TargetResources) contains ${kqlString(id)}`, `tostring(AdditionalDetails) contains ${kqlString(id)}`]).join(" or ");
  return [
    AUDIT_TABLE,
    `| where OperationName =~ "Quarantine"`,
    `| where ${match}`,
    `| extend App = ${kqlString(target.appDisplayName)}`,
    `| project TimeGenerated, App, OperationName, Result, ResultReason, TargetResources, AdditionalDetails`,
  ].join("\n");
}

/** The alert rules, by role; the role also names the Pulumi child (`${name}-alert-<role>`). */
export const ALERT_ROLES = ["failures", "inactive", "quarantine"] as const;
export type AlertRole = (typeof ALERT_ROLES)[number];

/** Window and evaluation frequency of the quarantine rule (minutes). Not configurable: any event alerts. */
export const QUARANTINE_WINDOW_MINUTES = 60;

/** One log search alert rule, fully decided except for the app ids the query needs. */
export interface AlertRuleSpec {
  readonly role: AlertRole;
  /** Azure resource name of the rule. */
  readonly ruleName: string;
  readonly displayName: string;
  readonly description: string;
  readonly table: string;
  /** `criteria.allOf[0].operator`, applied to the row count (`timeAggregation: Count`). */
  readonly operator: "GreaterThan" | "LessThan";
  readonly threshold: number;
  readonly windowMinutes: number;
  readonly evaluationFrequencyMinutes: number;
  readonly severity: number;
  /** Section of docs/monitoring.md that tells what to do when the rule fires. */
  readonly runbook: string;
  /** The rule's KQL for an app. */
  readonly query: (target: ProvisioningTarget) => string;
}

/** What the rules depend on besides the app ids. */
export interface AlertRulesInput {
  /** Short tenant name (config `tenant.name`). */
  readonly tenantName: string;
  readonly appDisplayName: string;
  readonly alerts: {
    readonly failureThreshold: number;
    readonly failureWindowMinutes: number;
    readonly inactivityWindowMinutes: number;
    readonly severity: number;
  };
}

/** Lowercase letters, digits and single dashes: safe in any Azure resource name. `"app"` if nothing is left. */
export function nameSlug(text: string, maxLength = 60): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, maxLength)
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "app" : slug;
}

/** `PT5M`, `PT1H`, `P1D`: the ISO 8601 durations Azure Monitor expects for windows and frequencies. */
export function isoDuration(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes <= 0) throw new Error(`a duration must be a positive whole number of minutes; received ${minutes}`);
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `PT${minutes / 60}H`;
  return `PT${minutes}M`;
}

/**
 * The three rules for an app:
 * - failures: more than `failureThreshold` failed events in `failureWindowMinutes` (evaluated every
 *   15 minutes, or every window if shorter);
 * - inactive: no provisioning event at all in `inactivityWindowMinutes` (evaluated hourly);
 * - quarantine: any quarantine audit event in the last hour (evaluated every 15 minutes).
 */
export function alertRuleSpecs(input: AlertRulesInput): AlertRuleSpec[] {
  const { tenantName, appDisplayName, alerts } = input;
  const base = `${nameSlug(tenantName, 40)}-${nameSlug(appDisplayName, 60)}-provisioning`;
  const label = `${appDisplayName} (${tenantName})`;
  return [
    {
      role: "failures",
      ruleName: `${base}-failures`,
      displayName: `${label}: provisioning failures`,
      description:
        `More than ${alerts.failureThreshold} failed provisioning events for ${appDisplayName} in ${alerts.failureWindowMinutes} minutes. ` +
        `See docs/monitoring.md#provisioning-failures.`,
      table: PROVISIONING_TABLE,
      operator: "GreaterThan",
      threshold: alerts.failureThreshold,
      windowMinutes: alerts.failureWindowMinutes,
      evaluationFrequencyMinutes: Math.min(alerts.failureWindowMinutes, 15),
      severity: alerts.severity,
      runbook: "docs/monitoring.md#provisioning-failures",
      query: failedProvisioningQuery,
    },
    {
      role: "inactive",
      ruleName: `${base}-inactive`,
      displayName: `${label}: no provisioning activity`,
      description:
        `No provisioning event for ${appDisplayName} in ${alerts.inactivityWindowMinutes} minutes: the job may be stopped, disabled or in quarantine. ` +
        `See docs/monitoring.md#no-provisioning-activity.`,
      table: PROVISIONING_TABLE,
      operator: "LessThan",
      threshold: 1,
      windowMinutes: alerts.inactivityWindowMinutes,
      evaluationFrequencyMinutes: Math.min(alerts.inactivityWindowMinutes, 60),
      severity: alerts.severity,
      runbook: "docs/monitoring.md#no-provisioning-activity",
      query: provisioningActivityQuery,
    },
    {
      role: "quarantine",
      ruleName: `${base}-quarantine`,
      displayName: `${label}: provisioning quarantined`,
      description:
        `The provisioning job of ${appDisplayName} was put in quarantine (invalid credentials, too many failures, or too many deletes). ` +
        `See docs/monitoring.md#provisioning-quarantined.`,
      table: AUDIT_TABLE,
      operator: "GreaterThan",
      threshold: 0,
      windowMinutes: QUARANTINE_WINDOW_MINUTES,
      evaluationFrequencyMinutes: 15,
      severity: alerts.severity,
      runbook: "docs/monitoring.md#provisioning-quarantined",
      query: quarantineEventsQuery,
    },
  ];
}
