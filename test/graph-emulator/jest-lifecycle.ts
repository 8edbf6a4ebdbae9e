/**
 * Jest lifecycle for suites that talk to the emulator through the schema provider: starts it before
 * the suite, points the provider's test-only token variable at it, and restores both afterwards.
 */
import { GRAPH_TOKEN_ENV } from "../../components/schema/graph-client";
import { GraphEmulator } from "./server";

export function useGraphEmulator(token: string): { readonly emulator: GraphEmulator } {
  let emulator: GraphEmulator | undefined;
  const saved = process.env[GRAPH_TOKEN_ENV];
  beforeAll(async () => {
    process.env[GRAPH_TOKEN_ENV] = token;
    emulator = await new GraphEmulator(token).start();
  });
  afterAll(async () => {
    await emulator?.stop();
    if (saved === undefined) delete process.env[GRAPH_TOKEN_ENV];
    else process.env[GRAPH_TOKEN_ENV] = saved;
  });
  return {
    get emulator() {
      if (!emulator) throw new Error("the Graph emulator is used outside a test");
      return emulator;
    },
  };
}
