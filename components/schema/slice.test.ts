import fc from "fast-check";
import { rouseSales } from "../catalog/rouse-sales";
import { genericScim } from "../catalog/generic-scim";
import { mergeObjectMappings, ResolvedObjectMapping } from "../mappings/merge";
import { DOCUMENTED_FILTER_OPERATORS, rouseSalesJobSchema } from "../../test/graph-emulator/fixtures";
import { ADVERTISED_LABELS, schemaDocument, slice as sliceArb, sliceMeaning } from "../../test/schema/arbitraries";
import {
  applySlice,
  describeSliceChanges,
  findObjectMapping,
  GraphSynchronizationSchema,
  operatorLabel,
  operatorLabelsOf,
  readSlice,
  recordOwnedFields,
  resolveOperatorNames,
  restoreOwnedFields,
  SliceError,
  withoutOwnedFields,
} from "./slice";

const JOB = "scim.0a1b2c3d4e5f.00000000-0000-0000-0000-000000000001";
const fixture = (): GraphSynchronizationSchema => rouseSalesJobSchema(JOB) as GraphSynchronizationSchema;
const preset = (): ResolvedObjectMapping[] => mergeObjectMappings(rouseSales, {}).mappings;
const users = (doc: GraphSynchronizationSchema) => doc.synchronizationRules![0].objectMappings![0];
const withUsers = (change: (u: ResolvedObjectMapping) => Partial<ResolvedObjectMapping>): ResolvedObjectMapping[] => preset().map((u) => ({ ...u, ...change(u) }));
const allOperators = resolveOperatorNames(ADVERTISED_LABELS, DOCUMENTED_FILTER_OPERATORS);

describe("applySlice", () => {
  test("the Rouse Sales preset equals the template's defaults: nothing changes (trees are reused)", () => {
    const doc = fixture();
    expect(JSON.stringify(applySlice(doc, preset(), {}))).toBe(JSON.stringify(doc));
  });

  test("changing one source rewrites only that mapping's source, in place", () => {
    const doc = fixture();
    const next = applySlice(doc, withUsers((u) => ({ attributeMappings: u.attributeMappings.map((m) => (m.target === "externalId" ? { ...m, source: "[objectId]" } : m)) })), {});
    const before = users(doc).attributeMappings!;
    const after = users(next).attributeMappings!;
    expect(after.map((m) => m.targetAttributeName)).toEqual(before.map((m) => m.targetAttributeName));
    after.forEach((m, i) => {
      if (m.targetAttributeName === "externalId") {
        expect(m).toEqual({ ...before[i], source: { expression: "[objectId]", name: "objectId", parameters: [], type: "Attribute" } });
        expect(Object.keys(m)).toEqual(Object.keys(before[i]));
      } else expect(m).toEqual(before[i]);
    });
    expect(JSON.stringify(withoutOwnedFields(next, preset()))).toBe(JSON.stringify(withoutOwnedFields(doc, preset())));
  });

  test("a new mapping is appended in Graph's shape; a mapping no longer declared is removed", () => {
    const declared = withUsers((u) => ({
      attributeMappings: [...u.attributeMappings.filter((m) => m.target !== "name.formatted"), { target: "title", constant: "Employee", flowType: "ObjectAddOnly", flowBehavior: "FlowWhenChanged", matchingPriority: 0 }],
    }));
    const after = users(applySlice(fixture(), declared, {})).attributeMappings!;
    expect(after.map((m) => m.targetAttributeName)).toEqual(["userName", "active", 'emails[type eq "work"].value', "name.givenName", "name.familyName", "externalId", "title"]);
    expect(after[6]).toEqual({
      defaultValue: null,
      exportMissingReferences: false,
      flowBehavior: "FlowWhenChanged",
      flowType: "ObjectAddOnly",
      matchingPriority: 0,
      source: { expression: '"Employee"', name: "Employee", parameters: [], type: "Constant" },
      targetAttributeName: "title",
    });
  });

  test("matching priority, flow type and default value are written", () => {
    const declared = withUsers((u) => ({
      attributeMappings: u.attributeMappings.map((m) => (m.target === "externalId" ? { ...m, matchingPriority: 2, flowType: "ObjectAddOnly" as const, defaultValue: "none" } : m)),
    }));
    const m = users(applySlice(fixture(), declared, {})).attributeMappings!.find((x) => x.targetAttributeName === "externalId")!;
    expect(m).toMatchObject({ matchingPriority: 2, flowType: "ObjectAddOnly", defaultValue: "none" });
  });

  test("a scoping filter is written with the job's API operator names; groups ORed, clauses ANDed as declared", () => {
    const declared = withUsers(() => ({
      scopingFilter: [
        { name: "Sales", clauses: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }, { attribute: "accountEnabled", operator: "IS TRUE", values: [] }] },
        { name: "Contoso", clauses: [{ attribute: "userPrincipalName", operator: "REGEX MATCH", values: [".*@contoso\\.com"] }] },
      ],
    }));
    const scope = users(applySlice(fixture(), declared, { EQUALS: "EQUALS", "IS TRUE": "IS TRUE", "REGEX MATCH": "REGEX MATCH" })).scope;
    expect(scope).toEqual({
      categoryFilterGroups: [],
      groups: [
        { name: "Sales", clauses: [{ operatorName: "EQUALS", sourceOperandName: "department", targetOperand: { values: ["Sales"] } }, { operatorName: "IS TRUE", sourceOperandName: "accountEnabled", targetOperand: { values: [] } }] },
        { name: "Contoso", clauses: [{ operatorName: "REGEX MATCH", sourceOperandName: "userPrincipalName", targetOperand: { values: [".*@contoso\\.com"] } }] },
      ],
      inputFilterGroups: [],
    });
  });

  test("clearing the scoping filter keeps the experimental filter groups", () => {
    const doc = fixture();
    users(doc).scope = { categoryFilterGroups: [], groups: [{ name: "old", clauses: [] }], inputFilterGroups: [{ name: "keep me" }] };
    expect(users(applySlice(doc, preset(), {})).scope).toEqual({ categoryFilterGroups: [], groups: [], inputFilterGroups: [{ name: "keep me" }] });
  });

  test("the object mapping is found by source and target object names even when its name differs", () => {
    expect(users(fixture()).name).not.toBe(preset()[0].name);
    expect(findObjectMapping(fixture(), preset()[0])?.mappingIndex).toBe(0);
  });

  test("fails clearly when the schema has no such object mapping, or two declarations hit one mapping", () => {
    const groups = mergeObjectMappings(genericScim, {}).mappings.find((m) => m.key === "groups")!;
    const missing = { ...groups, sourceObjectName: "Device", targetObjectName: "Device", name: "Devices" };
    expect(() => applySlice(fixture(), [...preset(), missing], {})).toThrow(SliceError);
    expect(() => applySlice(fixture(), [...preset(), missing], {})).toThrow(/no object mapping "Devices" \(Device → Device\); it has "Synchronize Azure Active Directory Users to Rouse Sales"/);
    expect(() => applySlice(fixture(), [...preset(), { ...preset()[0], key: "groups" as const }], {})).toThrow(/are the same object mapping/);
  });

  test("an invalid expression in the slice fails before anything is built", () => {
    expect(() => applySlice(fixture(), withUsers((u) => ({ attributeMappings: [...u.attributeMappings, { target: "title", source: "Join(", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 }] })), {})).toThrow(
      /users.attributeMappings\[title\]: invalid expression "Join\("/,
    );
  });
});

describe("operators", () => {
  test("portal labels resolve to the names the job advertises, exactly or spelled differently", () => {
    expect(resolveOperatorNames(["IS NOT NULL", "EQUALS"], DOCUMENTED_FILTER_OPERATORS)).toEqual({ "IS NOT NULL": "IS NOT NULL", EQUALS: "EQUALS" });
    expect(resolveOperatorNames(["ENDS_WITH", "Greater_Than"], [{ name: "ENDS WITH" }, { name: "GREATER_THAN" }])).toEqual({ ENDS_WITH: "ENDS WITH", Greater_Than: "GREATER_THAN" });
  });

  test("an operator the job does not advertise, or that is not a portal label, is one clear error", () => {
    expect(() => resolveOperatorNames(["ENDS_WITH", "LIKE", "EQUALS"], DOCUMENTED_FILTER_OPERATORS)).toThrow(
      /"ENDS_WITH" is not offered by this job; "LIKE" is not a scoping operator of the Entra admin center .*The job offers: EQUALS, IS FALSE, IS NOT NULL, IS NULL, IS TRUE, NOT EQUALS, NOT REGEX MATCH, REGEX MATCH/,
    );
  });

  test("API names read back as portal labels; unknown ones stay as they are", () => {
    expect(operatorLabel("IS_NOT_NULL")).toBe("IS NOT NULL");
    expect(operatorLabel("Less_Than")).toBe("Less_Than");
  });

  test("operatorLabelsOf lists each label once", () => {
    const declared = withUsers(() => ({ scopingFilter: [{ name: "a", clauses: [{ attribute: "x", operator: "EQUALS", values: ["1"] }, { attribute: "y", operator: "EQUALS", values: ["2"] }] }] }));
    expect(operatorLabelsOf(declared)).toEqual(["EQUALS"]);
  });
});

describe("record and restore", () => {
  test("restoring what was recorded gives back the original document byte for byte", () => {
    const doc = fixture();
    const declared = withUsers((u) => ({ enabled: false, attributeMappings: u.attributeMappings.slice(0, 2), scopingFilter: [{ name: "S", clauses: [{ attribute: "department", operator: "EQUALS", values: ["S"] }] }] }));
    const prior = recordOwnedFields(doc, declared);
    const applied = applySlice(doc, declared, { EQUALS: "EQUALS" });
    expect(JSON.stringify(applied)).not.toBe(JSON.stringify(doc));
    expect(JSON.stringify(restoreOwnedFields(applied, JSON.parse(JSON.stringify(prior))))).toBe(JSON.stringify(doc));
  });
});

describe("readSlice and describeSliceChanges", () => {
  test("the slice read back after applying means what was declared", () => {
    const declared = withUsers((u) => ({ attributeMappings: u.attributeMappings.map((m) => (m.target === "name.formatted" ? { ...m, source: 'Join(",",[surname],   [givenName])' } : m)) }));
    const read = readSlice(applySlice(fixture(), declared, {}), declared);
    expect(describeSliceChanges(read, declared)).toEqual([]);
    expect(read[0].name).toBe("Synchronize Azure Active Directory Users to Rouse Sales");
    expect(read[0].attributeMappings.find((m) => m.target === "name.formatted")?.source).toBe('Join(",", [surname], [givenName])');
  });

  test("a portal edit is described field by field", () => {
    const doc = fixture();
    const userName = users(doc).attributeMappings![0];
    userName.source = { expression: "[mail]", name: "mail", parameters: [], type: "Attribute" };
    userName.matchingPriority = 2;
    users(doc).attributeMappings!.push({ targetAttributeName: "title", source: null, defaultValue: "x", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 });
    users(doc).enabled = false;
    users(doc).scope = { groups: [{ name: "Sales", clauses: [{ operatorName: "EQUALS", sourceOperandName: "department", targetOperand: { values: ["Sales"] } }] }] };
    expect(describeSliceChanges(readSlice(doc, preset()), preset())).toEqual([
      "users.enabled: false → true",
      "users.attributeMappings: userName: source [mail] → [userPrincipalName], matchingPriority 2 → 1",
      "users.attributeMappings: title removed",
      "users.scopingFilter: Sales(department EQUALS Sales) → (none)",
    ]);
  });
});

describe("properties over random documents and slices", () => {
  test("nothing outside the owned slice changes, the slice reads back as declared, applying twice changes nothing, restore undoes", () => {
    fc.assert(
      fc.property(schemaDocument, sliceArb, (doc, declared) => {
        const before = JSON.stringify(doc);
        const next = applySlice(doc, declared, allOperators);
        expect(JSON.stringify(doc)).toBe(before); // the input is not modified
        expect(JSON.stringify(withoutOwnedFields(next, declared))).toBe(JSON.stringify(withoutOwnedFields(doc, declared)));
        expect(describeSliceChanges(readSlice(next, declared), declared)).toEqual([]);
        expect(sliceMeaning(readSlice(next, declared))).toEqual(sliceMeaning(declared));
        expect(JSON.stringify(applySlice(next, declared, allOperators))).toBe(JSON.stringify(next));
        expect(JSON.stringify(restoreOwnedFields(next, recordOwnedFields(doc, declared)))).toBe(before);
      }),
      { numRuns: 400 },
    );
  });
});
