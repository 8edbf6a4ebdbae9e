/** Human-readable renderings of a plan, a plan diff and a policy verdict: terminal text and Markdown. */
import { stringify } from "yaml";
import { PlanDiff, ValueChange } from "./diff";
import { PlanDocument, PlanResource, PolicyViolationRecord } from "./document";

const short = (type: string) => type.replace(/^azuread:index\/\w+:/, "azuread:").replace(/^pulumi-nodejs:dynamic:Resource$/, "dynamic:Resource");

function children(doc: PlanDocument, parent: string | undefined): PlanResource[] {
  return doc.resources.filter((r) => r.parent === parent);
}

/** The resource tree, like the top of `pulumi preview`. */
export function renderTree(doc: PlanDocument): string[] {
  const rows: [string, string, string][] = [["pulumi:pulumi:Stack", `${doc.project}-${doc.stack}`, "create"]];
  const walk = (parent: string | undefined, prefix: string) => {
    const list = children(doc, parent);
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const flags = [r.protect ? "protect" : "", r.inputs.resourceKind ? String(r.inputs.resourceKind).split(":").pop() : ""].filter(Boolean);
      rows.push([`${prefix}${last ? "└─ " : "├─ "}${short(r.type)}`, r.name, `create${flags.length ? `  [${flags.join(", ")}]` : ""}`]);
      walk(r.urn, `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk(undefined, "");
  const w0 = Math.max(4, ...rows.map((r) => r[0].length)) + 2;
  const w1 = Math.max(4, ...rows.map((r) => r[1].length)) + 2;
  return [`     ${"Type".padEnd(w0)}${"Name".padEnd(w1)}Plan`, ...rows.map(([t, n, p]) => ` +   ${t.padEnd(w0)}${n.padEnd(w1)}${p}`)];
}

function yamlBlock(value: unknown, indent: string): string[] {
  return stringify(value, { lineWidth: 0 })
    .trimEnd()
    .split("\n")
    .map((l) => `${indent}${l}`);
}

export function renderViolations(violations: readonly PolicyViolationRecord[], pack: string): string[] {
  if (violations.length === 0) return [`Policies: ${pack}: all policies passed`];
  const lines = [`Policy violations (${pack}):`];
  for (const v of violations) {
    lines.push(`    [${v.enforcementLevel}]  ${v.policy}  (${v.urn ?? "stack"})`);
    lines.push(`    ${v.message}`);
  }
  return lines;
}

/** The full terminal rendering: tree, each resource's inputs, outputs, policy verdict. */
export function renderPlanText(doc: PlanDocument): string {
  const lines = [`Offline plan of stack "${doc.stack}" (${doc.project}) — mode ${doc.mode}, Pulumi mocks, no cloud calls`, ""];
  lines.push(...renderTree(doc), "");
  lines.push("Resources and inputs:");
  for (const r of doc.resources) {
    lines.push(`  + ${r.type}  ${r.name}${r.protect ? "  (protected)" : ""}`);
    if (r.dependsOn.length) lines.push(`      dependsOn: ${r.dependsOn.map((u) => u.split("::").pop()).join(", ")}`);
    if (Object.keys(r.inputs).length) lines.push(...yamlBlock(r.inputs, "      "));
  }
  lines.push("", "Outputs:", ...yamlBlock(doc.outputs, "    "), "");
  const creates = doc.resources.length + 1;
  lines.push(`Resources:`, `    + ${creates} to create`, "");
  if (doc.policy) lines.push(...renderViolations(doc.policy.violations, doc.policy.pack));
  return `${lines.join("\n")}\n`;
}

const fmt = (v: unknown) => (v === undefined ? "∅" : JSON.stringify(v));
const changeLine = (c: ValueChange) => `${c.path}: ${fmt(c.before)} → ${fmt(c.after)}`;

export function renderDiffText(d: PlanDiff): string {
  const lines = ["Changes relative to the base plan:"];
  if (!d.added.length && !d.removed.length && !d.changed.length && !d.outputs.length) return "Changes relative to the base plan: none\n";
  for (const r of d.added) lines.push(`  + ${r.type}  ${r.name}  (added)`);
  for (const r of d.removed) lines.push(`  - ${r.type}  ${r.name}  (removed)`);
  for (const r of d.changed) {
    lines.push(`  ~ ${r.type}  ${r.name}  (${r.changes.length} change${r.changes.length === 1 ? "" : "s"})`);
    for (const c of r.changes) lines.push(`      ~ ${changeLine(c)}`);
  }
  if (d.outputs.length) {
    lines.push("  Outputs:");
    for (const c of d.outputs) lines.push(`      ~ ${changeLine(c)}`);
  }
  return `${lines.join("\n")}\n`;
}

const md = (s: string) => s.replace(/\|/g, "\\|");

/** A Markdown report for a pull-request comment or `$GITHUB_STEP_SUMMARY`. */
export function renderMarkdown(doc: PlanDocument, diff?: PlanDiff): string {
  const lines = [`### Offline plan: \`${doc.stack}\``, ""];
  if (doc.policy) {
    const v = doc.policy.violations;
    const mandatory = v.filter((x) => x.enforcementLevel === "mandatory").length;
    lines.push(`**Policy verdict (${doc.policy.pack}):** ${doc.policy.verdict === "pass" ? "✅ pass" : "❌ fail"} — ${mandatory} mandatory, ${v.length - mandatory} advisory violation(s)`, "");
    if (v.length) {
      lines.push("| Level | Policy | Resource | Message |", "|---|---|---|---|");
      for (const x of v) lines.push(`| ${x.enforcementLevel} | ${x.policy} | ${md(x.urn?.split("::").pop() ?? "stack")} | ${md(x.message)} |`);
      lines.push("");
    }
  }
  if (diff) {
    lines.push("#### Changes relative to the base branch", "");
    if (!diff.added.length && !diff.removed.length && !diff.changed.length && !diff.outputs.length) lines.push("No changes.", "");
    else {
      lines.push("```diff");
      for (const r of diff.added) lines.push(`+ ${r.type} ${r.name}`);
      for (const r of diff.removed) lines.push(`- ${r.type} ${r.name}`);
      for (const r of diff.changed) {
        lines.push(`! ${r.type} ${r.name}`);
        for (const c of r.changes) lines.push(`!     ${changeLine(c)}`);
      }
      for (const c of diff.outputs) lines.push(`! output ${changeLine(c)}`);
      lines.push("```", "");
    }
  }
  lines.push(`<details><summary>${doc.resources.length} resources</summary>`, "", "```", ...renderTree(doc), "```", "", "</details>", "");
  return lines.join("\n");
}
