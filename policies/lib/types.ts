/**
 * Type tokens of the resources the guardrails judge. They are strings rather than SDK classes so the
 * rules load nothing heavier than the catalog; test/policies/pack.test.ts checks each token against the
 * SDK class it names.
 */
export const TYPES = {
  enterpriseAppProvisioning: "entra-app-provisioning:index:EnterpriseAppProvisioning",
  provisioningMonitoring: "entra-app-provisioning:monitoring:ProvisioningMonitoring",
  application: "azuread:index/application:Application",
  applicationFromTemplate: "azuread:index/applicationFromTemplate:ApplicationFromTemplate",
  servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
  appRoleAssignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  synchronizationSecret: "azuread:index/synchronizationSecret:SynchronizationSecret",
  synchronizationJob: "azuread:index/synchronizationJob:SynchronizationJob",
  dynamicResource: "pulumi-nodejs:dynamic:Resource",
  diagnosticSetting: "azure-native:aadiam:DiagnosticSetting",
  scheduledQueryRule: "azure-native:monitor:ScheduledQueryRule",
} as const;

/** `resourceKind` input that tells our SynchronizationSchema apart from other dynamic resources. */
export const SCHEMA_RESOURCE_KIND = "entra-app-provisioning:SynchronizationSchema";
