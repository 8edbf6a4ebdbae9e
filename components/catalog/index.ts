import { genericScim } from "./generic-scim";
import { rouseSales } from "./rouse-sales";
import { AppPreset } from "./types";

export * from "./types";

/** Every preset the catalog offers, by `app.preset` key. */
export const CATALOG: Readonly<Record<string, AppPreset>> = Object.freeze({
  [rouseSales.id]: rouseSales,
  [genericScim.id]: genericScim,
});

export const PRESET_IDS = Object.keys(CATALOG);

/** The preset for a key, or undefined. */
export function findPreset(id: string): AppPreset | undefined {
  return Object.prototype.hasOwnProperty.call(CATALOG, id) ? CATALOG[id] : undefined;
}
