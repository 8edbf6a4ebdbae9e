/** Builders for tenant configs in tests: a valid base per preset, and conversion to runtime config. */
import { PROJECT } from "../../stacks/config/schema";

export type Json = Record<string, unknown>;

/** A valid Rouse Sales (OAuth) tenant config. */
export function rouseSalesConfig(): Json {
  return {
    tenant: { id: "11111111-2222-4333-8444-555555555555", name: "test-tenant", environment: "dev" },
    app: {
      preset: "rouse-sales",
      assignments: { groups: [{ objectId: "aaaaaaaa-0000-4000-8000-000000000001", displayName: "SG-Pilot" }] },
      provisioning: { synchronizationTemplateId: "rouseSales", notificationEmail: "ops@contoso.example" },
    },
  };
}

/** A valid generic SCIM (token) tenant config; the token is passed separately as a secret. */
export function genericScimConfig(): Json {
  return {
    tenant: { id: "11111111-2222-4333-8444-666666666666", name: "scim-tenant", environment: "dev" },
    app: {
      preset: "generic-scim",
      displayName: "Acme CRM",
      assignments: { groups: [{ objectId: "aaaaaaaa-0000-4000-8000-000000000002", displayName: "SG-CRM" }] },
      provisioning: { tenantUrl: "https://scim.acme.example/scim/v2", notificationEmail: "ops@contoso.example" },
    },
  };
}

/** Converts a config object (+ optional secret token) to what `setAllConfig` takes. */
export function toRuntimeConfig(values: Json, scimToken?: string): { config: Record<string, string>; secretKeys: string[] } {
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) config[`${PROJECT}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  const secretKeys: string[] = [];
  if (scimToken !== undefined) {
    config[`${PROJECT}:scimToken`] = scimToken;
    secretKeys.push(`${PROJECT}:scimToken`);
  }
  return { config, secretKeys };
}

/** Deep clone + mutate, for deriving invalid configs from a valid base. */
export function withChange(base: Json, change: (c: any) => void): Json {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}
