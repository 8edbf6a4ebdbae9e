import { genericScim } from "../../../components/catalog/generic-scim";
import matchingIsSet from "../../../policies/rules/matching-is-set";
import { TYPES } from "../../../policies/lib/types";
import { app, FakeResource, find, resolvedMappings, runResourcePolicy, UNKNOWN } from "../support";

const schemaOf = (resources: FakeResource[]) => find(resources, TYPES.dynamicResource);
/** The schema resource of a Rouse Sales app with these user attribute overrides. */
const schemaWith = (attributes: object[], preset = undefined as typeof genericScim | undefined) =>
  schemaOf(app({ preset, mappings: { users: { attributes: attributes as never, scopingFilter: [] } } }));
/** Sets fields of one attribute mapping of the users mapping directly (for shapes config validation would refuse). */
const editMapping = (r: FakeResource, target: string, change: object): FakeResource => ({
  ...r,
  props: {
    ...r.props,
    objectMappings: (r.props.objectMappings as any[]).map((m) =>
      m.key !== "users" ? m : { ...m, attributeMappings: m.attributeMappings.map((a: any) => (a.target === target ? { ...a, ...change } : a)) },
    ),
  },
});

describe("matching-is-set: every enabled object mapping matches users on a usable attribute", () => {
  test("Compliance: the preset's userName matching attribute", () => {
    expect(runResourcePolicy(matchingIsSet, schemaOf(app()))).toEqual({ violations: [], urns: [] });
  });

  test("Compliance: two matching attributes with priorities 1 and 2 on filterable targets (generic SCIM)", () => {
    expect(runResourcePolicy(matchingIsSet, schemaWith([{ target: "externalId", matchingPriority: 2 }], genericScim)).violations).toEqual([]);
  });

  test("Noncompliance 1: the matching attribute removed and no other", () => {
    const out = runResourcePolicy(matchingIsSet, schemaWith([{ target: "userName", remove: true }]));
    expect(out.violations).toEqual([expect.stringMatching(/"Synchronize Microsoft Entra users to Rouse Sales" has no matching attribute .* every user would be created again/)]);
  });

  test("Noncompliance 2: priorities that repeat", () => {
    const r = editMapping(schemaWith([{ target: "externalId", matchingPriority: 2 }], genericScim), "externalId", { matchingPriority: 1 });
    expect(runResourcePolicy(matchingIsSet, r).violations).toEqual([expect.stringMatching(/matching priority 1 is used by userName and externalId/)]);
  });

  test("Noncompliance 3: priorities that do not start at 1 or leave gaps", () => {
    const gap = runResourcePolicy(matchingIsSet, schemaWith([{ target: "externalId", matchingPriority: 3 }], genericScim));
    expect(gap.violations).toEqual([expect.stringMatching(/priorities must be 1, 2 \(in order, no gaps\), received 1, 3/)]);
    const start = runResourcePolicy(matchingIsSet, editMapping(schemaOf(app()), "userName", { matchingPriority: 2 }));
    expect(start.violations).toEqual([expect.stringMatching(/priorities must be 1 \(in order, no gaps\), received 2/)]);
  });

  test("Noncompliance 4: a matching target the app cannot filter on", () => {
    const r = editMapping(schemaOf(app()), "externalId", { matchingPriority: 2 });
    expect(runResourcePolicy(matchingIsSet, r).violations).toEqual([
      expect.stringMatching(/externalId cannot be a matching attribute, Rouse Sales does not support filtering on it; filterable targets: userName\./),
    ]);
  });

  test("Noncompliance 5: matching on a constant", () => {
    const out = runResourcePolicy(matchingIsSet, schemaWith([{ target: "userName", constant: "shared" }]));
    expect(out.violations).toEqual([expect.stringMatching(/matching attribute userName maps the constant "shared"; every user would match the same account/)]);
  });

  test("Noncompliance 6: an object mapping that is not in the app catalog cannot be vouched for", () => {
    const r = schemaOf(app());
    const renamed = { ...r, props: { ...r.props, objectMappings: (r.props.objectMappings as any[]).map((m) => ({ ...m, name: "Custom users" })) } };
    expect(runResourcePolicy(matchingIsSet, renamed).violations).toEqual([expect.stringMatching(/"Custom users" .* is not in the app catalog/)]);
  });

  test("each enabled mapping is judged; a disabled one is not", () => {
    const mappings = resolvedMappings(genericScim).map((m) => (m.key === "groups" ? { ...m, attributeMappings: m.attributeMappings.map((a) => ({ ...a, matchingPriority: 0 })) } : m));
    const r = { ...schemaOf(app({ preset: genericScim })), props: { ...schemaOf(app()).props, objectMappings: mappings } };
    expect(runResourcePolicy(matchingIsSet, r).violations).toEqual([expect.stringMatching(/"Provision Microsoft Entra ID Groups" has no matching attribute/)]);
    const disabled = { ...r, props: { ...r.props, objectMappings: mappings.map((m) => (m.key === "groups" ? { ...m, enabled: false } : m)) } };
    expect(runResourcePolicy(matchingIsSet, disabled).violations).toEqual([]);
  });

  test("not applicable to other resources, including other dynamic resources", () => {
    expect(runResourcePolicy(matchingIsSet, find(app(), TYPES.synchronizationJob)).notApplicable).toMatch(/only applies to resources of type/);
    expect(runResourcePolicy(matchingIsSet, { type: TYPES.dynamicResource, name: "other", props: { resourceKind: "something-else" } }).notApplicable).toMatch(/kind/);
  });

  test("an unknown job id does not stop it (it reads only the declared mappings)", () => {
    const r = schemaOf(app());
    expect(r.props.synchronizationJobId).toBe(UNKNOWN);
    expect(runResourcePolicy(matchingIsSet, r)).toEqual({ violations: [], urns: [] });
  });
});
