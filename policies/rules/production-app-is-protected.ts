/**
 * In production the application and its service principal are protected (`protect: true`), so
 * `pulumi destroy`, a removed stack entry or a renamed resource cannot delete them.
 *
 * Why: deleting the enterprise app deletes its provisioning job and assignments with it; recreating it
 * produces a new service principal, a new job that starts with a full initial cycle, and, in OAuth
 * apps, a new interactive authorization. Users lose access in the meantime.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { ruleName } from "../lib/rule-name";
import { isProductionUrn, PRODUCTION_STACKS_SCHEMA, stackOfUrn } from "../lib/stacks";
import { TYPES } from "../lib/types";
import { policyConfig, validateResourcesOfTypes } from "../lib/validate";

interface ProtectConfig {
  readonly productionStacks: readonly string[];
}

const configSchema: PolicyConfigSchema = {
  properties: { productionStacks: PRODUCTION_STACKS_SCHEMA },
};

const PROTECTED_TYPES = [TYPES.applicationFromTemplate, TYPES.application, TYPES.servicePrincipal];

const productionAppIsProtected: ResourceValidationPolicy = {
  name: ruleName(__filename),
  description: "In production stacks the enterprise application and service principal are protected from deletion.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema,
  remediationSteps: "Remove app.protect: false from the production stack config (production defaults to protected).",
  validateResource: validateResourcesOfTypes(PROTECTED_TYPES, (args, report) => {
    const { productionStacks } = policyConfig<ProtectConfig>(args, configSchema);
    if (!isProductionUrn(args.urn, productionStacks)) args.notApplicable(`stack ${JSON.stringify(stackOfUrn(args.urn))} is not a production stack`);
    if (args.opts.protect !== true) {
      report(`${args.name} is not protected in production stack ${JSON.stringify(stackOfUrn(args.urn))}: deleting it would delete the provisioning job and every assignment with it.`);
    }
  }),
};

export default productionAppIsProtected;
