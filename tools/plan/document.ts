/**
 * The plan artifact: what an offline run registered, in a stable, secret-free JSON form that can be
 * stored and diffed (`out/plan-<stack>.json`).
 */
import { OfflineRun, PlannedResource } from "./harness";
import { StackConfig } from "./stack-file";

export const PLAN_FORMAT_VERSION = 1;

/** A planned resource as stored: the harness's record without plain (unmasked) values. */
export type PlanResource = Omit<PlannedResource, "plainInputs" | "secretPaths" | "additionalSecretOutputs">;

export interface PolicyViolationRecord {
  readonly policy: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly urn?: string;
  readonly message: string;
}

export interface PlanDocument {
  readonly formatVersion: number;
  readonly project: string;
  readonly stack: string;
  readonly mode: string;
  readonly config: Record<string, unknown>;
  readonly resources: readonly PlanResource[];
  readonly outputs: Record<string, unknown>;
  readonly policy?: { readonly pack: string; readonly verdict: "pass" | "fail"; readonly violations: readonly PolicyViolationRecord[] };
}

/** Recursively sorts object keys so the JSON is byte-stable for the same plan. */
export function stableSort(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stableSort);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, stableSort((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

export function buildPlanDocument(run: OfflineRun, stackConfig: Pick<StackConfig, "display">, policy?: PlanDocument["policy"]): PlanDocument {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: run.project,
    stack: run.stack,
    mode: run.mode,
    config: stackConfig.display,
    resources: run.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      custom: r.custom,
      ...(r.parent ? { parent: r.parent } : {}),
      protect: r.protect,
      dependsOn: r.dependsOn,
      inputs: r.inputs,
    })),
    outputs: run.outputs,
    ...(policy ? { policy } : {}),
  };
}

export function serializePlan(doc: PlanDocument): string {
  return `${JSON.stringify(stableSort(doc), null, 2)}\n`;
}

/** Parses a stored plan, with a clear error when the file is not one. */
export function parsePlan(text: string, source: string): PlanDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not JSON: ${(e as Error).message}`);
  }
  const d = doc as Partial<PlanDocument>;
  if (!d || typeof d !== "object" || d.formatVersion !== PLAN_FORMAT_VERSION || !Array.isArray(d.resources)) {
    throw new Error(`${source} is not an offline plan (formatVersion ${PLAN_FORMAT_VERSION} with resources); produce one with \`npm run plan -- <stack>\``);
  }
  return d as PlanDocument;
}
