/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // Pulumi keeps its runtime state on globalThis; jest 30's globals cleanup warns about it.
  testEnvironmentOptions: { globalsCleanup: "off" },
  roots: ["<rootDir>"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/bin/"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  testTimeout: 120000,
  reporters: ["default", "<rootDir>/test/support/closing-line-reporter.js"],
};
