import { AppPreset } from "./types";

/**
 * Any SCIM 2.0 app added as a non-gallery app ("Provision your own app"): tenant URL + secret token,
 * job template `scim`, users and groups. Mappings follow Microsoft's documented defaults for the
 * non-gallery SCIM app (use-scim-to-provision-users-and-groups.md); the provisioning service queries
 * users by `userName` and `externalId` and groups by `displayName`, so those are the filterable targets.
 */
export const genericScim: AppPreset = {
  id: "generic-scim",
  appName: "SCIM 2.0 application",
  galleryDisplayName: "Microsoft Entra SCIM Provisioning (non-gallery)",
  galleryTemplateId: "8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
  credentialMode: "token",
  synchronizationTemplateId: "scim",
  provisionsGroups: true,
  tutorialUrl: "https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups",
  objectMappings: [
    {
      key: "users",
      name: "Provision Microsoft Entra ID Users",
      sourceObjectName: "User",
      targetObjectName: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      supported: true,
      targetAttributes: [
        { name: "userName", type: "String", filterable: true },
        { name: "externalId", type: "String", filterable: true },
        { name: "active", type: "Boolean", filterable: false },
        { name: "displayName", type: "String", filterable: false },
        { name: "title", type: "String", filterable: false },
        { name: 'emails[type eq "work"].value', type: "String", filterable: false },
        { name: "name.givenName", type: "String", filterable: false },
        { name: "name.familyName", type: "String", filterable: false },
        { name: 'phoneNumbers[type eq "mobile"].value', type: "String", filterable: false },
        { name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", type: "String", filterable: false },
        { name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", type: "String", filterable: false },
        { name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", type: "Reference", filterable: false },
      ],
      attributeMappings: [
        { target: "userName", source: "[userPrincipalName]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 1 },
        { target: "active", source: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")', flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "displayName", source: "[displayName]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "title", source: "[jobTitle]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: 'emails[type eq "work"].value', source: "[mail]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "name.givenName", source: "[givenName]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "name.familyName", source: "[surname]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "externalId", source: "[mailNickname]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", source: "[department]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", source: "[manager]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
      ],
    },
    {
      key: "groups",
      name: "Provision Microsoft Entra ID Groups",
      sourceObjectName: "Group",
      targetObjectName: "urn:ietf:params:scim:schemas:core:2.0:Group",
      supported: true,
      targetAttributes: [
        { name: "displayName", type: "String", filterable: true },
        { name: "externalId", type: "String", filterable: false },
        { name: "members", type: "Reference", filterable: false },
      ],
      attributeMappings: [
        { target: "displayName", source: "[displayName]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 1 },
        { target: "externalId", source: "[objectId]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "members", source: "[members]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
      ],
    },
  ],
};
