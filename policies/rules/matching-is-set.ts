/**
 * Matching is set: every enabled object mapping has at least one matching attribute, the matching
 * priorities are 1, 2, … n with no gaps or repeats, each matching attribute maps from a source (not a
 * constant), and each matching target is one the target app can filter on (from the app catalog).
 *
 * Why: the provisioning service looks each user up in the target app by the matching attributes before
 * creating it. With no usable matching attribute nothing is found, so every user is created again:
 * duplicates for the whole tenant in the first cycle. A constant matches everybody to the same account;
 * a target the app cannot filter on fails every lookup.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { ResolvedObjectMapping } from "../../components/mappings/merge";
import { catalogMatches, describeMapping } from "../lib/catalog";
import { ruleName } from "../lib/rule-name";
import { SCHEMA_RESOURCE_KIND, TYPES } from "../lib/types";
import { validateResourcesOfTypes } from "../lib/validate";
import { peek } from "../lib/values";

const matchingIsSet: ResourceValidationPolicy = {
  name: ruleName(__filename),
  description: "Every enabled object mapping has matching attributes with priorities 1..n, mapped from a source, on targets the app can filter on.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Keep a matching attribute in app.mappings.<object>.attributes (matchingPriority 1, then 2, …) on a target the preset marks filterable, " +
    "mapped from a source expression; do not remove the preset's matching attribute without adding another.",
  validateResource: validateResourcesOfTypes([TYPES.dynamicResource], (args, report) => {
    if (peek(args.props, "resourceKind") !== SCHEMA_RESOURCE_KIND) args.notApplicable(`only applies to dynamic resources of kind '${SCHEMA_RESOURCE_KIND}'`);
    const mappings = (args.props.objectMappings ?? []) as ResolvedObjectMapping[];
    for (const m of mappings) {
      if (m.enabled === false) continue;
      const label = describeMapping(m);
      const matching = (m.attributeMappings ?? []).filter((a) => Number(a.matchingPriority ?? 0) > 0);
      if (matching.length === 0) {
        report(`${label} has no matching attribute (matchingPriority > 0): existing accounts in the target app would not be found and every user would be created again.`);
        continue;
      }
      const priorities = matching.map((a) => Number(a.matchingPriority)).sort((a, b) => a - b);
      const repeated = [...new Set(priorities.filter((p, i) => priorities.indexOf(p) !== i))];
      for (const p of repeated) {
        const targets = matching.filter((a) => Number(a.matchingPriority) === p).map((a) => a.target);
        report(`${label}: matching priority ${p} is used by ${targets.join(" and ")}; each matching attribute needs its own precedence.`);
      }
      const unique = [...new Set(priorities)];
      const expected = unique.map((_, i) => i + 1);
      if (repeated.length === 0 && JSON.stringify(unique) !== JSON.stringify(expected)) {
        report(`${label}: matching priorities must be ${expected.join(", ")} (in order, no gaps), received ${priorities.join(", ")}.`);
      }
      for (const a of matching) {
        if ((a.source === undefined || a.source === "") && a.constant !== undefined) {
          report(`${label}: matching attribute ${a.target} maps the constant ${JSON.stringify(a.constant)}; every user would match the same account.`);
        }
      }
      const presets = catalogMatches(m);
      if (presets.length === 0) {
        report(`${label} (target ${m.targetObjectName}) is not in the app catalog, so it cannot be checked that the app can filter on its matching attributes.`);
        continue;
      }
      for (const a of matching) {
        for (const { preset, mapping } of presets) {
          if (!mapping.targetAttributes.some((t) => t.name === a.target && t.filterable)) {
            const allowed = mapping.targetAttributes.filter((t) => t.filterable).map((t) => t.name);
            report(`${label}: ${a.target} cannot be a matching attribute, ${preset.appName} does not support filtering on it; filterable targets: ${allowed.join(", ")}.`);
          }
        }
      }
    }
  }),
};

export default matchingIsSet;
