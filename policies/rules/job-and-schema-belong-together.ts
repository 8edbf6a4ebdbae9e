/**
 * The job and its schema belong together: every SynchronizationSchema declaration has the
 * SynchronizationJob it configures in the same component, every job has a schema declaration, and
 * where the ids are known they agree: the schema's `synchronizationJobId` is a job of the same service
 * principal as the component's job, and the secrets document is for that service principal too.
 *
 * Why: a job without a declared schema runs on whatever mappings, matching and scoping the template or
 * the portal has, outside review; a schema pointed at another app's job rewrites that app's mappings
 * (the schema PUT replaces the whole document). Unknown ids during a first preview are skipped and the
 * pairing by component is used; the comparison runs once the ids exist.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { appUnits, describeUnit, parentKey } from "../lib/app-units";
import { servicePrincipalOf } from "../lib/ids";
import { ruleName } from "../lib/rule-name";
import { TYPES } from "../lib/types";
import { knownString, peek } from "../lib/values";

type Link = { readonly kind: "job"; readonly job: PolicyResource } | { readonly kind: "unresolved" };

const jobAndSchemaBelongTogether: StackValidationPolicy = {
  name: ruleName(__filename),
  description: "Each synchronization job has a schema declaration and each schema declaration configures the job of the same app.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Declare the job and its schema in the same EnterpriseAppProvisioning component and pass the job's id to the schema.",
  validateStack: (args, report) => {
    const units = appUnits(args.resources).filter((u) => u.jobs.length + u.schemas.length > 0);
    if (units.length === 0) args.notApplicable("no synchronization job or schema in this stack");
    for (const unit of units) {
      const where = describeUnit(unit.key);
      const spOfJob = (job: PolicyResource) => {
        const sp = knownString(peek(job.props, "servicePrincipalId"));
        return sp === undefined ? undefined : servicePrincipalOf(sp);
      };
      const linked = new Set<PolicyResource>();
      for (const schema of unit.schemas) {
        if (unit.jobs.length === 0) {
          report(`${where}: the schema declaration has no synchronization job in the same component; it would configure a job this stack does not manage.`, schema.urn);
          continue;
        }
        let link: Link | undefined;
        const viaDeps = (schema.propertyDependencies?.synchronizationJobId ?? []).filter((d) => d.type === TYPES.synchronizationJob);
        const ref = peek(schema.props, "synchronizationJobId");
        if (viaDeps.length > 0) {
          const job = viaDeps[0];
          if (parentKey(job) !== unit.key) {
            report(`${where}: the schema configures job ${job.name} of ${describeUnit(parentKey(job))}; declare each app's schema next to its own job.`, schema.urn);
            continue;
          }
          link = { kind: "job", job };
        } else if (typeof ref === "string") {
          const sp = servicePrincipalOf(ref);
          if (sp === undefined) {
            report(`${where}: the schema's synchronizationJobId ${JSON.stringify(ref)} is not a synchronization job id.`, schema.urn);
            continue;
          }
          const known = unit.jobs.filter((j) => spOfJob(j) !== undefined);
          const same = known.filter((j) => spOfJob(j) === sp);
          if (same.length === 1) link = { kind: "job", job: same[0] };
          else if (known.length === unit.jobs.length && same.length === 0) {
            report(`${where}: the schema's synchronizationJobId belongs to service principal ${sp}, not to the service principal of the component's job.`, schema.urn);
            continue;
          } else link = { kind: "unresolved" };
        } else if (ref === undefined) {
          report(`${where}: the schema declaration has no synchronizationJobId.`, schema.urn);
          continue;
        } else link = { kind: "unresolved" };
        if (link.kind === "unresolved") {
          if (unit.jobs.length > 1) {
            report(`${where}: ${unit.jobs.length} synchronization jobs and the schema's job id is not known yet; declare one job and its schema per component.`, schema.urn);
            continue;
          }
          link = { kind: "job", job: unit.jobs[0] };
        }
        linked.add(link.job);
      }
      for (const job of unit.jobs) {
        if (!linked.has(job)) {
          report(`${where}: synchronization job ${job.name} has no schema declaration; its mappings, matching and scoping would be whatever the template or the portal has.`, job.urn);
        }
        const jobSp = spOfJob(job);
        for (const secret of unit.secrets) {
          const raw = knownString(peek(secret.props, "servicePrincipalId"));
          const secretSp = raw === undefined ? undefined : servicePrincipalOf(raw);
          if (jobSp !== undefined && secretSp !== undefined && jobSp !== secretSp) {
            report(`${where}: the secrets document is for service principal ${secretSp}, the job for ${jobSp}; scope and notifications would apply to another app.`, secret.urn);
          }
        }
      }
    }
  },
};

export default jobAndSchemaBelongTogether;
