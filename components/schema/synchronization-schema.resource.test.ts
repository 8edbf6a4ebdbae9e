/**
 * What the SynchronizationSchema resource registers with the engine, under Pulumi mocks: the marker,
 * the slice, and nothing secret — not in the inputs and not in the serialized provider.
 */
import { SIG_KEY } from "../pulumi-wire";
import * as pulumi from "@pulumi/pulumi";
import { rouseSales } from "../catalog/rouse-sales";
import { mergeObjectMappings } from "../mappings/merge";
import { DEFAULT_GRAPH_BASE_URL, GRAPH_TOKEN_ENV } from "./graph-client";

const TENANT = "11111111-2222-3333-4444-555555555555";
const JOB = "/servicePrincipals/00000000-0000-0000-0000-0000000000dd/synchronization/jobs/rousesales.0a1b.0001";
const SECRET_SIGNATURE = SIG_KEY;
const registered: pulumi.runtime.MockResourceArgs[] = [];
const envBefore = { token: process.env[GRAPH_TOKEN_ENV], secret: process.env.AZURE_CLIENT_SECRET };

beforeAll(async () => {
  // Credentials in the environment of `pulumi up` must not end up in the state.
  process.env[GRAPH_TOKEN_ENV] = "env-token-that-must-not-leak";
  process.env.AZURE_CLIENT_SECRET = "client-secret-that-must-not-leak";
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "entra-app-provisioning",
    "dev",
  );
});
afterAll(() => {
  for (const [key, value] of [[GRAPH_TOKEN_ENV, envBefore.token], ["AZURE_CLIENT_SECRET", envBefore.secret]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

test("registers the marker, the slice and the Graph URL; no secret in the inputs or the serialized provider", async () => {
  const { SynchronizationSchema, RESOURCE_KIND } = await import("./synchronization-schema");
  const slice = mergeObjectMappings(rouseSales, {}).mappings;
  const resource = new SynchronizationSchema("rouse-sales-schema", { tenantId: TENANT, synchronizationJobId: pulumi.output(JOB), objectMappings: slice });
  const applied = await new Promise<unknown>((resolve) => resource.objectMappings.apply(resolve));

  const args = registered.find((r) => r.name === "rouse-sales-schema")!;
  expect(args.type).toBe("pulumi-nodejs:dynamic:Resource");
  expect(Object.keys(args.inputs).sort()).toEqual(["__provider", "graphBaseUrl", "objectMappings", "resourceKind", "synchronizationJobId", "tenantId"]);
  expect(args.inputs).toMatchObject({ resourceKind: RESOURCE_KIND, tenantId: TENANT, synchronizationJobId: JOB, graphBaseUrl: DEFAULT_GRAPH_BASE_URL });
  expect(args.inputs.objectMappings).toEqual(JSON.parse(JSON.stringify(slice)));
  expect(applied).toEqual(args.inputs.objectMappings);

  const everything = JSON.stringify(args.inputs);
  expect(everything).not.toContain(SECRET_SIGNATURE);
  expect(everything).not.toContain("must-not-leak");
  expect(typeof args.inputs.__provider).toBe("string");
  expect(args.inputs.__provider).toMatch(/^exports\.handler = /);
  expect(args.inputs.__provider).toContain(`process.env[`);
});

test("graphBaseUrl can point elsewhere (the emulator, a national cloud)", async () => {
  const { SynchronizationSchema } = await import("./synchronization-schema");
  const resource = new SynchronizationSchema("us-gov", { tenantId: TENANT, synchronizationJobId: JOB, objectMappings: [], graphBaseUrl: "https://graph.microsoft.us/v1.0" });
  await new Promise((resolve) => resource.urn.apply(resolve));
  expect(registered.find((r) => r.name === "us-gov")!.inputs.graphBaseUrl).toBe("https://graph.microsoft.us/v1.0");
});
