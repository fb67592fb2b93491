/**
 * Every suite once against the unseeded emulator, then the engine-level suites again, each under an emulator seed
 * that varies what the official models leave open (emulator/vary.ts). The seeds differ from run to run (drawn here;
 * `CERTAPPLY_SEED_BASE=N` gives seeds N, N+1, N+2 again): a failure is reported under its project name ("seed N"),
 * and `CERTAPPLY_EMULATOR_SEED=N npx jest <file>` replays it.
 */
const { randomInt } = require("node:crypto");

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

/** The first seed of this run: CERTAPPLY_SEED_BASE, else drawn (Pebble-like: each run tries other replies). */
const SEED_BASE = Number(process.env.CERTAPPLY_SEED_BASE) || 1 + randomInt(1_000_000);
process.env.CERTAPPLY_SEED_BASE = String(SEED_BASE);

/** Seed → the engine-level suites that run under it (one cloud per seed keeps `npm test` within its time). */
const SEEDED = [
  ["tencent", "purchase"],
  ["huawei", "huawei-paid"],
  ["edgecast", "renewal", "edgecast-renewal-stored"],
].map((suites, i) => [SEED_BASE + i, suites]);

/** The seeded fault runs, minutes each (jest.faults.config.js runs them; CI runs both). */
const FAULT_RUNS = ["/test/faults/(tencent|huawei|edgecast|tencent-purchase|huawei-purchase|huawei-renewal|edgecast-renewal)\\.test\\.ts$"];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    // The seeded fault runs take minutes: `npm run test:faults`.
    { ...base, displayName: "unseeded", testPathIgnorePatterns: ["/node_modules/", ...FAULT_RUNS] },
    ...SEEDED.map(([seed, suites]) => ({
      ...base,
      displayName: `seed ${seed}`,
      testMatch: suites.map((s) => `**/test/engine/${s}.test.ts`),
      globals: { CERTAPPLY_EMULATOR_SEED: seed },
    })),
  ],
};
