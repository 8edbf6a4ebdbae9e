import type { HttpClient, PipelineRequest } from "@azure/core-rest-pipeline";
import type { AccessToken, GetTokenOptions } from "@azure/identity";
import { GraphEmulator, rouseSalesJobSchema } from "../../test/graph-emulator";
import { backoffDelay, createGraphClient, GRAPH_TOKEN_ENV, GraphClient, GraphRequestError, isLoopbackUrl } from "./graph-client";

const TOKEN = "emulator-test-token";
const TENANT = "11111111-2222-3333-4444-555555555555";
const FAST = { maxRetries: 4, retryDelayInMs: 1, maxRetryDelayInMs: 5 };

let emulator: GraphEmulator;
let jobCounter = 0;
const savedToken = process.env[GRAPH_TOKEN_ENV];

beforeAll(async () => {
  emulator = await new GraphEmulator(TOKEN).start();
});
afterAll(async () => {
  await emulator.stop();
  if (savedToken === undefined) delete process.env[GRAPH_TOKEN_ENV];
  else process.env[GRAPH_TOKEN_ENV] = savedToken;
});
beforeEach(() => {
  process.env[GRAPH_TOKEN_ENV] = TOKEN;
  emulator.clearFaults();
  emulator.resetCalls();
});

function newJob(notFoundForFirstCalls = 0): string {
  jobCounter++;
  const jobId = `scim.0a1b2c3d.${String(jobCounter).padStart(12, "0")}`;
  return emulator.addJob({ servicePrincipalId: "00000000-0000-0000-0000-0000000000aa", jobId, schema: rouseSalesJobSchema(jobId), notFoundForFirstCalls });
}

const client = (extra: Partial<Parameters<typeof createGraphClient>[0]> = {}): GraphClient =>
  createGraphClient({ baseUrl: emulator.baseUrl, tenantId: TENANT, retry: FAST, requestTimeoutMs: 2000, ...extra });

describe("calls", () => {
  test("GET returns the JSON document; PUT replaces it", async () => {
    const job = newJob();
    const graph = client();
    const schema = await graph.get<any>(`${job}/schema`);
    expect(schema["@odata.context"]).toMatch(/\$metadata#/);
    expect(schema.synchronizationRules).toHaveLength(2);
    await graph.put(`${job}/schema`, { directories: [], synchronizationRules: [] });
    expect(emulator.schemaText(job)).toBe('{"directories":[],"synchronizationRules":[]}');
    expect(emulator.calls).toEqual([
      { method: "GET", path: `${job}/schema`, status: 200 },
      { method: "PUT", path: `${job}/schema`, status: 204 },
    ]);
  });

  test("a rejected request fails at once with Graph's code and message, the call, and no retry", async () => {
    const job = newJob();
    await expect(client().put(`${job}/schema`, { synchronizationRules: "no" })).rejects.toThrow(
      new RegExp(`^Graph PUT ${job.replace(/\./g, "\\.")}/schema failed: HTTP 400 BadRequest: synchronizationRules is required\\. \\(after 1 attempt, request-id [0-9a-f-]{36}\\)\\.$`),
    );
    expect(emulator.count("PUT")).toBe(1);
  });

  test("401 says which permissions the identity needs", async () => {
    const job = newJob();
    process.env[GRAPH_TOKEN_ENV] = "wrong-token";
    const error = await client()
      .get(`${job}/schema`)
      .then(() => undefined, (e: GraphRequestError) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 401, code: "InvalidAuthenticationToken", method: "GET", attempts: 1 });
    expect(error?.message).toMatch(/needs the Graph permission Synchronization\.ReadWrite\.All \(or Application\.ReadWrite\.OwnedBy as an owner of the app\) in tenant 11111111-2222/);
  });
});

describe("transient faults are survived through the pipeline's retries", () => {
  test.each([
    ["429 with Retry-After", { kind: "status", status: 429, retryAfterSeconds: 0 }, 3],
    ["429 without Retry-After", { kind: "status", status: 429 }, 3],
    ["500", { kind: "status", status: 500 }, 2],
    ["502", { kind: "status", status: 502 }, 1],
    ["503 with Retry-After", { kind: "status", status: 503, retryAfterSeconds: 0 }, 2],
    ["503", { kind: "status", status: 503 }, 2],
    ["504", { kind: "status", status: 504 }, 1],
    ["a dropped connection", { kind: "drop" }, 3],
    ["a response slower than the attempt timeout", { kind: "delay", ms: 600 }, 1],
    ["a slow response within the timeout", { kind: "delay", ms: 50 }, 1],
  ] as const)("%s", async (_label, fault, times) => {
    const job = newJob();
    emulator.inject({ path: "/schema", fault, times });
    const schema = await client({ requestTimeoutMs: fault.kind === "delay" && fault.ms > 500 ? 300 : 2000 }).get<any>(`${job}/schema`);
    expect(schema.id).toBe(job.split("/").pop());
    const slow = fault.kind === "delay" && fault.ms < 500;
    expect(emulator.count("GET", "/schema")).toBe(slow ? times : times + 1);
    expect(emulator.faultsInjected[fault.kind]).toBe(times);
  });

  test("Retry-After is honoured", async () => {
    const job = newJob();
    emulator.inject({ path: "/schema", fault: { kind: "status", status: 429, retryAfterSeconds: 1 } });
    const started = Date.now();
    await client().get(`${job}/schema`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test("404 right after creation is retried only when the caller says the object is new", async () => {
    const fresh = newJob(3);
    await expect(client().get(`${fresh}/schema`, { retryNotFound: true })).resolves.toMatchObject({ id: fresh.split("/").pop() });
    expect(emulator.calls.map((c) => c.status)).toEqual([404, 404, 404, 200]);

    emulator.resetCalls();
    const other = newJob(3);
    await expect(client().get(`${other}/schema`)).rejects.toThrow(/HTTP 404 Request_ResourceNotFound: .*after 1 attempt.*does not exist \(or has not replicated yet\)/);
    expect(emulator.count()).toBe(1);
  });
});

describe("retries are bounded and the final error says why", () => {
  test.each([
    ["503 for ever", { kind: "status", status: 503 }, /HTTP 503 ServiceUnavailable: Injected fault: HTTP 503 \(after 5 attempts/],
    ["429 for ever", { kind: "status", status: 429 }, /HTTP 429 TooManyRequests: .*after 5 attempts/],
    ["connections dropped for ever", { kind: "drop" }, /failed: socket hang up \(ECONNRESET\), after 5 attempts/],
  ] as const)("%s", async (_label, fault, message) => {
    const job = newJob();
    emulator.inject({ path: "/schema", fault, times: Infinity });
    await expect(client().get(`${job}/schema`)).rejects.toThrow(message);
    expect(emulator.count("GET")).toBe(FAST.maxRetries + 1);
  });
});

describe("tokens", () => {
  test("the test token is honoured only for loopback URLs; http elsewhere is refused", () => {
    expect(isLoopbackUrl("http://127.0.0.1:1234/v1.0")).toBe(true);
    expect(isLoopbackUrl("http://localhost/v1.0")).toBe(true);
    expect(isLoopbackUrl("https://graph.microsoft.com/v1.0")).toBe(false);
    expect(isLoopbackUrl("http://127.0.0.1.example.com/")).toBe(false);
    expect(() => createGraphClient({ baseUrl: "http://graph.example.com/v1.0", tenantId: TENANT })).toThrow(/is not https/);
    delete process.env[GRAPH_TOKEN_ENV];
    expect(() => client()).toThrow(/only a loopback emulator may use http, with a test token in ENTRA_PROVISIONING_GRAPH_TOKEN/);
  });

  test("against Graph, the bearer token comes from the credential, asked for the stack's tenant and Graph's scope; the test token is ignored", async () => {
    const asked: { scopes: string | string[]; options?: GetTokenOptions }[] = [];
    const credential = {
      async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
        asked.push({ scopes, options });
        return { token: "token-from-credential", expiresOnTimestamp: Date.now() + 3600_000 };
      },
    };
    const seen: PipelineRequest[] = [];
    const httpClient: HttpClient = {
      async sendRequest(request) {
        seen.push(request);
        return { request, status: 200, headers: request.headers, bodyAsText: '{"ok":true}' };
      },
    };
    const graph = createGraphClient({ baseUrl: "https://graph.microsoft.us/v1.0", tenantId: TENANT, credential, httpClient, retry: FAST });
    await expect(graph.get("/servicePrincipals")).resolves.toEqual({ ok: true });
    await graph.get("/servicePrincipals");
    expect(seen.map((r) => r.headers.get("authorization"))).toEqual(["Bearer token-from-credential", "Bearer token-from-credential"]);
    expect(seen[0].url).toBe("https://graph.microsoft.us/v1.0/servicePrincipals");
    expect(asked).toHaveLength(1); // cached by the pipeline's bearer token policy
    expect(asked[0].scopes).toEqual(["https://graph.microsoft.us/.default"]);
    expect(asked[0].options?.tenantId).toBe(TENANT);
  });
});

test("backoff doubles from the base delay, is capped, and jitters by at most 20 %", () => {
  const retry = { maxRetries: 8, retryDelayInMs: 100, maxRetryDelayInMs: 1000 };
  for (let i = 0; i < 200; i++) {
    const n = i % 8;
    const d = backoffDelay(n, retry);
    const nominal = Math.min(1000, 100 * 2 ** n);
    expect(d).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8));
    expect(d).toBeLessThanOrEqual(Math.ceil(nominal * 1.2));
  }
});
