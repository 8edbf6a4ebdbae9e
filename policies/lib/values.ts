/**
 * Reading resource properties the way CrossGuard hands them over. Properties arrive wrapped in
 * `unknownCheckingProxy`: reading a value that is unknown during preview throws `UnknownValueError`, and
 * the server reports the whole policy as "can't run during preview" (advisory). That is right for
 * values a rule needs; for values a rule can do without (ids that link resources), {@link peek} reads
 * the underlying value without tripping the proxy so the rule can skip that one comparison instead.
 */

import { UNKNOWN_SENTINELS } from "../../components/pulumi-wire";

export { UNKNOWN_SENTINELS };

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
