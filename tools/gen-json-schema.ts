/** `npm run schema:json`: writes schema/stack-config.schema.json and docs/configuration.md from the zod schema. */
import { mkdirSync, writeFileSync } from "fs";
import * as path from "path";
import { configurationMarkdown, stackFileJsonSchema } from "./config-docs";

const root = path.resolve(__dirname, "..");
mkdirSync(path.join(root, "schema"), { recursive: true });
mkdirSync(path.join(root, "docs"), { recursive: true });
writeFileSync(path.join(root, "schema", "stack-config.schema.json"), `${JSON.stringify(stackFileJsonSchema(), null, 2)}\n`);
writeFileSync(path.join(root, "docs", "configuration.md"), configurationMarkdown());
process.stdout.write("wrote schema/stack-config.schema.json and docs/configuration.md\n");
