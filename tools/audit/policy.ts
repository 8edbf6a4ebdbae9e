/**
 * The guardrails, re-evaluated on what a state recorded: the state's resources become the offline
 * harness's PlannedResource shape and go through the same runner and rules as plans do
 * (policies/runner.ts); nothing here restates a rule.
 *
 * - `inputs` are the recorded inputs with secrets as "[secret]" (safe to keep);
 * - `plainInputs` are what the rules read. A decrypted secret (`--show-secrets`) is unwrapped, as
 *   CrossGuard unwraps secrets; an encrypted one cannot be, so it stands as an unknown value, and a rule
 *   that reads it reports that it could not run (advisory), never a pass or fail it did not check;
 * - `secretPaths` are the input paths stored as secrets (either form), which the rules use to check that
 *   credentials are secrets;
 * - `dependsOn` is the recorded `dependencies`, `parent` the recorded parent (none for the root stack's
 *   children), `protect` and `additionalSecretOutputs` as recorded;
 * - the root stack resource is left out (the harness never lists it); the stack outputs are the run's outputs.
 *
 * Violation messages are scrubbed of every secret text the state holds, in case a rule echoes a value.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { evaluatePolicies, PackUnderTest, PolicyVerdict } from "../../policies/runner";
import type { PolicyViolationRecord } from "../plan/document";
import { OfflineRun, PlannedResource, UNKNOWN_MARK } from "../plan/harness";
import { StateView, TYPES } from "./extract";
import { parseUrn, StateResource, UNKNOWN_SENTINEL } from "./state";
import { isSecretValue, redact, scrubSecrets } from "./values";

/** Recorded inputs for the rules: decrypted secrets unwrapped, encrypted ones unknown, unknowns unknown. */
export function policyValue(v: unknown): unknown {
  if (v === UNKNOWN_SENTINEL) return UNKNOWN_MARK;
  if (isSecretValue(v)) {
    const plaintext = (v as { plaintext?: unknown }).plaintext;
    if (typeof plaintext !== "string") return UNKNOWN_MARK;
    try {
      return policyValue(JSON.parse(plaintext));
    } catch {
      return plaintext;
    }
  }
  if (Array.isArray(v)) return v.map(policyValue);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, policyValue(x)]));
  return v;
}

/** Input paths stored as secrets, spelled as the harness spells them (`credentials[1].value`). */
export function secretPathsOf(v: unknown, path = "", out: string[] = []): string[] {
  if (isSecretValue(v)) out.push(path || "(root)");
  else if (Array.isArray(v)) v.forEach((x, i) => secretPathsOf(x, `${path}[${i}]`, out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v as Record<string, unknown>)) secretPathsOf(x, path ? `${path}.${k}` : k, out);
  return out;
}

const withoutProviderCode = (o: Record<string, unknown>): Record<string, unknown> => {
  const { __provider: _code, ...rest } = o;
  return rest;
};

/** One state resource in the harness's shape. */
export function toPlannedResource(r: StateResource, stackUrn: string | undefined): PlannedResource {
  const inputs = withoutProviderCode((r.inputs ?? {}) as Record<string, unknown>);
  return {
    urn: r.urn,
    type: r.type,
    name: parseUrn(r.urn)?.name ?? r.urn,
    custom: r.custom,
    ...(r.parent && r.parent !== stackUrn ? { parent: r.parent } : {}),
    protect: r.protect === true,
    dependsOn: [...(r.dependencies ?? [])].sort(),
    additionalSecretOutputs: [...(r.additionalSecretOutputs ?? [])],
    inputs: redact(inputs) as Record<string, unknown>,
    plainInputs: policyValue(inputs) as Record<string, unknown>,
    secretPaths: secretPathsOf(inputs),
  };
}

/** The state as an offline run in mode "apply", for the policy runner. */
export function toOfflineRun(view: StateView): OfflineRun {
  const stack = view.resources.find((r) => r.type === TYPES.stack);
  const resources = view.resources
    .filter((r) => r.type !== TYPES.stack)
    .map((r) => toPlannedResource(r, stack?.urn))
    .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { project: view.state.project, stack: view.state.stack, mode: "apply", resources, outputs: stack ? view.outputsOf(stack) : {} };
}

export interface AuditVerdict extends PolicyVerdict {
  /** Policies that could not run because a value they read is encrypted in this state. */
  readonly notEvaluated: readonly PolicyViolationRecord[];
}

const CANNOT_RUN = /^can't run policy '([^']+)' from policy pack '([^']+)' during preview: /;

/**
 * Re-evaluates the policy pack on a state. The runner's "can't run … during preview" (a rule read an
 * unknown value) becomes "not evaluated: encrypted in state" and is kept apart from real violations.
 */
export function evaluateState(view: StateView, config: PolicyPackConfig = {}, pack?: PackUnderTest): AuditVerdict {
  const verdict = pack ? evaluatePolicies(toOfflineRun(view), config, pack) : evaluatePolicies(toOfflineRun(view), config);
  const clean = (m: string) => scrubSecrets(m, view.inventory.scrub);
  const violations: PolicyViolationRecord[] = [];
  const notEvaluated: PolicyViolationRecord[] = [];
  for (const v of verdict.violations) {
    const m = CANNOT_RUN.exec(v.message);
    if (m) notEvaluated.push({ ...v, message: clean(`not evaluated on this state: a value it reads is encrypted (or was unknown when recorded): ${v.message.slice(m[0].length)}`) });
    else violations.push({ ...v, message: clean(v.message) });
  }
  return { pack: verdict.pack, verdict: violations.some((v) => v.enforcementLevel === "mandatory") ? "fail" : "pass", violations, notEvaluated };
}
