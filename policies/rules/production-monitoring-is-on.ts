/**
 * Production stacks are monitored: an Entra diagnostic setting sends the provisioning logs (and any
 * other required categories) somewhere, and enough enabled log alert rules notify an action group.
 *
 * Why: provisioning fails quietly. A quarantined job sends one email; a stopped job sends none. Logs in
 * a workspace and alerts on failures and silence are how the team learns about it before the users do.
 */
import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ruleName } from "../lib/rule-name";
import { isProductionUrn, PRODUCTION_STACKS_SCHEMA, stackOfUrn } from "../lib/stacks";
import { TYPES } from "../lib/types";
import { peek, UNKNOWN } from "../lib/values";
import { policyConfig } from "../lib/validate";

interface MonitoringConfig {
  readonly productionStacks: readonly string[];
  readonly requiredLogCategories: readonly string[];
  readonly minAlertRules: number;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    productionStacks: PRODUCTION_STACKS_SCHEMA,
    requiredLogCategories: {
      type: "array",
      items: { type: "string", minLength: 1 },
      minItems: 1,
      default: ["ProvisioningLogs"],
      description: "Entra diagnostic-setting log categories that must be enabled with a destination.",
    },
    minAlertRules: {
      type: "integer",
      minimum: 1,
      default: 1,
      description: "Enabled log alert rules (azure-native monitor.ScheduledQueryRule) with an action group required in production.",
    },
  },
};

/** A destination is set when a workspace, storage account or event hub is given (known or not yet). */
function hasDestination(r: PolicyResource): boolean {
  return ["workspaceId", "storageAccountId", "eventHubAuthorizationRuleId"].some((k) => {
    const v = peek(r.props, k);
    return v === UNKNOWN || (typeof v === "string" && v !== "");
  });
}

function enabledCategories(r: PolicyResource): string[] {
  const logs = peek(r.props, "logs");
  if (!Array.isArray(logs)) return [];
  return logs.filter((l) => peek(l, "enabled") === true).map((l) => peek(l, "category")).filter((c): c is string => typeof c === "string");
}

function notifies(rule: PolicyResource): boolean {
  const groups = peek(peek(rule.props, "actions"), "actionGroups");
  return groups === UNKNOWN || (Array.isArray(groups) && groups.length > 0);
}

const productionMonitoringIsOn: StackValidationPolicy = {
  name: ruleName(__filename),
  description: "Production stacks send Entra provisioning logs to Log Analytics and alert on them.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema,
  remediationSteps: "Turn monitoring on in the production stack config (monitoring.enabled, subscriptionId, resourceGroupName, location); see docs/monitoring.md.",
  validateStack: (args, report) => {
    const cfg = policyConfig<MonitoringConfig>(args, configSchema);
    const urn = args.resources.find((r) => stackOfUrn(r.urn) !== undefined)?.urn;
    if (urn === undefined || !isProductionUrn(urn, cfg.productionStacks)) args.notApplicable("not a production stack");
    const stack = JSON.stringify(stackOfUrn(urn!));
    const settings = args.resources.filter((r) => r.type === TYPES.diagnosticSetting);
    for (const category of cfg.requiredLogCategories) {
      if (!settings.some((s) => hasDestination(s) && enabledCategories(s).includes(category))) {
        report(`Production stack ${stack} has no Entra diagnostic setting sending ${category} to a workspace, storage account or event hub; provisioning failures would go unnoticed.`);
      }
    }
    const rules = args.resources.filter((r) => r.type === TYPES.scheduledQueryRule);
    const alerting = rules.filter((r) => peek(r.props, "enabled") !== false && notifies(r));
    if (alerting.length < cfg.minAlertRules) {
      report(
        `Production stack ${stack} has ${alerting.length} enabled log alert rule(s) with an action group (of ${rules.length} declared); at least ${cfg.minAlertRules} required so someone hears of failures and quarantine.`,
      );
    }
  },
};

export default productionMonitoringIsOn;
