/**
 * The dynamic provider's methods called directly, over real HTTP against the local Graph emulator —
 * and once more after Pulumi's function serialization, as the dynamic-provider host runs them.
 */
import * as pulumi from "@pulumi/pulumi";
import { rouseSales } from "../catalog/rouse-sales";
import { mergeObjectMappings, ResolvedObjectMapping } from "../mappings/merge";
import { rouseSalesJobSchema } from "../../test/graph-emulator";
import { useGraphEmulator } from "../../test/graph-emulator/jest-lifecycle";
import { GRAPH_TOKEN_ENV } from "./graph-client";
import { describeSliceChanges, withoutOwnedFields } from "./slice";
import { createSynchronizationSchemaProvider, RESOURCE_KIND, SynchronizationSchemaInputs, SynchronizationSchemaOutputs } from "./synchronization-schema";

const TOKEN = "emulator-token-7c1e";
const TENANT = "11111111-2222-3333-4444-555555555555";
const SP = "00000000-0000-0000-0000-0000000000cc";

const graph = useGraphEmulator(TOKEN);
let counter = 0;
const provider = createSynchronizationSchemaProvider({ retry: { maxRetries: 4, retryDelayInMs: 1, maxRetryDelayInMs: 5 }, requestTimeoutMs: 300 });
beforeEach(() => {
  graph.emulator.clearFaults();
  graph.emulator.resetCalls();
});

function newJob(options: { notFoundForFirstCalls?: number; filterOperators?: { name: string; arity: string }[] } = {}): string {
  const jobId = `rousesales.0a1b2c3d.${String(++counter).padStart(8, "0")}`;
  return graph.emulator.addJob({ servicePrincipalId: SP, jobId, schema: rouseSalesJobSchema(jobId), ...options });
}

const preset = (): ResolvedObjectMapping[] => mergeObjectMappings(rouseSales, {}).mappings;
/** The preset with users' mappings and scoping filter changed. */
function declare(change: { source?: Record<string, string>; scoping?: ResolvedObjectMapping["scopingFilter"]; enabled?: boolean } = {}): ResolvedObjectMapping[] {
  return preset().map((om) => ({
    ...om,
    enabled: change.enabled ?? om.enabled,
    attributeMappings: om.attributeMappings.map((m) => (change.source?.[m.target] ? { ...m, source: change.source[m.target] } : m)),
    scopingFilter: change.scoping ?? om.scopingFilter,
  }));
}
const inputs = (job: string, objectMappings: ResolvedObjectMapping[]): SynchronizationSchemaInputs => ({ resourceKind: RESOURCE_KIND, tenantId: TENANT, synchronizationJobId: job, objectMappings, graphBaseUrl: graph.emulator.baseUrl });
const SALES = [{ name: "Sales only", clauses: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }] }];

async function created(job: string, slice: ResolvedObjectMapping[]): Promise<SynchronizationSchemaOutputs> {
  const result = await provider.create(inputs(job, slice));
  return result.outs!;
}

describe("create", () => {
  test("on a job created moments ago (404s) with the preset: the template already matches, so one read and no write", async () => {
    const job = newJob({ notFoundForFirstCalls: 2 });
    const before = graph.emulator.schemaText(job);
    const result = await provider.create(inputs(job, preset()));
    expect(result.id).toBe(`${job}/schema`);
    expect(graph.emulator.calls.map((c) => `${c.method} ${c.status}`)).toEqual(["GET 404", "GET 404", "GET 200"]);
    expect(graph.emulator.schemaText(job)).toBe(before);
    expect(result.outs).toMatchObject({ resourceKind: RESOURCE_KIND, tenantId: TENANT, synchronizationJobId: job, operatorNames: {} });
    expect(result.outs!.objectMappings[0].name).toBe("Synchronize Azure Active Directory Users to Rouse Sales");
    expect(describeSliceChanges(result.outs!.objectMappings, preset())).toEqual([]);
  });

  test("with a changed mapping and a scoping filter: schema GET, filterOperators GET, one PUT; only the slice changes", async () => {
    const job = newJob();
    const before = graph.emulator.schema(job);
    const slice = declare({ source: { externalId: "[objectId]" }, scoping: SALES });
    const outs = await created(job, slice);
    expect(graph.emulator.calls.map((c) => `${c.method} ${c.path.slice(job.length)} ${c.status}`)).toEqual(["GET /schema 200", "GET /schema/filterOperators 200", "PUT /schema 204"]);
    const after = graph.emulator.schema(job);
    expect(JSON.stringify(withoutOwnedFields(after, slice))).toBe(JSON.stringify(withoutOwnedFields(before, slice)));
    const users = after.synchronizationRules[0].objectMappings[0];
    expect(users.attributeMappings.find((m: { targetAttributeName: string }) => m.targetAttributeName === "externalId").source).toEqual({ expression: "[objectId]", name: "objectId", parameters: [], type: "Attribute" });
    expect(users.scope.groups).toEqual([{ name: "Sales only", clauses: [{ operatorName: "EQUALS", sourceOperandName: "department", targetOperand: { values: ["Sales"] } }] }]);
    expect(outs.operatorNames).toEqual({ EQUALS: "EQUALS" });
    expect(JSON.parse(outs.priorSlice)[0].fields.scope).toBeNull();
  });

  test("an operator the job does not advertise fails clearly and writes nothing", async () => {
    const job = newJob();
    const before = graph.emulator.schemaText(job);
    await expect(provider.create(inputs(job, declare({ scoping: [{ name: "x", clauses: [{ attribute: "mail", operator: "ENDS_WITH", values: ["@contoso.com"] }] }] })))).rejects.toThrow(
      /scoping filter operators: "ENDS_WITH" is not offered by this job\. The job offers: EQUALS, IS FALSE/,
    );
    expect(graph.emulator.count("PUT")).toBe(0);
    expect(graph.emulator.schemaText(job)).toBe(before);
  });

  test("an object mapping the job's schema does not have fails clearly and writes nothing", async () => {
    const job = newJob();
    const before = graph.emulator.schemaText(job);
    const slice = [{ ...preset()[0], sourceObjectName: "Contact", targetObjectName: "Contact", name: "Contacts" }];
    await expect(provider.create(inputs(job, slice))).rejects.toThrow(/the job's schema has no object mapping "Contacts" \(Contact → Contact\)/);
    expect(graph.emulator.count("PUT")).toBe(0);
    expect(graph.emulator.schemaText(job)).toBe(before);
  });
});

describe("diff is local", () => {
  test("no Graph call; no change for what was applied; replace when the job changes; update when the slice does", async () => {
    const job = newJob();
    const outs = await created(job, declare({ scoping: SALES }));
    graph.emulator.resetCalls();
    expect(await provider.diff!(outs.synchronizationJobId, outs, inputs(job, declare({ scoping: SALES })))).toMatchObject({ changes: false, replaces: [] });
    expect(await provider.diff!(outs.synchronizationJobId, outs, inputs(job, declare({ scoping: SALES, source: { externalId: "[objectId]" } })))).toMatchObject({ changes: true, replaces: [] });
    expect(await provider.diff!(outs.synchronizationJobId, outs, inputs(job, declare()))).toMatchObject({ changes: true, replaces: [] });
    const otherJob = { ...inputs(job, declare({ scoping: SALES })), synchronizationJobId: `${job}x` };
    expect(await provider.diff!(outs.synchronizationJobId, outs, otherJob)).toMatchObject({ changes: true, replaces: ["synchronizationJobId"] });
    const unknownJob = { ...otherJob, synchronizationJobId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" };
    expect(await provider.diff!(outs.synchronizationJobId, outs, unknownJob)).toMatchObject({ changes: true, replaces: ["synchronizationJobId"] });
    expect(graph.emulator.count()).toBe(0);
  });
});

describe("update", () => {
  test("a mapping change is one schema read and one schema write; operator names are not fetched again", async () => {
    const job = newJob();
    const outs = await created(job, declare({ scoping: SALES }));
    graph.emulator.resetCalls();
    const next = await provider.update!(outs.synchronizationJobId, outs, inputs(job, declare({ scoping: SALES, source: { externalId: "[objectId]" } })));
    expect(graph.emulator.calls.map((c) => `${c.method} ${c.path.slice(job.length)}`)).toEqual(["GET /schema", "PUT /schema"]);
    expect(next.outs!.priorSlice).toBe(outs.priorSlice);
  });

  test("an update that changes nothing writes nothing", async () => {
    const job = newJob();
    const outs = await created(job, declare({ scoping: SALES }));
    graph.emulator.resetCalls();
    await provider.update!(outs.synchronizationJobId, outs, inputs(job, declare({ scoping: SALES })));
    expect(graph.emulator.calls.map((c) => c.method)).toEqual(["GET"]);
  });

  test("an object mapping that joins the slice is recorded then; one that leaves it gets its recorded fields back", async () => {
    const job = newJob();
    const original = graph.emulator.schema(job);
    const groups = { key: "groups" as const, name: "Synchronize Microsoft Entra groups to Rouse Sales", sourceObjectName: "Group", targetObjectName: "urn:ietf:params:scim:schemas:core:2.0:Group", enabled: true, attributeMappings: [], scopingFilter: [] };
    const outs = await created(job, preset());
    const withGroups = await provider.update!(outs.synchronizationJobId, outs, inputs(job, [...preset(), groups]));
    const groupsNow = graph.emulator.schema(job).synchronizationRules[0].objectMappings[1];
    expect(groupsNow).toMatchObject({ enabled: true, attributeMappings: [] });
    expect(JSON.parse(withGroups.outs!.priorSlice).map((r: { sourceObjectName: string }) => r.sourceObjectName)).toEqual(["User", "Group"]);
    const without = await provider.update!(outs.synchronizationJobId, withGroups.outs!, inputs(job, preset()));
    expect(graph.emulator.schemaText(job)).toBe(JSON.stringify(original));
    expect(JSON.parse(without.outs!.priorSlice).map((r: { sourceObjectName: string }) => r.sourceObjectName)).toEqual(["User"]);
  });
});

describe("read reports drift", () => {
  test("an edit in the portal shows in the slice read back, and diff then asks for an update", async () => {
    const job = newJob();
    const slice = declare({ scoping: SALES });
    const outs = await created(job, slice);
    const unchanged = await provider.read!(outs.synchronizationJobId, outs);
    expect(describeSliceChanges(unchanged.props!.objectMappings, slice)).toEqual([]);

    const edited = graph.emulator.schema(job);
    const users = edited.synchronizationRules[0].objectMappings[0];
    users.attributeMappings[0].source = { expression: "[mail]", name: "mail", parameters: [], type: "Attribute" };
    users.scope.groups[0].clauses[0].targetOperand.values = ["Marketing"];
    graph.emulator.setSchema(job, edited);
    graph.emulator.resetCalls();

    const drifted = await provider.read!(outs.synchronizationJobId, outs);
    expect(graph.emulator.calls.map((c) => c.method)).toEqual(["GET"]);
    expect(drifted.id).toBe(outs.synchronizationJobId);
    expect(describeSliceChanges(drifted.props!.objectMappings, slice)).toEqual([
      "users.attributeMappings: userName: source [mail] → [userPrincipalName]",
      "users.scopingFilter: Sales only(department EQUALS Marketing) → Sales only(department EQUALS Sales)",
    ]);
    expect(await provider.diff!(outs.synchronizationJobId, drifted.props!, inputs(job, slice))).toMatchObject({ changes: true });
    // And the next update puts the declared slice back.
    await provider.update!(outs.synchronizationJobId, drifted.props!, inputs(job, slice));
    expect(describeSliceChanges((await provider.read!(outs.synchronizationJobId, outs)).props!.objectMappings, slice)).toEqual([]);
  });

  test("a job that no longer exists reads as gone", async () => {
    const job = newJob();
    const outs = await created(job, preset());
    await expect(provider.read!(outs.synchronizationJobId, { ...outs, synchronizationJobId: `${job}-deleted` })).resolves.toEqual({});
  });
});

describe("delete", () => {
  test("restores the owned slice recorded before the first write, byte for byte", async () => {
    const job = newJob();
    const original = graph.emulator.schemaText(job);
    const outs = await created(job, declare({ source: { externalId: "[objectId]", userName: "[mail]" }, scoping: SALES, enabled: false }));
    expect(graph.emulator.schemaText(job)).not.toBe(original);
    await provider.delete!(outs.synchronizationJobId, outs);
    expect(graph.emulator.schemaText(job)).toBe(original);
  });

  test("keeps what others changed outside the slice meanwhile", async () => {
    const job = newJob();
    const outs = await created(job, declare({ scoping: SALES }));
    const edited = graph.emulator.schema(job);
    edited.synchronizationRules[1].metadata.push({ key: "changedInPortal", value: "true" });
    graph.emulator.setSchema(job, edited);
    await provider.delete!(outs.synchronizationJobId, outs);
    const after = graph.emulator.schema(job);
    expect(after.synchronizationRules[1].metadata).toContainEqual({ key: "changedInPortal", value: "true" });
    expect(after.synchronizationRules[0].objectMappings[0].scope).toBeNull();
  });

  test("succeeds when the job (and its schema) is already gone", async () => {
    const job = newJob();
    const outs = await created(job, preset());
    await expect(provider.delete!(outs.synchronizationJobId, { ...outs, synchronizationJobId: `${job}-deleted` })).resolves.toBeUndefined();
    expect(graph.emulator.calls.slice(-1)[0]).toMatchObject({ method: "GET", status: 404 });
  });
});

describe("faults", () => {
  test("create and update survive throttling, 5xx, dropped connections and slow responses on every call", async () => {
    const job = newJob();
    graph.emulator.inject({ method: "GET", path: "/schema", fault: { kind: "status", status: 429, retryAfterSeconds: 0 } });
    graph.emulator.inject({ method: "GET", path: "/schema", fault: { kind: "drop" } });
    graph.emulator.inject({ method: "GET", path: "/filterOperators", fault: { kind: "status", status: 503 } });
    graph.emulator.inject({ method: "PUT", path: "/schema", fault: { kind: "status", status: 500 } });
    graph.emulator.inject({ method: "PUT", path: "/schema", fault: { kind: "delay", ms: 500 } });
    const slice = declare({ scoping: SALES, source: { externalId: "[objectId]" } });
    const outs = await created(job, slice);
    expect(graph.emulator.faultsInjected).toEqual({ status: 3, drop: 1, delay: 1 });
    expect(describeSliceChanges((await provider.read!(outs.synchronizationJobId, outs)).props!.objectMappings, slice)).toEqual([]);

    graph.emulator.inject({ method: "GET", path: "/schema", fault: { kind: "status", status: 502 } });
    graph.emulator.inject({ method: "PUT", path: "/schema", fault: { kind: "status", status: 429 } });
    const changed = declare({ scoping: SALES, source: { externalId: "[mailNickname]" } });
    await provider.update!(outs.synchronizationJobId, outs, inputs(job, changed));
    expect(describeSliceChanges((await provider.read!(outs.synchronizationJobId, outs)).props!.objectMappings, changed)).toEqual([]);
  });

  test.each([
    ["PUT keeps failing with 503", { method: "PUT", path: "/schema", fault: { kind: "status", status: 503 }, times: Infinity }, /Graph PUT .*\/schema failed: HTTP 503 ServiceUnavailable: .*after 5 attempts/],
    ["PUT is rejected (400)", { method: "PUT", path: "/schema", fault: { kind: "status", status: 400, code: "BadRequest", message: "Invalid attribute mapping" } }, /HTTP 400 BadRequest: Invalid attribute mapping \(after 1 attempt/],
    ["GET is forbidden (403)", { method: "GET", path: "/schema", fault: { kind: "status", status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } }, /HTTP 403 Authorization_RequestDenied: .*Synchronization\.ReadWrite\.All/],
    ["connections keep dropping", { path: "/schema", fault: { kind: "drop" }, times: Infinity }, /socket hang up \(ECONNRESET\), after 5 attempts/],
  ] as const)("a permanent fault (%s) fails clearly and leaves the schema byte for byte unchanged", async (_label, rule, message) => {
    const job = newJob();
    const before = graph.emulator.schemaText(job);
    graph.emulator.inject(rule);
    await expect(provider.create(inputs(job, declare({ source: { externalId: "[objectId]" } })))).rejects.toThrow(message);
    expect(graph.emulator.schemaText(job)).toBe(before);
  });
});

describe("check", () => {
  test("reports invalid expressions, unknown operators and malformed ids without calling Graph", async () => {
    const bad = inputs("/servicePrincipals/not-a-guid/synchronization/jobs/x", declare({ source: { externalId: 'Join(" ", [givenName]' }, scoping: [{ name: "x", clauses: [{ attribute: "mail", operator: "LIKE", values: ["a"] }] }] }));
    const { failures } = await provider.check!(bad, { ...bad, tenantId: "tenant" });
    expect(failures).toEqual([
      { property: "tenantId", reason: 'expected a tenant id (GUID), got "tenant"' },
      { property: "synchronizationJobId", reason: expect.stringMatching(/^expected \/servicePrincipals\/\{objectId\}/) },
      { property: "objectMappings", reason: expect.stringMatching(/^users\.attributeMappings\[externalId\]\.source: invalid expression: Join\( opened at position 1/) },
      { property: "objectMappings", reason: 'users.scopingFilter[x]: unknown operator "LIKE"' },
    ]);
    const good = inputs(newJob(), preset());
    expect((await provider.check!(good, good)).failures).toEqual([]);
    expect(graph.emulator.count()).toBe(0);
  });
});

describe("after Pulumi's function serialization", () => {
  test("the serialized provider holds no token and still works against Graph", async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false });
    expect(serialized.containsSecrets).toBe(false);
    expect(serialized.text).not.toContain(TOKEN);
    expect(serialized.text).toMatch(/require\("@azure\/core-rest-pipeline"\)/);
    // What the dynamic-provider host does with the `__provider` string.
    const requireFromString: (code: string) => any = require("require-from-string");
    const revived: typeof provider = requireFromString(serialized.text).handler();
    // The revived code runs outside jest's sandbox, so it sees the real process environment, as the
    // dynamic-provider host would: put the test token there.
    const hostEnv: NodeJS.ProcessEnv = requireFromString("module.exports = process.env");
    hostEnv[GRAPH_TOKEN_ENV] = TOKEN;
    const job = newJob();
    const slice = declare({ source: { externalId: "[objectId]" }, scoping: SALES });
    const outs = (await revived.create(inputs(job, slice))).outs!;
    expect(describeSliceChanges(outs.objectMappings, slice)).toEqual([]);
    await revived.delete!(outs.synchronizationJobId, outs);
    expect(graph.emulator.schemaText(job)).toBe(JSON.stringify(rouseSalesJobSchema(job.split("/").pop()!)));
    // Errors keep their messages, which the host reports (the serializer rebuilds Error subclasses as
    // plain functions, so these are not real Error objects any more; only the message travels).
    const unknownOperator = declare({ scoping: [{ name: "x", clauses: [{ attribute: "mail", operator: "ENDS_WITH", values: ["x"] }] }] });
    await expect(revived.create(inputs(newJob(), unknownOperator))).rejects.toMatchObject({ message: expect.stringMatching(/"ENDS_WITH" is not offered by this job/) });
    await expect(revived.create(inputs(`${job}-missing`, slice))).rejects.toMatchObject({ message: expect.stringMatching(/^Graph GET .*-missing\/schema failed: HTTP 404 Request_ResourceNotFound/) });
    delete hostEnv[GRAPH_TOKEN_ENV];
  });
});
