/**
 * The tenant program: read and validate the stack config (nothing is registered when it is invalid),
 * wire the app preset and the stack's overrides into the components, and return outputs for auditors.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { EnterpriseAppProvisioning } from "../components/enterprise-app-provisioning";
import { ProvisioningMonitoring } from "../components/monitoring/provisioning-monitoring";
import { readRawTenantConfig, resolveTenantConfig, ResolvedTenantConfig } from "./config/load";
import { PROJECT } from "./config/schema";

/** Version of the guardrails (policy pack) this program is reviewed against; shown in outputs. */
export const POLICY_PACK = { name: "entra-provisioning-guardrails", version: "0.1.0" } as const;

/** Declares one tenant's resources from resolved config. Returns the stack outputs. */
export function declareTenant(resolved: ResolvedTenantConfig, scimToken: pulumi.Output<string> | undefined): Record<string, unknown> {
  const { config, preset } = resolved;
  const app = config.app;
  const p = app.provisioning;

  // An explicit provider pins every Entra call to the tenant named in config, whatever the CLI is logged into.
  const entra = new azuread.Provider(`${config.tenant.name}-entra`, { tenantId: config.tenant.id });

  const provisioning = new EnterpriseAppProvisioning(
    preset.id,
    {
      tenantId: config.tenant.id,
      preset,
      displayName: resolved.displayName,
      galleryTemplateId: app.galleryTemplateId,
      owners: app.owners,
      notes: app.notes,
      protectFromDeletion: resolved.protect,
      appRole: app.assignments.appRole,
      assignmentRequired: app.assignments.assignmentRequired,
      groups: app.assignments.groups,
      credentialMode: resolved.credentialMode,
      oauthAuthorized: p.oauthAuthorized,
      tenantUrl: resolved.credentialMode === "token" ? p.tenantUrl : undefined,
      secretToken: resolved.credentialMode === "token" ? scimToken : undefined,
      synchronizationTemplateId: resolved.synchronizationTemplateId,
      provisioningEnabled: p.enabled,
      scope: p.scope,
      notificationEmail: p.notificationEmail,
      sendFailureEmails: p.sendFailureEmails,
      accidentalDeletions: p.accidentalDeletions,
      skipOutOfScopeDeletions: p.skipOutOfScopeDeletions,
      objectMappings: resolved.objectMappings,
    },
    { providers: [entra] },
  );

  // Step 6: provisioning logs to Log Analytics and alerts to the same notification address.
  const monitoring =
    resolved.monitoringEnabled && config.monitoring
      ? new ProvisioningMonitoring(`${preset.id}-monitoring`, {
          tenantId: config.tenant.id,
          tenantName: config.tenant.name,
          appDisplayName: resolved.displayName,
          servicePrincipalObjectId: provisioning.servicePrincipal.objectId,
          synchronizationJobId: provisioning.job.id,
          notificationEmail: p.notificationEmail,
          jobEnabled: resolved.jobEnabled,
          config: config.monitoring,
        })
      : undefined;

  return {
    tenant: { ...config.tenant },
    ...provisioning.summary,
    monitoring: monitoring ? { enabled: true, summary: monitoring.summary } : { enabled: false },
    guardrails: { policyPack: `${POLICY_PACK.name}@${POLICY_PACK.version}`, protectedFromDeletion: resolved.protect },
  };
}

/** The Pulumi entry point: validate first, then declare. */
export async function tenantProgram(): Promise<Record<string, unknown>> {
  const resolved = resolveTenantConfig(readRawTenantConfig());
  return declareTenant(resolved, new pulumi.Config(PROJECT).getSecret("scimToken"));
}
