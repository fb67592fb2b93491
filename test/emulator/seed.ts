/**
 * The emulator seed of this jest run: the seeded jest project's (jest.config.js `globals`), else the
 * `CERTAPPLY_EMULATOR_SEED` environment variable (to replay a seed), else none. Engine-level suites start their emulator with it, so the same suites run against replies varied by seed
 * (see emulator/vary.ts); jest names the project (`seed N`) in every failure, and the seed replays it.
 */
export function emulatorSeed(): number | undefined {
  const project = (globalThis as { CERTAPPLY_EMULATOR_SEED?: number }).CERTAPPLY_EMULATOR_SEED;
  if (project !== undefined) return project;
  const raw = process.env.CERTAPPLY_EMULATOR_SEED;
  if (raw === undefined || raw === "") return undefined;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`CERTAPPLY_EMULATOR_SEED must be a whole number, got ${raw}`);
  return seed;
}
