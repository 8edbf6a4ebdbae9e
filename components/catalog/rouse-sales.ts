import { AppPreset } from "./types";

/**
 * Rouse Sales, from Microsoft's tutorial "Configure Rouse Sales for automatic user provisioning with
 * Microsoft Entra ID" (seed: rouse-sales-provisioning-tutorial.md).
 *
 * - Step 3: the app comes from the gallery as "Rouse Sales".
 * - Step 5: credentials are OAuth ("Authorize" with a Rouse Sales admin), not tenant URL + token.
 * - Capabilities: create, remove and update users; no group provisioning.
 * - Attribute table: `userName` is the only target attribute that supports filtering, so it is the
 *   only possible matching attribute.
 *
 * No public source names the Rouse Sales synchronization template id, so the stack must set
 * `app.provisioning.synchronizationTemplateId` (read it with
 * `GET /servicePrincipals/{id}/synchronization/templates` after phase 1 of the rollout).
 */
export const rouseSales: AppPreset = {
  id: "rouse-sales",
  appName: "Rouse Sales",
  galleryDisplayName: "Rouse Sales",
  credentialMode: "oauth",
  provisionsGroups: false,
  tutorialUrl: "https://learn.microsoft.com/entra/identity/saas-apps/rouse-sales-provisioning-tutorial",
  objectMappings: [
    {
      key: "users",
      name: "Synchronize Microsoft Entra users to Rouse Sales",
      sourceObjectName: "User",
      targetObjectName: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      supported: true,
      targetAttributes: [
        { name: "userName", type: "String", filterable: true },
        { name: "active", type: "Boolean", filterable: false },
        { name: 'emails[type eq "work"].value', type: "String", filterable: false },
        { name: "name.givenName", type: "String", filterable: false },
        { name: "name.familyName", type: "String", filterable: false },
        { name: "name.formatted", type: "String", filterable: false },
        { name: "externalId", type: "String", filterable: false },
      ],
      attributeMappings: [
        { target: "userName", source: "[userPrincipalName]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 1 },
        { target: "active", source: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")', flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: 'emails[type eq "work"].value', source: "[mail]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "name.givenName", source: "[givenName]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "name.familyName", source: "[surname]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "name.formatted", source: 'Join(" ", [givenName], [surname])', flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
        { target: "externalId", source: "[mailNickname]", flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 },
      ],
    },
  ],
};
