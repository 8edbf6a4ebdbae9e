/**
 * Pure builders for the one synchronization secrets document (Graph `PUT …/synchronization/secrets`):
 * scope (`SyncAll`), notification email + failure emails + accidental-deletion threshold
 * (`SyncNotificationSettings`, a JSON string), out-of-scope deletions (`SkipOutOfScopeDeletions`) and,
 * in token mode only, the tenant URL (`BaseAddress`). The secret token is added by the component as a
 * Pulumi secret; it never passes through here.
 */

/** Provisioning scope: the portal's "Sync only assigned users and groups" or "Sync all users and groups". */
export type ProvisioningScope = "assignedOnly" | "allUsersAndGroups";

export interface ProvisioningSettings {
  readonly scope: ProvisioningScope;
  readonly notificationEmail: string;
  readonly sendFailureEmails: boolean;
  readonly accidentalDeletions: { readonly enabled: boolean; readonly threshold: number };
  readonly skipOutOfScopeDeletions: boolean;
}

/** The parsed form of the `SyncNotificationSettings` secret value. */
export interface SyncNotificationSettings {
  readonly Enabled: boolean;
  readonly Recipients: string;
  readonly DeleteThresholdEnabled: boolean;
  readonly DeleteThresholdValue: number;
}

/** Secret keys that hold credentials: never written in OAuth mode, always Pulumi secrets in token mode. */
export const CREDENTIAL_KEYS: readonly string[] = [
  "SecretToken",
  "Password",
  "ClientSecret",
  "ConsumerSecret",
  "AppKey",
  "Oauth2AccessToken",
  "Oauth2RefreshToken",
  "Oauth2ClientSecret",
  "Oauth2AuthorizationCode",
  "TokenKey",
  "ConnectionString",
];

/** Settings keys written in every mode. */
export const SETTINGS_KEYS = ["SyncAll", "SyncNotificationSettings", "SkipOutOfScopeDeletions"] as const;

export function buildNotificationSettings(s: ProvisioningSettings): SyncNotificationSettings {
  return {
    Enabled: s.sendFailureEmails,
    Recipients: s.notificationEmail,
    DeleteThresholdEnabled: s.accidentalDeletions.enabled,
    DeleteThresholdValue: s.accidentalDeletions.threshold,
  };
}

/** The non-secret key/value pairs of the secrets document, in a stable order. */
export function buildSettingsCredentials(s: ProvisioningSettings, tenantUrl?: string): { key: string; value: string }[] {
  const pairs = [
    { key: "SyncAll", value: s.scope === "allUsersAndGroups" ? "true" : "false" },
    { key: "SyncNotificationSettings", value: JSON.stringify(buildNotificationSettings(s)) },
    { key: "SkipOutOfScopeDeletions", value: s.skipOutOfScopeDeletions ? "True" : "False" },
  ];
  if (tenantUrl !== undefined) pairs.unshift({ key: "BaseAddress", value: tenantUrl });
  return pairs;
}

/** Reads `SyncNotificationSettings` back from a secrets document (used by policies and the audit). */
export function parseNotificationSettings(value: unknown): Partial<SyncNotificationSettings> | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}
