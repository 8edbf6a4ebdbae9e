/**
 * A Rouse Sales provisioning job's schema, shaped like Microsoft's documented examples
 * (synchronization-synchronizationschema-get.md, synchronization-objectmapping.md,
 * synchronization-directorydefinition.md, synchronization-attributemappingsource.md): two directories
 * with object and attribute definitions, a rule whose object mappings are the users mapping (the
 * template defaults of the Rouse Sales tutorial, under the template's older name) and a disabled groups
 * mapping, metadata everywhere Microsoft shows it, and a second rule the stack never owns.
 */

export type Source = { expression: string; name: string; parameters: { key: string; value: Source }[]; type: "Attribute" | "Constant" | "Function" };

/** Graph `attributeMappingSource` trees of an attribute and of a constant, as Microsoft's examples show them. */
export const attribute = (name: string): Source => ({ expression: `[${name}]`, name, parameters: [], type: "Attribute" });
export const constant = (value: string): Source => ({ expression: JSON.stringify(value), name: value, parameters: [], type: "Constant" });

function mapping(targetAttributeName: string, source: Source | null, extra: { matchingPriority?: number; defaultValue?: string | null; flowType?: string } = {}) {
  return {
    defaultValue: extra.defaultValue ?? null,
    exportMissingReferences: false,
    flowBehavior: "FlowWhenChanged",
    flowType: extra.flowType ?? "Always",
    matchingPriority: extra.matchingPriority ?? 0,
    source,
    targetAttributeName,
  };
}

const OBJECT_MAPPING_METADATA = [
  { key: "IsCustomerDefined", value: "false" },
  { key: "DisableMonitoringForChanges", value: "false" },
  { key: "Disposition", value: '"Normal"' },
  { key: "ExcludeFromReporting", value: "false" },
  { key: "EscrowBehavior", value: '"Default"' },
  { key: "Unsynchronized", value: "false" },
];

function attributeDefinition(name: string, type: string, extra: Record<string, unknown> = {}) {
  return {
    anchor: false,
    apiExpressions: [],
    caseExact: false,
    defaultValue: null,
    flowNullValues: false,
    metadata: [],
    multivalued: false,
    mutability: "ReadWrite",
    name,
    referencedObjects: [],
    required: false,
    type,
    ...extra,
  };
}

/** Users mapping, as the Rouse Sales template ships it (the tutorial's attribute table). */
export function rouseSalesUsersMapping() {
  return {
    attributeMappings: [
      mapping("userName", attribute("userPrincipalName"), { matchingPriority: 1 }),
      mapping("active", {
        expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
        name: "Switch",
        parameters: [
          { key: "source", value: attribute("IsSoftDeleted") },
          { key: "key", value: constant("False") },
          { key: "value", value: constant("True") },
          { key: "key", value: constant("True") },
          { key: "value", value: constant("False") },
        ],
        type: "Function",
      }),
      mapping('emails[type eq "work"].value', attribute("mail")),
      mapping("name.givenName", attribute("givenName")),
      mapping("name.familyName", attribute("surname")),
      mapping("name.formatted", {
        expression: 'Join(" ", [givenName], [surname])',
        name: "Join",
        parameters: [
          { key: "separator", value: constant(" ") },
          { key: "source", value: attribute("givenName") },
          { key: "source", value: attribute("surname") },
        ],
        type: "Function",
      }),
      mapping("externalId", attribute("mailNickname")),
    ],
    enabled: true,
    flowTypes: "Add, Update, Delete",
    metadata: OBJECT_MAPPING_METADATA,
    name: "Synchronize Azure Active Directory Users to Rouse Sales",
    scope: null,
    sourceObjectName: "User",
    targetObjectName: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
  };
}

/** The job schema (without `@odata.context`, which the emulator adds on GET). */
export function rouseSalesJobSchema(jobId: string) {
  return {
    directories: [
      {
        discoverabilities: "AttributeNames",
        discoveryDateTime: null,
        id: "e9c7c49a-7e4a-4bd5-9b3f-2e3a1d6c0a11",
        metadata: [],
        name: "Azure Active Directory",
        objects: [
          {
            attributes: [
              attributeDefinition("IsSoftDeleted", "Boolean"),
              attributeDefinition("accountEnabled", "Boolean"),
              attributeDefinition("department", "String"),
              attributeDefinition("displayName", "String"),
              attributeDefinition("givenName", "String"),
              attributeDefinition("jobTitle", "String"),
              attributeDefinition("mail", "String"),
              attributeDefinition("mailNickname", "String"),
              attributeDefinition("manager", "Reference", { referencedObjects: [{ referencedObjectName: "User", referencedProperty: null }] }),
              attributeDefinition("objectId", "String", { anchor: true, mutability: "ReadOnly" }),
              attributeDefinition("proxyAddresses", "String", { multivalued: true }),
              attributeDefinition("surname", "String"),
              attributeDefinition("userPrincipalName", "String", { caseExact: false, required: true }),
            ],
            metadata: [],
            name: "User",
            supportedApis: [],
          },
          {
            attributes: [attributeDefinition("displayName", "String"), attributeDefinition("mailNickname", "String"), attributeDefinition("members", "Reference", { multivalued: true }), attributeDefinition("objectId", "String", { anchor: true })],
            metadata: [],
            name: "Group",
            supportedApis: [],
          },
        ],
        readOnly: true,
        version: null,
      },
      {
        discoverabilities: "None",
        discoveryDateTime: null,
        id: "3f2b8d1e-5c4a-4e9b-8f7d-6a5b4c3d2e1f",
        metadata: [{ key: "GalleryApplicationKey", value: "rousesales" }],
        name: "Rouse Sales",
        objects: [
          {
            attributes: [
              attributeDefinition("userName", "String", { anchor: false, required: true }),
              attributeDefinition("active", "Boolean"),
              attributeDefinition('emails[type eq "work"].value', "String"),
              attributeDefinition("name.givenName", "String"),
              attributeDefinition("name.familyName", "String"),
              attributeDefinition("name.formatted", "String"),
              attributeDefinition("externalId", "String"),
              attributeDefinition("id", "String", { anchor: true, mutability: "ReadOnly" }),
            ],
            metadata: [{ key: "BaseObjectName", value: "urn:ietf:params:scim:schemas:core:2.0:User" }],
            name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            supportedApis: [],
          },
          {
            attributes: [attributeDefinition("displayName", "String", { required: true }), attributeDefinition("members", "Reference", { multivalued: true }), attributeDefinition("externalId", "String"), attributeDefinition("id", "String", { anchor: true })],
            metadata: [],
            name: "urn:ietf:params:scim:schemas:core:2.0:Group",
            supportedApis: [],
          },
        ],
        readOnly: false,
        version: null,
      },
    ],
    id: jobId,
    synchronizationRules: [
      {
        containerFilter: { includedContainers: [] },
        editable: true,
        groupFilter: { includedGroups: [] },
        id: "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8",
        metadata: [
          { key: "defaultSourceObjectMappings", value: '["User","Group"]' },
          { key: "supportsProvisionOnDemand", value: "true" },
        ],
        name: "USER_TO_USER",
        objectMappings: [
          rouseSalesUsersMapping(),
          {
            attributeMappings: [
              mapping("displayName", attribute("displayName"), { matchingPriority: 1 }),
              mapping("externalId", attribute("objectId")),
              mapping("members", attribute("members")),
            ],
            enabled: false,
            flowTypes: "Add, Update, Delete",
            metadata: OBJECT_MAPPING_METADATA,
            name: "Synchronize Azure Active Directory Groups to Rouse Sales",
            scope: null,
            sourceObjectName: "Group",
            targetObjectName: "urn:ietf:params:scim:schemas:core:2.0:Group",
          },
        ],
        priority: 1,
        sourceDirectoryName: "Azure Active Directory",
        targetDirectoryName: "Rouse Sales",
      },
      {
        editable: false,
        id: "9a1c2e3f-4b5d-4c6e-8f70-81a2b3c4d5e6",
        metadata: [{ key: "Direction", value: "Inbound" }],
        name: "ROUSE_REFERENCE_DATA",
        objectMappings: [
          {
            attributeMappings: [mapping("mailNickname", attribute("externalId"), { flowType: "ObjectAddOnly" }), mapping("department", null, { defaultValue: "Sales" })],
            enabled: false,
            flowTypes: "Update",
            metadata: [{ key: "IsCustomerDefined", value: "false" }],
            name: "Read Rouse Sales users back",
            scope: { categoryFilterGroups: [], groups: [{ clauses: [{ operatorName: "IS TRUE", sourceOperandName: "active", targetOperand: { values: [] } }], name: "Active only" }], inputFilterGroups: [] },
            sourceObjectName: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            targetObjectName: "User",
          },
        ],
        priority: 2,
        sourceDirectoryName: "Rouse Sales",
        targetDirectoryName: "Azure Active Directory",
      },
    ],
    version: "date:2024-05-02T08:15:27Z~###~sha:1f3a9c5e7b2d",
  };
}

/** The operators the beta filterOperators doc lists (the only API names Microsoft publishes). */
export const DOCUMENTED_FILTER_OPERATORS = [
  { name: "EQUALS", arity: "Binary", multivaluedComparisonType: "All", supportedAttributeTypes: ["Integer", "String"] },
  { name: "IS FALSE", arity: "Unary", multivaluedComparisonType: "All", supportedAttributeTypes: ["Boolean"] },
  { name: "IS NOT NULL", arity: "Unary", multivaluedComparisonType: "All", supportedAttributeTypes: ["Integer", "String", "Binary", "Boolean"] },
  { name: "IS NULL", arity: "Unary", multivaluedComparisonType: "All", supportedAttributeTypes: ["Integer", "String", "Binary", "Boolean"] },
  { name: "IS TRUE", arity: "Unary", multivaluedComparisonType: "All", supportedAttributeTypes: ["Boolean"] },
  { name: "NOT EQUALS", arity: "Binary", multivaluedComparisonType: "All", supportedAttributeTypes: ["Integer", "String"] },
  { name: "NOT REGEX MATCH", arity: "Binary", multivaluedComparisonType: "All", supportedAttributeTypes: ["Integer", "String"] },
  { name: "REGEX MATCH", arity: "Binary", multivaluedComparisonType: "All", supportedAttributeTypes: ["Integer", "String"] },
];
