/**
 * Property values from state, made safe to show. The one rule: a secret is never shown, whatever form
 * it is stored in.
 *
 * - Encrypted secrets (`{<sig>: <secret sig>, "ciphertext": …}`) and decrypted ones from
 *   `pulumi stack export --show-secrets` (`{<sig>: <secret sig>, "plaintext": "<JSON>"}`) both become
 *   `[secret]`; a plaintext is never parsed for display.
 * - Values of known credential keys (CREDENTIAL_KEYS: `SecretToken`, `ClientSecret`, …) become `[secret]`
 *   even when a program stored them unencrypted, both as `{key, value}` pairs of a synchronization
 *   secrets document and as object properties.
 * - Assets, archives, resource references and unknowns get short markers.
 *
 * {@link inventorySecrets} takes stock of every secret text the state holds in readable form (decrypted
 * plaintexts, credential values), so the rendered reports can be scrubbed as a last line of defence
 * ({@link scrubSecrets}), and finds credentials stored unencrypted.
 */
import { CREDENTIAL_KEYS } from "../../components/provisioning/settings";
import { SECRET_MARK, SIG, SIG_KEY } from "../../components/pulumi-wire";
import { UNKNOWN_SENTINEL } from "./state";

export { SECRET_MARK };
export const UNKNOWN_MARK = "(unknown)";

const CREDENTIAL_KEY_SET = new Set(CREDENTIAL_KEYS.map((k) => k.toLowerCase()));
export const isCredentialKey = (key: string): boolean => CREDENTIAL_KEY_SET.has(key.toLowerCase());

type Sig = { [SIG_KEY]: string } & Record<string, unknown>;
const sigOf = (v: unknown): string | undefined =>
  v && typeof v === "object" && !Array.isArray(v) && typeof (v as Record<string, unknown>)[SIG_KEY] === "string" ? ((v as Sig)[SIG_KEY] as string) : undefined;

/** A secret in either stored form. */
export function isSecretValue(v: unknown): v is { ciphertext?: string; plaintext?: string } {
  return sigOf(v) === SIG.secret;
}

/** Which form a secret is stored in. */
export function secretForm(v: unknown): "ciphertext" | "plaintext" | undefined {
  if (!isSecretValue(v)) return undefined;
  return typeof (v as Record<string, unknown>).plaintext === "string" ? "plaintext" : "ciphertext";
}

/** A `{key, value}` pair of a secrets document whose key is a credential. */
const isCredentialPair = (v: unknown): v is { key: string; value: unknown } =>
  !!v && typeof v === "object" && !Array.isArray(v) && typeof (v as Record<string, unknown>).key === "string" && "value" in (v as object) && isCredentialKey((v as { key: string }).key);

/** Returns a copy with every secret, credential value, asset, archive, reference and unknown replaced by a marker. */
export function redact(v: unknown): unknown {
  if (v === UNKNOWN_SENTINEL) return UNKNOWN_MARK;
  const sig = sigOf(v);
  if (sig !== undefined) {
    if (sig === SIG.secret) return SECRET_MARK;
    if (sig === SIG.asset) return "[asset]";
    if (sig === SIG.archive) return "[archive]";
    if (sig === SIG.resourceReference) return `[resource ${String((v as Record<string, unknown>).urn ?? "")}]`;
    return `[value of unknown kind ${sig}]`;
  }
  if (Array.isArray(v)) return v.map(redact);
  if (v && typeof v === "object") {
    const pair = isCredentialPair(v);
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, isCredentialKey(k) || (pair && k === "value") ? SECRET_MARK : redact(x)]));
  }
  return v;
}

/** Counts secrets by form (for the report's "secrets: N encrypted, M decrypted" line). */
export function countSecrets(v: unknown, acc = { ciphertext: 0, plaintext: 0 }): { ciphertext: number; plaintext: number } {
  const form = secretForm(v);
  if (form) acc[form]++;
  else if (Array.isArray(v)) v.forEach((x) => countSecrets(x, acc));
  else if (v && typeof v === "object") Object.values(v).forEach((x) => countSecrets(x, acc));
  return acc;
}

/** Paths read like `rouse-sales-settings.inputs.credentials[1].value`. */
export interface SecretInventory {
  /** Texts that must never appear in a report: credential values, texts held only as secrets, ciphertexts. */
  readonly scrub: ReadonlySet<string>;
  /** Credential values stored without encryption (a plain string under a credential key), by path. */
  readonly unencryptedCredentials: readonly string[];
  /** Paths of plain (unencrypted) values elsewhere that equal a credential value. */
  readonly credentialEchoes: readonly string[];
}

interface WalkContext {
  readonly inSecret: boolean;
  readonly credentialKey?: string;
}

/**
 * Takes stock of the secrets in some labelled values (typically each resource's inputs and outputs, and
 * the stack outputs). A text held both as a secret and in plain elsewhere is not treated as secret (the
 * whole `credentials` output of the settings resource is secret, yet its notification email is also a
 * plain input); a credential value always is, wherever it also appears.
 */
export function inventorySecrets(values: readonly { readonly label: string; readonly value: unknown }[]): SecretInventory {
  const credentialTexts = new Set<string>();
  const secretTexts = new Set<string>();
  const ciphertexts = new Set<string>();
  const plain = new Map<string, string[]>();
  const unencryptedCredentials: string[] = [];

  const walk = (v: unknown, path: string, ctx: WalkContext): void => {
    if (v === null || v === undefined) return;
    if (isSecretValue(v)) {
      const r = v as Record<string, unknown>;
      if (typeof r.ciphertext === "string") ciphertexts.add(r.ciphertext);
      if (typeof r.plaintext === "string") {
        (ctx.credentialKey ? credentialTexts : secretTexts).add(r.plaintext);
        let parsed: unknown = r.plaintext;
        try {
          parsed = JSON.parse(r.plaintext);
        } catch {
          /* not JSON: the raw text was collected above */
        }
        walk(parsed, path, { ...ctx, inSecret: true });
      }
      return;
    }
    if (sigOf(v) !== undefined) return; // assets, archives, references: nothing secret to take stock of
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      const text = String(v);
      if (ctx.credentialKey) {
        credentialTexts.add(text);
        if (!ctx.inSecret && text !== "" && text !== SECRET_MARK) unencryptedCredentials.push(`${path} (${ctx.credentialKey})`);
      } else if (ctx.inSecret) secretTexts.add(text);
      else plain.set(text, [...(plain.get(text) ?? []), path]);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, ctx));
      return;
    }
    if (typeof v === "object") {
      const pair = isCredentialPair(v);
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const credentialKey = pair && k === "value" ? (v as { key: string }).key : isCredentialKey(k) ? k : ctx.credentialKey;
        walk(x, `${path}.${k}`, { ...ctx, credentialKey });
      }
    }
  };
  for (const { label, value } of values) walk(value, label, { inSecret: false });

  const scrub = new Set<string>([...credentialTexts, ...ciphertexts]);
  for (const t of secretTexts) if (!plain.has(t)) scrub.add(t);
  const credentialEchoes = [...credentialTexts].filter((t) => t.length >= MIN_SCRUB_LENGTH && t !== SECRET_MARK).flatMap((t) => plain.get(t) ?? []);
  return { scrub, unencryptedCredentials, credentialEchoes: [...new Set(credentialEchoes)].sort() };
}

/**
 * Secret texts short or common enough to occur in a report by coincidence ("true", "False", "0", an empty
 * string) are not scrubbed: they were never rendered from a secret (secrets render as `[secret]`), and
 * replacing them would garble unrelated facts. Longer ones are replaced wherever they occur.
 */
export const MIN_SCRUB_LENGTH = 6;

/** Replaces every occurrence of a collected secret text (longest first) with `[secret]`. */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)].filter((s) => s.length >= MIN_SCRUB_LENGTH).sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of list) {
    // Also catch the forms a secret takes once serialized into JSON or HTML.
    const forms = new Set([s, JSON.stringify(s).slice(1, -1), escapeHtmlText(s)]);
    for (const f of forms) if (f.length >= MIN_SCRUB_LENGTH) out = out.split(f).join(SECRET_MARK);
  }
  return out;
}

/** HTML text escaping (shared with the HTML renderer so the scrubber sees the same encoding). */
export function escapeHtmlText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
