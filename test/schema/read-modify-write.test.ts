/**
 * Property test over real HTTP: at least 1,000 random read-modify-write rounds of the schema
 * provider against the Graph emulator, with edits by others between rounds and transient faults
 * during them; nothing outside the owned slice is ever lost or changed (see rounds.ts).
 */
import { createSynchronizationSchemaProvider } from "../../components/schema/synchronization-schema";
import { useGraphEmulator } from "../graph-emulator/jest-lifecycle";
import { runReadModifyWriteRounds } from "./rounds";

const TOKEN = "rmw-emulator-token";
const graph = useGraphEmulator(TOKEN);

test("1,000 random read-modify-write rounds never lose or change anything outside the owned slice", async () => {
  const provider = createSynchronizationSchemaProvider({ retry: { maxRetries: 4, retryDelayInMs: 1, maxRetryDelayInMs: 4 }, requestTimeoutMs: 2000 });
  const stats = await runReadModifyWriteRounds({ provider, emulator: graph.emulator, tenantId: "11111111-2222-3333-4444-555555555555", runs: 250, roundsPerRun: 4 });
  expect(stats.rounds).toBeGreaterThanOrEqual(1000);
  expect(stats.runs).toBe(250);
  // The generators do reach the interesting cases.
  expect(stats.writes).toBeGreaterThan(500);
  expect(stats.faults.status + stats.faults.drop + stats.faults.delay).toBeGreaterThan(300);
  expect(stats.faults.drop).toBeGreaterThan(0);
});
