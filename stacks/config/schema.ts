/**
 * The one source of truth for a tenant stack's configuration (`Pulumi.<tenant>.yaml`).
 * Types are inferred from these schemas, the JSON Schema for editors is generated from them
 * (`npm run schema:json`), and so is docs/configuration.md. Every setting of the Rouse Sales tutorial
 * is a field here; `.meta({ tutorial })` says which step it replaces.
 */
import { z } from "zod";
import { FLOW_BEHAVIORS, FLOW_TYPES, PRESET_IDS } from "../../components/catalog";
import { SCOPING_OPERATOR_LABELS } from "../../components/mappings/scoping-operators";
import { MonitoringConfigSchema } from "./monitoring";
import { Guid, wholeNumber } from "./primitives";

/** The Pulumi project name: config keys are `entra-app-provisioning:<key>`. */
export const PROJECT = "entra-app-provisioning";

export const TenantSchema = z
  .strictObject({
    id: Guid.describe("Directory (tenant) id of the Microsoft Entra tenant this stack manages."),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: "expected lowercase letters, digits and dashes (1-40), starting with a letter or digit" })
      .describe("Short name of the tenant, used in resource names and reports."),
    environment: z
      .enum(["dev", "test", "prod"])
      .describe("`prod` turns on production guardrails: protected app and service principal, monitoring, stricter deletion threshold."),
  })
  .describe("Which Entra tenant the stack manages.");

export const AttributeOverrideSchema = z
  .strictObject({
    target: z.string().min(1).describe("Target attribute, as the portal's Attribute-Mapping table names it (e.g. `userName`)."),
    source: z
      .string()
      .min(1)
      .max(10000, { error: "expressions are limited to 10,000 characters" })
      .optional()
      .describe("Source expression (`[userPrincipalName]`, `Join(\" \", [givenName], [surname])`); a bare name means that attribute."),
    constant: z.string().optional().describe("Constant value (portal mapping type \"Constant\"); excludes `source`."),
    defaultValue: z.string().optional().describe("Default value if null (used on create only)."),
    flowType: z.enum(FLOW_TYPES).optional().describe("Apply this mapping: `Always` (default) or `ObjectAddOnly` (only during creation), …"),
    flowBehavior: z.enum(FLOW_BEHAVIORS).optional().describe("Defaults to `FlowWhenChanged`."),
    matchingPriority: wholeNumber()
      .min(0)
      .max(100)
      .optional()
      .describe("Matching precedence: > 0 matches objects using this attribute, lowest first; 0 = not matching."),
    remove: z.boolean().optional().describe("Delete the preset's mapping for this target."),
  })
  .meta({ tutorial: "Step 5: review the attribute mappings and the matching attribute" });

export const ScopingClauseSchema = z.strictObject({
  attribute: z.string().min(1).describe("Source (Entra) attribute, e.g. `department`."),
  operator: z.enum(SCOPING_OPERATOR_LABELS as [string, ...string[]]).describe("Operator as the portal shows it."),
  value: z.string().optional().describe("The value for binary operators."),
  values: z.array(z.string()).min(1).optional().describe("Several values for binary operators (instead of `value`)."),
});

export const ScopingFilterSchema = z
  .strictObject({
    name: z.string().min(1).max(128).describe("Name of the scoping filter."),
    clauses: z.array(ScopingClauseSchema).min(1, { error: "a scoping filter needs at least one clause" }).describe("Clauses, ANDed."),
  })
  .meta({ tutorial: "Step 5: configure scoping filters" });

export const ObjectMappingOverrideSchema = z.strictObject({
  enabled: z.boolean().optional().describe("Turn this object mapping on or off. Defaults to the preset (users on; groups where the app supports them)."),
  attributes: z.array(AttributeOverrideSchema).default([]).describe("Changes to the preset's mappings, by target attribute."),
  scopingFilter: z.array(ScopingFilterSchema).default([]).describe("Scoping filters; filters are ORed, clauses within one are ANDed."),
});

export const AppSchema = z
  .strictObject({
    preset: z.enum(PRESET_IDS as [string, ...string[]]).describe("App catalog entry (`rouse-sales`, `generic-scim`)."),
    displayName: z.string().min(1).max(256).optional().describe("Enterprise app display name. Defaults to the preset's app name."),
    galleryTemplateId: Guid.optional().describe("Pin the gallery application template id. Defaults to a lookup by the preset's gallery name.").meta({
      tutorial: "Step 3: add the app from the gallery",
    }),
    owners: z.array(Guid).default([]).describe("Object ids of the service principal's owners. Defaults to none."),
    notes: z.string().max(1024).optional().describe("Notes on the service principal (who runs it, where the code lives)."),
    protect: z.boolean().optional().describe("Protect the app and service principal from deletion. Defaults to true in `prod`."),
    assignments: z
      .strictObject({
        appRole: z.string().min(1).default("User").describe("App role display name for group assignments. Defaults to `User`."),
        assignmentRequired: z.boolean().default(true).describe("Require assignment on the service principal. Defaults to true."),
        groups: z
          .array(
            z.strictObject({
              objectId: Guid.describe("Object id of the security group."),
              displayName: z.string().min(1).describe("Display name, for plans and audit reports."),
            }),
          )
          .default([])
          .describe("Groups assigned to the app (who is in scope when scope is assigned-only)."),
      })
      .prefault({})
      .meta({ tutorial: "Step 4: define who is in scope for provisioning" }),
    provisioning: z
      .strictObject({
        mode: z.enum(["oauth", "token"]).optional().describe("Admin credentials: `oauth` (Authorize) or `token` (tenant URL + secret token). Defaults to the preset."),
        oauthAuthorized: z
          .boolean()
          .default(false)
          .describe("OAuth mode: set to true after an admin clicked Authorize and Test Connection in the portal (phase 2)."),
        tenantUrl: z.url({ protocol: /^https$/, error: "expected an https:// URL" }).optional().describe("Token mode: the SCIM endpoint (BaseAddress)."),
        synchronizationTemplateId: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: "expected a synchronization template id such as `scim`" })
          .optional()
          .describe("Synchronization template id of the job. Defaults to the preset's."),
        enabled: z.boolean().default(true).describe("Provisioning Status On/Off. In OAuth mode the job starts only once `oauthAuthorized` is true."),
        scope: z
          .enum(["assignedOnly", "allUsersAndGroups"])
          .default("assignedOnly")
          .describe("Scope: sync only assigned users and groups (default), or all users and groups (SyncAll)."),
        notificationEmail: z.email({ error: "expected an email address such as ops@contoso.com" }).describe("Notification Email for provisioning failures and quarantine."),
        sendFailureEmails: z.boolean().default(true).describe("Send an email notification when a failure occurs. Defaults to true."),
        accidentalDeletions: z
          .strictObject({
            enabled: z.boolean().default(true).describe("Prevent accidental deletions. Defaults to true."),
            threshold: wholeNumber().min(1).max(100000).default(500).describe("Deletion threshold per cycle. Defaults to 500."),
          })
          .prefault({})
          .describe("Accidental-deletion prevention."),
        skipOutOfScopeDeletions: z.boolean().default(false).describe("Do not disable accounts that go out of scope. Defaults to false."),
      })
      .meta({ tutorial: "Step 5: provisioning mode, admin credentials, notification email, settings, scope, status" }),
    mappings: z
      .strictObject({
        users: ObjectMappingOverrideSchema.optional(),
        groups: ObjectMappingOverrideSchema.optional(),
      })
      .default({})
      .describe("Changes to the preset's attribute mappings and scoping filters."),
  })
  .describe("The enterprise app and its provisioning.");

/** The whole tenant config, keyed like the `config:` block of `Pulumi.<tenant>.yaml` (without namespace). */
export const TenantConfigSchema = z.strictObject({
  tenant: TenantSchema,
  app: AppSchema,
  monitoring: MonitoringConfigSchema.optional(),
});

export type TenantConfigInput = z.input<typeof TenantConfigSchema>;
export type TenantConfig = z.output<typeof TenantConfigSchema>;
export type AppConfig = TenantConfig["app"];
export type AttributeOverride = z.output<typeof AttributeOverrideSchema>;
export type ObjectMappingOverride = z.output<typeof ObjectMappingOverrideSchema>;

/** Secret config keys (set with `pulumi config set --secret`). */
export const SECRET_KEYS = ["scimToken"] as const;
/** Every key the program reads in its namespace. */
export const KNOWN_KEYS = [...Object.keys(TenantConfigSchema.shape), ...SECRET_KEYS];
