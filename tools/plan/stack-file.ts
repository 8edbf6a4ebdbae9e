/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI feeds it to a program: every config value becomes
 * a string (objects as JSON), keys without a namespace get the project's, and `secure:` values are
 * secrets. Encrypted values cannot be decrypted offline, so the program receives a placeholder marked
 * secret; plans show it as "[secret]".
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SECRET_MARK } from "../../components/pulumi-wire";
import { listStacks, STACK_NAME } from "../list-stacks";

export interface StackConfig {
  readonly stack: string;
  readonly file: string;
  /** `project:key` → value as the Pulumi runtime receives it. */
  readonly config: Record<string, string>;
  /** Keys whose values are secrets (`secure:` in the file). */
  readonly secretKeys: string[];
  /** The config as written, with secure values shown as "[secret]" (for display). */
  readonly display: Record<string, unknown>;
}

export const SECURE_PLACEHOLDER = "offline-plan-placeholder-for-a-secure-value";

export { listStacks } from "../list-stacks";

export function readStackFile(stack: string, dir: string, project: string): StackConfig {
  if (!STACK_NAME.test(stack)) throw new Error(`stack name ${JSON.stringify(stack)} is not valid; allowed: letters, digits, - _ . (starting with a letter or digit)`);
  // Pulumi reads `Pulumi.<stack>.yaml` only (tools/list-stacks.ts rejects `.yml` for the same reason).
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new Error(`no stack file Pulumi.${stack}.yaml in ${dir}; stacks found: ${(() => { try { return listStacks(dir).join(", ") || "none"; } catch (e) { return (e as Error).message; } })()}`);
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${path.basename(file)} is not valid YAML: ${(e as Error).message}`);
  }
  const raw = (doc && typeof doc === "object" ? (doc as Record<string, unknown>).config : undefined) ?? {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw new Error(`${path.basename(file)}: \`config\` must be a mapping of keys to values`);
  const config: Record<string, string> = {};
  const display: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const fullKey = k.includes(":") ? k : `${project}:${k}`;
    if (v && typeof v === "object" && !Array.isArray(v) && "secure" in (v as object) && Object.keys(v as object).length === 1) {
      config[fullKey] = SECURE_PLACEHOLDER;
      display[fullKey] = SECRET_MARK;
      secretKeys.push(fullKey);
    } else if (v !== null && typeof v === "object") {
      if (JSON.stringify(v).includes('"secure"')) throw new Error(`${path.basename(file)}: ${fullKey} has a nested secure value; the offline plan supports only top-level secrets`);
      config[fullKey] = JSON.stringify(v);
      display[fullKey] = v;
    } else {
      config[fullKey] = String(v);
      display[fullKey] = v;
    }
  }
  return { stack, file, config, secretKeys, display };
}
