/**
 * Which stacks are production. CrossGuard does not pass the stack name to policies, but every URN
 * carries it (`urn:pulumi:<stack>::<project>::<type>::<name>`), and the patterns are policy config, so
 * one pack serves every tenant with stricter rules for the production ones.
 */
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** Default production stack patterns: `prod`, `production`, `prod-<tenant>`, `<tenant>-prod`. */
export const DEFAULT_PRODUCTION_STACKS = ["prod", "production", "prod-*", "*-prod"];

/** The `productionStacks` property shared by every policy that is stricter in production. */
export const PRODUCTION_STACKS_SCHEMA: PolicyConfigJSONSchema = {
  type: "array",
  items: { type: "string", minLength: 1 },
  default: DEFAULT_PRODUCTION_STACKS,
  description: "Stack name patterns (`*` any characters, `?` one character; case-insensitive) that are production stacks.",
};

/** The stack name in a URN, or undefined when the string is not a Pulumi URN. */
export function stackOfUrn(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

/** Whole-name, case-insensitive match of `*` / `?` glob patterns. */
export function matchesStackPattern(stack: string, pattern: string): boolean {
  const re = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${re}$`, "i").test(stack);
}

/** Whether the resource's stack matches one of the production patterns. */
export function isProductionUrn(urn: string, patterns: readonly string[]): boolean {
  const stack = stackOfUrn(urn);
  return stack !== undefined && patterns.some((p) => matchesStackPattern(stack, p));
}
