/**
 * A local Microsoft Graph emulator for the synchronization endpoints the schema resource calls, over
 * real HTTP on 127.0.0.1 (ephemeral port). Behaviour follows Microsoft's documentation:
 * - `GET …/jobs/{jobId}` returns the job; `GET …/jobs/{jobId}/schema` the schema (with `@odata.context`);
 * - `PUT …/jobs/{jobId}/schema` replaces the whole schema with the body and answers 204 (a body that is
 *   not a schema, or that uses an operator or enum value the job does not know, is a 400 and changes
 *   nothing);
 * - `GET …/schema/filterOperators` lists the operators the job advertises;
 * - `POST …/schema/parseExpression` answers a parseExpressionResponse (parsed with the project's parser;
 *   expressions are not evaluated);
 * - `GET /servicePrincipals/{id}/synchronization/secrets` masks sensitive values as `"*"`;
 * - every call needs `Authorization: Bearer <token>` (401 otherwise); errors use Graph's error body.
 *
 * Test controls: jobs are seeded with a document; `notFoundForFirstCalls` makes the first N calls to a
 * job answer 404 (replication delay after creation); {@link GraphEmulator.inject} queues faults (status
 * codes with optional Retry-After, dropped connections, slow responses) for matching calls; every call
 * is recorded with its method, path and status.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { toMappingSource } from "../../components/mappings/expression";
import { DOCUMENTED_FILTER_OPERATORS } from "./fixtures";

export type Fault =
  /** Answer with this status (and Graph's error body) instead of handling the call. */
  | { readonly kind: "status"; readonly status: number; readonly retryAfterSeconds?: number; readonly code?: string; readonly message?: string }
  /** Destroy the connection without answering. */
  | { readonly kind: "drop" }
  /** Wait, then handle the call normally. */
  | { readonly kind: "delay"; readonly ms: number };

export interface FaultRule {
  /** HTTP method to match. Defaults to any. */
  readonly method?: string;
  /** Path (after the `/v1.0` prefix) to match: a suffix string or a regular expression. Defaults to any. */
  readonly path?: string | RegExp;
  readonly fault: Fault;
  /** How many matching calls get the fault. Defaults to 1; `Infinity` for a permanent fault. */
  readonly times?: number;
}

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  /** HTTP status sent; "dropped" when the connection was closed instead; "pending" until then. */
  readonly status: number | "dropped" | "pending";
  readonly fault?: Fault["kind"];
}

export interface JobSeed {
  readonly servicePrincipalId: string;
  readonly jobId: string;
  readonly templateId?: string;
  /** The job's schema document. */
  readonly schema: unknown;
  /** Operators `filterOperators` advertises. Defaults to the eight Microsoft documents. */
  readonly filterOperators?: readonly { name: string; arity: string; multivaluedComparisonType?: string; supportedAttributeTypes?: string[] }[];
  /** The first N calls to this job answer 404, as right after creation. Defaults to 0. */
  readonly notFoundForFirstCalls?: number;
}

interface Job {
  readonly seed: JobSeed;
  schemaText: string;
  notFoundRemaining: number;
}

const SENSITIVE_SECRET_KEYS = new Set([
  "Password",
  "SecretToken",
  "AppKey",
  "ClientSecret",
  "ConsumerSecret",
  "TokenKey",
  "Oauth2AccessToken",
  "Oauth2RefreshToken",
  "Oauth2ClientSecret",
  "Oauth2AuthorizationCode",
  "ConnectionString",
]);
const FLOW_TYPES = new Set(["Always", "ObjectAddOnly", "MultiValueAddOnly", "ValueAddOnly", "AttributeAddOnly"]);
const FLOW_BEHAVIORS = new Set(["FlowWhenChanged", "FlowAlways"]);

/** Graph's error body. */
function graphError(code: string, message: string) {
  return { error: { code, message, innerError: { date: new Date().toISOString(), "request-id": randomUUID(), "client-request-id": randomUUID() } } };
}

export class GraphEmulator {
  /** e.g. `http://127.0.0.1:40123/v1.0`; set by {@link start}. */
  baseUrl = "";
  readonly calls: RecordedCall[] = [];
  private readonly jobs = new Map<string, Job>();
  private readonly secrets = new Map<string, { key: string; value: string }[]>();
  private readonly faults: { rule: FaultRule; remaining: number }[] = [];
  private readonly server: http.Server;
  /** Faults handed out so far, by kind. */
  readonly faultsInjected = { status: 0, drop: 0, delay: 0 };

  constructor(private readonly token: string) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) this.send(res, 500, graphError("InternalServerError", String(e)));
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1.0`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds (or replaces) a job; returns its azuread-style id `/servicePrincipals/{sp}/synchronization/jobs/{job}`. */
  addJob(seed: JobSeed): string {
    this.jobs.set(this.key(seed.servicePrincipalId, seed.jobId), { seed, schemaText: JSON.stringify(seed.schema), notFoundRemaining: seed.notFoundForFirstCalls ?? 0 });
    return `/servicePrincipals/${seed.servicePrincipalId}/synchronization/jobs/${seed.jobId}`;
  }

  /** The stored schema document, exactly as stored (for byte-for-byte comparisons). */
  schemaText(jobPath: string): string {
    return this.jobByPath(jobPath).schemaText;
  }

  schema(jobPath: string): any {
    return JSON.parse(this.schemaText(jobPath));
  }

  /** Replaces the stored schema, as an edit in the Entra admin center would. */
  setSchema(jobPath: string, schema: unknown): void {
    this.jobByPath(jobPath).schemaText = JSON.stringify(schema);
  }

  seedSecrets(servicePrincipalId: string, pairs: { key: string; value: string }[]): void {
    this.secrets.set(servicePrincipalId, pairs.map((p) => ({ ...p })));
  }

  inject(rule: FaultRule): void {
    this.faults.push({ rule, remaining: rule.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  resetCalls(): void {
    this.calls.length = 0;
    this.faultsInjected.status = this.faultsInjected.drop = this.faultsInjected.delay = 0;
  }

  /** Calls recorded so far that match a method and a path suffix (or regular expression). */
  count(method?: string, path?: string | RegExp): number {
    return this.calls.filter((c) => (!method || c.method === method) && this.pathMatches(c.path, path)).length;
  }

  private key(sp: string, job: string): string {
    return `${sp}\u0000${job}`;
  }

  private jobByPath(jobPath: string): Job {
    const m = /^\/servicePrincipals\/([^/]+)\/synchronization\/jobs\/([^/]+)$/.exec(jobPath);
    const job = m && this.jobs.get(this.key(m[1], m[2]));
    if (!job) throw new Error(`no emulated job ${jobPath}`);
    return job;
  }

  private pathMatches(path: string, pattern: string | RegExp | undefined): boolean {
    if (pattern === undefined) return true;
    return typeof pattern === "string" ? path.endsWith(pattern) : pattern.test(path);
  }

  private send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, { ...(body === undefined ? {} : { "Content-Type": "application/json" }), "request-id": randomUUID(), ...headers });
    res.end(text);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const path = url.pathname.startsWith("/v1.0") ? url.pathname.slice("/v1.0".length) : url.pathname;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bodyText = Buffer.concat(chunks).toString("utf8");
    // Recorded on arrival, so a call whose answer is still delayed is already counted.
    const call: { method: string; path: string; status: RecordedCall["status"]; fault?: Fault["kind"] } = { method, path, status: "pending" };
    this.calls.push(call);
    const record = (status: number | "dropped", fault?: Fault["kind"]) => {
      call.status = status;
      if (fault) call.fault = fault;
    };

    const entry = this.faults.find((f) => f.remaining > 0 && (!f.rule.method || f.rule.method === method) && this.pathMatches(path, f.rule.path));
    if (entry) {
      entry.remaining--;
      const fault = entry.rule.fault;
      this.faultsInjected[fault.kind]++;
      if (fault.kind === "drop") {
        record("dropped", "drop");
        req.socket.destroy();
        return;
      }
      if (fault.kind === "status") {
        record(fault.status, "status");
        const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { "Retry-After": String(fault.retryAfterSeconds) };
        const code = fault.code ?? (fault.status === 429 ? "TooManyRequests" : fault.status >= 500 ? "ServiceUnavailable" : "BadRequest");
        this.send(res, fault.status, graphError(code, fault.message ?? `Injected fault: HTTP ${fault.status}`), headers);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (req.socket.destroyed) {
        record("dropped", "delay");
        return;
      }
      const status = this.route(method, path, bodyText, req.headers.authorization, res);
      record(status, "delay");
      return;
    }
    record(this.route(method, path, bodyText, req.headers.authorization, res));
  }

  /** Handles one call; returns the status sent. */
  private route(method: string, path: string, bodyText: string, authorization: string | undefined, res: http.ServerResponse): number {
    const reply = (status: number, body?: unknown, headers?: Record<string, string>) => {
      this.send(res, status, body, headers);
      return status;
    };
    if (authorization !== `Bearer ${this.token}`) {
      return reply(401, graphError("InvalidAuthenticationToken", authorization ? "Access token validation failure." : "Access token is empty."));
    }
    const secrets = /^\/servicePrincipals\/([^/]+)\/synchronization\/secrets$/.exec(path);
    if (secrets) {
      if (method !== "GET") return reply(405, graphError("Request_BadRequest", `${method} is not emulated for secrets`));
      const pairs = this.secrets.get(decodeURIComponent(secrets[1])) ?? [];
      return reply(200, { "@odata.context": `${this.baseUrl}/$metadata#servicePrincipals('${secrets[1]}')/synchronization/secrets`, value: pairs.map((p) => ({ key: p.key, value: SENSITIVE_SECRET_KEYS.has(p.key) ? "*" : p.value })) });
    }
    const m = /^\/servicePrincipals\/([^/]+)\/synchronization\/jobs\/([^/]+)(\/schema(\/filterOperators|\/parseExpression)?)?$/.exec(path);
    if (!m) return reply(400, graphError("BadRequest", `Resource not found for the segment '${path.split("/").pop()}'.`));
    const sp = decodeURIComponent(m[1]);
    const job = this.jobs.get(this.key(sp, decodeURIComponent(m[2])));
    if (!job) return reply(404, graphError("Request_ResourceNotFound", `Resource '${m[2]}' does not exist or one of its queried reference-property objects are not present.`));
    if (job.notFoundRemaining > 0) {
      job.notFoundRemaining--;
      return reply(404, graphError("Request_ResourceNotFound", `Resource '${m[2]}' does not exist or one of its queried reference-property objects are not present.`));
    }
    const context = (what: string) => `${this.baseUrl}/$metadata#${what}`;
    if (!m[3]) {
      if (method !== "GET") return reply(405, graphError("Request_BadRequest", `${method} is not emulated for jobs`));
      return reply(200, {
        "@odata.context": context(`servicePrincipals('${sp}')/synchronization/jobs/$entity`),
        id: job.seed.jobId,
        templateId: job.seed.templateId ?? job.seed.jobId.split(".")[0],
        schedule: { expiration: null, interval: "PT40M", state: "Disabled" },
        status: { code: "NotConfigured", countSuccessiveCompleteFailures: 0, escrowsPruned: false, lastExecution: null, quarantine: null, steadyStateFirstAchievedTime: "0001-01-01T00:00:00Z" },
        synchronizationJobSettings: [{ name: "QuarantineTooManyDeletesThreshold", value: "500" }],
      });
    }
    if (m[4] === "/filterOperators") {
      if (method !== "GET") return reply(405, graphError("Request_BadRequest", "filterOperators is GET only"));
      return reply(200, { "@odata.context": context("Collection(microsoft.graph.filterOperatorSchema)"), value: job.seed.filterOperators ?? DOCUMENTED_FILTER_OPERATORS });
    }
    if (m[4] === "/parseExpression") {
      if (method !== "POST") return reply(405, graphError("Request_BadRequest", "parseExpression is POST only"));
      let expression: unknown;
      try {
        expression = JSON.parse(bodyText).expression;
      } catch {
        return reply(400, graphError("BadRequest", "The request body is not JSON."));
      }
      if (typeof expression !== "string") return reply(400, graphError("BadRequest", "expression is required."));
      try {
        return reply(200, { "@odata.context": context("microsoft.graph.parseExpressionResponse"), error: null, evaluationResult: null, evaluationSucceeded: false, parsedExpression: toMappingSource(expression), parsingSucceeded: true });
      } catch (e) {
        return reply(200, { "@odata.context": context("microsoft.graph.parseExpressionResponse"), error: { code: "ExpressionParsingFailed", message: (e as Error).message }, evaluationResult: null, evaluationSucceeded: false, parsedExpression: null, parsingSucceeded: false });
      }
    }
    if (method === "GET") {
      return reply(200, { "@odata.context": context(`servicePrincipals('${sp}')/synchronization/jobs('${m[2]}')/schema/$entity`), ...JSON.parse(job.schemaText) });
    }
    if (method === "PUT") {
      let body: any;
      try {
        body = JSON.parse(bodyText);
      } catch {
        return reply(400, graphError("BadRequest", "The request body is not valid JSON."));
      }
      const problem = this.invalidSchema(body, job);
      if (problem) return reply(400, graphError("BadRequest", problem));
      for (const k of Object.keys(body)) if (k.startsWith("@odata.")) delete body[k];
      job.schemaText = JSON.stringify(body);
      return reply(204);
    }
    return reply(405, graphError("Request_BadRequest", `${method} is not emulated for the schema`));
  }

  private invalidSchema(body: any, job: Job): string | undefined {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return "The schema must be a JSON object.";
    if (!Array.isArray(body.synchronizationRules)) return "synchronizationRules is required.";
    if (!Array.isArray(body.directories)) return "directories is required.";
    const operators = new Set((job.seed.filterOperators ?? DOCUMENTED_FILTER_OPERATORS).map((o) => o.name));
    for (const rule of body.synchronizationRules) {
      for (const om of rule?.objectMappings ?? []) {
        for (const am of om?.attributeMappings ?? []) {
          if (typeof am?.targetAttributeName !== "string") return `An attribute mapping of '${om.name}' has no targetAttributeName.`;
          if (am.flowType !== undefined && !FLOW_TYPES.has(am.flowType)) return `Requested value '${am.flowType}' was not found (flowType of ${am.targetAttributeName}).`;
          if (am.flowBehavior !== undefined && !FLOW_BEHAVIORS.has(am.flowBehavior)) return `Requested value '${am.flowBehavior}' was not found (flowBehavior of ${am.targetAttributeName}).`;
          if (am.matchingPriority !== undefined && !Number.isInteger(am.matchingPriority)) return `matchingPriority of ${am.targetAttributeName} must be an Int32.`;
        }
        for (const group of om?.scope?.groups ?? []) {
          for (const clause of group?.clauses ?? []) {
            if (!operators.has(clause?.operatorName)) return `The filter operator '${clause?.operatorName}' is not supported.`;
          }
        }
      }
    }
    return undefined;
  }
}
