/**
 * Scope is set: either only assigned users and groups are provisioned (`SyncAll` "false"), with at
 * least one group assigned and assignment required on the service principal, or all users and groups
 * are (`SyncAll` "true") and every enabled object mapping narrows them with a scoping filter.
 *
 * Why: a scope mistake is the costliest provisioning error there is. "Sync all" without a filter
 * creates an account in the target app for everyone in the tenant; narrowing the scope afterwards
 * disables every account that falls out of it, in one cycle. Assigned-only with no group provisions
 * nobody, and with assignment not required anyone can sign in to the app regardless of who is in scope.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import type { ResolvedObjectMapping } from "../../components/mappings/merge";
import { appUnits, describeUnit } from "../lib/app-units";
import { describeMapping } from "../lib/catalog";
import { ruleName } from "../lib/rule-name";
import { secretValue } from "../lib/secrets-document";
import { policyConfig } from "../lib/validate";

interface ScopeConfig {
  readonly minAssignedGroups: number;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    minAssignedGroups: {
      type: "integer",
      minimum: 1,
      default: 1,
      description: "With assigned-only scope, at least this many group assignments per app.",
    },
  },
};

const scopeIsSet: StackValidationPolicy = {
  name: ruleName(__filename),
  description: "Provisioning scope is explicit: assigned-only with groups assigned and assignment required, or all users with a scoping filter.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema,
  remediationSteps:
    "Set app.provisioning.scope to assignedOnly and list groups in app.assignments.groups (keep assignmentRequired true), " +
    "or keep allUsersAndGroups and add a scopingFilter to every enabled object mapping in app.mappings.",
  validateStack: (args, report) => {
    const { minAssignedGroups } = policyConfig<ScopeConfig>(args, configSchema);
    const units = appUnits(args.resources).filter((u) => u.secrets.length + u.jobs.length + u.schemas.length > 0);
    if (units.length === 0) args.notApplicable("no provisioning (synchronization secret, job or schema) in this stack");
    for (const unit of units) {
      const where = describeUnit(unit.key);
      if (unit.secrets.length === 0) {
        report(`${where} provisions without a SynchronizationSecret, so SyncAll (the scope) is never set and whatever the portal last had applies.`, (unit.jobs[0] ?? unit.schemas[0]).urn);
        continue;
      }
      for (const secret of unit.secrets) {
        const syncAll = secretValue(secret.props, "SyncAll");
        if (syncAll === undefined) {
          report(`${where}: the secrets document does not write SyncAll, so the scope is whatever the portal last had; write "false" (assigned users and groups only) or "true".`, secret.urn);
          continue;
        }
        const scope = syncAll.trim().toLowerCase();
        if (scope === "false") {
          if (unit.assignments.length < minAssignedGroups) {
            report(
              `${where}: the scope is assigned users and groups only, but ${unit.assignments.length} group(s) are assigned (at least ${minAssignedGroups} required); nobody would be provisioned.`,
              secret.urn,
            );
          }
          if (unit.servicePrincipals.length === 0) {
            report(`${where}: the scope is assigned users and groups only, but no service principal is declared, so assignment required cannot be enforced.`, secret.urn);
          }
          for (const sp of unit.servicePrincipals) {
            if (sp.props.appRoleAssignmentRequired !== true) {
              report(
                `${where}: the scope is assigned users and groups only, but the service principal does not require assignment (appRoleAssignmentRequired is ${JSON.stringify(sp.props.appRoleAssignmentRequired)}); set it to true.`,
                sp.urn,
              );
            }
          }
        } else if (scope === "true") {
          let enabledMappings = 0;
          for (const schema of unit.schemas) {
            for (const m of (schema.props.objectMappings ?? []) as ResolvedObjectMapping[]) {
              if (m.enabled === false) continue;
              enabledMappings++;
              const filters = (m.scopingFilter ?? []).filter((g) => (g.clauses ?? []).length > 0);
              if (filters.length === 0) {
                report(
                  `${where}: the scope is all users and groups (SyncAll "true") and the enabled ${describeMapping(m)} has no scoping filter; every ${m.sourceObjectName ?? "object"} in the tenant would be provisioned.`,
                  schema.urn,
                );
              }
            }
          }
          if (enabledMappings === 0) {
            report(`${where}: the scope is all users and groups (SyncAll "true") and no enabled object mapping declares a scoping filter; everyone in the tenant would be provisioned.`, secret.urn);
          }
        } else {
          report(`${where}: SyncAll must be "true" or "false", received ${JSON.stringify(syncAll)}.`, secret.urn);
        }
      }
    }
  },
};

export default scopeIsSet;
