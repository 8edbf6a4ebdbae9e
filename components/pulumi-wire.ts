/**
 * Pulumi's property-value wire format, in one place for the offline plan, the audit and the policy
 * runner: the signature key that marks special values, the signatures of secrets, assets, archives and
 * resource references (sdk/go/common/apitype `property-values.json`), and the engine's unknown-value
 * sentinels (as @pulumi/policy's proxy.js defines them; test/policies/runner.test.ts checks them against
 * the installed package). Also how this project prints a secret value.
 */

/** Key whose value says what kind of special value an object is (`{ [SIG_KEY]: SIG.secret, … }`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

export const SIG = {
  secret: "1b47061264138c4ac30d75fd1eb44270",
  asset: "c44067f5952c0a294b673a41bacd8c17",
  archive: "0def7320c3a5731c473e5ecbe6d01bc7",
  resourceReference: "5cf8f73096256a8f31e491e813e4eb8e",
} as const;

/** What the engine puts where a value is not known yet (during preview), by the value's type. */
export const UNKNOWN_SENTINELS = {
  boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

/** How plans, reports and error messages show a secret value. */
export const SECRET_MARK = "[secret]";
