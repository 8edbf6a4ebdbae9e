/** Shared helpers for the audit tests: fixtures, stack configs, temporary states, headless Chromium. */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { parse } from "yaml";
import { FIXTURE_DIR } from "../../tools/audit/regenerate-fixtures";

export { CANARY_TOKEN, FIXTURE_DIR } from "../../tools/audit/regenerate-fixtures";
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export type Json = Record<string, any>;

export const fixture = (name: string): string => path.join(FIXTURE_DIR, name);
export const loadFixture = (name: string): Json => JSON.parse(readFileSync(fixture(name), "utf8"));

/** The deployment inside either envelope. */
export const deploymentOf = (state: Json): Json => (state.deployment ?? state.checkpoint.latest) as Json;
export const resourceNamed = (state: Json, name: string): Json => {
  const r = (deploymentOf(state).resources as Json[]).find((x) => String(x.urn).endsWith(`::${name}`));
  if (!r) throw new Error(`no resource ${name} in the fixture`);
  return r;
};

/** `Pulumi.<stack>.yaml`'s config block, keys without the project namespace. */
export function stackConfig(stack: string, dir = REPO_ROOT): Json {
  const doc = parse(readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as { config: Json };
  return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k.replace(/^entra-app-provisioning:/, ""), v]));
}

export const tempDir = (prefix = "audit-test-"): string => mkdtempSync(path.join(tmpdir(), prefix));

/** Writes a (modified) state to a temporary file and returns its path. */
export function writeTempState(state: unknown, name = "state.json", dir = tempDir()): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof state === "string" ? state : JSON.stringify(state, null, 4));
  return file;
}

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Debian's chromium; CHROMIUM overrides the path. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/**
 * Opens a file in headless Chromium and returns the DOM after parsing (`--dump-dom`). Throws a clear
 * error when Chromium is not installed: the test must fail, not skip.
 */
export function dumpDom(file: string): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install --no-install-recommends chromium; .ci/run does this in CI) or set CHROMIUM to its path`);
  }
  const profile = tempDir("audit-chromium-profile-");
  const result = spawnSync(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      "--dump-dom",
      pathToFileURL(file).href,
    ],
    { encoding: "utf8", timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.error) throw new Error(`Chromium failed to run: ${result.error.message}`);
  if (result.status !== 0 || !result.stdout.includes("</html>")) {
    throw new Error(`Chromium exited with ${result.status}; stderr: ${result.stderr.slice(-2000)}`);
  }
  return result.stdout;
}

const decode = (s: string): string =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, " ").replace(/&amp;/g, "&");

/** The HTML of one tenant's section (by stack name) in a DOM dump. */
export function tenantSection(dom: string, stack: string): string {
  const chunks = dom.split('<section class="tenant"').slice(1);
  const chunk = chunks.find((c) => c.startsWith(` data-stack="${stack}"`));
  if (!chunk) throw new Error(`no tenant section for stack ${stack}`);
  return chunk;
}

/** Text of every element with `data-fact="<key>"` (entities decoded, tags stripped). */
export function facts(html: string, key: string): string[] {
  const re = new RegExp(`<(\\w+)[^>]*data-fact="${key}"[^>]*>([\\s\\S]*?)</\\1>`, "g");
  return [...html.matchAll(re)].map((m) => decode(m[2].replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ").trim());
}
export function fact(html: string, key: string): string {
  const all = facts(html, key);
  if (all.length === 0) throw new Error(`no data-fact="${key}"`);
  return all[0];
}
