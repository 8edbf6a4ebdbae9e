/**
 * Reading state: the fixtures have the shape of the CLI's own (checked against the keys the apitype
 * schemas and core.go allow), both envelopes parse, and every kind of bad input is rejected with a
 * reason that names the file and the problem.
 */
import { createHash } from "crypto";
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { gzipSync } from "zlib";
import { looksTruncated, parseStateText, readStateFile, SIG, SIG_KEY, StateInputError } from "../../tools/audit/state";
import { clone, deploymentOf, fixture, loadFixture, tempDir, writeTempState } from "./support";

/** ResourceV3 keys: resources.json properties plus what core.go adds (created, modified, …). */
const RESOURCE_KEYS = new Set([
  "urn", "custom", "delete", "id", "type", "inputs", "outputs", "parent", "protect", "taint", "external", "dependencies", "initErrors", "provider",
  "propertyDependencies", "pendingReplacement", "additionalSecretOutputs", "aliases", "customTimeouts", "importID", "retainOnDelete", "deletedWith",
  "created", "modified", "sourcePosition", "ignoreChanges", "replaceOnChanges",
]);
const STATE_FIXTURES = ["dev.export.json", "prod.checkpoint.json", "acme-scim.export.json", "acme-scim.show-secrets.json", "dev.interrupted.export.json"];

const reasonOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof StateInputError) return e.reason;
    throw e;
  }
  throw new Error("expected a StateInputError");
};

describe("state fixtures have the CLI's shape", () => {
  test.each(STATE_FIXTURES)("%s: envelope, manifest, resources and secrets as the CLI writes them", (name) => {
    const state = loadFixture(name);
    expect(state.version).toBe(3);
    expect(Object.keys(state).sort()).toEqual(name.includes("checkpoint") ? ["checkpoint", "version"] : ["deployment", "version"]);
    const d = deploymentOf(state);
    expect(Object.keys(d.manifest).sort()).toEqual(["magic", "time", "version"]);
    expect(d.manifest.magic).toBe(createHash("sha256").update(d.manifest.version).digest("hex"));
    expect(Number.isNaN(Date.parse(d.manifest.time.replace(/(\.\d{3})\d+/, "$1")))).toBe(false);
    expect(d.secrets_providers.type).toBe("passphrase");
    const all = [...d.resources, ...(d.pending_operations ?? []).map((o: { resource: unknown }) => o.resource)];
    for (const r of all) {
      for (const k of Object.keys(r)) expect(RESOURCE_KEYS.has(k) ? k : `unexpected key ${k} on ${r.urn}`).toBe(k);
      expect(r.urn).toMatch(/^urn:pulumi:[^:]+::entra-app-provisioning::[^:]/);
      expect(r.urn).not.toContain("pulumi:pulumi:Stack$"); // the engine leaves the root stack out of child URNs
    }
    const secrets = JSON.stringify(d).match(new RegExp(`\\{"${SIG_KEY}":"${SIG.secret}","(ciphertext|plaintext)":"`, "g")) ?? [];
    expect(secrets.length).toBeGreaterThan(0);
    const form = name.includes("show-secrets") ? "plaintext" : "ciphertext";
    expect(secrets.every((s) => s.includes(`"${form}"`))).toBe(true);
  });

  test("the dev export holds each child of the app with its parent, provider and dependencies", () => {
    const d = deploymentOf(loadFixture("dev.export.json"));
    const byName = (n: string) => d.resources.find((r: { urn: string }) => r.urn.endsWith(`::${n}`));
    const component = byName("rouse-sales");
    const job = byName("rouse-sales-job");
    expect(job.parent).toBe(component.urn);
    expect(job.provider).toBe(`${byName("contoso-dev-entra").urn}::${byName("contoso-dev-entra").id}`);
    expect(job.dependencies).toEqual(expect.arrayContaining([byName("rouse-sales-settings").urn, byName("rouse-sales-sp").urn]));
    expect(job.propertyDependencies.servicePrincipalId).toEqual([byName("rouse-sales-sp").urn]);
    const stack = d.resources[0];
    expect(stack.type).toBe("pulumi:pulumi:Stack");
    expect(stack.outputs.tenant.name).toBe("contoso-dev");
    expect(byName("rouse-sales-settings").additionalSecretOutputs).toEqual(["credentials"]);
    expect(byName("rouse-sales-settings").outputs.credentials[SIG_KEY]).toBe(SIG.secret);
  });
});

describe("parseStateText", () => {
  test("reads both envelopes, with stack and project from the URNs", () => {
    const dev = readStateFile(fixture("dev.export.json"));
    expect(dev).toMatchObject({ envelope: "export", schemaVersion: 3, stack: "dev", project: "entra-app-provisioning", secretsProvider: "passphrase" });
    expect(dev.resources.length).toBe(deploymentOf(loadFixture("dev.export.json")).resources.length);
    const prod = readStateFile(fixture("prod.checkpoint.json"));
    expect(prod).toMatchObject({ envelope: "checkpoint", stack: "prod", checkpointStack: "organization/entra-app-provisioning/prod" });
    const interrupted = readStateFile(fixture("dev.interrupted.export.json"));
    expect(interrupted.pendingOperations.map((o) => [o.type, o.resource.urn.split("::").pop()])).toEqual([["creating", "rouse-sales-job"]]);
  });

  test("reads version 4 with a feature that keeps the v3 shape, and rejects unknown features", () => {
    const state = clone(loadFixture("dev.export.json"));
    expect(parseStateText(JSON.stringify({ ...state, version: 4, features: ["refreshBeforeUpdate"] }), "v4.json").schemaVersion).toBe(4);
    expect(reasonOf(() => parseStateText(JSON.stringify({ ...state, version: 4, features: ["teleport"] }), "v4.json"))).toMatch(/features this audit does not know \(teleport\)/);
  });

  test.each([
    ["an empty file", "  \n", /empty/],
    ["text output instead of JSON", readFileSync(fixture("bad/not-json.txt"), "utf8"), /^not JSON .*pulumi stack export/],
    ["a JSON array", "[]", /not a Pulumi state: expected a JSON object/],
    ["an offline plan", JSON.stringify({ formatVersion: 1, project: "entra-app-provisioning", stack: "dev", resources: [] }), /offline plan .*not Pulumi state/],
    ["some other JSON", JSON.stringify({ name: "x", dependencies: {} }), /not a Pulumi state: .*found keys: name, dependencies/],
    ["version 2", readFileSync(fixture("bad/wrong-version.json"), "utf8"), /deployment version 2 is not supported/],
    ["version 7", JSON.stringify({ version: 7, deployment: {} }), /version 7 is not supported.*newer/],
    ["no version", JSON.stringify({ deployment: {} }), /no deployment version/],
    ["another project", readFileSync(fixture("bad/other-project.json"), "utf8"), /state of project "web-frontend" \(stack "dev"\), not of entra-app-provisioning/],
    ["no manifest", JSON.stringify({ version: 3, deployment: { resources: [] } }), /not a valid Pulumi deployment: deployment\.manifest/],
    ["a resource without a URN", JSON.stringify({ version: 3, deployment: { manifest: { time: "", magic: "", version: "" }, resources: [{ type: "x", custom: true }] } }), /deployment\.resources\[0\]\.urn/],
    ["no resources", JSON.stringify({ version: 3, deployment: { manifest: { time: "", magic: "", version: "" } } }), /no resources: the stack was never deployed or has been destroyed/],
    ["a checkpoint never deployed", JSON.stringify({ version: 3, checkpoint: { stack: "organization/entra-app-provisioning/test" } }), /never deployed; nothing to audit/],
    ["a malformed URN", JSON.stringify({ version: 3, deployment: { manifest: { time: "", magic: "", version: "" }, resources: [{ urn: "urn:pulumi:nonsense", type: "x" }] } }), /not of the form/],
  ])("rejects %s", (_what, text, reason) => {
    expect(reasonOf(() => parseStateText(text, "input.json"))).toMatch(reason);
  });

  test("says truncated when the JSON ends early, wherever it is cut", () => {
    const text = readFileSync(fixture("prod.checkpoint.json"), "utf8");
    for (const at of [1, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length - 3]) {
      expect(reasonOf(() => parseStateText(text.slice(0, at), "cut.json"))).toMatch(/^the file is truncated: its JSON ends before the state is complete/);
    }
    // Cut inside a string value.
    const inString = text.indexOf("Rouse Sales") + 4;
    expect(reasonOf(() => parseStateText(text.slice(0, inString), "cut.json"))).toMatch(/truncated/);
  });

  test("reads gzip-compressed stack files, and says when one is damaged", () => {
    const dir = tempDir();
    const bytes = gzipSync(readFileSync(fixture("prod.checkpoint.json")));
    writeFileSync(path.join(dir, "prod.json.gz"), bytes);
    expect(readStateFile(path.join(dir, "prod.json.gz"))).toMatchObject({ envelope: "checkpoint", stack: "prod" });
    writeFileSync(path.join(dir, "cut.json.gz"), bytes.subarray(0, bytes.length / 2));
    expect(() => readStateFile(path.join(dir, "cut.json.gz"))).toThrow(/cut\.json\.gz: is gzip-compressed but cannot be decompressed .*damaged or truncated/);
  });

  test("names the file, including files that do not exist", () => {
    const file = writeTempState("{", "broken.json");
    expect(() => readStateFile(file)).toThrow(`${file}: the file is truncated`);
    expect(() => readStateFile("/nonexistent/state.json")).toThrow("/nonexistent/state.json: no such file");
  });
});

test("looksTruncated tells cut JSON from wrong JSON", () => {
  expect(looksTruncated('{"a": [1, 2')).toBe(true);
  expect(looksTruncated('{"a": "b}')).toBe(true);
  expect(looksTruncated('{"a": "}]"')).toBe(true);
  expect(looksTruncated('{"a": 1}}')).toBe(false);
  expect(looksTruncated("Previewing update")).toBe(false);
  expect(looksTruncated('{"a": x}')).toBe(false);
});
