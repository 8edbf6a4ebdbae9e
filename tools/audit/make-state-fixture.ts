/**
 * Makes realistic Pulumi state from this project's own program: runs a stack's config through the
 * offline harness in mode "apply" (Graph-shaped ids and computed outputs from the mocks), and writes what
 * `pulumi stack export` (deployment version 3) or the local-files backend's stack file would hold after
 * that `pulumi up`.
 *
 * What the engine would add and the mocks do not, this adds the way the engine does:
 * - URNs as the engine forms them (children of the root stack carry no `pulumi:pulumi:Stack$` prefix);
 * - `parent`, `protect`, `provider` (`<provider URN>::<id>`), `dependencies` and `propertyDependencies`
 *   exactly as the SDK sent them in its RegisterResource requests (captured from the mock monitor);
 * - `additionalSecretOutputs` applied to outputs (the engine does it, mocks do not);
 * - the default `pulumi-nodejs` provider of dynamic resources, the root `pulumi:pulumi:Stack` resource
 *   with the stack outputs, `created`/`modified` times, a manifest with `magic` = sha256(version);
 * - secrets in the form the CLI writes: `{sig, ciphertext}` (AES-256-GCM under a key that is generated
 *   here and thrown away, so nobody can decrypt a fixture) or, like `--show-secrets`, `{sig, plaintext}`;
 * - what Graph returns where the mocks answer with a placeholder: an assignment's `principalDisplayName`
 *   is the group's display name, not the resource name.
 *
 * Partial states are made the way they happen: `interrupted` moves resources into `pending_operations`
 * (creating) and drops what depended on them and the outputs an interrupted run never registered;
 * `initErrors` records create errors on resources.
 *
 * CLI: `npx tsx tools/audit/make-state-fixture.ts <stack> [options]` (see `--help`).
 */
import { createCipheriv, createHash, randomBytes } from "crypto";
import { mkdirSync, writeFileSync } from "fs";
import * as path from "path";
import { parseArgs } from "util";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../stacks/config/schema";
import { SECRET_MARK, SIG, SIG_KEY } from "../../components/pulumi-wire";
import { OfflineRun, runOffline, UNKNOWN_MARK } from "../plan/harness";
import { REPO_ROOT } from "../plan/plan-stack";
import { readStackFile } from "../plan/stack-file";

/** What the mock monitor holds for a registered resource, and what the SDK asked for when registering it. */
export interface RegisteredResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly id?: string;
  /** Serialized state (secrets as `{sig, value}`); for components and the stack, their registered outputs. */
  readonly state: Record<string, unknown>;
  readonly parent?: string;
  readonly protect: boolean;
  readonly provider?: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly additionalSecretOutputs: readonly string[];
}

export interface StateFixtureOptions {
  /** Manifest time and each resource's `modified` (RFC 3339). */
  readonly time?: string;
  /** Each resource's `created`. Defaults to {@link time}. */
  readonly createdTime?: string;
  /** `manifest.version`, the CLI version that wrote the state. Defaults to the SDK's version. */
  readonly pulumiVersion?: string;
  /** `export`: `pulumi stack export`; `checkpoint`: the local-files backend's stack file. */
  readonly envelope?: "export" | "checkpoint";
  /** `ciphertext` as exported by default; `plaintext` as with `--show-secrets`. */
  readonly secrets?: "ciphertext" | "plaintext";
  /** Logical names of resources whose creation was interrupted. */
  readonly interrupted?: readonly string[];
  /** Logical name → errors recorded when creating it. */
  readonly initErrors?: Readonly<Record<string, readonly string[]>>;
  /**
   * Keep a dynamic resource's serialized provider (`__provider`, 100+ KB of generated code) as is.
   * By default it is replaced by its first line and a note with its length and hash, which keeps
   * fixtures reviewable; the property stays a string in the same place.
   */
  readonly keepProviderCode?: boolean;
}

export const DEFAULT_TIME = "2026-03-02T09:41:27.512034017Z";
const ROOT_STACK = "pulumi:pulumi:Stack";
const DYNAMIC_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkVersion = (): string => (require("@pulumi/pulumi/package.json") as { version: string }).version;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const azureadVersion = (): string => (require("@pulumi/azuread/package.json") as { version: string }).version;

/** The engine leaves the root stack's type out of its children's URNs; the mock monitor does not. */
export function engineUrn(urn: string): string {
  return urn.replace(/^(urn:pulumi:[^:]*::[^:]+::)pulumi:pulumi:Stack\$/, "$1");
}
/** A provider reference `<urn>::<id>` with the URN normalized. */
const engineProviderRef = (ref: string): string => {
  const i = ref.lastIndexOf("::");
  return i < 0 ? ref : `${engineUrn(ref.slice(0, i))}::${ref.slice(i + 2)}`;
};

interface RequestDetails {
  custom: boolean;
  parent?: string;
  protect: boolean;
  provider?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  additionalSecretOutputs: string[];
}

/**
 * Runs `body` (which calls {@link runOffline}) while recording what the SDK sends with each
 * RegisterResource request, then returns every registered resource in registration order.
 */
export async function captureRegistrations<T>(body: () => Promise<T>): Promise<{ result: T; registered: RegisteredResource[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mocksModule = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: { prototype: Record<string, unknown> } };
  const proto = mocksModule.MockMonitor.prototype;
  const original = proto.registerResource as (req: any, cb: (err: unknown, resp: any) => void) => Promise<void>;
  const details = new Map<string, RequestDetails>();
  proto.registerResource = function (this: unknown, req: any, callback: (err: unknown, resp: any) => void) {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: { getUrnsList(): string[] }, key: string) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    const request: RequestDetails = {
      custom: req.getCustom(),
      parent: req.getParent() || undefined,
      protect: !!req.getProtect(),
      provider: req.getProvider() || undefined,
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    };
    return original.call(this, req, (err: unknown, resp: any) => {
      if (!err && resp) details.set(resp.getUrn(), request);
      callback(err, resp);
    });
  };
  let result: T;
  try {
    result = await body();
  } finally {
    proto.registerResource = original;
  }
  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, { urn: string; id: string | null; state: unknown }> };
  const registered: RegisteredResource[] = [];
  for (const [urn, r] of monitor.getRegisteredResources()) {
    const d = details.get(urn);
    if (!d) continue;
    const qualified = urn.split("::")[2];
    const type = qualified.split("$").pop()!;
    const state = r.state && typeof (r.state as { toJavaScript?: unknown }).toJavaScript === "function" ? (r.state as { toJavaScript(): Record<string, unknown> }).toJavaScript() : ((r.state ?? {}) as Record<string, unknown>);
    registered.push({
      urn,
      type,
      name: urn.split("::").slice(3).join("::"),
      id: r.id ?? undefined,
      state,
      ...d,
    });
  }
  return { result, registered };
}

/** Pulumi's passphrase crypter writes `v1:<nonce>:<ciphertext+tag>` (base64); so does this, under a key nobody keeps. */
class ThrowawayCrypter {
  private readonly key = randomBytes(32);
  encrypt(plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${ct.toString("base64")}`;
  }
  /** The `state.salt` of a passphrase secrets provider: a salt and the encrypted check word. */
  salt(): string {
    return `v1:${randomBytes(8).toString("base64")}:${this.encrypt("pulumi")}`;
  }
}

const isSerializedSecret = (v: unknown): v is { value: unknown } =>
  !!v && typeof v === "object" && !Array.isArray(v) && (v as Record<string, unknown>)[SIG_KEY] === SIG.secret;

/** `__provider` shortened to its first line plus its length and hash. */
export function elideProviderCode(code: string): string {
  const firstLine = code.split("\n", 1)[0];
  const hash = createHash("sha256").update(code).digest("hex");
  return `${firstLine}\n/* serialized dynamic provider elided from this fixture: ${code.length} characters, sha256 ${hash} */\n`;
}

/** Converts the SDK's `{sig, value}` secrets into the stored form. */
function storeSecrets(v: unknown, mode: "ciphertext" | "plaintext", crypter: ThrowawayCrypter): unknown {
  if (isSerializedSecret(v)) {
    const json = JSON.stringify(v.value);
    return mode === "plaintext" ? { [SIG_KEY]: SIG.secret, plaintext: json } : { [SIG_KEY]: SIG.secret, ciphertext: crypter.encrypt(json) };
  }
  if (Array.isArray(v)) return v.map((x) => storeSecrets(x, mode, crypter));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, storeSecrets(x, mode, crypter)]));
  return v;
}

function assertPlainOutputs(outputs: Record<string, unknown>): void {
  const text = JSON.stringify(outputs);
  if (text.includes(JSON.stringify(SECRET_MARK)) || text.includes(JSON.stringify(UNKNOWN_MARK))) {
    throw new Error("the stack outputs hold secret or unknown values; this generator writes secret-free, known stack outputs only (run in mode apply)");
  }
}

const sortKeys = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

/** Builds the state of one offline run as the CLI would store it. */
export function makeStateFixture(run: OfflineRun, registered: readonly RegisteredResource[], options: StateFixtureOptions = {}): Record<string, unknown> {
  if (run.mode !== "apply") throw new Error(`state is made from a run in mode "apply" (ids and computed outputs), got "${run.mode}"`);
  if (run.error) throw new Error(`the program failed, so there is no state to make: ${run.error.message}`);
  assertPlainOutputs(run.outputs);
  const time = options.time ?? DEFAULT_TIME;
  const created = options.createdTime ?? time;
  const secrets = options.secrets ?? "ciphertext";
  const crypter = new ThrowawayCrypter();
  const store = (v: unknown) => storeSecrets(v, secrets, crypter);
  const version = options.pulumiVersion ?? `v${sdkVersion()}`;

  const planned = new Map(run.resources.map((r) => [r.urn, r]));
  const groupNames = new Map<string, string>(
    (((run.outputs.assignments as { groups?: { objectId: string; displayName: string }[] } | undefined)?.groups) ?? []).map((g) => [g.objectId.toLowerCase(), g.displayName]),
  );
  const stackUrn = `urn:pulumi:${run.stack}::${run.project}::${ROOT_STACK}::${run.project}-${run.stack}`;
  const dynamicProviderUrn = `urn:pulumi:${run.stack}::${run.project}::${DYNAMIC_PROVIDER_TYPE}::default`;
  const dynamicProviderId = createHash("sha256").update(`${run.stack}/dynamic-provider`).digest("hex").replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*$/, "$1-$2-4$3-8$4-$5");

  const resources: Record<string, unknown>[] = [];
  let dynamicProviderAdded = false;
  for (const reg of registered) {
    const urn = engineUrn(reg.urn);
    // As the engine writes them: empty lists omitted, a property without dependencies as null.
    const deps = [...new Set(reg.dependencies.map(engineUrn))];
    const dependencies = deps.length ? { dependencies: deps } : {};
    const pdeps = Object.entries(reg.propertyDependencies).map(([k, v]) => [k, v.length ? v.map(engineUrn) : null] as const);
    const propertyDependencies = pdeps.length ? { propertyDependencies: sortKeys(Object.fromEntries(pdeps)) } : {};
    const base = {
      urn,
      custom: reg.custom,
      ...(reg.custom && reg.id ? { id: reg.id } : {}),
      type: reg.type,
    };
    const times = { created, modified: time };
    if (reg.type === ROOT_STACK) {
      resources.push({ ...base, outputs: store(run.outputs), ...times });
      continue;
    }
    const parent = reg.parent ? engineUrn(reg.parent) : undefined;
    if (!reg.custom) {
      // A component: its inputs are what it passed to super() (this project passes {}), its outputs what it registered.
      resources.push({ ...base, ...(Object.keys(reg.state).length ? { outputs: store(reg.state) } : {}), ...(parent ? { parent } : {}), ...(reg.protect ? { protect: true } : {}), ...dependencies, ...times });
      continue;
    }
    const p = planned.get(reg.urn);
    let provider = reg.provider ? engineProviderRef(reg.provider) : undefined;
    if (reg.type === "pulumi-nodejs:dynamic:Resource" && !provider) {
      if (!dynamicProviderAdded) {
        resources.push({ urn: dynamicProviderUrn, custom: true, id: dynamicProviderId, type: DYNAMIC_PROVIDER_TYPE, ...times });
        dynamicProviderAdded = true;
      }
      provider = `${dynamicProviderUrn}::${dynamicProviderId}`;
    }
    let inputs: Record<string, unknown>;
    let outputs: Record<string, unknown>;
    if (reg.type.startsWith("pulumi:providers:")) {
      // Provider config is stored as strings, with the plugin version the engine resolved.
      inputs = { ...reg.state, ...(reg.type === "pulumi:providers:azuread" ? { version: azureadVersion() } : {}) };
      outputs = { ...inputs };
    } else {
      const inputKeys = new Set([...Object.keys(p?.inputs ?? reg.state), ...("__provider" in reg.state ? ["__provider"] : [])]);
      inputs = Object.fromEntries(Object.entries(reg.state).filter(([k]) => inputKeys.has(k)));
      outputs = { ...reg.state, ...(reg.type.startsWith("azuread:") ? { id: reg.id } : {}) };
      if (!options.keepProviderCode && typeof reg.state.__provider === "string") {
        inputs.__provider = outputs.__provider = elideProviderCode(reg.state.__provider);
      }
      if (reg.type === "azuread:index/appRoleAssignment:AppRoleAssignment") {
        const name = groupNames.get(String(inputs.principalObjectId ?? "").toLowerCase());
        if (name) outputs.principalDisplayName = name;
      }
      for (const key of reg.additionalSecretOutputs) {
        if (key in outputs && !isSerializedSecret(outputs[key])) outputs[key] = { [SIG_KEY]: SIG.secret, value: outputs[key] };
      }
    }
    resources.push({
      ...base,
      inputs: store(sortKeys(inputs)),
      outputs: store(sortKeys(outputs)),
      ...(parent ? { parent } : {}),
      ...(reg.protect ? { protect: true } : {}),
      ...dependencies,
      ...(provider ? { provider } : {}),
      ...propertyDependencies,
      ...(reg.additionalSecretOutputs.length ? { additionalSecretOutputs: [...reg.additionalSecretOutputs] } : {}),
      ...times,
    });
  }
  if (!resources.some((r) => r.urn === stackUrn)) throw new Error(`the run registered no root stack ${stackUrn}`);

  // Partial states, made the way an interrupted or failing `pulumi up` leaves them.
  const byName = (name: string) => resources.find((r) => String(r.urn).endsWith(`::${name}`));
  const pending: Record<string, unknown>[] = [];
  for (const name of options.interrupted ?? []) {
    const r = byName(name);
    if (!r) throw new Error(`--interrupted ${name}: no such resource in the run`);
    const { id: _id, outputs: _outputs, created: _c, modified: _m, ...atStart } = r;
    pending.push({ resource: atStart, type: "creating" });
  }
  let kept = resources;
  if (pending.length > 0) {
    // What depended on an interrupted resource was never created; an interrupted run registered no outputs.
    const gone = new Set(pending.map((o) => (o.resource as { urn: string }).urn));
    let changed = true;
    while (changed) {
      changed = false;
      for (const r of kept) {
        if (!gone.has(r.urn as string) && ((r.dependencies as string[] | undefined) ?? []).some((d) => gone.has(d))) {
          gone.add(r.urn as string);
          changed = true;
        }
      }
    }
    kept = kept.filter((r) => !gone.has(r.urn as string)).map((r) => (r.custom ? r : (({ outputs: _o, ...rest }) => rest)(r)));
  }
  for (const [name, errors] of Object.entries(options.initErrors ?? {})) {
    const r = kept.find((x) => String(x.urn).endsWith(`::${name}`));
    if (!r) throw new Error(`--init-error ${name}: no such resource in the state`);
    r.initErrors = [...errors];
  }

  const deployment = {
    manifest: { time, magic: createHash("sha256").update(version).digest("hex"), version },
    secrets_providers: { type: "passphrase", state: { salt: crypter.salt() } },
    resources: kept,
    ...(pending.length ? { pending_operations: pending } : {}),
  };
  return options.envelope === "checkpoint"
    ? { version: 3, checkpoint: { stack: `organization/${run.project}/${run.stack}`, latest: deployment } }
    : { version: 3, deployment };
}

export interface StackFixtureOptions extends StateFixtureOptions {
  /** Directory holding `Pulumi.<stack>.yaml`. Defaults to the repository root. */
  readonly dir?: string;
  /** Values for `secure:` config keys (`project:key` → value); the stack file's ciphertext cannot be decrypted offline. */
  readonly secretValues?: Readonly<Record<string, string>>;
}

/** Plans a stack in mode "apply" and returns its state. Runs must not overlap (Pulumi's runtime is global). */
export async function makeStackStateFixture(stack: string, options: StackFixtureOptions = {}): Promise<Record<string, unknown>> {
  const stackConfig = readStackFile(stack, options.dir ?? REPO_ROOT, PROJECT);
  const config = { ...stackConfig.config };
  for (const [key, value] of Object.entries(options.secretValues ?? {})) {
    if (!stackConfig.secretKeys.includes(key)) throw new Error(`${key} is not a secure value in ${path.basename(stackConfig.file)}; secure keys: ${stackConfig.secretKeys.join(", ") || "none"}`);
    config[key] = value;
  }
  const { result: run, registered } = await captureRegistrations(() => runOffline({ project: PROJECT, stack, config, secretKeys: stackConfig.secretKeys, mode: "apply" }));
  return makeStateFixture(run, registered, options);
}

/** Pulumi's CLI writes state JSON with four-space indentation. */
export const serializeState = (state: unknown): string => `${JSON.stringify(state, null, 4)}\n`;

const USAGE = `usage: npx tsx tools/audit/make-state-fixture.ts <stack> [options]
  --dir <dir>                   where Pulumi.<stack>.yaml is (default: the repository root)
  --envelope export|checkpoint  pulumi stack export (default) or the local-files backend's stack file
  --show-secrets                secrets as plaintext, like \`pulumi stack export --show-secrets\`
  --time <RFC 3339>             manifest time and resources' modified time (default ${DEFAULT_TIME})
  --created <RFC 3339>          resources' created time (default: --time)
  --interrupted <name>          creation of this resource was interrupted (repeatable)
  --init-error <name>=<message> a create error recorded on this resource (repeatable)
  --secret-from-env <key>=<VAR> value of a secure config key, read from environment variable VAR (repeatable)
  --out <file>                  write here instead of stdout`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: "string" },
      envelope: { type: "string", default: "export" },
      "show-secrets": { type: "boolean", default: false },
      time: { type: "string" },
      created: { type: "string" },
      interrupted: { type: "string", multiple: true },
      "init-error": { type: "string", multiple: true },
      "secret-from-env": { type: "string", multiple: true },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || positionals.length !== 1) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (values.envelope !== "export" && values.envelope !== "checkpoint") throw new Error(`--envelope: expected export or checkpoint, got ${values.envelope}`);
  const initErrors: Record<string, string[]> = {};
  for (const spec of values["init-error"] ?? []) {
    const i = spec.indexOf("=");
    if (i < 1) throw new Error(`--init-error: expected <name>=<message>, got ${spec}`);
    (initErrors[spec.slice(0, i)] ??= []).push(spec.slice(i + 1));
  }
  const secretValues: Record<string, string> = {};
  for (const spec of values["secret-from-env"] ?? []) {
    const [key, variable] = spec.split("=");
    const value = variable ? process.env[variable] : undefined;
    if (!key || !variable || value === undefined) throw new Error(`--secret-from-env: expected <key>=<VAR> with VAR set in the environment, got ${spec}`);
    secretValues[key.includes(":") ? key : `${PROJECT}:${key}`] = value;
  }
  const state = await makeStackStateFixture(positionals[0], {
    dir: values.dir,
    envelope: values.envelope,
    secrets: values["show-secrets"] ? "plaintext" : "ciphertext",
    time: values.time,
    createdTime: values.created,
    interrupted: values.interrupted,
    initErrors,
    secretValues,
  });
  if (values.out) {
    mkdirSync(path.dirname(values.out), { recursive: true });
    writeFileSync(values.out, serializeState(state));
  } else process.stdout.write(serializeState(state));
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`error: ${(e as Error).message}\n`);
      process.exit(2);
    },
  );
}
