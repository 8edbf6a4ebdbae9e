import { DOCUMENTED_FILTER_OPERATORS, GraphEmulator, rouseSalesJobSchema } from ".";

const TOKEN = "t0k3n";
const SP = "00000000-0000-0000-0000-0000000000bb";
const JOB = "scim.0a1b2c3d.000000000001";
let emulator: GraphEmulator;
let job: string;

beforeAll(async () => {
  emulator = await new GraphEmulator(TOKEN).start();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  job = emulator.addJob({ servicePrincipalId: SP, jobId: JOB, schema: rouseSalesJobSchema(JOB) });
  emulator.clearFaults();
  emulator.resetCalls();
});

/** A raw HTTP call to the emulator; JSON bodies are read as `any`. */
const call = (path: string, init: RequestInit = {}, token = TOKEN) =>
  fetch(`${emulator.baseUrl}${path}`, { ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/json", ...(init.headers ?? {}) } }) as Promise<Omit<Response, "json"> & { json(): Promise<any> }>;

test("it listens on 127.0.0.1 on an ephemeral port", () => {
  expect(emulator.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
});

test("every call needs a bearer token; errors have Graph's shape", async () => {
  const missing = await call(`${job}/schema`, {}, "");
  expect(missing.status).toBe(401);
  expect(await missing.json()).toMatchObject({ error: { code: "InvalidAuthenticationToken", message: "Access token is empty.", innerError: { "request-id": expect.any(String) } } });
  expect((await call(`${job}/schema`, {}, "other")).status).toBe(401);
});

test("schema GET adds @odata.context; PUT replaces the whole document and answers 204", async () => {
  const got = await (await call(`${job}/schema`)).json();
  expect(got["@odata.context"]).toContain("/schema/$entity");
  expect(got.synchronizationRules[0].objectMappings.map((m: { sourceObjectName: string }) => m.sourceObjectName)).toEqual(["User", "Group"]);
  const put = await call(`${job}/schema`, { method: "PUT", body: JSON.stringify({ "@odata.context": "x", directories: [], synchronizationRules: [{ name: "only" }] }) });
  expect(put.status).toBe(204);
  expect(await put.text()).toBe("");
  // What the body left out is gone (the documented "fully replaces"); OData annotations are not stored.
  expect(emulator.schema(job)).toEqual({ directories: [], synchronizationRules: [{ name: "only" }] });
});

test("a PUT that is not a valid schema is a 400 and changes nothing", async () => {
  const before = emulator.schemaText(job);
  const doc = rouseSalesJobSchema(JOB);
  (doc.synchronizationRules[0].objectMappings[0] as any).scope = { groups: [{ name: "g", clauses: [{ operatorName: "ENDS_WITH", sourceOperandName: "mail", targetOperand: { values: ["x"] } }] }] };
  for (const body of ["{not json", JSON.stringify({ directories: [] }), JSON.stringify(doc)]) {
    const res = await call(`${job}/schema`, { method: "PUT", body });
    expect(res.status).toBe(400);
  }
  expect(emulator.schemaText(job)).toBe(before);
});

test("filterOperators lists what the job advertises", async () => {
  expect((await (await call(`${job}/schema/filterOperators`)).json()).value).toEqual(DOCUMENTED_FILTER_OPERATORS);
});

test("parseExpression answers a parseExpressionResponse", async () => {
  const ok = await (await call(`${job}/schema/parseExpression`, { method: "POST", body: JSON.stringify({ expression: "Not([IsSoftDeleted])" }) })).json();
  expect(ok).toMatchObject({ parsingSucceeded: true, error: null, parsedExpression: { name: "Not", type: "Function" } });
  const bad = await (await call(`${job}/schema/parseExpression`, { method: "POST", body: JSON.stringify({ expression: "Not(" }) })).json();
  expect(bad).toMatchObject({ parsingSucceeded: false, parsedExpression: null, error: { message: expect.stringContaining("not closed") } });
});

test("secrets GET masks sensitive values as *", async () => {
  emulator.seedSecrets(SP, [
    { key: "BaseAddress", value: "https://scim.example.com" },
    { key: "SecretToken", value: "s3cr3t" },
    { key: "SyncAll", value: "false" },
  ]);
  const got = await (await call(`/servicePrincipals/${SP}/synchronization/secrets`)).json();
  expect(got.value).toEqual([
    { key: "BaseAddress", value: "https://scim.example.com" },
    { key: "SecretToken", value: "*" },
    { key: "SyncAll", value: "false" },
  ]);
});

test("job GET; unknown jobs are 404, unknown segments 400", async () => {
  expect(await (await call(job)).json()).toMatchObject({ id: JOB, templateId: "scim", schedule: { interval: "PT40M" } });
  expect((await call(`/servicePrincipals/${SP}/synchronization/jobs/nope/schema`)).status).toBe(404);
  expect((await call(`${job}/schema/nonsense`)).status).toBe(400);
});

test("a new job answers 404 to its first N calls (replication delay)", async () => {
  const fresh = emulator.addJob({ servicePrincipalId: SP, jobId: "scim.fresh", schema: rouseSalesJobSchema("scim.fresh"), notFoundForFirstCalls: 2 });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await call(`${fresh}/schema`)).status);
  expect(statuses).toEqual([404, 404, 200]);
});

test("faults are handed out to matching calls, counted, and calls are recorded by method and path", async () => {
  emulator.inject({ method: "PUT", path: "/schema", fault: { kind: "status", status: 503, retryAfterSeconds: 7 }, times: 2 });
  emulator.inject({ method: "GET", path: /filterOperators$/, fault: { kind: "drop" } });
  const first = await call(`${job}/schema`, { method: "PUT", body: "{}" });
  expect(first.status).toBe(503);
  expect(first.headers.get("retry-after")).toBe("7");
  expect((await call(`${job}/schema`, { method: "PUT", body: "{}" })).status).toBe(503);
  expect((await call(`${job}/schema`, { method: "PUT", body: "{}" })).status).toBe(400);
  await expect(call(`${job}/schema/filterOperators`)).rejects.toThrow();
  expect((await call(`${job}/schema/filterOperators`)).status).toBe(200);
  expect(emulator.faultsInjected).toEqual({ status: 2, drop: 1, delay: 0 });
  expect(emulator.count("PUT", "/schema")).toBe(3);
  expect(emulator.count("GET")).toBe(2);
  expect(emulator.calls.map((c) => c.status)).toEqual([503, 503, 400, "dropped", 200]);
});
