/**
 * Reading the synchronization secrets document (one `azuread.SynchronizationSecret` per app, see
 * docs/architecture decision 1): scope (`SyncAll`), `SyncNotificationSettings` (notification email,
 * failure emails, deletion threshold) and, in token mode, the credentials.
 */
import type * as azuread from "@pulumi/azuread";
import type { Unwrap } from "@pulumi/pulumi";
import { parseNotificationSettings, SyncNotificationSettings } from "../../components/provisioning/settings";

export type SynchronizationSecretProps = Unwrap<azuread.SynchronizationSecretArgs>;
export interface SecretPair {
  readonly index: number;
  readonly key: string;
  readonly value: string;
}

/** The key/value pairs in declaration order (reads through the CrossGuard proxy: unknown keys throw). */
export function secretPairs(props: Partial<SynchronizationSecretProps>): SecretPair[] {
  const list = props.credentials ?? [];
  return list.map((c, index) => ({ index, key: String(c.key), value: c.value === undefined || c.value === null ? "" : String(c.value) }));
}

/** The value of one key, or undefined when the document does not write it. */
export function secretValue(props: Partial<SynchronizationSecretProps>, key: string): string | undefined {
  return secretPairs(props).find((p) => p.key === key)?.value;
}

export type NotificationSettingsRead =
  | { readonly state: "missing" }
  | { readonly state: "invalid"; readonly raw: string }
  | { readonly state: "ok"; readonly settings: Partial<SyncNotificationSettings> };

/** `SyncNotificationSettings`, parsed (it is a JSON string inside the secret value). */
export function notificationSettings(props: Partial<SynchronizationSecretProps>): NotificationSettingsRead {
  const raw = secretValue(props, "SyncNotificationSettings");
  if (raw === undefined) return { state: "missing" };
  const settings = parseNotificationSettings(raw);
  return settings ? { state: "ok", settings } : { state: "invalid", raw };
}
