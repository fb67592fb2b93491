/**
 * Shared list reads (provider/resources/status-batch.ts) on Huawei, through the resource layer's diff and update
 * against the emulator over real HTTP and AK/SK signing: ListCertificates pages (50 a page) answer the Diffs of
 * settled certificates, and a status seen only in a page never leads to (or holds back) a write.
 */
import { Emulator } from "../../emulator";
import { resetHuaweiClientState } from "../../provider/clouds/huawei/client";
import { diff, update } from "../../provider/resources/application";
import { configure } from "../../provider/resources/context";
import { normalizeInputs } from "../../provider/resources/normalize";
import { listPagesRead, resetListReads } from "../../provider/resources/status-batch";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { storedOutputs } from "../support";
import { appInputs, control, seed } from "./helpers";

const emu = new Emulator();

beforeAll(async () => {
  await emu.start();
  const cfg: Record<string, string> = { ...emu.stackConfig(), "certapply:pollIntervalMs": "10", "certapply:rateLimits": JSON.stringify({ "huawei:*": 40 }) };
  configure({ get: (k: string) => cfg[k] });
});
afterAll(async () => {
  configure(undefined);
  await emu.stop();
});
beforeEach(() => {
  emu.reset();
  resetHuaweiClientState();
  resetListReads();
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

const inputs = (id: string, over: Record<string, unknown> = {}): ApplicationInputs => normalizeInputs(appInputs(id, over));
const stored = (i: ApplicationInputs, status: ApplicationOutputs["status"], rawStatus: string): ApplicationOutputs =>
  storedOutputs(i, String(i.certificateId), { status, rawStatus });

async function set(id: string, command: string, body: Record<string, unknown> = {}): Promise<void> {
  const r = await control(emu, command, { id, ...body });
  if (r.status !== 200) throw new Error(`${command}: ${JSON.stringify(r.json)}`);
}

/** A certificate applied for outside the test's provider calls, then issued. */
async function issued(): Promise<string> {
  const id = await seed(emu);
  await set(id, "apply", { body: { domain: "www.example.com", applicant_name: "Emily_Chen", applicant_phone: "13212345678", applicant_email: "emily@example.com", key_algorithm: "EC_P256" } });
  // An EC key: 60 RSA keys per test were most of this file's time, and no list read looks at the key.
  await set(id, "issue");
  return id;
}

/** Requests the cloud served: a gateway throttle (50/s per credential, while each action is paced at 40/s) is retried, not read twice. */
const served = () => emu.log.filter((e) => e.cloud === "huawei" && e.code !== "APIG.0308");
const requests = (action: string, id?: string) => served().filter((e) => e.action === action && (id === undefined || JSON.stringify(e).includes(id))).length;

test("list pages of 50 answer the Diffs of 60 issued certificates: three direct reads", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) ids.push(await issued());
  emu.clearLog();
  for (const id of ids) await expect(diff(id, stored(inputs(id), "issued", "ISSUED"), inputs(id))).resolves.toEqual({ changes: false });
  expect(requests("ListCertificates")).toBe(2);
  expect(listPagesRead()).toBe(2);
  // Newest first, so the first Diffs' certificates are on page 2: the first Diff reads alone, the second beside
  // page 1, the third beside page 2; the other 57 are answered by the pages.
  expect(requests("ShowCertificate")).toBe(3);
  // Only those reads fetch the certificate too (the stored state has none): a list status needs no export.
  expect(requests("ExportCertificate")).toBe(3);
}, 180_000);

test("no write follows a list-only status: a Diff answered by a page plans nothing, the update decides on its own read", async () => {
  const [first, second, primer] = [await issued(), await issued(), await issued()];
  // A second application's Diff in a row starts the pages.
  await diff(first, stored(inputs(first), "issued", "ISSUED"), inputs(first));
  await diff(primer, stored(inputs(primer), "issued", "ISSUED"), inputs(primer));
  expect(listPagesRead()).toBe(1);
  // The page showed `second` issued; the cloud now says UNPASSED, which autoResubmit "failure" answers with apply.
  await set(second, "status", { status: "UNPASSED" });
  const news = inputs(second, { autoResubmit: "failure", waitFor: "submitted" });
  const olds = stored(news, "issued", "ISSUED");
  emu.clearLog();
  await expect(diff(second, olds, news)).resolves.toEqual({ changes: false });
  expect(served().map((e) => e.action)).toEqual([]);

  const { outs } = await update(second, olds, news);
  const actions = served().map((e) => e.action);
  expect(actions[0]).toBe("ShowCertificate");
  expect(actions).toContain("ApplyCertificate");
  expect(actions).not.toContain("ListCertificates");
  expect(outs.resubmitCount).toBe(1);
});

test("a certificate a page shows in flight is read directly, and its Diff plans from that read", async () => {
  const done = await issued();
  const rejected = await issued();
  await set(rejected, "status", { status: "UNPASSED" });
  emu.clearLog();
  await diff(done, stored(inputs(done), "issued", "ISSUED"), inputs(done));
  await diff(done, stored(inputs(done), "issued", "ISSUED"), inputs(done));
  const news = inputs(rejected, { autoResubmit: "failure" });
  await expect(diff(rejected, stored(news, "failed", "UNPASSED"), news)).resolves.toEqual({ changes: true, replaces: [] });
  expect(requests("ShowCertificate", rejected)).toBe(1);
  expect(requests("ListCertificates")).toBe(1);
});

test("expired and revoked certificates are answered by the page too; a withdrawal under review is not", async () => {
  const [a, b, c, d, primer] = [await issued(), await issued(), await issued(), await issued(), await issued()];
  await set(b, "status", { status: "EXPIRED" });
  await set(c, "status", { status: "REVOKED" });
  await set(d, "status", { status: "CANCELCHECKING" });
  emu.clearLog();
  await diff(a, stored(inputs(a), "issued", "ISSUED"), inputs(a));
  await diff(primer, stored(inputs(primer), "issued", "ISSUED"), inputs(primer));
  emu.clearLog();
  await expect(diff(b, stored(inputs(b), "expired", "EXPIRED"), inputs(b))).resolves.toEqual({ changes: false });
  await expect(diff(c, stored(inputs(c), "revoked", "REVOKED"), inputs(c))).resolves.toEqual({ changes: false });
  await diff(d, stored(inputs(d), "cancelling", "CANCELCHECKING"), inputs(d));
  expect(served().map((e) => e.action)).toEqual(["ShowCertificate"]);
  expect(requests("ShowCertificate", d)).toBe(1);
});

/** A certificate applied for outside the test's provider calls, left under review. */
async function underReview(): Promise<string> {
  const id = await seed(emu);
  await set(id, "apply", { body: { domain: "www.example.com", applicant_name: "Emily_Chen", applicant_phone: "13212345678", applicant_email: "emily@example.com" } });
  return id;
}

test("a stack in flight stops the pages: once they show more Diffs in flight than settled, no Diff waits for or starts one", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) ids.push(await underReview());
  const news = (id: string) => inputs(id, { waitFor: "submitted" });
  emu.clearLog();
  // Newest first, as the list: page 1 shows the first 50 Diffs' certificates under review; the last 10 are on page 2.
  for (const id of [...ids].reverse()) await diff(id, stored(news(id), "under-review", "CHECKING"), news(id));
  expect(requests("ShowCertificate")).toBe(60);
  expect(requests("ListCertificates")).toBe(1);
});

test("a stale stored status stops the pages too: the page shows issued, the plan records it, each Diff reads directly", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) ids.push(await issued());
  emu.clearLog();
  for (const id of [...ids].reverse()) {
    const i = inputs(id, { waitFor: "submitted" });
    await expect(diff(id, stored(i, "under-review", "CHECKING"), i)).resolves.toEqual({ changes: true, replaces: [] });
  }
  expect(requests("ShowCertificate")).toBe(60);
  expect(requests("ListCertificates")).toBe(1);
}, 180_000);

test("pages that answer keep coming: newest first, the 60 issued certificates' Diffs read three directly and two pages", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) ids.push(await issued());
  emu.clearLog();
  for (const id of [...ids].reverse()) await expect(diff(id, stored(inputs(id), "issued", "ISSUED"), inputs(id))).resolves.toEqual({ changes: false });
  expect(requests("ListCertificates")).toBe(2);
  // The first two Diffs, and the first (or, more than 2 s after the second, the first two) of those on page 2.
  expect(requests("ShowCertificate")).toBeGreaterThanOrEqual(3);
  expect(requests("ShowCertificate")).toBeLessThanOrEqual(4);
}, 180_000);
