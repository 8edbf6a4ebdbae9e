/**
 * Reads a tenant stack's config, validates all of it (schema first, then the checks that need the
 * preset), and resolves defaults. Throws {@link ConfigValidationError} listing every problem before any
 * resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { AppPreset, findPreset } from "../../components/catalog";
import { mergeObjectMappings, ResolvedObjectMapping } from "../../components/mappings/merge";
import { ConfigIssue, ConfigValidationError, configPath, fromZodIssues } from "./errors";
import { KNOWN_KEYS, PROJECT, TenantConfig, TenantConfigSchema } from "./schema";

/** Everything the program needs, validated and with defaults applied. */
export interface ResolvedTenantConfig {
  readonly config: TenantConfig;
  readonly preset: AppPreset;
  readonly credentialMode: "oauth" | "token";
  readonly synchronizationTemplateId: string;
  readonly displayName: string;
  readonly protect: boolean;
  /** Whether the job should run now: provisioning enabled and, in OAuth mode, authorized. */
  readonly jobEnabled: boolean;
  readonly monitoringEnabled: boolean;
  readonly objectMappings: readonly ResolvedObjectMapping[];
}

/** Raw config as read from the stack: plain values, and whether the secret token is set. */
export interface RawTenantConfig {
  readonly values: Record<string, unknown>;
  readonly hasScimToken: boolean;
  /** Keys in the project's namespace that the program does not know (typos). */
  readonly unknownKeys: readonly string[];
}

/**
 * Validates raw config values. Pure: no Pulumi runtime needed, so tests and the property test call it
 * directly.
 */
export function resolveTenantConfig(raw: RawTenantConfig): ResolvedTenantConfig {
  const issues: ConfigIssue[] = raw.unknownKeys.map((k) => ({
    path: `${PROJECT}:${k}`,
    message: `unknown setting; allowed keys: ${KNOWN_KEYS.join(", ")}`,
    received: k,
  }));
  const parsed = TenantConfigSchema.safeParse(raw.values, { reportInput: true });
  if (!parsed.success) throw new ConfigValidationError([...issues, ...fromZodIssues(parsed.error.issues)]);
  const config = parsed.data;
  const preset = findPreset(config.app.preset)!;
  const p = config.app.provisioning;
  const at = (...segs: (string | number)[]) => configPath(["app", "provisioning", ...segs]);

  const credentialMode = p.mode ?? preset.credentialMode;
  if (credentialMode === "token") {
    if (!p.tenantUrl) issues.push({ path: at("tenantUrl"), message: "token mode needs the tenant URL (the app's SCIM endpoint)", received: undefined });
    if (!raw.hasScimToken) {
      issues.push({ path: `${PROJECT}:scimToken`, message: "token mode needs the secret token; set it with `pulumi config set --secret scimToken`", received: undefined });
    }
    if (p.oauthAuthorized) issues.push({ path: at("oauthAuthorized"), message: "only used in oauth mode; remove it in token mode", received: true });
  } else {
    if (p.tenantUrl !== undefined) issues.push({ path: at("tenantUrl"), message: `not used in oauth mode: ${preset.appName} is authorized in the portal; remove it`, received: p.tenantUrl });
    if (raw.hasScimToken) issues.push({ path: `${PROJECT}:scimToken`, message: "a secret token is not used in oauth mode and would never be written; remove it", received: "[secret]" });
  }
  const synchronizationTemplateId = p.synchronizationTemplateId ?? preset.synchronizationTemplateId;
  if (!synchronizationTemplateId) {
    issues.push({
      path: at("synchronizationTemplateId"),
      message: `${preset.appName} has no known synchronization template id; read it with GET /servicePrincipals/{id}/synchronization/templates and set it`,
      received: undefined,
    });
  }

  const groups = config.app.assignments.groups;
  groups.forEach((g, i) => {
    const first = groups.findIndex((o) => o.objectId.toLowerCase() === g.objectId.toLowerCase());
    if (first !== i) issues.push({ path: configPath(["app", "assignments", "groups", i, "objectId"]), message: `group already assigned at groups[${first}]`, received: g.objectId });
  });
  config.app.owners.forEach((o, i) => {
    const first = config.app.owners.findIndex((x) => x.toLowerCase() === o.toLowerCase());
    if (first !== i) issues.push({ path: configPath(["app", "owners", i]), message: `owner already listed at owners[${first}]`, received: o });
  });

  const merged = mergeObjectMappings(preset, config.app.mappings);
  merged.issues.forEach((m) => issues.push({ path: configPath(["app", "mappings", ...m.path]), message: m.message, received: m.received }));

  const isProd = config.tenant.environment === "prod";
  const monitoringEnabled = config.monitoring?.enabled ?? isProd;
  if (monitoringEnabled) {
    const m = config.monitoring;
    for (const field of ["subscriptionId", "resourceGroupName", "location"] as const) {
      if (!m?.[field]) issues.push({ path: configPath(["monitoring", field]), message: "needed when monitoring is on (it is on by default in prod)", received: undefined });
    }
  }

  if (issues.length > 0) throw new ConfigValidationError(issues);
  return {
    config,
    preset,
    credentialMode,
    synchronizationTemplateId: synchronizationTemplateId!,
    displayName: config.app.displayName ?? preset.appName,
    protect: config.app.protect ?? isProd,
    jobEnabled: p.enabled && (credentialMode === "token" || p.oauthAuthorized),
    monitoringEnabled,
    objectMappings: merged.mappings,
  };
}

/** Reads the raw config of the current stack from the Pulumi runtime. */
export function readRawTenantConfig(): RawTenantConfig {
  const cfg = new pulumi.Config(PROJECT);
  const values: Record<string, unknown> = {};
  for (const key of KNOWN_KEYS) {
    if (key === "scimToken") continue;
    const text = cfg.get(key);
    if (text === undefined) continue;
    try {
      values[key] = JSON.parse(text);
    } catch {
      values[key] = text;
    }
  }
  const unknownKeys = Object.keys(pulumi.runtime.allConfig())
    .filter((k) => k.startsWith(`${PROJECT}:`))
    .map((k) => k.slice(PROJECT.length + 1))
    .filter((k) => !KNOWN_KEYS.includes(k));
  return { values, hasScimToken: cfg.getSecret("scimToken") !== undefined, unknownKeys };
}
