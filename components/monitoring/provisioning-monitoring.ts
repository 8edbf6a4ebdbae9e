/**
 * Monitoring of one tenant's app provisioning (tutorial step 6): the Entra ID provisioning and audit
 * logs go to a Log Analytics workspace, and log search alerts email the provisioning notification
 * address on failures, silence and quarantine. See docs/monitoring.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { Provider } from "@pulumi/azure-native/provider";
import { z } from "zod";
import { DEFAULT_RETENTION_IN_DAYS, MonitoringConfig } from "../../stacks/config/monitoring";
import { AlertRole, alertRuleSpecs, AlertRuleSpec, isoDuration, kqlString, nameSlug, parseSynchronizationJobId, provisioningTarget } from "./queries";

export const PROVISIONING_MONITORING_TYPE = "entra-app-provisioning:monitoring:ProvisioningMonitoring";

/**
 * Entra diagnostic-setting categories sent to the workspace: `ProvisioningLogs` (table
 * AADProvisioningLogs; not in the SDK's `Category` enum, which the API accepts as any string) and
 * `AuditLogs` (quarantine events).
 */
export const DIAGNOSTIC_CATEGORIES = ["ProvisioningLogs", "AuditLogs"] as const;

export interface ProvisioningMonitoringArgs {
  /** Entra tenant id (GUID). The component's Azure provider authenticates against this tenant. */
  readonly tenantId: string;
  /** Short tenant name (config tenant.name), used in resource names/descriptions. */
  readonly tenantName: string;
  /** App display name, for alert names/descriptions. */
  readonly appDisplayName: string;
  /** Object id (bare GUID) of the app's service principal. */
  readonly servicePrincipalObjectId: pulumi.Input<string>;
  /**
   * Graph synchronization job id (e.g. "scim.{spIdNoDashes}.{guid}"), or the azuread
   * SynchronizationJob.id ("/servicePrincipals/{sp}/synchronization/jobs/{jobId}"). When known the
   * provisioning-log queries filter on it. Defaults to none: they filter on the service principal id.
   */
  readonly synchronizationJobId?: pulumi.Input<string>;
  /** Provisioning notification email (from app.provisioning.notificationEmail); the action group emails it. */
  readonly notificationEmail: string;
  /**
   * Whether the provisioning job is meant to run now. When false (paused, or waiting for the OAuth
   * Authorize step) silence is expected, so the inactivity rule is created disabled; the failure and
   * quarantine rules stay on. Defaults to true.
   */
  readonly jobEnabled?: boolean;
  /** Validated monitoring config (enabled is true when this is constructed; subscriptionId, resourceGroupName, location are set). */
  readonly config: MonitoringConfig;
}

/** One alert rule as reported to auditors. */
export interface MonitoringAlertSummary {
  readonly role: AlertRole;
  readonly name: string;
  readonly table: string;
  readonly operator: string;
  readonly threshold: number;
  readonly windowMinutes: number;
  readonly evaluationFrequencyMinutes: number;
  readonly severity: number;
  readonly enabled: boolean;
}

/** Secret-free description of what is monitored, for the stack's audit output. */
export interface MonitoringSummary {
  readonly workspaceResourceId: string;
  /** True when this stack created the workspace, false for an existing one. */
  readonly workspaceCreated: boolean;
  readonly retentionInDays?: number;
  readonly diagnosticSettingName: string;
  readonly categories: readonly string[];
  readonly actionGroupEmail: string;
  readonly alerts: readonly MonitoringAlertSummary[];
}

/** Azure names of the component's resources, derived from the tenant name. */
export interface MonitoringResourceNames {
  readonly workspaceName: string;
  readonly diagnosticSettingName: string;
  readonly actionGroupName: string;
  /** At most 12 characters (Azure's limit for `groupShortName`). */
  readonly actionGroupShortName: string;
}

/** Names used when the config does not set them. Pure. */
export function monitoringResourceNames(tenantName: string, config: Pick<MonitoringConfig, "workspace">): MonitoringResourceNames {
  const tenant = nameSlug(tenantName, 40);
  return {
    workspaceName: config.workspace.name ?? `log-entra-provisioning-${tenant}`,
    diagnosticSettingName: `entra-app-provisioning-${tenant}`,
    actionGroupName: `ag-entra-provisioning-${tenant}`,
    actionGroupShortName: `prov-${tenant}`.slice(0, 12).replace(/-+$/, ""),
  };
}

const Guid = z.guid();
const Email = z.email();

/**
 * Checks the arguments that are known before deployment and returns every problem found (empty when
 * valid). Values that are still outputs (service principal, job id) are checked when they resolve.
 */
export function validateProvisioningMonitoringArgs(args: ProvisioningMonitoringArgs): string[] {
  const problems: string[] = [];
  const c = args.config;
  if (c.enabled === false) problems.push("monitoring.enabled is false: do not construct ProvisioningMonitoring when monitoring is off");
  for (const key of ["subscriptionId", "resourceGroupName", "location"] as const) {
    if (!c[key]) problems.push(`monitoring.${key} is required when monitoring is on`);
  }
  if (!Guid.safeParse(args.tenantId).success) problems.push(`tenantId must be the Entra tenant id (a GUID); received ${JSON.stringify(args.tenantId)}`);
  if (args.tenantName.trim() === "") problems.push("tenantName must not be empty");
  if (args.appDisplayName.trim() === "") problems.push("appDisplayName must not be empty");
  if (!Email.safeParse(args.notificationEmail).success) {
    problems.push(`notificationEmail must be an email address (app.provisioning.notificationEmail); received ${JSON.stringify(args.notificationEmail)}`);
  }
  const attempt = (check: () => unknown): boolean => {
    try {
      check();
      return true;
    } catch (e) {
      problems.push((e as Error).message);
      return false;
    }
  };
  attempt(() => kqlString(args.appDisplayName));
  const sp = args.servicePrincipalObjectId;
  const job = typeof args.synchronizationJobId === "string" ? args.synchronizationJobId : undefined;
  const jobValid = !job || attempt(() => parseSynchronizationJobId(job));
  // With both ids known, also checks that the job belongs to the service principal.
  if (typeof sp === "string") attempt(() => provisioningTarget(sp, jobValid ? job : undefined, args.appDisplayName));
  return problems;
}

/**
 * Per tenant: a Log Analytics workspace (or an existing one), the tenant's Entra diagnostic setting
 * sending ProvisioningLogs and AuditLogs to it, an action group emailing the provisioning notification
 * address, and three log search alert rules (failures, inactivity, quarantine) for one app.
 *
 * Children: `${name}-azure-native` (provider for `config.subscriptionId` in `tenantId`),
 * `${name}-workspace` (only without `workspace.existingResourceId`), `${name}-diagnostics`,
 * `${name}-action-group`, `${name}-alert-failures`, `${name}-alert-inactive`, `${name}-alert-quarantine`.
 *
 * The tenant diagnostic setting needs a role at `/providers/Microsoft.aadiam` for a service principal
 * (Azure answers 403 otherwise, even for a Global Administrator): see docs/monitoring.md.
 */
export class ProvisioningMonitoring extends pulumi.ComponentResource {
  /** Resource id of the workspace the logs go to. */
  readonly workspaceResourceId: pulumi.Output<string>;
  /** Resource id of the action group. */
  readonly actionGroupId: pulumi.Output<string>;
  /** Azure names of the alert rules (failures, inactive, quarantine); known at preview. */
  readonly alertRuleNames: pulumi.Output<string[]>;
  /** Secret-free summary for the auditors' stack output. */
  readonly summary: pulumi.Output<MonitoringSummary>;

  /**
   * @param name The unique name of this component; children are named `${name}-<role>`.
   * @param args What to monitor and where; see {@link ProvisioningMonitoringArgs}.
   * @param opts A bag of options that control this component's behavior.
   */
  constructor(name: string, args: ProvisioningMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before registering anything: a bad argument must not leave a half-built component in the plan.
    const problems = validateProvisioningMonitoringArgs(args);
    if (problems.length > 0) throw new Error(`ProvisioningMonitoring ${name}: ${problems.join("; ")}`);
    super(PROVISIONING_MONITORING_TYPE, name, {}, opts);

    const c = args.config;
    const resourceGroupName = c.resourceGroupName!;
    const location = c.location!;
    const names = monitoringResourceNames(args.tenantName, c);
    const tags = { managedBy: "entra-app-provisioning", entraTenant: args.tenantName };

    const provider = new Provider(`${name}-azure-native`, { subscriptionId: c.subscriptionId!, tenantId: args.tenantId }, { parent: this });
    const childOpts = { parent: this, provider };

    const existing = c.workspace.existingResourceId;
    const retentionInDays = existing === undefined ? (c.workspace.retentionInDays ?? DEFAULT_RETENTION_IN_DAYS) : undefined;
    const workspace =
      existing === undefined
        ? new operationalinsights.Workspace(
            `${name}-workspace`,
            { workspaceName: names.workspaceName, resourceGroupName, location, retentionInDays, sku: { name: "PerGB2018" }, tags },
            childOpts,
          )
        : undefined;
    this.workspaceResourceId = workspace ? workspace.id : pulumi.output(existing!);

    // Tenant-scoped: no resource group or location. retentionPolicy is deprecated; the workspace's applies.
    const diagnostics = new aadiam.DiagnosticSetting(
      `${name}-diagnostics`,
      {
        name: names.diagnosticSettingName,
        workspaceId: this.workspaceResourceId,
        logs: DIAGNOSTIC_CATEGORIES.map((category) => ({ category, enabled: true })),
      },
      childOpts,
    );

    const actionGroup = new monitor.ActionGroup(
      `${name}-action-group`,
      {
        actionGroupName: names.actionGroupName,
        groupShortName: names.actionGroupShortName,
        resourceGroupName,
        location: "Global",
        enabled: true,
        emailReceivers: [{ name: "provisioning-notification-email", emailAddress: args.notificationEmail, useCommonAlertSchema: true }],
        tags,
      },
      childOpts,
    );
    this.actionGroupId = actionGroup.id;

    const target = pulumi
      .all([args.servicePrincipalObjectId, args.synchronizationJobId])
      .apply(([sp, job]) => provisioningTarget(sp, job, args.appDisplayName));
    const specs = alertRuleSpecs({ tenantName: args.tenantName, appDisplayName: args.appDisplayName, alerts: c.alerts });
    const enabledFor = (spec: AlertRuleSpec) => spec.role !== "inactive" || args.jobEnabled !== false;
    for (const spec of specs) {
      new monitor.ScheduledQueryRule(
        `${name}-alert-${spec.role}`,
        {
          ruleName: spec.ruleName,
          displayName: spec.displayName,
          description: spec.description,
          resourceGroupName,
          location,
          kind: "LogAlert",
          enabled: enabledFor(spec),
          scopes: [this.workspaceResourceId],
          severity: spec.severity,
          evaluationFrequency: isoDuration(spec.evaluationFrequencyMinutes),
          windowSize: isoDuration(spec.windowMinutes),
          criteria: {
            allOf: [
              {
                query: target.apply(spec.query),
                timeAggregation: "Count",
                operator: spec.operator,
                threshold: spec.threshold,
                failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
              },
            ],
          },
          // Stateful: one notification when the rule fires and one when it resolves.
          autoMitigate: true,
          // A new workspace may lack the tables until the first logs arrive; the queries are unit-tested instead.
          skipQueryValidation: true,
          actions: {
            actionGroups: [actionGroup.id],
            customProperties: { entraTenant: args.tenantName, app: args.appDisplayName, runbook: spec.runbook },
          },
          tags,
        },
        { ...childOpts, dependsOn: [diagnostics] },
      );
    }
    this.alertRuleNames = pulumi.output(specs.map((s) => s.ruleName));

    // Depends only on the workspace id, so plans show it before anything exists.
    this.summary = this.workspaceResourceId.apply((workspaceResourceId) => ({
      workspaceResourceId,
      workspaceCreated: workspace !== undefined,
      ...(retentionInDays !== undefined ? { retentionInDays } : {}),
      diagnosticSettingName: names.diagnosticSettingName,
      categories: [...DIAGNOSTIC_CATEGORIES],
      actionGroupEmail: args.notificationEmail,
      alerts: specs.map((s) => ({
        role: s.role,
        name: s.ruleName,
        table: s.table,
        operator: s.operator,
        threshold: s.threshold,
        windowMinutes: s.windowMinutes,
        evaluationFrequencyMinutes: s.evaluationFrequencyMinutes,
        severity: s.severity,
        enabled: enabledFor(s),
      })),
    }));

    this.registerOutputs({
      workspaceResourceId: this.workspaceResourceId,
      actionGroupId: this.actionGroupId,
      alertRuleNames: this.alertRuleNames,
      summary: this.summary,
    });
  }
}
