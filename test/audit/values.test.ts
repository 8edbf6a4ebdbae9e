/** Redaction and the secret inventory: every stored form of a secret, and credentials stored in plain. */
import { SIG, SIG_KEY, UNKNOWN_SENTINEL } from "../../tools/audit/state";
import { countSecrets, escapeHtmlText, inventorySecrets, redact, SECRET_MARK, scrubSecrets, UNKNOWN_MARK } from "../../tools/audit/values";

const cipher = (c: string) => ({ [SIG_KEY]: SIG.secret, ciphertext: c });
const plain = (v: unknown) => ({ [SIG_KEY]: SIG.secret, plaintext: JSON.stringify(v) });
const TOKEN = "tok-5b9e61c0f2d8a7";

describe("redact", () => {
  test("both secret forms become [secret], wherever they are", () => {
    const v = { a: cipher("v1:abc:def"), b: [1, plain("hunter2-long")], c: { d: plain({ nested: "x" }) } };
    expect(redact(v)).toEqual({ a: SECRET_MARK, b: [1, SECRET_MARK], c: { d: SECRET_MARK } });
  });

  test("credential keys are [secret] even when stored in plain, as pairs or as properties", () => {
    const v = {
      credentials: [
        { key: "BaseAddress", value: "https://scim.example" },
        { key: "SecretToken", value: TOKEN },
        { key: "secrettoken", value: TOKEN },
      ],
      clientSecret: TOKEN,
      Oauth2RefreshToken: { deep: TOKEN },
    };
    expect(redact(v)).toEqual({
      credentials: [
        { key: "BaseAddress", value: "https://scim.example" },
        { key: "SecretToken", value: SECRET_MARK },
        { key: "secrettoken", value: SECRET_MARK },
      ],
      clientSecret: SECRET_MARK,
      Oauth2RefreshToken: SECRET_MARK,
    });
  });

  test("assets, archives, references and unknowns get markers", () => {
    expect(redact([{ [SIG_KEY]: SIG.asset, hash: "h", text: "code" }, { [SIG_KEY]: SIG.archive, assets: {} }, { [SIG_KEY]: SIG.resourceReference, urn: "urn:pulumi:a::b::c::d" }, UNKNOWN_SENTINEL])).toEqual([
      "[asset]",
      "[archive]",
      "[resource urn:pulumi:a::b::c::d]",
      UNKNOWN_MARK,
    ]);
  });

  test("countSecrets counts each form", () => {
    expect(countSecrets({ a: cipher("x"), b: [plain(1), plain(2)], c: "plain" })).toEqual({ ciphertext: 1, plaintext: 2 });
  });
});

describe("inventorySecrets", () => {
  test("a credential inside a decrypted secret is to be scrubbed; values also stored in plain are not", () => {
    const settingsOutputs = { credentials: plain([{ key: "SecretToken", value: TOKEN }, { key: "SyncNotificationSettings", value: "ops@contoso.example" }]) };
    const settingsInputs = { credentials: [{ key: "SyncNotificationSettings", value: "ops@contoso.example" }] };
    const inv = inventorySecrets([
      { label: "settings.outputs", value: settingsOutputs },
      { label: "settings.inputs", value: settingsInputs },
    ]);
    expect(inv.scrub.has(TOKEN)).toBe(true);
    expect(inv.scrub.has("ops@contoso.example")).toBe(false);
    expect(inv.unencryptedCredentials).toEqual([]);
  });

  test("texts held only as secrets are scrubbed, and ciphertexts too", () => {
    const inv = inventorySecrets([{ label: "r.outputs", value: { url: plain("https://only-secret.example"), other: cipher("v1:nonce:ct") } }]);
    expect([...inv.scrub]).toEqual(expect.arrayContaining(["https://only-secret.example", "v1:nonce:ct"]));
  });

  test("finds credentials stored unencrypted, and plain copies of a credential elsewhere", () => {
    const inv = inventorySecrets([
      { label: "settings.inputs", value: { credentials: [{ key: "SecretToken", value: TOKEN }] } },
      { label: "sp.inputs", value: { notes: TOKEN } },
    ]);
    expect(inv.unencryptedCredentials).toEqual(["settings.inputs.credentials[0].value (SecretToken)"]);
    expect(inv.credentialEchoes).toEqual(["sp.inputs.notes"]);
    expect(inv.scrub.has(TOKEN)).toBe(true);
  });

  test("an encrypted credential is neither unencrypted nor echoed", () => {
    const inv = inventorySecrets([{ label: "settings.inputs", value: { credentials: [{ key: "SecretToken", value: cipher("v1:a:b") }] } }]);
    expect(inv.unencryptedCredentials).toEqual([]);
    expect(inv.credentialEchoes).toEqual([]);
  });
});

describe("scrubSecrets", () => {
  test("replaces a secret in plain, JSON-escaped and HTML-escaped forms", () => {
    const secret = `a"b<c>&${TOKEN}`;
    const text = [secret, JSON.stringify(secret), escapeHtmlText(secret)].join(" | ");
    const out = scrubSecrets(text, [secret]);
    expect(out).toBe([SECRET_MARK, `"${SECRET_MARK}"`, SECRET_MARK].join(" | "));
  });

  test("leaves short, common texts alone (they cannot have been rendered from a secret)", () => {
    expect(scrubSecrets("SyncAll false, threshold 25", ["false", "25"])).toBe("SyncAll false, threshold 25");
  });
});
