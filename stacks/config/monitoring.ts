/**
 * Stack config for monitoring (tutorial step 6): provisioning logs to Log Analytics and alerts.
 * Whether monitoring is on, and that subscription/resource group/location are then set, is decided in
 * load.ts (on by default in `prod`); this schema checks each setting on its own and the workspace
 * choice (new or existing) as a whole.
 */
import { z } from "zod";
import { Guid } from "./primitives";

/**
 * Window sizes (minutes) that Azure Monitor log search alerts accept (`windowSize` PT5M … P2D when the
 * evaluation frequency is 5 minutes or more).
 */
export const ALERT_WINDOW_MINUTES = [5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440, 2880] as const;
/** The inactivity window must span at least one ~40-minute provisioning cycle, so 60 minutes or more. */
export const INACTIVITY_WINDOW_MINUTES = ALERT_WINDOW_MINUTES.filter((m) => m >= 60);
/** Retention of a new workspace when `workspace.retentionInDays` is not set. */
export const DEFAULT_RETENTION_IN_DAYS = 90;

const windowMinutes = (allowed: readonly number[]) =>
  z.int({ error: "expected a whole number of minutes" }).refine((m) => allowed.includes(m), {
    error: `expected one of ${allowed.join(", ")} minutes (the windows Azure Monitor log alerts accept)`,
  });

const WorkspaceSchema = z
  .strictObject({
    existingResourceId: z
      .string()
      .regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i, {
        error: "expected a Log Analytics workspace resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.OperationalInsights/workspaces/…)",
      })
      .optional()
      .describe("Send the logs to this existing workspace instead of creating one; its retention is managed where it is defined."),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/, {
        error: "expected 4-63 letters, digits and dashes, starting and ending with a letter or digit",
      })
      .optional()
      .describe("Name of the new workspace. Defaults to `log-entra-provisioning-<tenant.name>`."),
    retentionInDays: z
      .int({ error: "expected a whole number of days" })
      .min(30, { error: "expected 30 to 730 days (Log Analytics interactive retention)" })
      .max(730, { error: "expected 30 to 730 days (Log Analytics interactive retention)" })
      .optional()
      .describe(`Retention of the new workspace. Defaults to ${DEFAULT_RETENTION_IN_DAYS} days.`),
  })
  .superRefine((w, ctx) => {
    if (w.existingResourceId === undefined) return;
    for (const key of ["name", "retentionInDays"] as const) {
      if (w[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: w[key],
          message: "only for a new workspace; remove it or remove existingResourceId (an existing workspace keeps its own name and retention)",
        });
      }
    }
  });

const AlertsSchema = z.strictObject({
  failureThreshold: z
    .int({ error: "expected a whole number of failed events" })
    .min(0, { error: "expected 0 to 100000 failed events (0 alerts on any failure)" })
    .max(100000, { error: "expected 0 to 100000 failed events (0 alerts on any failure)" })
    .default(10)
    .describe("Alert when more failed provisioning events than this occur in the window (0: any failure). Defaults to 10."),
  failureWindowMinutes: windowMinutes(ALERT_WINDOW_MINUTES)
    .default(60)
    .describe(`Window for the failure alert, one of ${ALERT_WINDOW_MINUTES.join(", ")} minutes. Defaults to 60.`),
  inactivityWindowMinutes: windowMinutes(INACTIVITY_WINDOW_MINUTES)
    .default(1440)
    .describe(
      `Alert when the job records no provisioning event for this long (stopped job, or quarantine, which slows cycles to one a day), one of ${INACTIVITY_WINDOW_MINUTES.join(", ")} minutes. ` +
        "A quiet tenant with no changes also records nothing, so shorter windows fire there. Defaults to 1440 (one day).",
    ),
  severity: z
    .int({ error: "expected a whole number" })
    .min(0, { error: "expected an Azure Monitor severity from 0 (critical) to 4 (verbose)" })
    .max(4, { error: "expected an Azure Monitor severity from 0 (critical) to 4 (verbose)" })
    .default(2)
    .describe("Azure Monitor alert severity of the rules (0 critical … 4 verbose). Defaults to 2."),
});

export const MonitoringConfigSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe("Turn monitoring on. Defaults to true in `prod`, false elsewhere."),
    subscriptionId: Guid.optional().describe("Azure subscription holding the workspace and alert rules; it must belong to the stack's tenant."),
    resourceGroupName: z
      .string()
      .regex(/^[-\w.()]{0,89}[-\w()]$/, { error: "expected an Azure resource group name (1-90 letters, digits, - _ . ( ), not ending with a period)" })
      .optional()
      .describe("Existing resource group for the workspace, action group and alert rules."),
    location: z
      .string()
      .regex(/^[a-z][a-z0-9]*$/, { error: "expected an Azure region name in lowercase, such as westeurope" })
      .optional()
      .describe("Azure region of the workspace and alert rules, e.g. `westeurope` (with an existing workspace: its region)."),
    workspace: WorkspaceSchema.prefault({}).describe("The Log Analytics workspace: a new one (default) or an existing one."),
    alerts: AlertsSchema.prefault({}).describe("Thresholds and severity of the alert rules."),
  })
  .meta({ tutorial: "Step 6: monitor your deployment" });

export type MonitoringConfig = z.output<typeof MonitoringConfigSchema>;
