import { servicePrincipalOf } from "../../../policies/lib/ids";
import jobAndSchemaBelongTogether from "../../../policies/rules/job-and-schema-belong-together";
import { TYPES } from "../../../policies/lib/types";
import { app, FakeResource, find, runStackPolicy, urnOf, withProps } from "../support";

const SP_A = "0a0b0c0d-1111-4222-8333-444455556666";
const SP_B = "9f8e7d6c-5555-4666-8777-888899990000";

describe("job-and-schema-belong-together: the schema configures this app's job", () => {
  test("Compliance: first preview, ids unknown, paired by component", () => {
    expect(runStackPolicy(jobAndSchemaBelongTogether, app({ known: false }))).toEqual({ violations: [], urns: [] });
  });

  test("Compliance: after deployment the ids agree", () => {
    expect(runStackPolicy(jobAndSchemaBelongTogether, app({ known: true })).violations).toEqual([]);
  });

  test("Compliance: the CLI's property dependencies link the schema to its job", () => {
    const resources = app().map((r) => (r.type === TYPES.dynamicResource ? { ...r, propertyDependencies: { synchronizationJobId: ["rouse-sales-job"] } } : r));
    expect(runStackPolicy(jobAndSchemaBelongTogether, resources).violations).toEqual([]);
  });

  test("Noncompliance 1: a schema without a job", () => {
    const resources = app().filter((r) => r.type !== TYPES.synchronizationJob);
    const out = runStackPolicy(jobAndSchemaBelongTogether, resources);
    expect(out.violations).toEqual([expect.stringMatching(/schema declaration has no synchronization job in the same component/)]);
    expect(out.urns).toEqual([urnOf(find(resources, TYPES.dynamicResource))]);
  });

  test("Noncompliance 2: a job without a schema declaration", () => {
    const resources = app().filter((r) => r.type !== TYPES.dynamicResource);
    const out = runStackPolicy(jobAndSchemaBelongTogether, resources);
    expect(out.violations).toEqual([expect.stringMatching(/synchronization job rouse-sales-job has no schema declaration/)]);
    expect(out.urns).toEqual([urnOf(find(resources, TYPES.synchronizationJob))]);
  });

  test("Noncompliance 3: the schema's job id belongs to another service principal", () => {
    const other = find(app({ known: true, spObjectId: SP_B }), TYPES.dynamicResource).props.synchronizationJobId;
    const resources = withProps(app({ known: true, spObjectId: SP_A }), "rouse-sales-schema", (p) => ({ ...p, synchronizationJobId: other }));
    const out = runStackPolicy(jobAndSchemaBelongTogether, resources);
    expect(out.violations).toEqual([
      `component "rouse-sales": the schema's synchronizationJobId belongs to service principal ${SP_B.replace(/-/g, "")}, not to the service principal of the component's job.`,
      expect.stringMatching(/job rouse-sales-job has no schema declaration/),
    ]);
  });

  test("Noncompliance 4: the schema depends on another component's job", () => {
    const a = app({ name: "sales" });
    const b = app({ name: "crm" }).map((r) => (r.type === TYPES.dynamicResource ? { ...r, propertyDependencies: { synchronizationJobId: ["sales-job"] } } : r));
    const out = runStackPolicy(jobAndSchemaBelongTogether, [...a, ...b]);
    expect(out.violations).toEqual([
      'component "crm": the schema configures job sales-job of component "sales"; declare each app\'s schema next to its own job.',
      expect.stringMatching(/component "crm": synchronization job crm-job has no schema declaration/),
    ]);
  });

  test("Noncompliance 5: the secrets document is for another service principal than the job", () => {
    const resources = withProps(app({ known: true, spObjectId: SP_A }), "rouse-sales-settings", (p) => ({ ...p, servicePrincipalId: `/servicePrincipals/${SP_B}` }));
    expect(runStackPolicy(jobAndSchemaBelongTogether, resources).violations).toEqual([expect.stringMatching(/the secrets document is for service principal 9f8e7d6c/)]);
  });

  test("Noncompliance 6: a job id that is not one, or none", () => {
    expect(runStackPolicy(jobAndSchemaBelongTogether, withProps(app(), "rouse-sales-schema", (p) => ({ ...p, synchronizationJobId: "job-1" }))).violations[0]).toMatch(/"job-1" is not a synchronization job id/);
    const { synchronizationJobId: _drop, ...rest } = find(app(), TYPES.dynamicResource).props;
    expect(runStackPolicy(jobAndSchemaBelongTogether, withProps(app(), "rouse-sales-schema", () => rest)).violations[0]).toMatch(/has no synchronizationJobId/);
  });

  test("two jobs in one component and an unknown job id: which one the schema configures cannot be told", () => {
    const resources: FakeResource[] = [...app(), { ...find(app(), TYPES.synchronizationJob), name: "rouse-sales-job-2" }];
    expect(runStackPolicy(jobAndSchemaBelongTogether, resources).violations).toEqual([
      expect.stringMatching(/2 synchronization jobs and the schema's job id is not known yet/),
      expect.stringMatching(/job rouse-sales-job has no schema/),
      expect.stringMatching(/job rouse-sales-job-2 has no schema/),
    ]);
  });

  test("servicePrincipalOf reads every form of the ids", () => {
    expect(servicePrincipalOf(`/servicePrincipals/${SP_A}`)).toBe(SP_A.replace(/-/g, ""));
    expect(servicePrincipalOf(`/servicePrincipals/${SP_A}/synchronization/jobs/scim.x.y`)).toBe(SP_A.replace(/-/g, ""));
    expect(servicePrincipalOf(`scim.${SP_A.replace(/-/g, "")}.7f3a1041-a5df-4479-aee2-4e2703952a17`)).toBe(SP_A.replace(/-/g, ""));
    expect(servicePrincipalOf(SP_A.toUpperCase())).toBe(SP_A.replace(/-/g, ""));
    expect(servicePrincipalOf("scim")).toBeUndefined();
  });

  test("not applicable without jobs or schemas", () => {
    expect(runStackPolicy(jobAndSchemaBelongTogether, app().filter((r) => r.type === TYPES.servicePrincipal)).notApplicable).toBeDefined();
  });
});
