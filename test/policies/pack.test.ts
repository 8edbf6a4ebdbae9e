/**
 * What `serve` checks when the CLI loads the pack (it calls process.exit(1) on a failure, so the tests
 * re-check it without starting a server), plus the conventions of this pack: one rule per file named
 * after the rule, configuration that is documented and valid, one version everywhere.
 */
import * as azuread from "@pulumi/azuread";
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { POLICY_PACK } from "../../stacks/program";
import { configDefaults, unsupportedKeywords, validatePolicyConfig } from "../../policies/lib/config-schema";
import { TYPES } from "../../policies/lib/types";
import { PACK_ARGS, PACK_ID, PACK_NAME, PACK_VERSION } from "../../policies/pack";
import { resolvePolicyConfig } from "../../policies/runner";
import { POLICIES } from "../../policies/rules";

const POLICY_DIR = path.join(__dirname, "..", "..", "policies");
const RULE_FILES = readdirSync(path.join(POLICY_DIR, "rules")).filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.endsWith(".test.ts"));

describe("the checks serve() makes before it listens", () => {
  test("the pack name is valid", () => {
    expect(PACK_NAME).toMatch(/^[a-zA-Z0-9-_.]{1,100}$/);
  });

  test('no policy is named "all" (reserved for config)', () => {
    expect(POLICIES.map((p) => p.name)).not.toContain("all");
  });

  test("no configSchema declares or requires enforcementLevel", () => {
    for (const p of POLICIES) {
      expect(Object.keys(p.configSchema?.properties ?? {})).not.toContain("enforcementLevel");
      expect(p.configSchema?.required ?? []).not.toContain("enforcementLevel");
    }
  });

  test("policy names are unique", () => {
    const names = POLICIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("pack conventions", () => {
  test("one rule per file, named after the file, all of them in the pack, in kebab-case", () => {
    expect(POLICIES.map((p) => `${p.name}.ts`).sort()).toEqual([...RULE_FILES].sort());
    for (const p of POLICIES) expect(p.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  test("every rule explains itself: description, remediation, level, severity, and a doc comment on why", () => {
    for (const p of POLICIES) {
      expect(p.description.length).toBeGreaterThan(20);
      expect(p.remediationSteps?.length).toBeGreaterThan(20);
      expect(p.enforcementLevel).toBeDefined();
      expect(p.severity).toBeDefined();
      expect(readFileSync(path.join(POLICY_DIR, "rules", `${p.name}.ts`), "utf8")).toMatch(/^\/\*\*[\s\S]*?Why: /);
    }
  });

  test("config schemas use only what the offline validator implements, describe every setting, and their defaults are valid", () => {
    for (const p of POLICIES) {
      for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
        expect({ key, unsupported: unsupportedKeywords(schema) }).toEqual({ key, unsupported: [] });
        expect(typeof schema === "object" && schema.description).toBeTruthy();
        expect(typeof schema === "object" && "default" in schema).toBe(true);
      }
      expect(validatePolicyConfig(p.name, p.configSchema, configDefaults(p.configSchema))).toEqual([]);
    }
  });

  test("the version is the one in policies/package.json, and the one the program reports", () => {
    const pkg = JSON.parse(readFileSync(path.join(POLICY_DIR, "package.json"), "utf8"));
    expect(pkg.name).toBe(PACK_NAME);
    expect(PACK_VERSION).toBe(pkg.version);
    expect(PACK_ID).toBe(`${POLICY_PACK.name}@${POLICY_PACK.version}`);
    expect(PACK_ARGS.policies).toBe(POLICIES);
  });

  test("the package pins the toolchain the project uses", () => {
    const pkg = JSON.parse(readFileSync(path.join(POLICY_DIR, "package.json"), "utf8"));
    const root = JSON.parse(readFileSync(path.join(POLICY_DIR, "..", "package.json"), "utf8"));
    for (const dep of ["@pulumi/policy", "@pulumi/pulumi", "@pulumi/azuread"]) expect(pkg.dependencies[dep]).toBe(root.dependencies[dep]);
    for (const dep of ["typescript", "ts-node", "@types/node"]) expect(pkg.devDependencies[dep]).toBe(root.devDependencies[dep]);
    const lock = JSON.parse(readFileSync(path.join(POLICY_DIR, "package-lock.json"), "utf8"));
    expect(lock.packages[""].dependencies).toEqual(pkg.dependencies);
    expect(lock.packages["node_modules/@pulumi/policy"].version).toBe(pkg.dependencies["@pulumi/policy"]);
    expect(readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
  });

  test("the type tokens are the SDKs' own", () => {
    const token = (cls: unknown) => (cls as { __pulumiType: string }).__pulumiType;
    expect(TYPES.application).toBe(token(azuread.Application));
    expect(TYPES.applicationFromTemplate).toBe(token(azuread.ApplicationFromTemplate));
    expect(TYPES.servicePrincipal).toBe(token(azuread.ServicePrincipal));
    expect(TYPES.appRoleAssignment).toBe(token(azuread.AppRoleAssignment));
    expect(TYPES.synchronizationSecret).toBe(token(azuread.SynchronizationSecret));
    expect(TYPES.synchronizationJob).toBe(token(azuread.SynchronizationJob));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(TYPES.diagnosticSetting).toBe(token(require("@pulumi/azure-native/aadiam").DiagnosticSetting));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(TYPES.scheduledQueryRule).toBe(token(require("@pulumi/azure-native/monitor").ScheduledQueryRule));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(TYPES.provisioningMonitoring).toBe(require("../../components/monitoring/provisioning-monitoring").PROVISIONING_MONITORING_TYPE);
  });
});

describe("example policy config files", () => {
  const files = readdirSync(POLICY_DIR).filter((f) => /^config\..+\.json$/.test(f));

  test("there is one per tier", () => {
    expect(files.sort()).toEqual(["config.dev.json", "config.prod.json"]);
  });

  test.each(files)("%s is valid config for the pack", (file) => {
    expect(() => resolvePolicyConfig(JSON.parse(readFileSync(path.join(POLICY_DIR, file), "utf8")))).not.toThrow();
  });

  test("config.prod.json treats every stack it is applied to as production", () => {
    const prod = resolvePolicyConfig(JSON.parse(readFileSync(path.join(POLICY_DIR, "config.prod.json"), "utf8")));
    for (const [name, cfg] of prod) {
      if ("productionStacks" in cfg.properties) expect({ name, stacks: cfg.properties.productionStacks }).toEqual({ name, stacks: ["*"] });
      expect(cfg.enforcementLevel).toBe("mandatory");
    }
  });
});
