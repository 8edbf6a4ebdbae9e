/**
 * Pure merging of a preset's object mappings with a stack's overrides, with the checks that need the
 * preset (target attributes exist, matching targets are filterable, priorities are unique, scoping
 * clauses fit their operators). No Pulumi here: tested without mocks.
 */
import { AppPreset, AttributeMappingSpec, ObjectMappingPreset, ScopingFilterGroup } from "../catalog";
import { validateExpression } from "./expression";
import { findScopingOperator, NON_SCOPABLE_SOURCE_ATTRIBUTES } from "./scoping-operators";

/** An object mapping after merging: what the stack declares for the job's schema. */
export interface ResolvedObjectMapping extends Pick<ObjectMappingPreset, "key" | "name" | "sourceObjectName" | "targetObjectName" | "attributeMappings"> {
  readonly enabled: boolean;
  readonly scopingFilter: readonly ScopingFilterGroup[];
}

/** The override shape this module needs (a structural subset of the config schema's output). */
export interface MappingOverrideInput {
  readonly enabled?: boolean;
  readonly attributes: readonly {
    readonly target: string;
    readonly source?: string;
    readonly constant?: string;
    readonly defaultValue?: string;
    readonly flowType?: AttributeMappingSpec["flowType"];
    readonly flowBehavior?: AttributeMappingSpec["flowBehavior"];
    readonly matchingPriority?: number;
    readonly remove?: boolean;
  }[];
  readonly scopingFilter: readonly {
    readonly name: string;
    readonly clauses: readonly { readonly attribute: string; readonly operator: string; readonly value?: string; readonly values?: readonly string[] }[];
  }[];
}

/** A problem found while merging, with its path relative to `app.mappings`. */
export interface MergeIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly received?: unknown;
}

/** `userPrincipalName` → `[userPrincipalName]`; expressions are kept as written. */
export function normalizeSource(source: string): string {
  const trimmed = source.trim();
  return /^[A-Za-z_][\w.-]*$/.test(trimmed) ? `[${trimmed}]` : trimmed;
}

function mergeAttributes(
  om: ObjectMappingPreset,
  override: MappingOverrideInput | undefined,
  presetName: string,
  issues: MergeIssue[],
): AttributeMappingSpec[] {
  const base = "attributes";
  const byTarget = new Map<string, AttributeMappingSpec>(om.attributeMappings.map((m) => [m.target, m]));
  const seen = new Map<string, number>();
  const allowed = om.targetAttributes.map((t) => t.name);
  (override?.attributes ?? []).forEach((o, i) => {
    const at = (field: string) => [om.key, base, i, field];
    const target = om.targetAttributes.find((t) => t.name === o.target);
    if (!target) {
      issues.push({ path: at("target"), received: o.target, message: `${presetName} has no target attribute with that name; allowed: ${allowed.join(", ")}` });
      return;
    }
    if (seen.has(o.target)) {
      issues.push({ path: at("target"), received: o.target, message: `target already changed by ${om.key}.attributes[${seen.get(o.target)}]; give each target one entry` });
      return;
    }
    seen.set(o.target, i);
    if (o.remove) {
      const extra = Object.keys(o).filter((k) => k !== "target" && k !== "remove");
      if (extra.length > 0) issues.push({ path: at("remove"), received: extra, message: "a removed mapping takes no other settings" });
      byTarget.delete(o.target);
      return;
    }
    if (o.source !== undefined && o.constant !== undefined) {
      issues.push({ path: at("constant"), received: o.constant, message: "set either source or constant, not both" });
      return;
    }
    if (o.source !== undefined) {
      const message = validateExpression(normalizeSource(o.source));
      if (message !== undefined) issues.push({ path: at("source"), received: o.source, message });
    }
    const existing = byTarget.get(o.target);
    if (!existing && o.source === undefined && o.constant === undefined) {
      issues.push({ path: at("source"), message: `a new mapping for ${o.target} needs a source expression or a constant`, received: undefined });
      return;
    }
    const priority = o.matchingPriority ?? existing?.matchingPriority ?? 0;
    if (priority > 0 && !target.filterable) {
      const filterable = om.targetAttributes.filter((t) => t.filterable).map((t) => t.name);
      issues.push({
        path: at("matchingPriority"),
        received: o.matchingPriority ?? priority,
        message: `${o.target} cannot be a matching attribute: ${presetName} does not support filtering on it; matching targets allowed: ${filterable.join(", ")}`,
      });
      return;
    }
    const sourceChange = o.source !== undefined ? { source: normalizeSource(o.source), constant: undefined } : o.constant !== undefined ? { source: undefined, constant: o.constant } : {};
    byTarget.set(o.target, {
      target: o.target,
      ...(existing ?? {}),
      ...sourceChange,
      ...(o.defaultValue !== undefined ? { defaultValue: o.defaultValue } : {}),
      flowType: o.flowType ?? existing?.flowType ?? "Always",
      flowBehavior: o.flowBehavior ?? existing?.flowBehavior ?? "FlowWhenChanged",
      matchingPriority: priority,
    });
  });
  const merged = [...byTarget.values()].map((m) => stripUndefined(m));
  const priorities = new Map<number, string>();
  for (const m of merged) {
    if (m.matchingPriority <= 0) continue;
    const other = priorities.get(m.matchingPriority);
    if (other !== undefined) {
      issues.push({
        path: [om.key, base],
        received: m.matchingPriority,
        message: `two mappings share matching priority ${m.matchingPriority} (${other} and ${m.target}); each matching attribute needs its own precedence`,
      });
    } else priorities.set(m.matchingPriority, m.target);
  }
  return merged;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function resolveScoping(om: ObjectMappingPreset, override: MappingOverrideInput | undefined, issues: MergeIssue[]): ScopingFilterGroup[] {
  const groups: ScopingFilterGroup[] = [];
  const names = new Set<string>();
  (override?.scopingFilter ?? []).forEach((g, gi) => {
    if (names.has(g.name)) issues.push({ path: [om.key, "scopingFilter", gi, "name"], received: g.name, message: "scoping filter names must be unique" });
    names.add(g.name);
    const clauses = g.clauses.map((c, ci) => {
      const at = (field: string) => [om.key, "scopingFilter", gi, "clauses", ci, field];
      const op = findScopingOperator(c.operator);
      const values = c.values ? [...c.values] : c.value !== undefined ? [c.value] : [];
      if (c.value !== undefined && c.values !== undefined) issues.push({ path: at("values"), received: c.values, message: "set either value or values, not both" });
      if (NON_SCOPABLE_SOURCE_ATTRIBUTES.some((a) => a.toLowerCase() === c.attribute.toLowerCase())) {
        issues.push({ path: at("attribute"), received: c.attribute, message: "Microsoft does not support this attribute in scoping filters (multi-valued, reference, date or membership attribute)" });
      }
      if (op) {
        if (op.arity === "Unary" && values.length > 0) issues.push({ path: at("value"), received: values, message: `${op.label} takes no value` });
        if (op.arity === "Binary" && values.length === 0) issues.push({ path: at("value"), received: undefined, message: `${op.label} needs a value` });
        if (op.integerValues) {
          values.filter((v) => !/^-?\d+$/.test(v)).forEach((v) => issues.push({ path: at("value"), received: v, message: `${op.label} compares integers; expected a whole number` }));
        }
        if (op.regex) {
          values.forEach((v) => {
            try {
              new RegExp(v);
            } catch (e) {
              issues.push({ path: at("value"), received: v, message: `not a valid regular expression (${(e as Error).message})` });
            }
          });
        }
      }
      return { attribute: c.attribute, operator: c.operator, values };
    });
    groups.push({ name: g.name, clauses });
  });
  return groups;
}

/**
 * Merges the preset's object mappings with the overrides. Returns the resolved mappings and every
 * problem found (paths relative to `app.mappings`); callers refuse to plan when there are problems.
 */
export function mergeObjectMappings(
  preset: AppPreset,
  overrides: Partial<Record<"users" | "groups", MappingOverrideInput>>,
): { mappings: ResolvedObjectMapping[]; issues: MergeIssue[] } {
  const issues: MergeIssue[] = [];
  const mappings: ResolvedObjectMapping[] = [];
  for (const key of Object.keys(overrides) as ("users" | "groups")[]) {
    const om = preset.objectMappings.find((m) => m.key === key);
    if (overrides[key] !== undefined && (!om || !om.supported)) {
      issues.push({ path: [key], received: key, message: `${preset.appName} does not provision ${key}; allowed: ${preset.objectMappings.filter((m) => m.supported).map((m) => m.key).join(", ")}` });
    }
  }
  for (const om of preset.objectMappings.filter((m) => m.supported)) {
    const override = overrides[om.key];
    mappings.push({
      key: om.key,
      name: om.name,
      sourceObjectName: om.sourceObjectName,
      targetObjectName: om.targetObjectName,
      enabled: override?.enabled ?? true,
      attributeMappings: mergeAttributes(om, override, preset.appName, issues),
      scopingFilter: resolveScoping(om, override, issues),
    });
  }
  return { mappings, issues };
}
