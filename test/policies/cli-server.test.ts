/**
 * The same rules under the real CrossGuard server: policies/index.ts is started the way the Pulumi CLI
 * starts a policy pack (`run-policy-pack`, TypeScript compiled and type-checked by ts-node, the
 * PolicyPack's gRPC server listening), and the test plays the engine: it reads the pack's metadata,
 * configures it with the reconciled config, and asks it to analyze every resource and the stack of
 * offline runs. Its diagnostics must be exactly the offline runner's violations.
 */
import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import type { PolicyViolationRecord } from "../../tools/plan/document";
import type { OfflineRun, PlannedResource } from "../../tools/plan/harness";
import { planStack, REPO_ROOT } from "../../tools/plan/plan-stack";
import { UNKNOWN_SENTINELS } from "../../policies/lib/values";
import { evaluatePolicies, resolvePolicyConfig } from "../../policies/runner";
import { POLICIES } from "../../policies/rules";
import { app, FakeResource, urnOf } from "./support";

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const LEVEL_TO_PB: Record<string, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const LEVEL_FROM_PB = ["advisory", "mandatory", "disabled", "remediate"];

let server: ChildProcess;
let client: any;

const call = <T>(method: string, request: unknown): Promise<T> =>
  new Promise((resolve, reject) => client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));

beforeAll(async () => {
  server = spawn(process.execPath, [path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), "127.0.0.1:0", "."], {
    cwd: path.join(REPO_ROOT, "policies"),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  server.stderr!.on("data", (d) => (stderr += d));
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout!.once("data", (d) => resolve(Number(String(d).trim().split("\n")[0])));
    server.once("exit", (code) => reject(new Error(`the policy pack exited with ${code}: ${stderr}`)));
  });
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120000);

afterAll(() => {
  client?.close();
  if (server && server.exitCode === null) server.kill();
});

/** What the engine sends: plan values with "(computed)" as Pulumi's unknown sentinel. */
function wire(v: unknown): unknown {
  if (v === "(computed)") return UNKNOWN_SENTINELS.string;
  if (Array.isArray(v)) return v.map(wire);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wire(x)]));
  return v;
}
function options(r: PlannedResource) {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  o.setAdditionalsecretoutputsList([...r.additionalSecretOutputs]);
  if (r.parent) o.setParent(r.parent);
  return o;
}

async function configure(config: PolicyPackConfig): Promise<void> {
  const req = new analyzerPb.ConfigureAnalyzerRequest();
  const map = req.getPolicyconfigMap();
  for (const [name, c] of resolvePolicyConfig(config)) {
    const pc = new analyzerPb.PolicyConfig();
    pc.setEnforcementlevel(LEVEL_TO_PB[c.enforcementLevel]);
    pc.setProperties(Struct.fromJavaScript(c.properties));
    map.set(name, pc);
  }
  await call("configure", req);
}

/** Diagnostics as violation records; a resource's diagnostics carry no URN, the engine adds the one it asked about. */
function records(resp: any, resourceUrn?: string): PolicyViolationRecord[] {
  return resp.getDiagnosticsList().map((d: any) => {
    const description = d.getDescription();
    const message: string = d.getMessage();
    return {
      policy: d.getPolicyname(),
      enforcementLevel: LEVEL_FROM_PB[d.getEnforcementlevel()],
      ...(d.getUrn() || resourceUrn ? { urn: d.getUrn() || resourceUrn } : {}),
      // The server prefixes the policy's description to each message.
      message: message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message,
    };
  });
}

/** Everything the server reports for a run: each resource analyzed, then the stack. */
async function analyzeWithServer(run: OfflineRun, config: PolicyPackConfig): Promise<PolicyViolationRecord[]> {
  await configure(config);
  const out: PolicyViolationRecord[] = [];
  // AnalyzeRequest and AnalyzerResource carry a resource the same way.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the generated protobuf module is untyped here
  const describe = (msg: any, r: OfflineRun["resources"][number]) => {
    msg.setType(r.type);
    msg.setName(r.name);
    msg.setUrn(r.urn);
    msg.setProperties(Struct.fromJavaScript(wire(r.plainInputs)));
    msg.setOptions(options(r));
    return msg;
  };
  for (const r of run.resources) out.push(...records(await call("analyze", describe(new analyzerPb.AnalyzeRequest(), r)), r.urn));
  const stack = new analyzerPb.AnalyzeStackRequest();
  stack.setResourcesList(
    run.resources.map((r) => {
      const ar = describe(new analyzerPb.AnalyzerResource(), r);
      if (r.parent) ar.setParent(r.parent);
      ar.setDependenciesList([...r.dependsOn]);
      return ar;
    }),
  );
  out.push(...records(await call("analyzeStack", stack)));
  return out;
}

const sorted = (v: PolicyViolationRecord[]) => [...v].map((x) => JSON.stringify(x)).sort();

/** A synthetic run from the test builders (for cases no stack config produces). */
function runOf(stack: string, resources: FakeResource[]): OfflineRun {
  const planned = resources.map((r): PlannedResource => {
    const plain = JSON.parse(JSON.stringify(r.props).split(UNKNOWN_SENTINELS.string).join("(computed)"));
    return {
      urn: urnOf(r),
      type: r.type,
      name: r.name,
      custom: r.parentName !== undefined,
      ...(r.parentName ? { parent: urnOf({ type: "entra-app-provisioning:index:EnterpriseAppProvisioning", name: r.parentName, stack: r.stack }) } : {}),
      protect: r.protect ?? false,
      dependsOn: [],
      additionalSecretOutputs: [...(r.additionalSecretOutputs ?? [])],
      inputs: plain,
      plainInputs: plain,
      secretPaths: [...(r.secretPaths ?? ["credentials"])],
    };
  });
  return { project: "entra-app-provisioning", stack, mode: "preview", resources: planned, outputs: {} };
}

describe("the pack under the real CrossGuard server", () => {
  test("reports the pack's name, version and policies with their config schemas", async () => {
    const info: any = await call("getAnalyzerInfo", new Empty());
    expect(info.getName()).toBe("entra-provisioning-guardrails");
    expect(info.getVersion()).toBe("0.1.0");
    expect(info.getSupportsconfig()).toBe(true);
    const policies = info.getPoliciesList().map((p: any) => ({
      name: p.getName(),
      level: LEVEL_FROM_PB[p.getEnforcementlevel()],
      schema: p.getConfigschema()?.getProperties()?.toJavaScript() ?? {},
    }));
    expect(policies).toEqual(POLICIES.map((p) => ({ name: p.name, level: p.enforcementLevel, schema: p.configSchema?.properties ?? {} })));
  });

  const cases: [string, () => Promise<OfflineRun>, PolicyPackConfig][] = [
    ["dev, as shipped", async () => (await planStack("dev")).run, {}],
    ["dev, with a stricter threshold and recipient domain", async () => (await planStack("dev")).run, { "deletion-threshold-is-on": { maxThreshold: 10 }, "failure-notifications-are-on": { allowedRecipientDomains: ["fabrikam.example"] } }],
    ["prod after deployment, with config.prod.json", async () => (await planStack("prod", { mode: "apply" })).run, require(path.join(REPO_ROOT, "policies", "config.prod.json"))],
    ["a fixture without a matching attribute", async () => (await planStack("dev-matching-removed", { dir: path.join(REPO_ROOT, "test", "fixtures", "policy") })).run, {}],
    ["a fixture writing a token for an OAuth app", async () => (await planStack("dev-rouse-token-mode", { dir: path.join(REPO_ROOT, "test", "fixtures", "policy") })).run, {}],
    ["an unprotected production app, some rules advisory", async () => (await planStack("prod-unprotected", { dir: path.join(REPO_ROOT, "test", "fixtures", "policy") })).run, { all: "advisory" }],
    ["unknown credentials in a preview (rules that need them cannot run)", async () => runOf("dev", app().map((r) => (r.name === "rouse-sales-settings" ? { ...r, props: { ...r.props, credentials: "(computed)" } } : r))), {}],
    ["a schema for another app's job, once ids are known", async () => runOf("dev", [...app({ name: "a", known: true }), ...app({ name: "b", known: true, spObjectId: "9f8e7d6c-5555-4666-8777-888899990000" }).map((r) => (r.name === "b-schema" ? { ...r, props: { ...r.props, synchronizationJobId: "/servicePrincipals/0a0b0c0d-1111-4222-8333-444455556666/synchronization/jobs/x.0a0b0c0d111142228333444455556666.7f3a1041-a5df-4479-aee2-4e2703952a17" } } : r))]), {}],
  ];

  test.each(cases)("%s: the server and the offline runner report the same", async (_name, makeRun, config) => {
    const run = await makeRun();
    expect(run.error).toBeUndefined();
    const offline = evaluatePolicies(run, config).violations;
    const online = await analyzeWithServer(run, config);
    expect(sorted(online)).toEqual(sorted(offline));
    if (_name !== "dev, as shipped" && !_name.startsWith("prod after")) expect(offline.length).toBeGreaterThan(0);
  });
});
