/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleNameMapper: {
    "^certapply$": "<rootDir>/sdk/index.ts",
    "^certapply/provider$": "<rootDir>/provider/index.ts",
    "^certapply/emulator$": "<rootDir>/emulator/index.ts",
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
