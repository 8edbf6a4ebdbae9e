import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { PROJECT } from "./schema";

/** One problem with the stack config: where, what was received, what is allowed. */
export interface ConfigIssue {
  /** Config path as `pulumi config set --path` spells it, e.g. `entra-app-provisioning:app.provisioning.scope`. */
  readonly path: string;
  readonly message: string;
  readonly received?: unknown;
}

/**
 * Thrown before any resource is registered when the stack config is invalid. Lists every issue. A
 * RunError, so `pulumi preview`/`up` print the message without a stack trace.
 */
export class ConfigValidationError extends pulumi.RunError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `invalid stack config (${issues.length} problem${issues.length === 1 ? "" : "s"}); nothing was planned or changed:\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join("\n"),
    );
    this.name = "ConfigValidationError";
  }
}

/** Renders a value for an error message without ever printing more than a short excerpt. */
export function describeReceived(value: unknown): string {
  if (value === undefined) return "nothing (the setting is missing)";
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function formatIssue(issue: ConfigIssue): string {
  const received = "received" in issue ? `; received ${describeReceived(issue.received)}` : "";
  return `${issue.path}: ${issue.message}${received}`;
}

/** `["app", "assignments", "groups", 1, "objectId"]` → `entra-app-provisioning:app.assignments.groups[1].objectId`. */
export function configPath(segments: readonly PropertyKey[]): string {
  let out = `${PROJECT}:`;
  segments.forEach((s, i) => {
    if (typeof s === "number") out += `[${s}]`;
    else out += `${i === 0 ? "" : "."}${String(s)}`;
  });
  return out;
}

/** Converts zod issues (parsed with `reportInput: true`) to config issues. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.map((issue) => {
    const path = configPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      return { path, message: `unknown setting(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}; check the spelling against docs/configuration.md` };
    }
    const message = issue.message.replace(/, received \w+$/, "");
    return { path, message, received: (issue as { input?: unknown }).input };
  });
}
