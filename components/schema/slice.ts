/**
 * The owned slice of a synchronization job's schema, as pure functions over the JSON document that
 * `GET …/jobs/{jobId}/schema` returns and `PUT` replaces as a whole.
 *
 * What the stack owns, per declared object mapping (a {@link ResolvedObjectMapping}): the object
 * mapping's `enabled`, its `attributeMappings` list and its `scope` (the scoping filter's `groups`; the
 * experimental `inputFilterGroups`/`categoryFilterGroups` inside `scope` are kept as found). Everything
 * else — other rules, other object mappings, the object mapping's name, flowTypes and metadata,
 * directories, the schema's id/version and any property Graph adds later — is copied through untouched
 * and in its original order. Values already equal to what is declared are kept byte-for-byte (an
 * existing `attributeMappingSource` tree is reused when its expression means the same), so applying
 * the same declaration twice writes nothing new.
 */
import type { AttributeMappingSpec, FlowBehavior, FlowType, ScopingFilterGroup } from "../catalog";
import { AttributeMappingSource, canonicalExpression, constantSource, ExpressionError, fromMappingSource, parseExpression, toMappingSource } from "../mappings/expression";
import { normalizeSource, ResolvedObjectMapping } from "../mappings/merge";
import { SCOPING_OPERATORS } from "../mappings/scoping-operators";

/** Graph `attributeMapping`; unknown properties are preserved. */
export interface GraphAttributeMapping {
  targetAttributeName: string;
  source?: AttributeMappingSource | null;
  defaultValue?: string | null;
  flowType?: string;
  flowBehavior?: string;
  matchingPriority?: number;
  exportMissingReferences?: boolean;
  [other: string]: unknown;
}

/** Graph `filterClause`. */
export interface GraphFilterClause {
  operatorName: string;
  sourceOperandName: string;
  targetOperand?: { values?: string[] | null; [other: string]: unknown } | null;
  [other: string]: unknown;
}

/** Graph `filterGroup`. */
export interface GraphFilterGroup {
  name: string;
  clauses?: GraphFilterClause[] | null;
  [other: string]: unknown;
}

/** Graph `filter` (an object mapping's `scope`). */
export interface GraphFilter {
  groups?: GraphFilterGroup[] | null;
  [other: string]: unknown;
}

/** Graph `objectMapping`. */
export interface GraphObjectMapping {
  name?: string;
  sourceObjectName?: string;
  targetObjectName?: string;
  enabled?: boolean;
  attributeMappings?: GraphAttributeMapping[] | null;
  scope?: GraphFilter | null;
  [other: string]: unknown;
}

/** Graph `synchronizationRule`. */
export interface GraphSynchronizationRule {
  objectMappings?: GraphObjectMapping[] | null;
  [other: string]: unknown;
}

/** Graph `synchronizationSchema`. */
export interface GraphSynchronizationSchema {
  synchronizationRules?: GraphSynchronizationRule[] | null;
  [other: string]: unknown;
}

/** Graph `filterOperatorSchema` (`GET …/schema/filterOperators`). */
export interface FilterOperatorSchema {
  name: string;
  arity?: string;
  multivaluedComparisonType?: string;
  supportedAttributeTypes?: string[];
}

/** The object-mapping properties the stack owns. */
export const OWNED_FIELDS = ["enabled", "attributeMappings", "scope"] as const;
export type OwnedField = (typeof OWNED_FIELDS)[number];

/** How a declared object mapping is found in the remote schema. */
export interface ObjectMappingRef {
  readonly name: string;
  readonly sourceObjectName: string;
  readonly targetObjectName: string;
}

/** The owned fields of one object mapping exactly as they were (absent fields are absent). */
export interface OwnedFieldsRecord extends ObjectMappingRef {
  readonly fields: Partial<Record<OwnedField, unknown>>;
}

/** A declared slice that cannot be applied to this schema; nothing has been written. */
export class SliceError extends Error {
  constructor(message: string) {
    super(message);
    // Pulumi's function serialization turns this class into a function that calls `Error` without
    // `new`, which sets nothing on `this`: set the message and stack here so they survive.
    this.message = message;
    this.stack ??= new Error(message).stack;
    this.name = "SliceError";
  }
}

interface Located {
  readonly ruleIndex: number;
  readonly mappingIndex: number;
  readonly mapping: GraphObjectMapping;
}

function describeMapping(m: { readonly name?: string; readonly sourceObjectName?: string; readonly targetObjectName?: string }): string {
  return `"${m.name ?? "(unnamed)"}" (${m.sourceObjectName ?? "?"} → ${m.targetObjectName ?? "?"})`;
}

/**
 * Finds a declared object mapping in the schema: by sourceObjectName + targetObjectName, using the
 * name to break a tie, else by name alone. Undefined when the schema has no such mapping; throws when
 * the match is ambiguous.
 */
export function findObjectMapping(schema: GraphSynchronizationSchema, ref: ObjectMappingRef): Located | undefined {
  const all = (schema.synchronizationRules ?? []).flatMap((rule, ruleIndex) =>
    (rule?.objectMappings ?? []).map((mapping, mappingIndex) => ({ ruleIndex, mappingIndex, mapping })),
  );
  let found = all.filter((x) => x.mapping?.sourceObjectName === ref.sourceObjectName && x.mapping?.targetObjectName === ref.targetObjectName);
  if (found.length > 1) found = found.filter((x) => x.mapping.name === ref.name);
  if (found.length === 0) found = all.filter((x) => x.mapping?.name === ref.name);
  if (found.length > 1) {
    throw new SliceError(`${describeMapping(ref)} matches ${found.length} object mappings of the job's schema (${found.map((x) => describeMapping(x.mapping)).join("; ")}); give the object mapping its exact name`);
  }
  return found[0];
}

function locate(schema: GraphSynchronizationSchema, ref: ObjectMappingRef): Located {
  const found = findObjectMapping(schema, ref);
  if (found) return found;
  const present = (schema.synchronizationRules ?? []).flatMap((r) => r?.objectMappings ?? []).map(describeMapping);
  throw new SliceError(`the job's schema has no object mapping ${describeMapping(ref)}; it has ${present.length ? present.join("; ") : "none"}`);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Canonical operator spelling for matching portal labels with API names (`IS NOT NULL` = `Is_Not_Null`). */
function operatorKey(name: string): string {
  return name.trim().toUpperCase().replace(/[\s_]+/g, " ");
}

/** The portal label for an API operator name, or the API name when no label matches. */
export function operatorLabel(apiName: string): string {
  return SCOPING_OPERATORS.find((o) => operatorKey(o.label) === operatorKey(apiName))?.label ?? apiName;
}

/** The operator labels a declared slice uses. */
export function operatorLabelsOf(slice: readonly ResolvedObjectMapping[]): string[] {
  return [...new Set(slice.flatMap((om) => om.scopingFilter.flatMap((g) => g.clauses.map((c) => c.operator))))].sort();
}

/**
 * Maps portal operator labels to the API names the job advertises. Throws one error naming every label
 * that is not a portal operator or that the job does not offer.
 */
export function resolveOperatorNames(labels: readonly string[], advertised: readonly FilterOperatorSchema[]): Record<string, string> {
  const names: Record<string, string> = {};
  const problems: string[] = [];
  for (const label of labels) {
    if (!SCOPING_OPERATORS.some((o) => o.label === label)) {
      problems.push(`"${label}" is not a scoping operator of the Entra admin center (${SCOPING_OPERATORS.map((o) => o.label).join(", ")})`);
      continue;
    }
    const exact = advertised.filter((o) => o.name === label);
    const matches = exact.length > 0 ? exact : advertised.filter((o) => operatorKey(o.name) === operatorKey(label));
    if (matches.length === 1) names[label] = matches[0].name;
    else if (matches.length > 1) problems.push(`"${label}" matches several operators the job offers (${matches.map((o) => o.name).join(", ")})`);
    else problems.push(`"${label}" is not offered by this job`);
  }
  if (problems.length > 0) {
    throw new SliceError(`scoping filter operators: ${problems.join("; ")}. The job offers: ${advertised.map((o) => o.name).join(", ") || "none"}`);
  }
  return names;
}

type SourceKey = { kind: "none" } | { kind: "constant"; value: string } | { kind: "expression"; text: string };

function remoteSourceKey(source: AttributeMappingSource | null | undefined): SourceKey {
  if (!source) return { kind: "none" };
  if (source.type === "Constant") return { kind: "constant", value: source.name ?? "" };
  return { kind: "expression", text: fromMappingSource(source) };
}

function specSourceKey(spec: AttributeMappingSpec): SourceKey {
  if (spec.constant !== undefined) return { kind: "constant", value: spec.constant };
  if (spec.source === undefined) return { kind: "none" };
  const text = normalizeSource(spec.source);
  try {
    const node = parseExpression(text);
    if (node.kind === "string") return { kind: "constant", value: node.value };
    if (node.kind === "number") return { kind: "constant", value: node.text };
  } catch {
    // Compared as written; applying it reports the parse error.
  }
  return { kind: "expression", text: canonicalExpression(text) };
}

const sameKey = (a: SourceKey, b: SourceKey) => JSON.stringify(a) === JSON.stringify(b);

/** What a mapping means, for comparisons: empty defaults are no default. */
function mappingMeaning(spec: AttributeMappingSpec) {
  return {
    source: specSourceKey(spec),
    defaultValue: spec.defaultValue || undefined,
    flowType: spec.flowType,
    flowBehavior: spec.flowBehavior,
    matchingPriority: spec.matchingPriority,
  };
}

/** A remote attribute mapping in declared form. */
export function toAttributeMappingSpec(remote: GraphAttributeMapping): AttributeMappingSpec {
  const key = remoteSourceKey(remote.source);
  return {
    target: remote.targetAttributeName,
    ...(key.kind === "expression" ? { source: key.text } : key.kind === "constant" ? { constant: key.value } : {}),
    ...(typeof remote.defaultValue === "string" && remote.defaultValue !== "" ? { defaultValue: remote.defaultValue } : {}),
    flowType: (remote.flowType ?? "Always") as FlowType,
    flowBehavior: (remote.flowBehavior ?? "FlowWhenChanged") as FlowBehavior,
    matchingPriority: remote.matchingPriority ?? 0,
  };
}

/** A remote scope in declared form (operators as portal labels). */
export function toScopingFilter(scope: GraphFilter | null | undefined): ScopingFilterGroup[] {
  return (scope?.groups ?? []).map((g) => ({
    name: g.name,
    clauses: (g.clauses ?? []).map((c) => ({ attribute: c.sourceOperandName, operator: operatorLabel(c.operatorName), values: [...(c.targetOperand?.values ?? [])] })),
  }));
}

function scopingMeaning(groups: readonly ScopingFilterGroup[]): string {
  const canon = groups
    .map((g) => ({ name: g.name, clauses: g.clauses.map((c) => JSON.stringify([c.attribute, c.operator, [...c.values]])).sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return JSON.stringify(canon);
}

function sourceFor(spec: AttributeMappingSpec, where: string): AttributeMappingSource | null {
  if (spec.constant !== undefined) return constantSource(spec.constant);
  if (spec.source === undefined) return null;
  try {
    return toMappingSource(normalizeSource(spec.source));
  } catch (e) {
    if (e instanceof ExpressionError) throw new SliceError(`${where}: invalid expression ${JSON.stringify(spec.source)}: ${e.message}`);
    throw e;
  }
}

function buildAttributeMappings(key: string, existing: readonly GraphAttributeMapping[], specs: readonly AttributeMappingSpec[]): GraphAttributeMapping[] {
  const byTarget = new Map<string, AttributeMappingSpec>();
  for (const spec of specs) {
    if (byTarget.has(spec.target)) throw new SliceError(`${key}: two attribute mappings target ${spec.target}`);
    byTarget.set(spec.target, spec);
  }
  const result: GraphAttributeMapping[] = [];
  const kept = new Set<string>();
  for (const remote of existing) {
    const spec = byTarget.get(remote?.targetAttributeName);
    if (!spec || kept.has(spec.target)) continue;
    kept.add(spec.target);
    const where = `${key}.attributeMappings[${spec.target}]`;
    if (JSON.stringify(mappingMeaning(toAttributeMappingSpec(remote))) === JSON.stringify(mappingMeaning(spec))) {
      result.push(remote);
      continue;
    }
    const sameSource = sameKey(remoteSourceKey(remote.source), specSourceKey(spec));
    const noDefault = !spec.defaultValue && !remote.defaultValue;
    result.push({
      ...remote,
      defaultValue: noDefault ? (remote.defaultValue ?? null) : (spec.defaultValue ?? null),
      flowBehavior: spec.flowBehavior,
      flowType: spec.flowType,
      matchingPriority: spec.matchingPriority,
      source: sameSource ? (remote.source ?? null) : sourceFor(spec, where),
      targetAttributeName: spec.target,
    });
  }
  for (const spec of specs) {
    if (kept.has(spec.target)) continue;
    result.push({
      defaultValue: spec.defaultValue ?? null,
      exportMissingReferences: false,
      flowBehavior: spec.flowBehavior,
      flowType: spec.flowType,
      matchingPriority: spec.matchingPriority,
      source: sourceFor(spec, `${key}.attributeMappings[${spec.target}]`),
      targetAttributeName: spec.target,
    });
  }
  return result;
}

function buildScope(key: string, existing: GraphFilter | null | undefined, groups: readonly ScopingFilterGroup[], operatorNames: Readonly<Record<string, string>>): GraphFilter | null | undefined {
  if (scopingMeaning(toScopingFilter(existing)) === scopingMeaning(groups)) return existing;
  const names = new Set<string>();
  const desired: GraphFilterGroup[] = groups.map((g) => {
    if (names.has(g.name)) throw new SliceError(`${key}.scopingFilter: two filters are named ${JSON.stringify(g.name)}`);
    names.add(g.name);
    return {
      name: g.name,
      clauses: g.clauses.map((c) => {
        const operatorName = operatorNames[c.operator];
        if (operatorName === undefined) throw new SliceError(`${key}.scopingFilter[${g.name}]: no API name is known for the operator ${JSON.stringify(c.operator)}`);
        return { operatorName, sourceOperandName: c.attribute, targetOperand: { values: [...c.values] } };
      }),
    };
  });
  if (existing) return { ...existing, groups: desired };
  return { categoryFilterGroups: [], groups: desired, inputFilterGroups: [] };
}

function checkDistinct(schema: GraphSynchronizationSchema, refs: readonly (ObjectMappingRef & { key?: string })[]): Located[] {
  const located = refs.map((ref) => locate(schema, ref));
  located.forEach((a, i) =>
    located.slice(i + 1).forEach((b, j) => {
      if (a.mapping === b.mapping) throw new SliceError(`${describeMapping(refs[i])} and ${describeMapping(refs[i + 1 + j])} are the same object mapping of the job's schema`);
    }),
  );
  return located;
}

/**
 * The schema with the declared slice written into it (a new document; the input is not modified).
 * `operatorNames` maps every operator label the slice uses to the job's API name. Throws
 * {@link SliceError} when the slice cannot be applied.
 */
export function applySlice(schema: GraphSynchronizationSchema, slice: readonly ResolvedObjectMapping[], operatorNames: Readonly<Record<string, string>>): GraphSynchronizationSchema {
  const keys = new Set<string>();
  for (const om of slice) {
    if (keys.has(om.key)) throw new SliceError(`the slice declares the object mapping "${om.key}" twice`);
    keys.add(om.key);
  }
  const out = clone(schema);
  const located = checkDistinct(out, slice);
  slice.forEach((om, i) => {
    const target = located[i].mapping;
    const enabled = om.enabled;
    const attributeMappings = buildAttributeMappings(om.key, target.attributeMappings ?? [], om.attributeMappings);
    const scope = buildScope(om.key, target.scope, om.scopingFilter, operatorNames);
    if (target.enabled !== enabled) target.enabled = enabled;
    target.attributeMappings = attributeMappings;
    if (scope !== target.scope) target.scope = scope;
  });
  return out;
}

/** The owned fields of the declared object mappings as they are now (for restoring them later). */
export function recordOwnedFields(schema: GraphSynchronizationSchema, refs: readonly ObjectMappingRef[]): OwnedFieldsRecord[] {
  return checkDistinct(schema, refs).map(({ mapping }, i) => {
    const fields: Partial<Record<OwnedField, unknown>> = {};
    for (const f of OWNED_FIELDS) if (Object.prototype.hasOwnProperty.call(mapping, f)) fields[f] = clone(mapping[f]);
    return { name: refs[i].name, sourceObjectName: refs[i].sourceObjectName, targetObjectName: refs[i].targetObjectName, fields };
  });
}

/** The schema with recorded owned fields put back; mappings that no longer exist are skipped. */
export function restoreOwnedFields(schema: GraphSynchronizationSchema, records: readonly OwnedFieldsRecord[]): GraphSynchronizationSchema {
  const out = clone(schema);
  for (const record of records) {
    const found = findObjectMapping(out, record);
    if (!found) continue;
    for (const f of OWNED_FIELDS) {
      if (Object.prototype.hasOwnProperty.call(record.fields, f)) found.mapping[f] = clone(record.fields[f]) as never;
      else delete found.mapping[f];
    }
  }
  return out;
}

/** The schema without the owned fields of the given mappings: what must never change. */
export function withoutOwnedFields(schema: GraphSynchronizationSchema, refs: readonly ObjectMappingRef[]): GraphSynchronizationSchema {
  const out = clone(schema);
  for (const ref of refs) {
    const found = findObjectMapping(out, ref);
    if (found) for (const f of OWNED_FIELDS) delete found.mapping[f];
  }
  return out;
}

/**
 * The declared slice as it is in this schema (the tenant's state, in declared form): the remote
 * object mapping's name, enabled flag, attribute mappings and scoping filter. Declared mappings the
 * schema no longer has are left out.
 */
export function readSlice(schema: GraphSynchronizationSchema, declared: readonly ResolvedObjectMapping[]): ResolvedObjectMapping[] {
  return declared.flatMap((d) => {
    const found = findObjectMapping(schema, d);
    if (!found) return [];
    const m = found.mapping;
    return [
      {
        key: d.key,
        name: m.name ?? d.name,
        sourceObjectName: m.sourceObjectName ?? d.sourceObjectName,
        targetObjectName: m.targetObjectName ?? d.targetObjectName,
        enabled: m.enabled ?? true,
        attributeMappings: (m.attributeMappings ?? []).map(toAttributeMappingSpec),
        scopingFilter: toScopingFilter(m.scope),
      },
    ];
  });
}

function fieldChanges(target: string, a: AttributeMappingSpec, b: AttributeMappingSpec): string[] {
  const ma = mappingMeaning(a);
  const mb = mappingMeaning(b);
  const show = (k: SourceKey) => (k.kind === "none" ? "(none)" : k.kind === "constant" ? `constant ${JSON.stringify(k.value)}` : k.text);
  const out: string[] = [];
  if (!sameKey(ma.source, mb.source)) out.push(`source ${show(ma.source)} → ${show(mb.source)}`);
  for (const f of ["defaultValue", "flowType", "flowBehavior", "matchingPriority"] as const) {
    if (ma[f] !== mb[f]) out.push(`${f} ${JSON.stringify(ma[f] ?? null)} → ${JSON.stringify(mb[f] ?? null)}`);
  }
  return out.length ? [`${target}: ${out.join(", ")}`] : [];
}

/**
 * What differs between two slices (empty when they mean the same), e.g.
 * `users.attributeMappings: userName: source [userPrincipalName] → [mail]`. Object mappings are paired
 * by key, attribute mappings by target; names, order and spelling of equivalent expressions are ignored.
 */
export function describeSliceChanges(from: readonly ResolvedObjectMapping[], to: readonly ResolvedObjectMapping[]): string[] {
  const changes: string[] = [];
  const keys = [...new Set([...from.map((m) => m.key), ...to.map((m) => m.key)])];
  for (const key of keys) {
    const a = from.find((m) => m.key === key);
    const b = to.find((m) => m.key === key);
    if (!a || !b) {
      changes.push(`${key}: ${a ? "no longer declared" : "not in the schema yet"}`);
      continue;
    }
    if (a.enabled !== b.enabled) changes.push(`${key}.enabled: ${a.enabled} → ${b.enabled}`);
    const targets = [...new Set([...a.attributeMappings.map((m) => m.target), ...b.attributeMappings.map((m) => m.target)])];
    for (const target of targets) {
      const ma = a.attributeMappings.find((m) => m.target === target);
      const mb = b.attributeMappings.find((m) => m.target === target);
      if (!ma) changes.push(`${key}.attributeMappings: ${target} added`);
      else if (!mb) changes.push(`${key}.attributeMappings: ${target} removed`);
      else changes.push(...fieldChanges(target, ma, mb).map((c) => `${key}.attributeMappings: ${c}`));
    }
    if (scopingMeaning(a.scopingFilter) !== scopingMeaning(b.scopingFilter)) {
      const show = (g: readonly ScopingFilterGroup[]) => (g.length ? g.map((x) => `${x.name}(${x.clauses.map((c) => `${c.attribute} ${c.operator} ${c.values.join("|")}`.trim()).join(" AND ")})`).join(" OR ") : "(none)");
      changes.push(`${key}.scopingFilter: ${show(a.scopingFilter)} → ${show(b.scopingFilter)}`);
    }
  }
  return changes;
}
