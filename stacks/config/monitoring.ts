/**
 * Stack config for monitoring (tutorial step 6): provisioning logs to Log Analytics and alerts.
 */
import { z } from "zod";

const Guid = z.guid({ error: "expected a GUID like 00000000-0000-0000-0000-000000000000" });

export const MonitoringConfigSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe("Turn monitoring on. Defaults to true in `prod`, false elsewhere."),
    subscriptionId: Guid.optional().describe("Azure subscription holding the workspace and alert rules."),
    resourceGroupName: z
      .string()
      .regex(/^[-\w.()]{1,90}$/, { error: "expected an Azure resource group name (1-90 letters, digits, - _ . ( ))" })
      .optional()
      .describe("Existing resource group for the workspace, action group and alert rules."),
    location: z.string().regex(/^[a-z0-9]+$/, { error: "expected an Azure region name such as westeurope" }).optional().describe("Azure region, e.g. `westeurope`."),
    workspace: z
      .strictObject({
        existingResourceId: z
          .string()
          .regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i, {
            error: "expected a Log Analytics workspace resource id (/subscriptions/…/providers/Microsoft.OperationalInsights/workspaces/…)",
          })
          .optional()
          .describe("Use this existing workspace instead of creating one."),
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,62}$/, { error: "expected 4-63 letters, digits and dashes" }).optional().describe("Name of the new workspace."),
        retentionInDays: z.int().min(30).max(730).default(90).describe("Retention of the new workspace. Defaults to 90 days."),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        failureThreshold: z.int().min(1).max(100000).default(10).describe("Alert when more failed provisioning events than this occur in the window. Defaults to 10."),
        failureWindowMinutes: z.int().min(5).max(1440).default(60).describe("Window for the failure alert. Defaults to 60 minutes."),
        inactivityWindowMinutes: z
          .int()
          .min(60)
          .max(2880)
          .default(180)
          .describe("Alert when the job records no provisioning activity for this long (quarantine, stopped job). Defaults to 180 minutes."),
        severity: z.int().min(0).max(4).default(2).describe("Azure Monitor alert severity (0 critical … 4 verbose). Defaults to 2."),
      })
      .prefault({}),
  })
  .meta({ tutorial: "Step 6: monitor your deployment" });

export type MonitoringConfig = z.output<typeof MonitoringConfigSchema>;
