/**
 * Random read-modify-write rounds of the real provider over HTTP against the Graph emulator, checked
 * after every round: nothing outside the owned slice changed (compared as bytes), the slice reads
 * back as declared, and at the end delete gives back the owned fields the job started with. Between
 * rounds "someone else" edits the schema outside the slice, and each round may meet transient faults.
 * Used by test/schema/read-modify-write.test.ts and bench/schema-calls.bench.ts.
 */
import fc from "fast-check";
import type { ResolvedObjectMapping } from "../../components/mappings/merge";
import { describeSliceChanges, ObjectMappingRef, readSlice, recordOwnedFields, withoutOwnedFields } from "../../components/schema/slice";
import type { createSynchronizationSchemaProvider, SynchronizationSchemaInputs, SynchronizationSchemaOutputs } from "../../components/schema/synchronization-schema";
import { RESOURCE_KIND } from "../../components/schema/synchronization-schema";
import type { FaultRule, GraphEmulator } from "../graph-emulator";
import { schemaDocument, slice, sliceMeaning } from "./arbitraries";

type Provider = ReturnType<typeof createSynchronizationSchemaProvider>;

/** An edit outside the owned slice, as the portal or another tool might make between two runs. */
const foreignEdit = fc.oneof(
  fc.constant({ kind: "none" as const }),
  fc.record({ kind: fc.constant("ruleMetadata" as const), value: fc.string({ maxLength: 6 }) }),
  fc.record({ kind: fc.constant("directory" as const), value: fc.boolean() }),
  fc.record({ kind: fc.constant("rename" as const), value: fc.string({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant("addRule" as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant("dropExtraRules" as const) }),
  fc.record({ kind: fc.constant("topLevel" as const), value: fc.jsonValue({ maxDepth: 2 }) }),
);
type ForeignEdit = typeof foreignEdit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(doc: any, edit: ForeignEdit): void {
  switch (edit.kind) {
    case "none":
      return;
    case "ruleMetadata":
      doc.synchronizationRules[0].metadata.push({ key: "editedElsewhere", value: edit.value });
      return;
    case "directory":
      doc.directories[0].objects[0].attributes[0].required = edit.value;
      return;
    case "rename":
      doc.synchronizationRules[0].objectMappings[0].name = edit.value;
      return;
    case "addRule":
      doc.synchronizationRules.push({ id: `rule-${doc.synchronizationRules.length}`, name: "added elsewhere", objectMappings: [], metadata: [{ key: "payload", value: JSON.stringify(edit.value) }] });
      return;
    case "dropExtraRules":
      doc.synchronizationRules.splice(2);
      return;
    case "topLevel":
      doc["x-edited-elsewhere"] = edit.value;
      return;
  }
}

const transientFault: fc.Arbitrary<FaultRule> = fc.record({
  method: fc.constantFrom("GET", "PUT"),
  path: fc.constantFrom("/schema", "/schema", "/filterOperators"),
  fault: fc.constantFrom<FaultRule["fault"]>(
    { kind: "status", status: 429, retryAfterSeconds: 0 },
    { kind: "status", status: 429 },
    { kind: "status", status: 500 },
    { kind: "status", status: 502 },
    { kind: "status", status: 503 },
    { kind: "status", status: 503, retryAfterSeconds: 0 },
    { kind: "status", status: 504 },
    { kind: "drop" },
    { kind: "delay", ms: 15 },
  ),
});

const round = fc.record({ slice, edit: foreignEdit, faults: fc.array(transientFault, { maxLength: 2 }) });

export interface RoundStats {
  runs: number;
  rounds: number;
  /** Rounds in which the provider wrote the schema. */
  writes: number;
  /** Faults the emulator handed out; every one was survived, or the run would have failed. */
  faults: { status: number; drop: number; delay: number };
  /** Bytes outside the owned slice compared after each round (all equal). */
  bytesOutsideSliceCompared: number;
}

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

/**
 * Runs `runs` random sequences of `roundsPerRun` rounds (a create, then updates, then a delete).
 * Throws fast-check's report (with a counterexample) on the first violation.
 */
export async function runReadModifyWriteRounds(options: { provider: Provider; emulator: GraphEmulator; tenantId: string; runs: number; roundsPerRun: number; seed?: number }): Promise<RoundStats> {
  const { provider, emulator } = options;
  const stats: RoundStats = { runs: 0, rounds: 0, writes: 0, faults: { status: 0, drop: 0, delay: 0 }, bytesOutsideSliceCompared: 0 };
  let jobNumber = 0;
  await fc.assert(
    fc.asyncProperty(schemaDocument, fc.array(round, { minLength: options.roundsPerRun, maxLength: options.roundsPerRun }), async (initial, rounds) => {
      const jobId = `rmw.0a1b2c3d.${String(++jobNumber).padStart(8, "0")}`;
      const job = emulator.addJob({ servicePrincipalId: "00000000-0000-0000-0000-0000000000ee", jobId, schema: initial });
      const inputs = (objectMappings: ResolvedObjectMapping[]): SynchronizationSchemaInputs => ({ resourceKind: RESOURCE_KIND, tenantId: options.tenantId, synchronizationJobId: job, objectMappings, graphBaseUrl: emulator.baseUrl });
      const owned = new Map<string, ObjectMappingRef>();
      let outs: SynchronizationSchemaOutputs | undefined;
      for (const r of rounds) {
        const edited = emulator.schema(job);
        applyEdit(edited, r.edit);
        emulator.setSchema(job, edited);
        const before = emulator.schemaText(job);
        emulator.clearFaults();
        emulator.resetCalls();
        r.faults.forEach((f) => emulator.inject(f));
        outs = outs ? (await provider.update!(outs.synchronizationJobId, outs, inputs(r.slice))).outs! : (await provider.create(inputs(r.slice))).outs!;
        for (const kind of ["status", "drop", "delay"] as const) stats.faults[kind] += emulator.faultsInjected[kind];
        if (emulator.count("PUT") > 0) stats.writes++;
        emulator.clearFaults();

        r.slice.forEach((om) => owned.set(`${om.sourceObjectName}\u0000${om.targetObjectName}`, om));
        const refs = [...owned.values()];
        const after = emulator.schema(job);
        const outsideBefore = JSON.stringify(withoutOwnedFields(JSON.parse(before), refs));
        const outsideAfter = JSON.stringify(withoutOwnedFields(after, refs));
        check(outsideAfter === outsideBefore, () => `content outside the owned slice changed:\nbefore ${outsideBefore}\nafter  ${outsideAfter}`);
        stats.bytesOutsideSliceCompared += Buffer.byteLength(outsideAfter);
        const read = readSlice(after, r.slice);
        check(JSON.stringify(sliceMeaning(read)) === JSON.stringify(sliceMeaning(r.slice)), () => `the slice reads back differently: ${describeSliceChanges(read, r.slice).join("; ")}`);
        check(JSON.stringify(sliceMeaning(outs!.objectMappings)) === JSON.stringify(sliceMeaning(r.slice)), () => "the outputs do not show the slice as applied");
        stats.rounds++;
      }
      await provider.delete!(outs!.synchronizationJobId, outs!);
      const refs = [...owned.values()];
      const restored = JSON.stringify(recordOwnedFields(emulator.schema(job), refs));
      const original = JSON.stringify(recordOwnedFields(initial, refs));
      check(restored === original, () => `delete did not restore the owned fields:\nexpected ${original}\ngot      ${restored}`);
      stats.runs++;
    }),
    { numRuns: options.runs, seed: options.seed, endOnFailure: true },
  );
  return stats;
}
