/**
 * Rewrites the audit's state fixtures in test/fixtures/state/ from this project's own program and stack
 * configs (`npx tsx tools/audit/regenerate-fixtures.ts`). Run it when the program changes what it
 * registers; test/fixtures/state/README.md says what each fixture is for.
 */
import { copyFileSync, writeFileSync } from "fs";
import * as path from "path";
import { REPO_ROOT } from "../plan/plan-stack";
import { makeStackStateFixture, serializeState, StackFixtureOptions } from "./make-state-fixture";

export const FIXTURE_DIR = path.join(REPO_ROOT, "test", "fixtures", "state");

/**
 * The secret token seeded into the token-mode fixtures. It is not a credential of anything: it exists so
 * tests can prove that no report ever contains it.
 */
export const CANARY_TOKEN = "audit-canary-token-7d41e6b8a035f29c";

/**
 * The stack configs the fixtures were made from. Pulumi.dev.yaml and Pulumi.prod.yaml are copied here
 * when the fixtures are regenerated, so tests compare each fixture with the config it was made from,
 * whatever the live configs say later; Pulumi.acme-scim.yaml exists only here.
 */
export const FIXTURE_STACKS_DIR = path.join(FIXTURE_DIR, "stacks");
const COPIED_STACKS = ["dev", "prod"];
const fromCopy: StackFixtureOptions = { dir: FIXTURE_STACKS_DIR };
const acme: StackFixtureOptions = { dir: FIXTURE_STACKS_DIR, secretValues: { "entra-app-provisioning:scimToken": CANARY_TOKEN } };

/** File name → how it is made. Runs are sequential: Pulumi's runtime is process-global. */
export const FIXTURES: readonly { readonly file: string; readonly stack: string; readonly options: StackFixtureOptions }[] = [
  { file: "dev.export.json", stack: "dev", options: { ...fromCopy, createdTime: "2026-01-12T08:02:51.201754339Z", time: "2026-02-23T16:20:05.877120514Z" } },
  { file: "prod.checkpoint.json", stack: "prod", options: { ...fromCopy, envelope: "checkpoint", createdTime: "2025-11-04T10:13:37.421005907Z" } },
  { file: "acme-scim.export.json", stack: "acme-scim", options: { ...acme } },
  { file: "acme-scim.show-secrets.json", stack: "acme-scim", options: { ...acme, secrets: "plaintext" } },
  {
    file: "dev.interrupted.export.json",
    stack: "dev",
    options: {
      ...fromCopy,
      time: "2026-02-24T07:55:12.004518227Z",
      interrupted: ["rouse-sales-job"],
      initErrors: {
        "rouse-sales-group-00000000-0000-0000-0000-00000000d0b1": [
          "creating app role assignment: unexpected status 404 with OData error: Request_ResourceNotFound: Resource '00000000-0000-0000-0000-00000000d0b1' does not exist or one of its queried reference-property objects are not present.",
        ],
      },
    },
  },
];

async function main(): Promise<void> {
  for (const stack of COPIED_STACKS) copyFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), path.join(FIXTURE_STACKS_DIR, `Pulumi.${stack}.yaml`));
  for (const f of FIXTURES) {
    const state = await makeStackStateFixture(f.stack, f.options);
    writeFileSync(path.join(FIXTURE_DIR, f.file), serializeState(state));
    process.stdout.write(`wrote ${path.relative(REPO_ROOT, path.join(FIXTURE_DIR, f.file))}\n`);
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`error: ${(e as Error).message}\n`);
      process.exit(2);
    },
  );
}
