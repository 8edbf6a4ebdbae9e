/**
 * Graph calls made by the SynchronizationSchema provider, measured against the local Graph emulator,
 * next to a naive "read everything, write everything" implementation; then the fault-survival and
 * no-loss figures of random read-modify-write rounds.
 *
 *   npx tsx bench/schema-calls.bench.ts [--runs 250] [--rounds-per-run 4] [--seed 42]
 *
 * Every number printed is counted by the emulator or by the round runner; none is computed.
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { rouseSales } from "../components/catalog/rouse-sales";
import { mergeObjectMappings, ResolvedObjectMapping } from "../components/mappings/merge";
import { GRAPH_TOKEN_ENV } from "../components/schema/graph-client";
import { createSynchronizationSchemaProvider, RESOURCE_KIND, SynchronizationSchemaInputs, SynchronizationSchemaOutputs } from "../components/schema/synchronization-schema";
import { GraphEmulator, rouseSalesJobSchema } from "../test/graph-emulator";
import { runReadModifyWriteRounds } from "../test/schema/rounds";

const { values: flags } = parseArgs({ options: { runs: { type: "string", default: "250" }, "rounds-per-run": { type: "string", default: "4" }, seed: { type: "string" } } });
const TOKEN = "bench-emulator-token";
const TENANT = "11111111-2222-3333-4444-555555555555";
const SP = "00000000-0000-0000-0000-0000000000ff";
const RETRY = { maxRetries: 4, retryDelayInMs: 1, maxRetryDelayInMs: 4 };

interface Counts {
  reads: number;
  writes: number;
  other: number;
}

function counts(emulator: GraphEmulator): Counts {
  const reads = emulator.calls.filter((c) => c.method === "GET").length;
  const writes = emulator.calls.filter((c) => c.method === "PUT").length;
  return { reads, writes, other: emulator.calls.length - reads - writes };
}

/**
 * The naive approach, for comparison: on every `pulumi up`, read the schema and the operators, have
 * Graph parse every declared expression, and PUT the whole document back, changed or not.
 */
async function naiveUp(emulator: GraphEmulator, job: string, slice: ResolvedObjectMapping[]): Promise<void> {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emulator.baseUrl}${path}`, { method, headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`naive ${method} ${path}: HTTP ${res.status}`);
    return res.status === 204 ? undefined : res.json();
  };
  const { "@odata.context": _context, ...schema } = (await call("GET", `${job}/schema`)) as Record<string, unknown>;
  await call("GET", `${job}/schema/filterOperators`);
  for (const om of slice) for (const m of om.attributeMappings) if (m.source) await call("POST", `${job}/schema/parseExpression`, { expression: m.source });
  await call("PUT", `${job}/schema`, schema);
}

async function main(): Promise<void> {
  process.env[GRAPH_TOKEN_ENV] = TOKEN;
  const emulator = await new GraphEmulator(TOKEN).start();
  const provider = createSynchronizationSchemaProvider({ retry: RETRY, requestTimeoutMs: 2000 });
  let jobs = 0;
  const newJob = () => {
    const jobId = `rousesales.bench.${String(++jobs).padStart(6, "0")}`;
    return emulator.addJob({ servicePrincipalId: SP, jobId, schema: rouseSalesJobSchema(jobId) });
  };
  const inputs = (job: string, objectMappings: ResolvedObjectMapping[]): SynchronizationSchemaInputs => ({ resourceKind: RESOURCE_KIND, tenantId: TENANT, synchronizationJobId: job, objectMappings, graphBaseUrl: emulator.baseUrl });
  const preset = mergeObjectMappings(rouseSales, {}).mappings;
  const changed = mergeObjectMappings(rouseSales, { users: { attributes: [{ target: "externalId", source: "objectId" }], scopingFilter: [] } }).mappings;
  const scoped = mergeObjectMappings(rouseSales, { users: { attributes: [{ target: "externalId", source: "objectId" }], scopingFilter: [{ name: "Sales", clauses: [{ attribute: "department", operator: "EQUALS", value: "Sales" }] }] } }).mappings;

  /** `pulumi up` as the engine drives a dynamic resource: local diff, then update only if it says so. */
  async function up(job: string, olds: SynchronizationSchemaOutputs, slice: ResolvedObjectMapping[]): Promise<SynchronizationSchemaOutputs> {
    const diff = await provider.diff!(olds.synchronizationJobId, olds, inputs(job, slice));
    return diff.changes ? (await provider.update!(olds.synchronizationJobId, olds, inputs(job, slice))).outs! : olds;
  }
  async function measure<T>(run: () => Promise<T>): Promise<{ result: T; counts: Counts }> {
    emulator.resetCalls();
    const result = await run();
    return { result, counts: counts(emulator) };
  }
  async function naive(slice: ResolvedObjectMapping[]): Promise<Counts> {
    const job = newJob();
    return (await measure(() => naiveUp(emulator, job, slice))).counts;
  }

  const rows: [string, Counts, Counts | undefined][] = [];
  const job = newJob();
  const created = await measure(async () => (await provider.create(inputs(job, preset))).outs!);
  rows.push(["create, preset = template defaults", created.counts, await naive(preset)]);
  const noop = await measure(() => up(job, created.result, preset));
  rows.push(["pulumi up, nothing changed", noop.counts, await naive(preset)]);
  const oneMapping = await measure(() => up(job, created.result, changed));
  rows.push(["pulumi up, one mapping changed", oneMapping.counts, await naive(changed)]);
  const withScope = await measure(() => up(job, oneMapping.result, scoped));
  rows.push(["pulumi up, scoping filter added", withScope.counts, await naive(scoped)]);
  const scopeKept = await measure(() => up(job, withScope.result, mergeObjectMappings(rouseSales, { users: { attributes: [{ target: "externalId", source: "mailNickname" }], scopingFilter: [{ name: "Sales", clauses: [{ attribute: "department", operator: "EQUALS", value: "Sales" }] }] } }).mappings));
  rows.push(["pulumi up, mapping changed, filter kept", scopeKept.counts, undefined]);
  const sameInputs = await measure(() => provider.update!(scopeKept.result.synchronizationJobId, scopeKept.result, inputs(job, scopeKept.result.objectMappings)));
  rows.push(["update() called with unchanged inputs", sameInputs.counts, undefined]);
  rows.push(["pulumi refresh (read)", (await measure(() => provider.read!(job, scopeKept.result))).counts, undefined]);
  rows.push(["pulumi destroy (restore prior slice)", (await measure(() => provider.delete!(job, scopeKept.result))).counts, undefined]);

  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log("Graph requests per operation (emulator-counted; the token comes from the credential chain once per operation and is not a Graph request)\n");
  console.log(`${"operation".padEnd(42)}${pad("reads", 7)}${pad("writes", 8)}${pad("other", 7)}${pad("total", 7)}   │ naive: ${pad("reads", 5)}${pad("writes", 8)}${pad("other", 7)}${pad("total", 7)}`);
  for (const [label, ours, theirs] of rows) {
    const total = (c: Counts) => c.reads + c.writes + c.other;
    const right = theirs ? `${pad(theirs.reads, 12)}${pad(theirs.writes, 8)}${pad(theirs.other, 7)}${pad(total(theirs), 7)}` : `${pad("-", 12)}`;
    console.log(`${label.padEnd(42)}${pad(ours.reads, 7)}${pad(ours.writes, 8)}${pad(ours.other, 7)}${pad(total(ours), 7)}   │${right}`);
  }
  console.log("\n(naive = GET schema + GET filterOperators + POST parseExpression per declared expression + PUT schema, on every up)");

  // A permanent fault: the write keeps failing; the remote document must not change.
  const failing = newJob();
  const before = createHash("sha256").update(emulator.schemaText(failing)).digest("hex");
  emulator.resetCalls();
  emulator.inject({ method: "PUT", path: "/schema", fault: { kind: "status", status: 503 }, times: Infinity });
  const error = await provider.create(inputs(failing, changed)).then(
    () => "(no error)",
    (e: Error) => e.message,
  );
  emulator.clearFaults();
  const after = createHash("sha256").update(emulator.schemaText(failing)).digest("hex");
  console.log(`\nPermanent fault (PUT answers 503 for ever): ${emulator.count("PUT")} PUT attempts, then\n  ${error}\n  schema sha256 before ${before.slice(0, 16)}… after ${after.slice(0, 16)}… → ${before === after ? "unchanged" : "CHANGED"}`);

  // Random read-modify-write rounds with edits by others and transient faults.
  const started = Date.now();
  const stats = await runReadModifyWriteRounds({ provider, emulator, tenantId: TENANT, runs: Number(flags.runs), roundsPerRun: Number(flags["rounds-per-run"]), seed: flags.seed === undefined ? undefined : Number(flags.seed) });
  const injected = stats.faults.status + stats.faults.drop + stats.faults.delay;
  console.log(`\nRead-modify-write rounds (fast-check, ${((Date.now() - started) / 1000).toFixed(1)} s):`);
  console.log(`  runs ${stats.runs} (create → ${Number(flags["rounds-per-run"]) - 1} updates → delete), rounds ${stats.rounds}, rounds that wrote ${stats.writes}`);
  console.log(`  transient faults injected ${injected} (HTTP 429/5xx ${stats.faults.status}, dropped connections ${stats.faults.drop}, slow responses ${stats.faults.delay}), all survived (a failed call stops the run)`);
  console.log(`  bytes outside the owned slice compared after each round ${stats.bytesOutsideSliceCompared.toLocaleString("en-US")}, all equal (a difference stops the run)`);
  console.log(`  delete restored the recorded owned fields in ${stats.runs} runs`);
  await emulator.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
