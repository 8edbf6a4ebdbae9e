/**
 * The small Microsoft Graph client the schema resource's dynamic provider uses: JSON GET/PUT on an
 * Azure SDK pipeline (@azure/core-rest-pipeline) with
 * - tokens from the Azure credential chain (`DefaultAzureCredential`: environment variables, workload
 *   identity/OIDC, managed identity, Azure CLI, …) pinned to the stack's tenant, fetched at run time;
 * - the pipeline's own retry policies for 429 with `Retry-After`, 5xx/408 and dropped connections, plus
 *   one retry strategy of ours for what Graph needs beyond that: 429 without `Retry-After`, and 404 on
 *   calls made right after the job was created (replication delay) — only where the caller says so;
 * - a per-attempt timeout that counts as a transient failure;
 * - errors that name the call, the HTTP status, Graph's error code and message, the attempts made and,
 *   for 401/403, the permissions needed.
 *
 * Runs inside Pulumi's serialized dynamic provider: packages are `require`d inside functions, so the
 * serialized code loads them from the project's node_modules at run time and captures no module state.
 * Nothing here holds a credential; the test-only static token is read from the environment per client.
 */
import type { HttpClient, PipelinePolicy, PipelineRequest, PipelineResponse, RetryStrategy } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";

/**
 * Test-only: a bearer token sent as is, honoured only when the Graph base URL is a loopback address
 * (the local Graph emulator). Never set it for real tenants; it is ignored for them.
 */
export const GRAPH_TOKEN_ENV = "ENTRA_PROVISIONING_GRAPH_TOKEN";

/** Graph v1.0 in the global cloud. */
export const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";

/** Bounds of the retries (per call). */
export interface GraphRetryOptions {
  /** Retries after the first attempt, per retry policy. Defaults to 8. */
  readonly maxRetries?: number;
  /** First backoff delay; doubles per retry, with jitter. Defaults to 1000 ms. */
  readonly retryDelayInMs?: number;
  /** Largest backoff delay (a `Retry-After` from Graph is honoured as sent). Defaults to 30000 ms. */
  readonly maxRetryDelayInMs?: number;
}

export const DEFAULT_GRAPH_RETRY: Required<GraphRetryOptions> = Object.freeze({ maxRetries: 8, retryDelayInMs: 1000, maxRetryDelayInMs: 30000 });

export interface GraphClientOptions {
  /** Graph base URL, e.g. https://graph.microsoft.com/v1.0. Must be https, except a loopback emulator. */
  readonly baseUrl: string;
  /** Entra tenant id; tokens are requested for this tenant. */
  readonly tenantId: string;
  /** Retry bounds. Defaults to {@link DEFAULT_GRAPH_RETRY}. */
  readonly retry?: GraphRetryOptions;
  /** Timeout of one attempt; a timed-out attempt is retried. Defaults to 60000 ms. */
  readonly requestTimeoutMs?: number;
  /** Token source (always asked for {@link tenantId}). Defaults to `DefaultAzureCredential`. */
  readonly credential?: TokenCredential;
  /** Transport. Defaults to the SDK's default HTTP client. */
  readonly httpClient?: HttpClient;
}

export interface GraphCallOptions {
  /** Retry 404 with backoff: the object was created moments ago and may not have replicated yet. */
  readonly retryNotFound?: boolean;
}

export interface GraphClient {
  /** GET a JSON document. */
  get<T>(path: string, options?: GraphCallOptions): Promise<T>;
  /** PUT a JSON document (Graph answers 204). */
  put(path: string, body: unknown, options?: GraphCallOptions): Promise<void>;
}

/** A Graph call that failed for good (after the retries its failure allowed). */
export class GraphRequestError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly code?: string;
  readonly attempts: number;
  constructor(init: { message: string; method: string; path: string; status?: number; code?: string; attempts: number; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    // Pulumi's function serialization turns this class into a function that calls `Error` without
    // `new`, which sets nothing on `this`: set the message and stack here so they survive.
    this.message = init.message;
    this.stack ??= new Error(init.message).stack;
    this.name = "GraphRequestError";
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.code = init.code;
    this.attempts = init.attempts;
  }
}

/** True for http(s) URLs on 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The OAuth scope for a Graph base URL: its origin + `/.default`. */
export function graphScope(baseUrl: string): string {
  return `${new URL(baseUrl).origin}/.default`;
}

/** Backoff before retry `retryCount` (0-based): exponential, capped, with ±20 % jitter. */
export function backoffDelay(retryCount: number, retry: Required<GraphRetryOptions>): number {
  const exponential = Math.min(retry.maxRetryDelayInMs, retry.retryDelayInMs * 2 ** retryCount);
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

const RETRY_AFTER_HEADERS = ["retry-after", "retry-after-ms", "x-ms-retry-after-ms"];

/**
 * Our retry strategy for what the pipeline's default policy leaves alone: 404 on calls marked
 * `retryNotFound`, and 429 without a `Retry-After` header (Graph asks for exponential backoff then).
 */
function graphTransientStrategy(retry: Required<GraphRetryOptions>, notFoundRetryable: WeakSet<PipelineRequest>): RetryStrategy {
  return {
    name: "graphTransientStrategy",
    retry({ retryCount, response }) {
      if (!response) return { skipStrategy: true };
      const replicationDelay = response.status === 404 && notFoundRetryable.has(response.request);
      const throttledWithoutHint = response.status === 429 && RETRY_AFTER_HEADERS.every((h) => !response.headers.has(h));
      if (!replicationDelay && !throttledWithoutHint) return { skipStrategy: true };
      return { retryAfterInMs: backoffDelay(retryCount, retry) };
    },
  };
}

function authPolicy(options: GraphClientOptions, loopback: boolean): PipelinePolicy {
  const rest: typeof import("@azure/core-rest-pipeline") = require("@azure/core-rest-pipeline");
  const testToken = process.env[GRAPH_TOKEN_ENV];
  if (loopback && testToken) {
    return {
      name: "testBearerTokenPolicy",
      sendRequest(request, next) {
        request.headers.set("Authorization", `Bearer ${testToken}`);
        return next(request);
      },
    };
  }
  if (new URL(options.baseUrl).protocol !== "https:") {
    throw new Error(`Graph base URL ${options.baseUrl} is not https; only a loopback emulator may use http, with a test token in ${GRAPH_TOKEN_ENV}`);
  }
  const tenantId = options.tenantId;
  let source = options.credential;
  if (!source) {
    const identity: typeof import("@azure/identity") = require("@azure/identity");
    source = new identity.DefaultAzureCredential({ tenantId, additionallyAllowedTenants: [tenantId] });
  }
  const chain = source;
  // Pin every token request to the stack's tenant, whatever AZURE_TENANT_ID or the CLI login says.
  const credential: TokenCredential = { getToken: (scopes, getTokenOptions) => chain.getToken(scopes, { ...getTokenOptions, tenantId }) };
  return rest.bearerTokenAuthenticationPolicy({ credential, scopes: graphScope(options.baseUrl) });
}

function graphErrorDetails(response: PipelineResponse): { code?: string; message?: string; requestId?: string } {
  try {
    const body = JSON.parse(response.bodyAsText ?? "");
    const error = body?.error ?? {};
    return {
      code: typeof error.code === "string" ? error.code : undefined,
      message: typeof error.message === "string" ? error.message : undefined,
      requestId: error.innerError?.["request-id"] ?? response.headers.get("request-id") ?? undefined,
    };
  } catch {
    return { message: response.bodyAsText ? response.bodyAsText.slice(0, 300) : undefined, requestId: response.headers.get("request-id") ?? undefined };
  }
}

function hintFor(status: number, tenantId: string): string {
  if (status === 401 || status === 403) {
    return ` The identity running Pulumi needs the Graph permission Synchronization.ReadWrite.All (or Application.ReadWrite.OwnedBy as an owner of the app) in tenant ${tenantId}; delegated callers also need the Application Administrator or Cloud Application Administrator role.`;
  }
  if (status === 404) return " The service principal or synchronization job does not exist (or has not replicated yet).";
  return "";
}

/** A client for one Graph base URL and tenant. Throws when the URL cannot carry a token. */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const rest: typeof import("@azure/core-rest-pipeline") = require("@azure/core-rest-pipeline");
  const retry: Required<GraphRetryOptions> = { ...DEFAULT_GRAPH_RETRY, ...options.retry };
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const loopback = isLoopbackUrl(baseUrl);
  const timeout = options.requestTimeoutMs ?? 60000;
  const notFoundRetryable = new WeakSet<PipelineRequest>();
  const attempts = new WeakMap<PipelineRequest, number>();

  // Outer: the SDK's default retry policy (429/503 with Retry-After, 5xx/408, connection errors).
  const pipeline = rest.createPipelineFromOptions({ retryOptions: retry, userAgentOptions: { userAgentPrefix: "entra-app-provisioning" } });
  // Inner: ours, for 404-after-creation and 429 without Retry-After.
  pipeline.addPolicy(rest.retryPolicy([graphTransientStrategy(retry, notFoundRetryable)], { maxRetries: retry.maxRetries }), { phase: "Retry" });
  pipeline.addPolicy(
    {
      name: "attemptTimeoutPolicy",
      async sendRequest(request, next) {
        attempts.set(request, (attempts.get(request) ?? 0) + 1);
        try {
          return await next(request);
        } catch (e) {
          // The HTTP client aborts a timed-out attempt with an AbortError, which retry policies rethrow;
          // as ETIMEDOUT it is retried like any dropped connection.
          if ((e as Error)?.name === "AbortError" && !request.abortSignal?.aborted) {
            throw new rest.RestError(`no response within ${request.timeout} ms`, { code: "ETIMEDOUT", request });
          }
          throw e;
        }
      },
    },
    { afterPhase: "Retry" },
  );
  pipeline.addPolicy(authPolicy(options, loopback), { phase: "Sign" });
  const httpClient = options.httpClient ?? rest.createDefaultHttpClient();

  async function send(method: "GET" | "PUT", path: string, body: unknown, callOptions: GraphCallOptions | undefined): Promise<PipelineResponse> {
    const call = `Graph ${method} ${path}`;
    const request = rest.createPipelineRequest({
      url: `${baseUrl}${path}`,
      method,
      timeout,
      allowInsecureConnection: loopback,
      headers: rest.createHttpHeaders(body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (callOptions?.retryNotFound) notFoundRetryable.add(request);
    let response: PipelineResponse;
    try {
      response = await pipeline.sendRequest(httpClient, request);
    } catch (e) {
      const n = attempts.get(request) ?? 1;
      const err = e as Error & { code?: string };
      throw new GraphRequestError({
        message: `${call} failed: ${err.message}${err.code ? ` (${err.code})` : ""}, after ${n} attempt${n === 1 ? "" : "s"}`,
        method,
        path,
        code: err.code,
        attempts: n,
        cause: e,
      });
    }
    if (response.status >= 400) {
      const n = attempts.get(request) ?? 1;
      const d = graphErrorDetails(response);
      throw new GraphRequestError({
        message: `${call} failed: HTTP ${response.status}${d.code ? ` ${d.code}` : ""}${d.message ? `: ${d.message}` : ""} (after ${n} attempt${n === 1 ? "" : "s"}${d.requestId ? `, request-id ${d.requestId}` : ""}).${hintFor(response.status, options.tenantId)}`,
        method,
        path,
        status: response.status,
        code: d.code,
        attempts: n,
      });
    }
    return response;
  }

  return {
    async get<T>(path: string, callOptions?: GraphCallOptions): Promise<T> {
      const response = await send("GET", path, undefined, callOptions);
      try {
        return JSON.parse(response.bodyAsText ?? "") as T;
      } catch (e) {
        throw new GraphRequestError({ message: `Graph GET ${path} returned a body that is not JSON (HTTP ${response.status})`, method: "GET", path, status: response.status, attempts: attempts.get(response.request) ?? 1, cause: e });
      }
    },
    async put(path: string, body: unknown, callOptions?: GraphCallOptions): Promise<void> {
      await send("PUT", path, body, callOptions);
    },
  };
}
