/**
 * Generates, from the zod schema (the one source of truth), the JSON Schema that editors use to check
 * `Pulumi.<tenant>.yaml` and the settings reference in docs/configuration.md.
 */
import { z } from "zod";
import { PROJECT, SECRET_KEYS, TenantConfigSchema } from "../stacks/config/schema";

type JsonSchema = Record<string, any>;

/** JSON Schema (draft-07) of a whole stack file. */
export function stackFileJsonSchema(): JsonSchema {
  const configProps: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, schema] of Object.entries(TenantConfigSchema.shape)) {
    const js = z.toJSONSchema(schema as z.ZodType, { target: "draft-7", io: "input", unrepresentable: "any" }) as JsonSchema;
    delete js.$schema;
    configProps[`${PROJECT}:${key}`] = js;
    if (!(schema as z.ZodType).safeParse(undefined).success) required.push(`${PROJECT}:${key}`);
  }
  for (const key of SECRET_KEYS) {
    configProps[`${PROJECT}:${key}`] = {
      description: "Token mode: the app's secret token. Set it with `pulumi config set --secret scimToken`; never as plain text.",
      type: "object",
      properties: { secure: { type: "string" } },
      required: ["secure"],
      additionalProperties: false,
    };
  }
  const known = [...Object.keys(TenantConfigSchema.shape), ...SECRET_KEYS].join("|");
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://entra-app-provisioning.example/schema/stack-config.schema.json",
    title: `Pulumi.<tenant>.yaml of ${PROJECT}`,
    description: "Generated from stacks/config/schema.ts by `npm run schema:json`; do not edit by hand.",
    type: "object",
    properties: {
      config: {
        type: "object",
        properties: configProps,
        required,
        patternProperties: { [`^${PROJECT}:(?!(${known})$)`]: false },
      },
      secretsprovider: { type: "string", description: "Secrets provider, e.g. azurekeyvault://<vault>.vault.azure.net/keys/<key> or passphrase." },
      encryptionsalt: { type: "string" },
      encryptedkey: { type: "string" },
      environment: { description: "Pulumi ESC environment(s).", oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
    },
    required: ["config"],
  };
}

interface Row {
  path: string;
  type: string;
  def: string;
  description: string;
  tutorial?: string;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v: unknown) => `\`${v}\``).join(" \\| ");
  if (s.const !== undefined) return `\`${s.const}\``;
  if (s.anyOf) return s.anyOf.map(typeOf).join(" \\| ");
  if (s.format) return `${s.type} (${s.format})`;
  if (s.type === "array") return `list of ${typeOf(s.items ?? {})}`;
  return String(s.type ?? "any");
}

function walk(s: JsonSchema, path: string, rows: Row[], inherited?: string) {
  const tutorial = s.tutorial ?? inherited;
  if (path) {
    rows.push({ path, type: typeOf(s), def: s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : "", description: s.description ?? "", tutorial: s.tutorial });
  }
  if (s.type === "object" && s.properties) for (const [k, v] of Object.entries<JsonSchema>(s.properties)) walk(v, path ? `${path}.${k}` : k, rows, tutorial);
  if (s.type === "array" && s.items?.type === "object") walk({ ...s.items, description: undefined, default: undefined, tutorial: undefined }, `${path}[]`, rows.slice(0, 0), tutorial), walkItems(s.items, `${path}[]`, rows, tutorial);
}
function walkItems(items: JsonSchema, path: string, rows: Row[], tutorial?: string) {
  for (const [k, v] of Object.entries<JsonSchema>(items.properties ?? {})) walk(v, `${path}.${k}`, rows, tutorial);
}

/** docs/configuration.md: every setting, its type, default, meaning and the tutorial step it replaces. */
export function configurationMarkdown(): string {
  const schema = stackFileJsonSchema();
  const lines = [
    "# Stack configuration reference",
    "",
    "<!-- Generated from stacks/config/schema.ts by `npm run schema:json`; do not edit by hand. -->",
    "",
    `Each tenant is one stack, \`Pulumi.<tenant>.yaml\`; settings live under the \`${PROJECT}:\` namespace.`,
    "Editors that understand `# yaml-language-server: $schema=./schema/stack-config.schema.json` check the",
    "file as you type; `npm run plan -- <tenant>` checks it the same way and names the path of anything wrong.",
    "",
  ];
  for (const [key, s] of Object.entries<JsonSchema>(schema.properties.config.properties)) {
    const rows: Row[] = [];
    walk(s, "", rows);
    lines.push(`## \`${key}\`${schema.properties.config.required.includes(key) ? " (required)" : ""}`, "");
    if (s.description) lines.push(s.description, "");
    if (s.tutorial) lines.push(`Tutorial: ${s.tutorial}.`, "");
    if (rows.length === 0) continue;
    lines.push("| Setting | Type | Default | Meaning |", "|---|---|---|---|");
    for (const r of rows) {
      const desc = [r.description, r.tutorial ? `*Tutorial: ${r.tutorial}.*` : ""].filter(Boolean).join(" ").replace(/\|/g, "\\|");
      lines.push(`| \`${r.path}\` | ${r.type} | ${r.def} | ${desc} |`);
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}
