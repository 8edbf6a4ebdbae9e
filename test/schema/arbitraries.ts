/**
 * fast-check generators for schema documents and declared slices, shared by the pure property test
 * (components/schema/slice.test.ts) and the read-modify-write test over HTTP.
 */
import fc from "fast-check";
import type { AttributeMappingSpec, ScopingFilterGroup } from "../../components/catalog";
import { canonicalExpression, parseExpression } from "../../components/mappings/expression";
import { normalizeSource, ResolvedObjectMapping } from "../../components/mappings/merge";
import { rouseSalesJobSchema } from "../graph-emulator/fixtures";

const USERS = { key: "users" as const, name: "Synchronize Microsoft Entra users to Rouse Sales", sourceObjectName: "User", targetObjectName: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" };
const GROUPS = { key: "groups" as const, name: "Synchronize Microsoft Entra groups to Rouse Sales", sourceObjectName: "Group", targetObjectName: "urn:ietf:params:scim:schemas:core:2.0:Group" };

const TARGETS = ["userName", "active", 'emails[type eq "work"].value', "name.givenName", "name.familyName", "name.formatted", "externalId", "displayName", "title"];
const SOURCES = [
  "[userPrincipalName]",
  "[mail]",
  "[givenName]",
  "[surname]",
  "mailNickname",
  'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
  'Join(" ", [givenName], [surname])',
  'Join(", ",  [surname] ,[givenName])',
  "Not([IsSoftDeleted])",
  'Replace([mail], "@old.example", , , "@new.example", , )',
  "ToLower([userPrincipalName])",
  'Mid([userPrincipalName], 1, 8)',
  '"fixed text"',
];
/** Portal labels whose API names the job advertises in the emulator (the documented eight). */
export const ADVERTISED_LABELS = ["EQUALS", "IS FALSE", "IS NOT NULL", "IS NULL", "IS TRUE", "NOT EQUALS", "NOT REGEX MATCH", "REGEX MATCH"];
const UNARY = new Set(["IS FALSE", "IS NOT NULL", "IS NULL", "IS TRUE"]);

const attributeMapping = (target: string): fc.Arbitrary<AttributeMappingSpec> =>
  fc.record({
    kind: fc.constantFrom("source", "source", "source", "constant", "none"),
    source: fc.constantFrom(...SOURCES),
    constant: fc.string({ maxLength: 6 }),
    defaultValue: fc.option(fc.constantFrom("x", "True", "en_US"), { nil: undefined }),
    flowType: fc.constantFrom("Always", "ObjectAddOnly"),
    flowBehavior: fc.constantFrom("FlowWhenChanged", "FlowAlways"),
    matchingPriority: fc.constantFrom(0, 0, 1, 2),
  }).map((r) => ({
    target,
    ...(r.kind === "source" ? { source: r.source } : r.kind === "constant" ? { constant: r.constant } : {}),
    ...(r.defaultValue !== undefined || r.kind === "none" ? { defaultValue: r.defaultValue ?? "d" } : {}),
    flowType: r.flowType as AttributeMappingSpec["flowType"],
    flowBehavior: r.flowBehavior as AttributeMappingSpec["flowBehavior"],
    matchingPriority: r.matchingPriority,
  }));

const attributeMappings = fc.uniqueArray(fc.constantFrom(...TARGETS), { maxLength: TARGETS.length }).chain((targets) => fc.tuple(...targets.map(attributeMapping)));

const scopingFilter: fc.Arbitrary<ScopingFilterGroup[]> = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom("Sales", "Engineering", "Contoso staff", "NY"),
    clauses: fc.array(
      fc.record({ attribute: fc.constantFrom("department", "jobTitle", "userPrincipalName", "accountEnabled"), operator: fc.constantFrom(...ADVERTISED_LABELS), value: fc.constantFrom("Sales", ".*@contoso\\.com", "1") }).map((c) => ({
        attribute: c.attribute,
        operator: c.operator,
        values: UNARY.has(c.operator) ? [] : [c.value],
      })),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  { selector: (g) => g.name, maxLength: 3 },
);

const objectMapping = (identity: typeof USERS | typeof GROUPS): fc.Arbitrary<ResolvedObjectMapping> =>
  fc.record({ enabled: fc.boolean(), attributeMappings, scopingFilter }).map((r) => ({ ...identity, ...r }));

/** A declared slice: users always, groups sometimes. */
export const slice: fc.Arbitrary<ResolvedObjectMapping[]> = fc
  .tuple(objectMapping(USERS), fc.option(objectMapping(GROUPS), { nil: undefined }))
  .map(([u, g]) => (g ? [u, g] : [u]));

const blob = fc.jsonValue({ maxDepth: 2 });

/** Graph JSON of an attribute mapping someone else (the portal, a template) wrote. */
const foreignAttributeMapping = fc.record({
  defaultValue: fc.option(fc.string({ maxLength: 4 }), { nil: null }),
  exportMissingReferences: fc.boolean(),
  flowBehavior: fc.constantFrom("FlowWhenChanged", "FlowAlways"),
  flowType: fc.constantFrom("Always", "ObjectAddOnly", "ValueAddOnly"),
  matchingPriority: fc.nat(3),
  source: fc.option(fc.constantFrom("mail", "department", "objectId").map((n) => ({ expression: `[${n}]`, name: n, parameters: [], type: "Attribute" })), { nil: null }),
  targetAttributeName: fc.constantFrom(...TARGETS, "nickName", "locale"),
});

/**
 * A schema document: the Rouse Sales job schema with random foreign content everywhere the stack must
 * not touch (extra rules and object mappings, metadata, unknown properties at every level) and random
 * starting values inside the owned fields.
 */
export const schemaDocument = fc
  .record({
    extraTop: fc.dictionary(fc.constantFrom("x-future", "tenantNote", "extensions"), blob, { maxKeys: 2 }),
    extraRules: fc.array(fc.record({ id: fc.uuid(), name: fc.string({ maxLength: 8 }), metadata: fc.array(fc.record({ key: fc.string({ maxLength: 5 }), value: fc.string({ maxLength: 5 }) }), { maxLength: 2 }), objectMappings: fc.array(fc.record({ name: fc.string({ maxLength: 6 }), sourceObjectName: fc.constantFrom("Contact", "Device"), targetObjectName: fc.constantFrom("Contact", "Device"), enabled: fc.boolean(), attributeMappings: fc.array(foreignAttributeMapping, { maxLength: 2 }), extra: blob }), { maxLength: 2 }) }), { maxLength: 2 }),
    ruleMetadata: fc.array(fc.record({ key: fc.string({ maxLength: 6 }), value: fc.string({ maxLength: 6 }) }), { maxLength: 3 }),
    usersExtra: fc.dictionary(fc.constantFrom("x-unknown", "displayOrder"), blob, { maxKeys: 2 }),
    usersAttributeMappings: fc.option(fc.array(foreignAttributeMapping, { maxLength: 4 }), { nil: undefined }),
    usersScope: fc.option(
      fc.record({ categoryFilterGroups: fc.array(blob, { maxLength: 1 }), groups: fc.array(fc.record({ name: fc.string({ maxLength: 4 }), clauses: fc.array(fc.record({ operatorName: fc.constantFrom("EQUALS", "IS TRUE"), sourceOperandName: fc.constantFrom("department", "accountEnabled"), targetOperand: fc.record({ values: fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }) }) }), { maxLength: 2 }) }), { maxLength: 2 }), inputFilterGroups: fc.array(blob, { maxLength: 1 }) }),
      { nil: null },
    ),
    groupsEnabled: fc.boolean(),
    directoryExtra: blob,
  })
  .map((r) => {
    const doc: any = rouseSalesJobSchema("scim.0a1b2c3d4e5f.00000000-0000-0000-0000-000000000001");
    Object.assign(doc, r.extraTop);
    doc.synchronizationRules.push(...r.extraRules);
    doc.synchronizationRules[0].metadata.push(...r.ruleMetadata);
    const users = doc.synchronizationRules[0].objectMappings[0];
    Object.assign(users, r.usersExtra);
    if (r.usersAttributeMappings) users.attributeMappings = r.usersAttributeMappings;
    users.scope = r.usersScope;
    doc.synchronizationRules[0].objectMappings[1].enabled = r.groupsEnabled;
    doc.directories[1].metadata.push({ key: "extra", value: JSON.stringify(r.directoryExtra) });
    return doc;
  });

/** What a declared mapping means, computed independently of slice.ts's own comparison. */
function mappingMeaning(m: AttributeMappingSpec) {
  let source: string | undefined;
  let constant = m.constant;
  if (m.source !== undefined) {
    const node = parseExpression(normalizeSource(m.source));
    if (node.kind === "string") constant = node.value;
    else if (node.kind === "number") constant = node.text;
    else source = canonicalExpression(normalizeSource(m.source));
  }
  return { target: m.target, source, constant, defaultValue: m.defaultValue || undefined, flowType: m.flowType, flowBehavior: m.flowBehavior, matchingPriority: m.matchingPriority };
}

/** A slice's meaning: equal for slices that provision the same way (order and spelling aside). */
export function sliceMeaning(oms: readonly ResolvedObjectMapping[]) {
  return oms.map((om) => ({ key: om.key, enabled: om.enabled, mappings: om.attributeMappings.map(mappingMeaning).sort((a, b) => a.target.localeCompare(b.target)), scope: om.scopingFilter }));
}
