/**
 * Credentials are secrets: when the secrets document holds a credential (a secret token, password,
 * client secret, OAuth token, …), the SynchronizationSecret marks `credentials` as an additional
 * secret output, so the state file stores it encrypted, and (checked in the offline plan, where the
 * program's secret inputs are known) the value itself was passed as a Pulumi secret.
 *
 * Why: a token in plain text in the state file or a plan artifact is a standing credential for the
 * target app, readable by anyone who can read the state backend or the CI logs.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { CREDENTIAL_KEYS } from "../../components/provisioning/settings";
import { isSecretPath, OfflineFacts } from "../lib/offline";
import { ruleName } from "../lib/rule-name";
import { secretPairs } from "../lib/secrets-document";
import { TYPES } from "../lib/types";
import { validateResourcesOfTypes } from "../lib/validate";

const credentialsAreSecret: ResourceValidationPolicy = {
  name: ruleName(__filename),
  description: "Credential keys in the synchronization secrets document are Pulumi secrets and stored encrypted.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Read tokens with config.requireSecret (set them with `pulumi config set --secret`), wrap derived values in pulumi.secret(), " +
    'and keep additionalSecretOutputs: ["credentials"] on the SynchronizationSecret.',
  validateResource: validateResourcesOfTypes([TYPES.synchronizationSecret], (args, report) => {
    const credentials = secretPairs(args.props).filter((p) => CREDENTIAL_KEYS.includes(p.key));
    if (credentials.length === 0) args.notApplicable("the secrets document holds no credential keys");
    const keys = credentials.map((c) => c.key).join(", ");
    if (!(args.opts.additionalSecretOutputs ?? []).includes("credentials")) {
      report(`The secrets document writes ${keys} but does not list "credentials" in additionalSecretOutputs, so the state may store them in plain text.`);
    }
    const secretPaths = (args as typeof args & OfflineFacts).secretPaths;
    if (secretPaths === undefined) return; // under the CLI secrets arrive unwrapped: nothing more to check
    for (const c of credentials) {
      const path = `credentials[${c.index}].value`;
      if (!isSecretPath(path, secretPaths)) {
        report(`The value of ${c.key} (${path}) is a plain value in the program; pass it as a Pulumi secret (config.requireSecret or pulumi.secret).`);
      }
    }
  }),
};

export default credentialsAreSecret;
