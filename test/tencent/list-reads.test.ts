/**
 * Shared list reads (provider/resources/status-batch.ts) on Tencent, through the resource layer's diff and update
 * against the emulator over real HTTP and signing: one DescribeCertificates page answers the Diffs of many settled
 * certificates; what the page does not settle is read directly with DescribeCertificateDetail.
 */
import { Emulator } from "../../emulator/server";
import { toSubmitRequest } from "../../provider/clouds/tencent/backend";
import { diff, update } from "../../provider/resources/application";
import { configure } from "../../provider/resources/context";
import { normalizeInputs } from "../../provider/resources/normalize";
import { LIST_WINDOW_MS, listPagesRead, resetListReads } from "../../provider/resources/status-batch";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { storedOutputs } from "../support";
import { tencentInputs as declared } from "./helpers";

const emulator = new Emulator();
/** Inputs as check() leaves them, so the stored outputs match them field for field. */
const tencentInputs = (id: string, over: Partial<ApplicationInputs> = {}): ApplicationInputs => normalizeInputs(declared(id, over));

beforeAll(async () => {
  await emulator.start();
  const cfg: Record<string, string> = { ...emulator.stackConfig(), "certapply:pollIntervalMs": "10" };
  configure({ get: (k: string) => cfg[k] });
});
afterAll(async () => {
  configure(undefined);
  await emulator.stop();
});
beforeEach(() => {
  emulator.reset();
  resetListReads();
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

async function tc(command: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await emulator.tencent.control(command, body);
  if (r.status !== 200) throw new Error(`${command}: ${JSON.stringify(r.body)}`);
  return r.body as Record<string, unknown>;
}

/** A certificate submitted (0) for `inputs`-like content; issued (1) unless `issue` is false. */
async function certificate(issue = true): Promise<string> {
  const { certificateId } = emulator.tencent.seed({ productType: "dv" });
  await tc("submit", { certificateId, materials: toSubmitRequest(certificateId, declared(certificateId)) });
  if (issue) await tc("issue", { certificateId });
  return certificateId;
}

const stored = (inputs: ApplicationInputs, status: ApplicationOutputs["status"], rawStatus: string): ApplicationOutputs =>
  storedOutputs(inputs, String(inputs.certificateId), { status, rawStatus });

const requests = (action: string, id?: string) =>
  emulator.log.filter((e) => e.cloud === "tencent" && e.action === action && (id === undefined || JSON.stringify(e).includes(id))).length;

test("one list page answers the Diffs of many issued certificates: two direct reads in all", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push(await certificate());
  emulator.clearLog();
  for (const id of ids) {
    const i = tencentInputs(id);
    await expect(diff(id, stored(i, "issued", "1"), i)).resolves.toEqual({ changes: false });
  }
  expect(requests("DescribeCertificates")).toBe(1);
  expect(listPagesRead()).toBe(1);
  // The first Diff reads only its own certificate; the second reads its own beside the page; the page answers the rest.
  expect(requests("DescribeCertificateDetail")).toBe(2);
});

test("what a page does not settle is read directly: in flight, a content change, an id the page does not show", async () => {
  const issued = [await certificate(), await certificate(), await certificate()];
  const inFlight = await certificate(false);
  emulator.clearLog();
  for (const id of issued) await diff(id, stored(tencentInputs(id), "issued", "1"), tencentInputs(id));
  expect(requests("DescribeCertificateDetail")).toBe(2);
  emulator.clearLog();

  // Under review (0) in the page: the plan needs the live detail.
  await expect(diff(inFlight, stored(tencentInputs(inFlight), "under-review", "0"), tencentInputs(inFlight))).resolves.toEqual({ changes: false });
  expect(requests("DescribeCertificateDetail", inFlight)).toBe(1);

  // Issued in the page, but a content change: the refusal is decided on the direct read.
  const changed = tencentInputs(issued[1], { admin: { ...tencentInputs(issued[1]).admin, email: "new@example.com" } });
  await expect(diff(issued[1], stored(tencentInputs(issued[1]), "issued", "1"), changed)).rejects.toThrow(/is issued, so admin.email cannot change/);
  expect(requests("DescribeCertificateDetail", issued[1])).toBe(1);

  // Issued in the page, but resubmitTrigger changed: a plan that writes is only ever made on the direct read.
  const trigger = tencentInputs(issued[2], { resubmitTrigger: "again" });
  await diff(issued[2], stored(tencentInputs(issued[2]), "issued", "1"), trigger).catch(() => undefined);
  expect(requests("DescribeCertificateDetail", issued[2])).toBe(1);

  // Issued after the last page was read: no page shows it, so it is read directly (and no new sweep starts within the window).
  const late = await certificate();
  emulator.clearLog();
  await expect(diff(late, stored(tencentInputs(late), "issued", "1"), tencentInputs(late))).resolves.toEqual({ changes: false });
  expect(requests("DescribeCertificateDetail", late)).toBe(1);
  expect(requests("DescribeCertificates")).toBe(0);
});

test("a list status is only kept for the window: after it, the Diffs read directly and list again", async () => {
  const ids = [await certificate(), await certificate(), await certificate()];
  const now = Date.now();
  const clock = jest.spyOn(Date, "now");
  clock.mockReturnValue(now);
  for (const id of ids) await diff(id, stored(tencentInputs(id), "issued", "1"), tencentInputs(id));
  expect(listPagesRead()).toBe(1);
  emulator.clearLog();
  clock.mockReturnValue(now + LIST_WINDOW_MS + 1);
  for (const id of ids) await diff(id, stored(tencentInputs(id), "issued", "1"), tencentInputs(id));
  expect(requests("DescribeCertificateDetail", ids[0])).toBe(1);
  expect(requests("DescribeCertificateDetail", ids[1])).toBe(1);
  expect(requests("DescribeCertificateDetail", ids[2])).toBe(0);
  expect(listPagesRead()).toBe(2);
});

test("a stack of one application reads only its own certificate", async () => {
  const id = await certificate();
  emulator.clearLog();
  await diff(id, stored(tencentInputs(id), "issued", "1"), tencentInputs(id));
  expect(emulator.log.map((e) => e.action)).toEqual(["DescribeCertificateDetail"]);
});

test("no write follows a list-only status: an update reads its certificate directly before it writes", async () => {
  const ids = [await certificate(), await certificate(false), await certificate()];
  // The page is read while both are listed (a second application's Diff in a row starts it); the second one then
  // times out (2 with the DCV timeout message).
  await diff(ids[0], stored(tencentInputs(ids[0]), "issued", "1"), tencentInputs(ids[0]));
  await diff(ids[2], stored(tencentInputs(ids[2]), "issued", "1"), tencentInputs(ids[2]));
  expect(listPagesRead()).toBe(1);
  await tc("timeout", { certificateId: ids[1] });
  emulator.clearLog();
  const i = tencentInputs(ids[1], { autoResubmit: "timeout", waitFor: "submitted" });
  const { outs } = await update(ids[1], stored(i, "under-review", "0"), i);
  expect(outs.resubmitCount).toBe(1);
  const actions = emulator.log.filter((e) => e.cloud === "tencent").map((e) => e.action);
  expect(actions[0]).toBe("DescribeCertificateDetail");
  expect(actions).not.toContain("DescribeCertificates");
  expect(actions.indexOf("ModifyCertificateResubmit")).toBeGreaterThan(0);
});
