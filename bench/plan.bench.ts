/**
 * `npm run bench:plan`: offline plan time and peak memory for 10, 100 and 1,000 assigned groups, next to
 * the bare SDK registering the same azuread resources under the same mocks, as ratios.
 * Target: ours ≤ 1.25× the bare SDK at 1,000 groups. Figures are printed, not asserted.
 */
import { execFileSync } from "child_process";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

function measure(kind: "ours" | "bare", groups: number): { ms: number; maxRssMb: number } {
  const out = execFileSync(tsx, [path.join(__dirname, "plan-worker.ts"), kind, String(groups), String(REPEATS)], { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 });
  const { ms, maxRssMb } = JSON.parse(out) as { ms: number[]; maxRssMb: number };
  const sorted = [...ms].sort((a, b) => a - b);
  return { ms: sorted[Math.floor(sorted.length / 2)], maxRssMb };
}

const rows: string[][] = [["groups", "ours ms", "bare ms", "time ratio", "ours peak MB", "bare peak MB", "memory ratio"]];
let ratioAt1000 = NaN;
for (const groups of [10, 100, 1000]) {
  const bare = measure("bare", groups);
  const ours = measure("ours", groups);
  const ratio = ours.ms / bare.ms;
  if (groups === 1000) ratioAt1000 = ratio;
  rows.push([String(groups), ours.ms.toFixed(0), bare.ms.toFixed(0), `${ratio.toFixed(2)}x`, ours.maxRssMb.toFixed(0), bare.maxRssMb.toFixed(0), `${(ours.maxRssMb / bare.maxRssMb).toFixed(2)}x`]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
process.stdout.write(`Offline plan benchmark (median of ${REPEATS} runs per cell; each cell in a fresh process)\n`);
for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padStart(widths[i])).join("  ")}\n`);
process.stdout.write(`\nTarget at 1,000 groups: ours <= 1.25x bare. Measured: ${ratioAt1000.toFixed(2)}x (${ratioAt1000 <= 1.25 ? "met" : "NOT met"})\n`);
