/** The local Graph emulator (test support; also used by bench/schema-calls.bench.ts). */
export * from "./fixtures";
export * from "./server";
