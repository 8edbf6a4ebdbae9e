/**
 * Policy config as the Pulumi engine handles it, for the offline runner and the tests: defaults from
 * each policy's `configSchema`, then validation of the result. The engine validates with a full JSON
 * Schema library; this covers the keywords the pack's schemas use ({@link SUPPORTED_KEYWORDS}; a test
 * fails if a schema uses any other), and additionally rejects properties a schema does not declare, so
 * a misspelt threshold does not silently fall back to its default.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";

export const SUPPORTED_KEYWORDS = [
  "type",
  "description",
  "default",
  "enum",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "pattern",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
] as const;

/** `{ property: default }` for every property of the schema that declares one. */
export function configDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema?.properties ?? {})) {
    if (v && typeof v === "object" && "default" in v) out[k] = structuredClone(v.default);
  }
  return out;
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function matchesType(v: unknown, type: string): boolean {
  const actual = typeOf(v);
  return actual === type || (type === "number" && actual === "integer");
}

/** Problems of `value` against one property schema, each prefixed with its path. */
export function validateValue(schema: PolicyConfigJSONSchemaDefinition, value: unknown, path: string): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  const s: PolicyConfigJSONSchema = schema;
  const problems: string[] = [];
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => matchesType(value, t))) return [`${path}: expected ${types.join(" or ")}, received ${JSON.stringify(value)}`];
  }
  if (s.enum !== undefined && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    problems.push(`${path}: expected one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}, received ${JSON.stringify(value)}`);
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) problems.push(`${path}: must be >= ${s.minimum}, received ${value}`);
    if (s.maximum !== undefined && value > s.maximum) problems.push(`${path}: must be <= ${s.maximum}, received ${value}`);
  }
  if (typeof value === "string") {
    if (s.minLength !== undefined && value.length < s.minLength) problems.push(`${path}: must have at least ${s.minLength} character(s)`);
    if (s.maxLength !== undefined && value.length > s.maxLength) problems.push(`${path}: must have at most ${s.maxLength} character(s)`);
    if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(value)) problems.push(`${path}: must match ${s.pattern}, received ${JSON.stringify(value)}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) problems.push(`${path}: must have at least ${s.minItems} item(s)`);
    if (s.maxItems !== undefined && value.length > s.maxItems) problems.push(`${path}: must have at most ${s.maxItems} item(s)`);
    if (s.uniqueItems && new Set(value.map((x) => JSON.stringify(x))).size !== value.length) problems.push(`${path}: items must be unique`);
    if (s.items !== undefined) {
      if (Array.isArray(s.items)) problems.push(`${path}: tuple "items" schemas are not supported by this validator`);
      else value.forEach((x, i) => problems.push(...validateValue(s.items as PolicyConfigJSONSchemaDefinition, x, `${path}[${i}]`)));
    }
  }
  return problems;
}

/** Problems of a policy's config (without `enforcementLevel`) against its schema. */
export function validatePolicyConfig(policy: string, schema: PolicyConfigSchema | undefined, config: Record<string, unknown>): string[] {
  const props = schema?.properties ?? {};
  const problems: string[] = [];
  for (const key of schema?.required ?? []) if (!(key in config)) problems.push(`${policy}.${key}: is required`);
  for (const [key, value] of Object.entries(config)) {
    const s = props[key];
    if (s === undefined) {
      const allowed = Object.keys(props);
      problems.push(`${policy}.${key}: unknown setting; ${allowed.length ? `allowed: ${allowed.join(", ")}` : "this policy takes no settings besides enforcementLevel"}`);
      continue;
    }
    problems.push(...validateValue(s, value, `${policy}.${key}`));
  }
  return problems;
}

/** Keywords used anywhere in a schema that {@link validateValue} does not implement (for the pack test). */
export function unsupportedKeywords(schema: PolicyConfigJSONSchemaDefinition): string[] {
  if (typeof schema === "boolean") return [];
  const out = Object.keys(schema).filter((k) => !(SUPPORTED_KEYWORDS as readonly string[]).includes(k));
  if (schema.items && !Array.isArray(schema.items)) out.push(...unsupportedKeywords(schema.items));
  return out;
}
