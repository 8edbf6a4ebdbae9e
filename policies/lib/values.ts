/**
 * Reading resource properties the way CrossGuard hands them over. Properties arrive wrapped in
 * `unknownCheckingProxy`: reading a value that is unknown during preview throws `UnknownValueError`, and
 * the server reports the whole policy as "can't run during preview" (advisory). That is right for
 * values a rule needs; for values a rule can do without (ids that link resources), {@link peek} reads
 * the underlying value without tripping the proxy so the rule can skip that one comparison instead.
 */

/**
 * Pulumi's unknown-value sentinels (the engine's `Unknown*Value` constants, as @pulumi/policy's
 * proxy.js defines them); test/policies/runner.test.ts checks them against the installed package.
 */
export const UNKNOWN_SENTINELS = {
  boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

const SENTINELS: ReadonlySet<string> = new Set(Object.values(UNKNOWN_SENTINELS));

/** Marker returned by {@link peek} for a value that is not known yet. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

export function isUnknownValue(v: unknown): boolean {
  return typeof v === "string" && SENTINELS.has(v);
}

/**
 * `obj[key]` without the unknown check: {@link UNKNOWN} when the value is unknown, `undefined` when it
 * is absent. Reads the own property descriptor, which the proxy does not intercept, so nothing throws.
 * Nested objects come back unproxied: descend with `peek` again.
 */
export function peek(obj: unknown, key: string | number): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  const d = Object.getOwnPropertyDescriptor(obj, key);
  if (!d || !("value" in d)) return undefined;
  return isUnknownValue(d.value) ? UNKNOWN : d.value;
}

/** A known, non-empty string, or undefined (absent, unknown or another type). */
export function knownString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" && !isUnknownValue(v) ? v : undefined;
}
