/** Differences between two plans: what a change does, for reviewers of a pull request. */
import { PlanDocument } from "./document";

export interface ValueChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly changes: readonly ValueChange[];
}

export interface PlanDiff {
  readonly added: readonly { urn: string; type: string; name: string }[];
  readonly removed: readonly { urn: string; type: string; name: string }[];
  readonly changed: readonly ResourceChange[];
  readonly outputs: readonly ValueChange[];
}

/** Fields that name an element of a list, in order of preference (`key: users`, `target: userName`, …). */
const IDENTITY_FIELDS = ["key", "object", "target", "objectId", "name"];

/**
 * How list elements are addressed in paths: by an identity field when every element has a distinct
 * one (`attributeMappings[target=userName]`), so an insertion does not show as a change of every later
 * element; by index otherwise.
 */
function elementLabels(list: readonly unknown[]): string[] {
  for (const field of IDENTITY_FIELDS) {
    const ids = list.map((v) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>)[field] : undefined));
    if (ids.every((id) => typeof id === "string" && id !== "") && new Set(ids).size === ids.length) return ids.map((id) => `[${field}=${id}]`);
  }
  return list.map((_, i) => `[${i}]`);
}

/** Flattens a value to `path → leaf` pairs (`a.b[0].c`, `mappings[target=userName].source`). Empty objects/arrays are leaves. */
export function flatten(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value) && value.length > 0) {
    const labels = elementLabels(value);
    value.forEach((v, i) => flatten(v, `${prefix}${labels[i]}`, out));
  } else if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

export function diffValues(before: unknown, after: unknown): ValueChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: ValueChange[] = [];
  for (const p of paths) {
    const x = a.get(p);
    const y = b.get(p);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    changes.push({ path: p, ...(a.has(p) ? { before: x } : {}), ...(b.has(p) ? { after: y } : {}) });
  }
  return changes;
}

export function diffPlans(base: PlanDocument, head: PlanDocument): PlanDiff {
  const baseBy = new Map(base.resources.map((r) => [r.urn, r]));
  const headBy = new Map(head.resources.map((r) => [r.urn, r]));
  const brief = (r: { urn: string; type: string; name: string }) => ({ urn: r.urn, type: r.type, name: r.name });
  const changed: ResourceChange[] = [];
  for (const [urn, h] of headBy) {
    const b = baseBy.get(urn);
    if (!b) continue;
    const changes = diffValues({ inputs: b.inputs, protect: b.protect, dependsOn: b.dependsOn }, { inputs: h.inputs, protect: h.protect, dependsOn: h.dependsOn });
    if (changes.length > 0) changed.push({ ...brief(h), changes });
  }
  return {
    added: head.resources.filter((r) => !baseBy.has(r.urn)).map(brief),
    removed: base.resources.filter((r) => !headBy.has(r.urn)).map(brief),
    changed,
    outputs: diffValues(base.outputs, head.outputs),
  };
}

export function isEmptyDiff(d: PlanDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0 && d.outputs.length === 0;
}
