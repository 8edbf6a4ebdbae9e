/**
 * OAuth apps write no credentials: for an app whose catalog preset authenticates with OAuth (an admin
 * clicks Authorize in the portal), the secrets document writes none of the credential keys, unless
 * the policy config lists the preset as allowed to switch to token mode.
 *
 * Why: Graph's secrets PUT can replace the whole document. Writing any credential key for an OAuth
 * app overwrites or drops the tokens the admin obtained with Authorize; the next cycles fail, the job
 * goes into quarantine, and only a new interactive authorization fixes it.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { PRESET_IDS } from "../../components/catalog";
import type { ResolvedObjectMapping } from "../../components/mappings/merge";
import { CREDENTIAL_KEYS } from "../../components/provisioning/settings";
import { appUnits, describeUnit } from "../lib/app-units";
import { presetsOf } from "../lib/catalog";
import { ruleName } from "../lib/rule-name";
import { secretPairs } from "../lib/secrets-document";
import { policyConfig } from "../lib/validate";

interface OAuthConfig {
  readonly tokenModeAllowedFor: readonly string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    tokenModeAllowedFor: {
      type: "array",
      items: { type: "string", enum: [...PRESET_IDS] },
      default: [],
      description: "Presets of OAuth apps whose vendor issued a token, so stacks may use token mode for them (app.provisioning.mode: token).",
    },
  },
};

const oauthAppsWriteNoCredentials: StackValidationPolicy = {
  name: ruleName(__filename),
  description: "Apps authorized with OAuth in the portal never get credential keys written by the stack.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema,
  remediationSteps:
    "Remove app.provisioning.mode: token and the scimToken for this app, or, if the vendor really issued a token, list the preset in this policy's tokenModeAllowedFor.",
  validateStack: (args, report) => {
    const { tokenModeAllowedFor } = policyConfig<OAuthConfig>(args, configSchema);
    let judged = 0;
    for (const unit of appUnits(args.resources)) {
      const mappings = unit.schemas.flatMap((s) => [...((s.props.objectMappings ?? []) as ResolvedObjectMapping[])]);
      const oauthPresets = presetsOf(mappings).filter((p) => p.credentialMode === "oauth" && !tokenModeAllowedFor.includes(p.id));
      if (oauthPresets.length === 0 || unit.secrets.length === 0) continue;
      judged++;
      const app = oauthPresets.map((p) => p.appName).join(", ");
      for (const secret of unit.secrets) {
        const written = secretPairs(secret.props).filter((p) => CREDENTIAL_KEYS.includes(p.key));
        if (written.length > 0) {
          report(
            `${describeUnit(unit.key)}: ${app} is authorized with OAuth in the portal, but the secrets document writes ${written.map((w) => w.key).join(", ")}; that overwrites the admin's authorization.`,
            secret.urn,
          );
        }
      }
    }
    if (judged === 0) args.notApplicable("no app from an OAuth preset with a secrets document in this stack");
  },
};

export default oauthAppsWriteNoCredentials;
