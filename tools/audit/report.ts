/**
 * The audit of one or many tenant states: read each file, describe it (extract.ts), re-evaluate the
 * guardrails on it (policy.ts), and collect what could not be read. The result is plain, secret-free
 * data: the JSON summary is this object, and the Markdown and HTML reports are renderings of it.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { auditState, Finding, TenantAudit } from "./extract";
import { AuditVerdict, evaluateState } from "./policy";
import { ParsedState, readStateFile, StateInputError } from "./state";

export const AUDIT_FORMAT_VERSION = 1;

export interface InputRecord {
  readonly file: string;
  readonly ok: boolean;
  /** Why the file was rejected. */
  readonly error?: string;
}

export interface TenantReport {
  readonly audit: TenantAudit;
  /** The pack's verdict on the recorded state, or why it could not be evaluated. */
  readonly policy: AuditVerdict | { readonly error: string };
}

export interface AuditReport {
  readonly formatVersion: number;
  readonly generatedAt: string;
  readonly inputs: readonly InputRecord[];
  readonly tenants: readonly TenantReport[];
}

export interface BuiltReport {
  readonly report: AuditReport;
  /** Every secret text found in the inputs; renderers' output is scrubbed of them before it is written. */
  readonly secretTexts: ReadonlySet<string>;
}

export interface BuildOptions {
  readonly policyConfig?: PolicyPackConfig;
  /** The report's timestamp (tests pin it). */
  readonly now?: Date;
  /** Reads a state; defaults to reading the file (tests may pass parsed states). */
  readonly read?: (file: string) => ParsedState;
}

export const isVerdict = (p: TenantReport["policy"]): p is AuditVerdict => "verdict" in p;

/** Reads and audits every file; a rejected file is recorded, not thrown. */
export function buildAuditReport(files: readonly string[], options: BuildOptions = {}): BuiltReport {
  const read = options.read ?? readStateFile;
  const inputs: InputRecord[] = [];
  const tenants: TenantReport[] = [];
  const secretTexts = new Set<string>();
  for (const file of files) {
    let state: ParsedState;
    try {
      state = read(file);
    } catch (e) {
      if (!(e instanceof StateInputError)) throw e;
      inputs.push({ file, ok: false, error: e.reason });
      continue;
    }
    inputs.push({ file, ok: true });
    const { audit, view } = auditState(state);
    for (const t of view.inventory.scrub) secretTexts.add(t);
    let policy: TenantReport["policy"];
    try {
      policy = evaluateState(view, options.policyConfig);
    } catch (e) {
      policy = { error: (e as Error).message };
    }
    tenants.push({ audit, policy });
  }

  // The same stack given twice (an export and a checkpoint, or two exports) is reported twice, flagged.
  const byStack = new Map<string, TenantReport[]>();
  for (const t of tenants) byStack.set(`${t.audit.project}/${t.audit.stack}`, [...(byStack.get(`${t.audit.project}/${t.audit.stack}`) ?? []), t]);
  const withDuplicates = tenants.map((t) => {
    const same = byStack.get(`${t.audit.project}/${t.audit.stack}`)!;
    if (same.length < 2) return t;
    const others = same.filter((o) => o !== t).map((o) => o.audit.source.file);
    const finding: Finding = { severity: "warning", message: `stack "${t.audit.stack}" is also given as ${others.join(", ")}; each file is reported as it is (last update ${t.audit.lastUpdate} here)` };
    return { ...t, audit: { ...t.audit, findings: [...t.audit.findings, finding] } };
  });
  return {
    report: { formatVersion: AUDIT_FORMAT_VERSION, generatedAt: (options.now ?? new Date()).toISOString(), inputs, tenants: withDuplicates },
    secretTexts,
  };
}

/**
 * 2 when a file could not be read; 1 when a tenant fails its guardrails, or its state is partial or
 * failed (an error finding); 0 otherwise.
 */
export function exitCodeOf(report: AuditReport): number {
  if (report.inputs.some((i) => !i.ok)) return 2;
  const failing = report.tenants.some((t) => (isVerdict(t.policy) ? t.policy.verdict === "fail" : true) || t.audit.findings.some((f) => f.severity === "error"));
  return failing ? 1 : 0;
}
