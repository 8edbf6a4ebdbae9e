import { AppPreset, attribute, mapping } from "./types";

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
        attribute("userName", "String", true),
        attribute("externalId", "String", true),
        attribute("active", "Boolean"),
        attribute("displayName"),
        attribute("title"),
        attribute('emails[type eq "work"].value'),
        attribute("name.givenName"),
        attribute("name.familyName"),
        attribute('phoneNumbers[type eq "mobile"].value'),
        attribute("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
        attribute("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"),
        attribute("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "Reference"),
      ],
      attributeMappings: [
        mapping("userName", "[userPrincipalName]", 1),
        mapping("active", 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'),
        mapping("displayName", "[displayName]"),
        mapping("title", "[jobTitle]"),
        mapping('emails[type eq "work"].value', "[mail]"),
        mapping("name.givenName", "[givenName]"),
        mapping("name.familyName", "[surname]"),
        mapping("externalId", "[mailNickname]"),
        mapping("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "[department]"),
        mapping("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "[manager]"),
      ],
    },
    {
      key: "groups",
      name: "Provision Microsoft Entra ID Groups",
      sourceObjectName: "Group",
      targetObjectName: "urn:ietf:params:scim:schemas:core:2.0:Group",
      supported: true,
      targetAttributes: [
        attribute("displayName", "String", true),
        attribute("externalId"),
        attribute("members", "Reference"),
      ],
      attributeMappings: [
        mapping("displayName", "[displayName]", 1),
        mapping("externalId", "[objectId]"),
        mapping("members", "[members]"),
      ],
    },
  ],
};
