import { readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import Ajv from "ajv";
import { configurationMarkdown, stackFileJsonSchema } from "./config-docs";

const root = path.resolve(__dirname, "..");

describe("generated config artifacts", () => {
  it("schema/stack-config.schema.json is up to date (run `npm run schema:json`)", () => {
    expect(readFileSync(path.join(root, "schema", "stack-config.schema.json"), "utf8")).toBe(`${JSON.stringify(stackFileJsonSchema(), null, 2)}\n`);
  });

  it("docs/configuration.md is up to date (run `npm run schema:json`)", () => {
    expect(readFileSync(path.join(root, "docs", "configuration.md"), "utf8")).toBe(configurationMarkdown());
  });

  it("documents every setting of the tutorial with the step it replaces", () => {
    const md = configurationMarkdown();
    for (const step of ["Step 3", "Step 4", "Step 5", "Step 6"]) expect(md).toContain(`Tutorial: ${step}`);
    for (const setting of ["provisioning.notificationEmail", "provisioning.scope", "provisioning.accidentalDeletions.threshold", "mappings.users.scopingFilter", "assignments.groups"]) {
      expect(md).toContain(`\`${setting}\``);
    }
  });

  describe("editors validate stack files with it", () => {
    // Formats (uuid, email, uri) are checked by zod at plan time; editors treat them as hints.
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(stackFileJsonSchema());
    it.each(["dev", "prod"])("accepts Pulumi.%s.yaml", (stack) => {
      const ok = validate(parse(readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });
    it("rejects a typo'd key, a bad enum and a plain-text token", () => {
      const doc = parse(readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8"));
      doc.config["entra-app-provisioning:ap"] = {};
      doc.config["entra-app-provisioning:scimToken"] = "plain-text-token";
      doc.config["entra-app-provisioning:app"].provisioning.scope = "everyone";
      expect(validate(doc)).toBe(false);
      const paths = (validate.errors ?? []).map((e) => e.instancePath);
      expect(paths).toEqual(expect.arrayContaining(["/config/entra-app-provisioning:ap", "/config/entra-app-provisioning:scimToken", "/config/entra-app-provisioning:app/provisioning/scope"]));
    });
  });
});
