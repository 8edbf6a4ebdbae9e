import { genericScim } from "../../../components/catalog/generic-scim";
import scopeIsSet from "../../../policies/rules/scope-is-set";
import { TYPES } from "../../../policies/lib/types";
import { app, find, runStackPolicy, UNKNOWN, urnOf, withProps } from "../support";

const salesFilter = { attributes: [], scopingFilter: [{ name: "Sales", clauses: [{ attribute: "department", operator: "EQUALS", value: "Sales" }] }] };

describe("scope-is-set: provisioning scope is explicit", () => {
  test("Compliance: assigned users and groups only, one group, assignment required", () => {
    expect(runStackPolicy(scopeIsSet, app())).toEqual({ violations: [], urns: [] });
  });

  test("Compliance: all users and groups, narrowed by a scoping filter", () => {
    const resources = app({ settings: { scope: "allUsersAndGroups" }, mappings: { users: salesFilter } });
    expect(runStackPolicy(scopeIsSet, resources).violations).toEqual([]);
  });

  test("Noncompliance 1: all users and groups without a scoping filter", () => {
    const resources = app({ settings: { scope: "allUsersAndGroups" } });
    const out = runStackPolicy(scopeIsSet, resources);
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0]).toMatch(/all users and groups \(SyncAll "true"\) and the enabled object mapping "Synchronize Microsoft Entra users to Rouse Sales" has no scoping filter/);
    expect(out.urns).toEqual([urnOf(find(resources, TYPES.dynamicResource))]);
  });

  test("Noncompliance 2: assigned-only with no group assigned", () => {
    const out = runStackPolicy(scopeIsSet, app({ groups: 0 }));
    expect(out.violations).toEqual([expect.stringMatching(/assigned users and groups only, but 0 group\(s\) are assigned \(at least 1 required\)/)]);
  });

  test("Noncompliance 3: assigned-only but assignment not required on the service principal", () => {
    const resources = app({ assignmentRequired: false });
    const out = runStackPolicy(scopeIsSet, resources);
    expect(out.violations).toEqual([expect.stringMatching(/does not require assignment \(appRoleAssignmentRequired is false\)/)]);
    expect(out.urns).toEqual([urnOf(find(resources, TYPES.servicePrincipal))]);
  });

  test("Noncompliance 4: the secrets document does not write SyncAll", () => {
    const resources = withProps(app(), "rouse-sales-settings", (p) => ({ ...p, credentials: p.credentials.filter((c: { key: string }) => c.key !== "SyncAll") }));
    expect(runStackPolicy(scopeIsSet, resources).violations).toEqual([expect.stringMatching(/does not write SyncAll/)]);
  });

  test("Noncompliance 5: a job and schema but no secrets document at all", () => {
    const resources = app().filter((r) => r.type !== TYPES.synchronizationSecret);
    expect(runStackPolicy(scopeIsSet, resources).violations).toEqual([expect.stringMatching(/without a SynchronizationSecret/)]);
  });

  test("Noncompliance 6: SyncAll is neither true nor false", () => {
    const resources = withProps(app(), "rouse-sales-settings", (p) => ({ ...p, credentials: p.credentials.map((c: { key: string }) => (c.key === "SyncAll" ? { ...c, value: "yes" } : c)) }));
    expect(runStackPolicy(scopeIsSet, resources).violations).toEqual([expect.stringMatching(/SyncAll must be "true" or "false", received "yes"/)]);
  });

  test("Noncompliance 7: all users, groups provisioned too, and only the users mapping is filtered", () => {
    const resources = app({ preset: genericScim, settings: { scope: "allUsersAndGroups" }, mappings: { users: salesFilter } });
    expect(runStackPolicy(scopeIsSet, resources).violations).toEqual([expect.stringMatching(/"Provision Microsoft Entra ID Groups" has no scoping filter; every Group in the tenant/)]);
  });

  test("config: minAssignedGroups raises the number of groups required", () => {
    expect(runStackPolicy(scopeIsSet, app({ groups: 1 }), { minAssignedGroups: 2 }).violations).toEqual([expect.stringMatching(/1 group\(s\) are assigned \(at least 2 required\)/)]);
    expect(runStackPolicy(scopeIsSet, app({ groups: 2 }), { minAssignedGroups: 2 }).violations).toEqual([]);
  });

  test("judges each app of a stack on its own: only the broken one is reported", () => {
    const good = app({ name: "crm" });
    const bad = app({ name: "sales", groups: 0 });
    const out = runStackPolicy(scopeIsSet, [...good, ...bad]);
    expect(out.violations).toEqual([expect.stringMatching(/^component "sales": /)]);
    expect(out.urns).toEqual([urnOf(find(bad, TYPES.synchronizationSecret))]);
  });

  test("an unknown SyncAll cannot be judged: CrossGuard's unknown check stops the policy (advisory in preview)", () => {
    const resources = withProps(app(), "rouse-sales-settings", (p) => ({ ...p, credentials: UNKNOWN }));
    expect(runStackPolicy(scopeIsSet, resources).unknown).toMatch(/can't be known during preview/);
  });

  test("not applicable to a stack without provisioning", () => {
    expect(runStackPolicy(scopeIsSet, app().filter((r) => r.type === TYPES.applicationFromTemplate)).notApplicable).toMatch(/no provisioning/);
  });
});
