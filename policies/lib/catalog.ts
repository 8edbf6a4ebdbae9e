/**
 * Finding the app preset behind a declared object mapping. The schema resource carries the merged
 * mappings, whose name, source and target object come from the preset (stacks can change attributes
 * and scoping, never those three), so they identify the catalog entry and with it what the target app
 * can filter on and how it authenticates.
 */
import { AppPreset, CATALOG, ObjectMappingPreset } from "../../components/catalog";
import type { ResolvedObjectMapping } from "../../components/mappings/merge";

export interface PresetMatch {
  readonly preset: AppPreset;
  readonly mapping: ObjectMappingPreset;
}

type MappingIdentity = Pick<ResolvedObjectMapping, "name" | "sourceObjectName" | "targetObjectName">;

/** Every catalog object mapping with the same name, source object and target object. */
export function catalogMatches(m: MappingIdentity): PresetMatch[] {
  const out: PresetMatch[] = [];
  for (const preset of Object.values(CATALOG)) {
    for (const mapping of preset.objectMappings) {
      if (mapping.name === m.name && mapping.sourceObjectName === m.sourceObjectName && mapping.targetObjectName === m.targetObjectName) {
        out.push({ preset, mapping });
      }
    }
  }
  return out;
}

/** The presets whose mappings the declared mappings come from (usually exactly one). */
export function presetsOf(mappings: readonly MappingIdentity[]): AppPreset[] {
  const found = new Map<string, AppPreset>();
  for (const m of mappings) for (const { preset } of catalogMatches(m)) found.set(preset.id, preset);
  return [...found.values()];
}

/** A short description of a mapping for messages. */
export function describeMapping(m: Partial<MappingIdentity> & { key?: string }): string {
  return `object mapping ${JSON.stringify(m.name ?? m.key ?? "?")}`;
}
