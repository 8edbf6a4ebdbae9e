import { AppPreset, attribute, mapping } from "./types";

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
        attribute("userName", "String", true),
        attribute("active", "Boolean"),
        attribute('emails[type eq "work"].value'),
        attribute("name.givenName"),
        attribute("name.familyName"),
        attribute("name.formatted"),
        attribute("externalId"),
      ],
      attributeMappings: [
        mapping("userName", "[userPrincipalName]", 1),
        mapping("active", 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'),
        mapping('emails[type eq "work"].value', "[mail]"),
        mapping("name.givenName", "[givenName]"),
        mapping("name.familyName", "[surname]"),
        mapping("name.formatted", 'Join(" ", [givenName], [surname])'),
        mapping("externalId", "[mailNickname]"),
      ],
    },
  ],
};
