import { genericScim } from "../../../components/catalog/generic-scim";
import credentialsAreSecret from "../../../policies/rules/credentials-are-secret";
import { TYPES } from "../../../policies/lib/types";
import { app, FakeResource, find, runResourcePolicy } from "../support";

/** A token-mode secrets document, laid out as the component writes it: BaseAddress, SecretToken, settings. */
function tokenSecret(o: { additionalSecretOutputs?: string[]; secretPaths?: string[]; extra?: { key: string; value: string }[] } = {}): FakeResource {
  const base = find(app({ preset: genericScim }), TYPES.synchronizationSecret);
  const pairs = base.props.credentials as { key: string; value: string }[];
  return {
    ...base,
    props: { ...base.props, credentials: [{ key: "BaseAddress", value: "https://scim.acme.example/scim/v2" }, { key: "SecretToken", value: "t0ken" }, ...pairs, ...(o.extra ?? [])] },
    additionalSecretOutputs: o.additionalSecretOutputs ?? ["credentials"],
    ...(o.secretPaths ? { secretPaths: o.secretPaths } : {}),
  };
}

describe("credentials-are-secret: tokens never travel or rest in plain text", () => {
  test("Compliance: the token is a secret input and credentials are a secret output", () => {
    expect(runResourcePolicy(credentialsAreSecret, tokenSecret({ secretPaths: ["credentials[1].value"] }))).toEqual({ violations: [], urns: [] });
    // A secret higher up the tree covers what is below it.
    expect(runResourcePolicy(credentialsAreSecret, tokenSecret({ secretPaths: ["credentials"] })).violations).toEqual([]);
  });

  test("Compliance under the CLI: no secret paths known, additionalSecretOutputs is what can be checked", () => {
    expect(runResourcePolicy(credentialsAreSecret, tokenSecret()).violations).toEqual([]);
  });

  test("Noncompliance 1: credentials not listed in additionalSecretOutputs", () => {
    expect(runResourcePolicy(credentialsAreSecret, tokenSecret({ additionalSecretOutputs: [] })).violations).toEqual([
      'The secrets document writes SecretToken but does not list "credentials" in additionalSecretOutputs, so the state may store them in plain text.',
    ]);
  });

  test("Noncompliance 2: the token passed as a plain string (offline plan knows)", () => {
    expect(runResourcePolicy(credentialsAreSecret, tokenSecret({ secretPaths: [] })).violations).toEqual([
      "The value of SecretToken (credentials[1].value) is a plain value in the program; pass it as a Pulumi secret (config.requireSecret or pulumi.secret).",
    ]);
  });

  test("Noncompliance 3: a second credential key, only one of them secret", () => {
    const out = runResourcePolicy(credentialsAreSecret, tokenSecret({ secretPaths: ["credentials[1].value"], extra: [{ key: "ClientSecret", value: "s3cret" }] }));
    expect(out.violations).toEqual([expect.stringMatching(/^The value of ClientSecret \(credentials\[5\].value\) is a plain value/)]);
    // A neighbouring path does not count as covering it.
    expect(runResourcePolicy(credentialsAreSecret, tokenSecret({ secretPaths: ["credentials[1].valueX"] })).violations).toHaveLength(1);
  });

  test("not applicable when the document holds no credential keys (OAuth apps, settings only)", () => {
    expect(runResourcePolicy(credentialsAreSecret, find(app(), TYPES.synchronizationSecret)).notApplicable).toMatch(/no credential keys/);
  });
});
