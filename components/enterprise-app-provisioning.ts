/**
 * EnterpriseAppProvisioning: one gallery enterprise app with automatic user provisioning, i.e. steps 3–5
 * of a Microsoft "Configure <app> for automatic user provisioning" tutorial as one component.
 *
 * Children (named `${name}-<role>`, all `parent: this`):
 * - `-app`         azuread.ApplicationFromTemplate   step 3: the app from the gallery
 * - `-sp`          azuread.ServicePrincipal          the instantiated service principal, adopted safely
 * - `-group-<id>`  azuread.AppRoleAssignment         step 4: who is in scope (one per group)
 * - `-settings`    azuread.SynchronizationSecret     step 5: scope, notification email, deletion threshold,
 *                                                    out-of-scope deletions, and token-mode credentials
 * - `-job`         azuread.SynchronizationJob        step 5: the provisioning job, started or paused
 * - `-schema`      SynchronizationSchema (dynamic)   step 5: attribute mappings, matching, scoping filters
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { AppPreset } from "./catalog";
import { ResolvedObjectMapping } from "./mappings/merge";
import { pickAppRoleId } from "./provisioning/app-role";
import { buildSettingsCredentials, ProvisioningScope, ProvisioningSettings } from "./provisioning/settings";
import { SynchronizationSchema } from "./schema/synchronization-schema";

/** A group assigned to the app. */
export interface AssignedGroup {
  /** Object id (GUID) of the security group. */
  readonly objectId: string;
  /** Display name, for plans and audit reports (not sent to Graph). */
  readonly displayName: string;
}

export interface EnterpriseAppProvisioningArgs {
  /** Directory (tenant) id; the schema resource requests Graph tokens for it. */
  readonly tenantId: string;
  /** The catalog entry of the target app. */
  readonly preset: AppPreset;
  /** Display name of the enterprise app. Defaults to the preset's app name. */
  readonly displayName?: string;
  /** Gallery application template id. Defaults to a lookup of the preset's gallery display name. */
  readonly galleryTemplateId?: string;
  /** Object ids of the service principal's owners. Defaults to none. */
  readonly owners?: readonly string[];
  /** Notes on the service principal. Defaults to a note naming this project as the owner of the settings. */
  readonly notes?: string;
  /** Protect the app and service principal from `pulumi destroy`. Defaults to false. */
  readonly protectFromDeletion?: boolean;
  /** Display name of the app role assigned to groups. Defaults to "User". */
  readonly appRole?: string;
  /** Require assignment before users can use the app (`appRoleAssignmentRequired`). Defaults to true. */
  readonly assignmentRequired?: boolean;
  /** Groups assigned to the app. Defaults to none. */
  readonly groups?: readonly AssignedGroup[];
  /** Admin credentials: "oauth" (an admin authorizes in the portal) or "token". Defaults to the preset's mode. */
  readonly credentialMode?: "oauth" | "token";
  /** OAuth mode: an admin has clicked Authorize and Test Connection (phase 2). Defaults to false. */
  readonly oauthAuthorized?: boolean;
  /** Token mode: the SCIM endpoint (BaseAddress). Required in token mode. */
  readonly tenantUrl?: string;
  /** Token mode: the secret token, as a Pulumi secret. Required in token mode. */
  readonly secretToken?: pulumi.Input<string>;
  /** Synchronization template id for the job. Defaults to the preset's. */
  readonly synchronizationTemplateId?: string;
  /** Provisioning Status On. In OAuth mode the job starts only once authorized. Defaults to true. */
  readonly provisioningEnabled?: boolean;
  /** Who is provisioned. Defaults to "assignedOnly". */
  readonly scope?: ProvisioningScope;
  /** Notification Email for failures and quarantine. */
  readonly notificationEmail: string;
  /** Send an email notification when a failure occurs. Defaults to true. */
  readonly sendFailureEmails?: boolean;
  /** Accidental-deletion prevention. Defaults to enabled with threshold 500. */
  readonly accidentalDeletions?: { readonly enabled: boolean; readonly threshold: number };
  /** Do not disable accounts that leave scope. Defaults to false. */
  readonly skipOutOfScopeDeletions?: boolean;
  /** Object mappings (attribute mappings, matching, scoping) owned in the job's schema. Defaults to the preset's. */
  readonly objectMappings: readonly ResolvedObjectMapping[];
  /** Graph base URL for the schema resource. Defaults to https://graph.microsoft.com/v1.0. */
  readonly graphBaseUrl?: string;
}

/**
 * A secret-free summary of the component, shaped for auditors (it becomes a stack output). Values that
 * exist only after deployment (object ids, the job id) are Outputs, so a preview shows everything else.
 */
export interface ProvisioningSummary {
  readonly app: {
    readonly preset: string;
    readonly displayName: string;
    readonly galleryTemplateId: pulumi.Output<string>;
    readonly applicationObjectId: pulumi.Output<string>;
    readonly servicePrincipalObjectId: pulumi.Output<string>;
    readonly protectedFromDeletion: boolean;
    readonly owners: readonly string[];
  };
  readonly assignments: {
    readonly appRole: string;
    readonly appRoleId: pulumi.Output<string>;
    readonly assignmentRequired: boolean;
    readonly groups: readonly AssignedGroup[];
  };
  readonly provisioning: {
    readonly credentialMode: "oauth" | "token";
    readonly oauthAuthorized: boolean;
    /** Token mode: the SCIM endpoint (not secret; shown so reviewers see it change). */
    readonly tenantUrl?: string;
    readonly synchronizationTemplateId: string;
    readonly synchronizationJobId: pulumi.Output<string>;
    readonly jobState: "started" | "paused: awaiting OAuth authorization" | "paused: provisioning disabled in config";
    readonly scope: ProvisioningScope;
    readonly notificationEmail: string;
    readonly sendFailureEmails: boolean;
    readonly accidentalDeletions: { readonly enabled: boolean; readonly threshold: number };
    readonly skipOutOfScopeDeletions: boolean;
    readonly secretKeysWritten: readonly string[];
  };
  readonly mappings: readonly {
    readonly object: string;
    readonly name: string;
    readonly enabled: boolean;
    readonly matching: readonly { readonly target: string; readonly source: string; readonly priority: number }[];
    readonly attributeCount: number;
    readonly scopingFilter: ResolvedObjectMapping["scopingFilter"];
  }[];
}

/** Checks the args a caller can get wrong; throws one message naming every problem. Exported for tests. */
export function validateEnterpriseAppProvisioningArgs(args: EnterpriseAppProvisioningArgs): void {
  const problems: string[] = [];
  const mode = args.credentialMode ?? args.preset.credentialMode;
  if (mode === "token" && (args.tenantUrl === undefined || args.secretToken === undefined)) {
    problems.push("token mode needs tenantUrl and secretToken");
  }
  if (mode === "oauth" && (args.tenantUrl !== undefined || args.secretToken !== undefined)) {
    problems.push(`oauth mode writes no credentials: remove tenantUrl and secretToken (got ${args.tenantUrl !== undefined ? "tenantUrl" : "secretToken"})`);
  }
  if (!(args.synchronizationTemplateId ?? args.preset.synchronizationTemplateId)) {
    problems.push(`a synchronizationTemplateId is needed: ${args.preset.appName} has no known one`);
  }
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(args.notificationEmail)) {
    problems.push(`notificationEmail must be an email address, got ${JSON.stringify(args.notificationEmail)}`);
  }
  const ids = (args.groups ?? []).map((g) => g.objectId.toLowerCase());
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) problems.push(`group ${dup} is assigned twice`);
  const t = args.accidentalDeletions?.threshold;
  if (t !== undefined && (!Number.isInteger(t) || t < 1)) problems.push(`accidentalDeletions.threshold must be a whole number >= 1, got ${t}`);
  if (problems.length > 0) throw new Error(`invalid EnterpriseAppProvisioning args: ${problems.join("; ")}`);
}

export class EnterpriseAppProvisioning extends pulumi.ComponentResource {
  /** The application created from the gallery template. */
  public readonly application: azuread.ApplicationFromTemplate;
  /** The adopted service principal (the enterprise app). */
  public readonly servicePrincipal: azuread.ServicePrincipal;
  /** One assignment per configured group. */
  public readonly assignments: readonly azuread.AppRoleAssignment[];
  /** The single owner of the synchronization secrets document. */
  public readonly settings: azuread.SynchronizationSecret;
  /** The provisioning job. */
  public readonly job: azuread.SynchronizationJob;
  /** The owned slice of the job's schema. */
  public readonly schema: SynchronizationSchema;
  /** Secret-free summary for stack outputs. */
  public readonly summary: ProvisioningSummary;

  /**
   * @param name The _unique_ name of this component; children are named `${name}-<role>`.
   * @param args The app, assignments, provisioning settings and mappings.
   * @param opts A bag of options that control this component's behavior.
   */
  constructor(name: string, args: EnterpriseAppProvisioningArgs, opts?: pulumi.ComponentResourceOptions) {
    super("entra-app-provisioning:index:EnterpriseAppProvisioning", name, {}, opts);
    validateEnterpriseAppProvisioningArgs(args);

    const preset = args.preset;
    const displayName = args.displayName ?? preset.appName;
    const credentialMode = args.credentialMode ?? preset.credentialMode;
    const oauthAuthorized = credentialMode === "oauth" && (args.oauthAuthorized ?? false);
    const provisioningEnabled = args.provisioningEnabled ?? true;
    const jobEnabled = provisioningEnabled && (credentialMode === "token" || oauthAuthorized);
    const protect = args.protectFromDeletion ?? false;
    const appRole = args.appRole ?? "User";
    const assignmentRequired = args.assignmentRequired ?? true;
    const groups = args.groups ?? [];
    const synchronizationTemplateId = (args.synchronizationTemplateId ?? preset.synchronizationTemplateId)!;
    const settings: ProvisioningSettings = {
      scope: args.scope ?? "assignedOnly",
      notificationEmail: args.notificationEmail,
      sendFailureEmails: args.sendFailureEmails ?? true,
      accidentalDeletions: args.accidentalDeletions ?? { enabled: true, threshold: 500 },
      skipOutOfScopeDeletions: args.skipOutOfScopeDeletions ?? false,
    };

    // Step 3: the app from the gallery, by pinned template id or by its exact gallery name.
    const galleryTemplateId: pulumi.Output<string> = args.galleryTemplateId
      ? pulumi.output(args.galleryTemplateId)
      : (args.preset.galleryTemplateId
          ? pulumi.output(args.preset.galleryTemplateId)
          : azuread.getApplicationTemplateOutput({ displayName: preset.galleryDisplayName }, { parent: this }).templateId);
    this.application = new azuread.ApplicationFromTemplate(
      `${name}-app`,
      { displayName, templateId: galleryTemplateId },
      { parent: this, protect },
    );

    // Adopt the service principal the instantiation created. The update PATCH always sends tags and
    // appRoleAssignmentRequired, so both are set explicitly, or the gallery SP would lose its
    // enterprise-app tag and stop requiring assignment.
    const clientId = azuread.getApplicationOutput({ objectId: this.application.applicationObjectId }, { parent: this }).clientId;
    this.servicePrincipal = new azuread.ServicePrincipal(
      `${name}-sp`,
      {
        clientId,
        useExisting: true,
        appRoleAssignmentRequired: assignmentRequired,
        featureTags: [{ enterprise: true, gallery: true }],
        owners: [...(args.owners ?? [])],
        notes: args.notes ?? `Provisioning of ${preset.appName} is managed as code (entra-app-provisioning); change it in the stack config, not in the portal.`,
      },
      { parent: this, protect },
    );

    // Step 4: group assignments with the role picked by display name (gallery roles often lack `value`).
    const appRoleId = this.servicePrincipal.appRoles.apply((roles) => pickAppRoleId(roles, appRole, preset.appName));
    this.assignments = groups.map(
      (g) =>
        new azuread.AppRoleAssignment(
          `${name}-group-${g.objectId.toLowerCase()}`,
          { appRoleId, principalObjectId: g.objectId, resourceObjectId: this.servicePrincipal.objectId },
          { parent: this },
        ),
    );

    // Step 5: the one secrets document. OAuth mode never writes credential keys, so the tokens an admin
    // obtained with Authorize are not overwritten; token mode adds BaseAddress and the secret token.
    const pairs = buildSettingsCredentials(settings, credentialMode === "token" ? args.tenantUrl : undefined);
    const credentials: pulumi.Input<azuread.types.input.SynchronizationSecretCredential>[] =
      credentialMode === "token" ? [pairs[0], { key: "SecretToken", value: pulumi.secret(args.secretToken!) }, ...pairs.slice(1)] : pairs;
    const secretKeysWritten = credentialMode === "token" ? [pairs[0].key, "SecretToken", ...pairs.slice(1).map((p) => p.key)] : pairs.map((p) => p.key);
    this.settings = new azuread.SynchronizationSecret(
      `${name}-settings`,
      { servicePrincipalId: this.servicePrincipal.id, credentials },
      { parent: this, additionalSecretOutputs: ["credentials"] },
    );

    // The job starts only after its settings exist; in OAuth mode only once an admin has authorized.
    this.job = new azuread.SynchronizationJob(
      `${name}-job`,
      { servicePrincipalId: this.servicePrincipal.id, templateId: synchronizationTemplateId, enabled: jobEnabled },
      { parent: this, dependsOn: [this.settings] },
    );

    this.schema = new SynchronizationSchema(
      `${name}-schema`,
      { tenantId: args.tenantId, synchronizationJobId: this.job.id, objectMappings: [...args.objectMappings], graphBaseUrl: args.graphBaseUrl },
      { parent: this },
    );

    const jobState: ProvisioningSummary["provisioning"]["jobState"] = jobEnabled
      ? "started"
      : provisioningEnabled
        ? "paused: awaiting OAuth authorization"
        : "paused: provisioning disabled in config";
    this.summary = {
      app: {
        preset: preset.id,
        displayName,
        galleryTemplateId,
        applicationObjectId: this.application.applicationObjectId,
        servicePrincipalObjectId: this.servicePrincipal.objectId,
        protectedFromDeletion: protect,
        owners: [...(args.owners ?? [])],
      },
      assignments: { appRole, appRoleId, assignmentRequired, groups: groups.map((g) => ({ ...g })) },
      provisioning: {
        credentialMode,
        oauthAuthorized,
        ...(credentialMode === "token" ? { tenantUrl: args.tenantUrl } : {}),
        synchronizationTemplateId,
        synchronizationJobId: this.job.id,
        jobState,
        scope: settings.scope,
        notificationEmail: settings.notificationEmail,
        sendFailureEmails: settings.sendFailureEmails,
        accidentalDeletions: { ...settings.accidentalDeletions },
        skipOutOfScopeDeletions: settings.skipOutOfScopeDeletions,
        secretKeysWritten,
      },
      mappings: args.objectMappings.map((m) => ({
        object: m.key,
        name: m.name,
        enabled: m.enabled,
        matching: m.attributeMappings
          .filter((a) => a.matchingPriority > 0)
          .sort((a, b) => a.matchingPriority - b.matchingPriority)
          .map((a) => ({ target: a.target, source: a.source ?? JSON.stringify(a.constant ?? ""), priority: a.matchingPriority })),
        attributeCount: m.attributeMappings.length,
        scopingFilter: m.scopingFilter,
      })),
    };

    this.registerOutputs({ summary: this.summary });
  }
}
