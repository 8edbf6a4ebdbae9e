/**
 * The accidental-deletion threshold is on: `SyncNotificationSettings.DeleteThresholdEnabled` is true and
 * `DeleteThresholdValue` is a whole number no higher than the policy's maximum, which is stricter for
 * production stacks.
 *
 * Why: deletes and disables count against the threshold. A scope or mapping mistake that takes
 * thousands of users out of scope disables all their accounts in one cycle unless the threshold stops
 * the job first (it then quarantines and waits for an admin to allow the deletes). Microsoft's default
 * of 500 lets 499 accounts go per cycle, too many for most production tenants.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { ruleName } from "../lib/rule-name";
import { notificationSettings } from "../lib/secrets-document";
import { isProductionUrn, PRODUCTION_STACKS_SCHEMA, stackOfUrn } from "../lib/stacks";
import { TYPES } from "../lib/types";
import { policyConfig, validateResourcesOfTypes } from "../lib/validate";

interface DeletionThresholdConfig {
  readonly maxThreshold: number;
  readonly productionMaxThreshold: number;
  readonly productionStacks: readonly string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    maxThreshold: {
      type: "integer",
      minimum: 1,
      maximum: 100000,
      default: 500,
      description: "Highest allowed DeleteThresholdValue (deletes + disables per cycle that quarantine the job) outside production.",
    },
    productionMaxThreshold: {
      type: "integer",
      minimum: 1,
      maximum: 100000,
      default: 100,
      description: "Highest allowed DeleteThresholdValue in production stacks.",
    },
    productionStacks: PRODUCTION_STACKS_SCHEMA,
  },
};

const deletionThresholdIsOn: ResourceValidationPolicy = {
  name: ruleName(__filename),
  description: "Accidental-deletion prevention is on with a threshold no higher than the policy's maximum (stricter in production).",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema,
  remediationSteps: "Set app.provisioning.accidentalDeletions to { enabled: true, threshold: <n> } with n at most the maximum this policy reports.",
  validateResource: validateResourcesOfTypes([TYPES.synchronizationSecret], (args, report) => {
    const cfg = policyConfig<DeletionThresholdConfig>(args, configSchema);
    const production = isProductionUrn(args.urn, cfg.productionStacks);
    const max = production ? Math.min(cfg.productionMaxThreshold, cfg.maxThreshold) : cfg.maxThreshold;
    const where = production ? `production stack ${JSON.stringify(stackOfUrn(args.urn))}` : `stack ${JSON.stringify(stackOfUrn(args.urn) ?? "?")}`;
    const read = notificationSettings(args.props);
    if (read.state !== "ok") {
      report(`SyncNotificationSettings is ${read.state === "missing" ? "not written" : "not a JSON object"}, so accidental-deletion prevention is not set.`);
      return;
    }
    const { DeleteThresholdEnabled, DeleteThresholdValue } = read.settings;
    if (DeleteThresholdEnabled !== true) {
      report(`Accidental-deletion prevention is off (DeleteThresholdEnabled is ${JSON.stringify(DeleteThresholdEnabled)}): a scope mistake could disable every account in one cycle.`);
      return;
    }
    if (typeof DeleteThresholdValue !== "number" || !Number.isInteger(DeleteThresholdValue) || DeleteThresholdValue < 1) {
      report(`The deletion threshold (DeleteThresholdValue) must be a whole number of at least 1, received ${JSON.stringify(DeleteThresholdValue)}.`);
    } else if (DeleteThresholdValue > max) {
      report(`The deletion threshold ${DeleteThresholdValue} is higher than the maximum ${max} allowed in the ${where}; lower app.provisioning.accidentalDeletions.threshold.`);
    }
  }),
};

export default deletionThresholdIsOn;
