/**
 * The bench's no-op phases (test/bench/pipeline.ts) make the requests their figures name, whatever the machine's
 * load: in flight one read per resource with the list reads on or off (on: plus one list page); once issued, the
 * first `up` reads each (the status moved); settled, `up` and `preview` read two certificates and one page, the same
 * `up` with the list reads taken out reads each, and the provider that costs nothing reaches no cloud.
 *
 * Loads the compiled dist/ (run `npm run build` first), as the engine tests do.
 */
import { Emulator } from "../../emulator/server";
import type { EmulatorLogEntry } from "../../emulator/types";
import { runPipelineProcess, type Phase, type PipelineResult } from "./pipeline";

const N = 4;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator().start();
});
afterAll(async () => {
  await emulator.stop();
});

function actionsDuring(r: PipelineResult, p: Phase): string[] {
  const phase = r.phases[p];
  if (!phase) throw new Error(`the ${p} run did not run`);
  return emulator.log
    .filter((e: EmulatorLogEntry) => {
      const t = Date.parse(e.time);
      return t >= phase.start && t <= phase.end;
    })
    .map((e) => e.action)
    .sort();
}

const times = (n: number, action: string): string[] => Array.from({ length: n }, () => action);

test("Tencent: in flight and settled, list reads on and off, up and preview, and the provider that costs nothing", async () => {
  const ids = Array.from({ length: N }, () => emulator.tencent.seed({ productType: "dv" }).certificateId);
  emulator.clearLog();
  const r = await runPipelineProcess({
    cloud: "tencent",
    config: { ...emulator.stackConfig(), "certapply:pollIntervalMs": "50" },
    ids,
    prefix: "np",
    parallel: N,
    noops: ["noopListOff", "noop", "noopIssued", "settledListOff", "noopSettled", "previewSettled", "null"],
    controlUrl: emulator.url,
  });
  expect(r.error).toBeUndefined();
  const detail = "DescribeCertificateDetail";
  const page = "DescribeCertificates";
  expect(actionsDuring(r, "noop")).toEqual([...times(N, detail), page].sort());
  expect(actionsDuring(r, "noopListOff")).toEqual(times(N, detail));
  expect(actionsDuring(r, "noopIssued")).toEqual([...times(N, detail), page].sort());
  expect(actionsDuring(r, "settledListOff")).toEqual(times(N, detail));
  // The first Diff reads its own certificate, the second its own beside the page, which answers the others.
  expect(actionsDuring(r, "noopSettled")).toEqual([detail, detail, page].sort());
  expect(actionsDuring(r, "previewSettled")).toEqual([detail, detail, page].sort());
  expect(actionsDuring(r, "null")).toEqual([]);
}, 240_000);
