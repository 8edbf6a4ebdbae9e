/**
 * No secret value appears in any of the three outputs (Markdown, HTML, JSON), whatever form the state
 * holds it in: encrypted, decrypted by --show-secrets, stored unencrypted under a credential key, or
 * echoed by a provider into an error message.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { main } from "../../tools/audit";
import { renderMarkdown } from "../../tools/audit/render-markdown";
import { buildAuditReport } from "../../tools/audit/report";
import { SIG, SIG_KEY } from "../../tools/audit/state";
import { CANARY_TOKEN, clone, deploymentOf, fixture, Json, loadFixture, resourceNamed, tempDir, writeTempState } from "./support";

const quiet = { write: () => true };

/** Every way the token could be spelled in an output. */
const forms = (token: string) => [token, JSON.stringify(token).slice(1, -1), Buffer.from(token).toString("base64"), Buffer.from(JSON.stringify(token)).toString("base64")];

function ciphertextsOf(v: unknown, out: string[] = []): string[] {
  if (v && typeof v === "object") {
    const o = v as Json;
    if (o[SIG_KEY] === SIG.secret && typeof o.ciphertext === "string") out.push(o.ciphertext);
    Object.values(o).forEach((x) => ciphertextsOf(x, out));
  }
  return out;
}

/** The canary, echoed by a provider error and stored unencrypted under a credential key. */
function leakyStates(): string[] {
  const dir = tempDir("audit-leaky-");
  const echoed = clone(loadFixture("acme-scim.show-secrets.json"));
  resourceNamed(echoed, "generic-scim-job").initErrors = [`starting the job: 401 Unauthorized: the SCIM endpoint rejected bearer token ${CANARY_TOKEN}`];
  const plainCredential = clone(loadFixture("acme-scim.export.json"));
  const settings = resourceNamed(plainCredential, "generic-scim-settings");
  settings.inputs.credentials = [
    { key: "BaseAddress", value: "https://scim.acme-hr.example/scim/v2" },
    { key: "SecretToken", value: CANARY_TOKEN },
  ];
  const stackOutput = clone(loadFixture("acme-scim.show-secrets.json"));
  deploymentOf(stackOutput).resources[0].outputs.debugToken = { [SIG_KEY]: SIG.secret, plaintext: JSON.stringify(CANARY_TOKEN) };
  return [writeTempState(echoed, "echoed.json", dir), writeTempState(plainCredential, "plain-credential.json", dir), writeTempState(stackOutput, "stack-output.json", dir)];
}

test("the inputs do hold the canary, so this test can fail", () => {
  expect(readFileSync(fixture("acme-scim.show-secrets.json"), "utf8")).toContain(CANARY_TOKEN);
  expect(ciphertextsOf(loadFixture("acme-scim.export.json")).length).toBeGreaterThan(0);
  for (const f of leakyStates()) expect(readFileSync(f, "utf8")).toContain(CANARY_TOKEN);
  // Without the final scrub, a provider error that echoes the token would reach the report.
  const [echoed] = leakyStates();
  expect(renderMarkdown(buildAuditReport([echoed]).report)).toContain(CANARY_TOKEN);
});

test("no output contains the token or a ciphertext, in any spelling", async () => {
  const inputs = [fixture("acme-scim.export.json"), fixture("acme-scim.show-secrets.json"), ...leakyStates()];
  const out = tempDir("audit-secrets-out-");
  const code = await main([...inputs, "--out", out], { stdout: quiet, stderr: quiet });
  expect(code).toBe(1); // reported: the leaks are findings
  const outputs = ["audit.md", "audit.html", "audit.json"].map((f) => readFileSync(path.join(out, f), "utf8"));
  const ciphertexts = [fixture("acme-scim.export.json"), ...inputs].flatMap((f) => ciphertextsOf(JSON.parse(readFileSync(f, "utf8"))));
  for (const text of outputs) {
    for (const form of forms(CANARY_TOKEN)) expect(text.includes(form) ? `found ${form}` : "clean").toBe("clean");
    for (const c of ciphertexts) expect(text.includes(c) ? `found ciphertext ${c.slice(0, 20)}…` : "clean").toBe("clean");
  }
  const [md, html, json] = outputs;
  // What is reported instead: the facts, the leaks as findings, the token as [secret].
  expect(md).toContain("a credential is stored unencrypted in state at generic-scim-settings.inputs.credentials[1].value (SecretToken)");
  expect(md).toContain("the SCIM endpoint rejected bearer token [secret]");
  expect(html).toContain("the SCIM endpoint rejected bearer token [secret]");
  expect(JSON.parse(json).tenants).toHaveLength(5);
});
