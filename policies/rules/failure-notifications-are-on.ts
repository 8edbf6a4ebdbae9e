/**
 * Failure notifications are on: `SyncNotificationSettings` sends failure emails (`Enabled` true) to a
 * notification email address (`Recipients`), optionally restricted to the organisation's domains.
 *
 * Why: when credentials expire or most calls fail, Microsoft quarantines the job, slows it to one cycle
 * a day and disables it after four weeks. The one email about it goes to the notification address;
 * without it nobody hears of the quarantine until users complain that they have no account.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { ruleName } from "../lib/rule-name";
import { notificationSettings } from "../lib/secrets-document";
import { TYPES } from "../lib/types";
import { policyConfig, validateResourcesOfTypes } from "../lib/validate";

interface NotificationConfig {
  readonly allowedRecipientDomains: readonly string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedRecipientDomains: {
      type: "array",
      items: { type: "string", pattern: "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$" },
      default: [],
      description: "When not empty, the notification email must be at one of these domains or their subdomains (e.g. contoso.com).",
    },
  },
};

const EMAIL = /^[^@\s,;<>"]+@([^@\s,;<>"]+\.[^@\s,;<>"]+)$/;

/** Whether `domain` is `allowed` or a subdomain of it (case-insensitive). */
function domainAllowed(domain: string, allowed: readonly string[]): boolean {
  const d = domain.toLowerCase();
  return allowed.some((a) => d === a.toLowerCase() || d.endsWith(`.${a.toLowerCase()}`));
}

const failureNotificationsAreOn: ResourceValidationPolicy = {
  name: ruleName(__filename),
  description: "Provisioning failure and quarantine emails are on and go to a notification email address.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema,
  remediationSteps: "Set app.provisioning.notificationEmail to a monitored mailbox and keep app.provisioning.sendFailureEmails true.",
  validateResource: validateResourcesOfTypes([TYPES.synchronizationSecret], (args, report) => {
    const { allowedRecipientDomains } = policyConfig<NotificationConfig>(args, configSchema);
    const read = notificationSettings(args.props);
    if (read.state === "missing") {
      report("The secrets document does not write SyncNotificationSettings: no notification email is set and failure emails stay at whatever the portal had.");
      return;
    }
    if (read.state === "invalid") {
      report(`SyncNotificationSettings is not a JSON object, Graph rejects it: ${JSON.stringify(read.raw.slice(0, 80))}.`);
      return;
    }
    const { Enabled, Recipients } = read.settings;
    if (Enabled !== true) {
      report(`Failure emails are off (SyncNotificationSettings.Enabled is ${JSON.stringify(Enabled)}): nobody is told when the job is quarantined.`);
    }
    const recipient = typeof Recipients === "string" ? Recipients.trim() : "";
    const email = EMAIL.exec(recipient);
    if (!email) {
      report(`The notification email (SyncNotificationSettings.Recipients) must be one email address, received ${JSON.stringify(Recipients)}.`);
    } else if (allowedRecipientDomains.length > 0 && !domainAllowed(email[1], allowedRecipientDomains)) {
      report(`The notification email ${recipient} is not at an allowed domain (${allowedRecipientDomains.join(", ")}).`);
    }
  }),
};

export default failureNotificationsAreOn;
