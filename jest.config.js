/**
 * Every suite once against the unseeded emulator, then engine-level suites again, each under an emulator seed that
 * varies what the official models leave open (emulator/vary.ts): a failure there is reported under its project name
 * ("seed N"); `CERTAPPLY_EMULATOR_SEED=N npx jest <file>` replays it.
 */
const base = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleNameMapper: {
    "^certapply$": "<rootDir>/sdk/index.ts",
    "^certapply/provider$": "<rootDir>/provider/index.ts",
    "^certapply/emulator$": "<rootDir>/emulator/index.ts",
  },
};

/** Seed → the engine-level suites that run under it (one cloud per seed keeps `npm test` within its time). */
const SEEDED = [
  [1, ["tencent"]],
  [2, ["huawei"]],
  [3, ["edgecast"]],
];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    { ...base, displayName: "unseeded" },
    ...SEEDED.map(([seed, suites]) => ({
      ...base,
      displayName: `seed ${seed}`,
      testMatch: suites.map((s) => `**/test/engine/${s}.test.ts`),
      globals: { CERTAPPLY_EMULATOR_SEED: seed },
    })),
  ],
};
