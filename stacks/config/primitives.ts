/** Schema building blocks shared by the tenant config schema and its monitoring part. */
import { z } from "zod";

/** An Entra or Azure object id. */
export const Guid = z.guid({ error: "expected a GUID like 00000000-0000-0000-0000-000000000000" });

/** A whole number; range errors keep zod's "expected number to be >=1" wording. */
export const wholeNumber = () => z.int({ error: (issue) => (issue.code === "invalid_type" ? "expected a whole number" : undefined) });
