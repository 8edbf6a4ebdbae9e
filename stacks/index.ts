// Entry point of the Pulumi program (Pulumi.yaml `main`). Pulumi calls the exported function and
// turns what it returns into stack outputs.
import { tenantProgram } from "./program";

export = tenantProgram;
