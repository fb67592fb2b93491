/**
 * Renewal (`renewBeforeDays`) on Edgecast against the emulator: the plan says why with the dates, `PUT …/renew` is
 * sent once (a lost reply is read back), a renewal under way is never planned again, `autoRenew` on is followed
 * instead of renewed, outside the window nothing is planned, and clouds without renewal warn.
 */
import { edgecastBackend } from "../../provider/clouds/edgecast/backend";
import { tencentBackend } from "../../provider/clouds/tencent/backend";
import { update } from "../../provider/resources/application";
import type { CloudContext } from "../../provider/resources/backend";
import { decide } from "../../provider/resources/plan";
import type { ApplicationInputs } from "../../provider/resources/types";
import { storedOutputs } from "../support";
import { control, dv, edgecastConfig, useEdgecastEmulator } from "./helpers";

let ctx: CloudContext;
let logs: string[];
const emulator = useEdgecastEmulator((c, l) => {
  ctx = c;
  logs = l;
});

const DAY = 86_400_000;
const ENV: Record<string, string> = {};
beforeAll(() => {
  const cfg = edgecastConfig(emulator);
  const env = {
    CERTAPPLY_EDGECAST_API_URL: cfg["certapply:edgecastApiUrl"],
    CERTAPPLY_EDGECAST_IDS_URL: cfg["certapply:edgecastIdsUrl"],
    EDGECAST_CLIENT_ID: cfg["certapply:edgecastClientId"],
    EDGECAST_CLIENT_SECRET: cfg["certapply:edgecastClientSecret"],
    CERTAPPLY_POLL_INTERVAL_MS: "10",
    CERTAPPLY_RETRY_BASE_DELAY_MS: "5",
  };
  for (const [k, v] of Object.entries(env)) {
    ENV[k] = process.env[k] ?? "\u0000";
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(ENV)) {
    if (v === "\u0000") delete process.env[k];
    else process.env[k] = v;
  }
});

/** An issued request expiring `daysLeft` days from now; its stored outputs hold no certificate yet, so reads fetch it. */
async function issued(inputs: ApplicationInputs, daysLeft: number) {
  const { applicationId: id } = await edgecastBackend.submit(ctx, inputs);
  await control(emulator, "issue", { id: Number(id) });
  await control(emulator, "age", { id: Number(id), daysLeft });
  // What state holds once a run has seen the certificate issued.
  return { id, olds: storedOutputs(inputs, id, {}, await edgecastBackend.read(ctx, id)) };
}
const planOf = async (id: string, olds: ReturnType<typeof storedOutputs>, news: ApplicationInputs) =>
  decide(edgecastBackend, olds, news, { live: await edgecastBackend.read(ctx, id) }, Date.now());
const state = async (id: string) => control(emulator, "state", { id: Number(id) });
const renews = () => emulator.log.filter((e) => e.action === "PUT /v2.0/certificates/{id}/renew");

test("inside the window with autoRenew off: the plan gives the dates, up sends PUT …/renew once, and the next plan waits for it", async () => {
  const inputs = dv({ edgecast: { autoRenew: false } });
  const { id, olds } = await issued(inputs, 20);
  const news = { ...inputs, renewBeforeDays: 30 };
  const expires = new Date(Date.parse(String((await state(id)).expirationDate))).toISOString().slice(0, 10);
  const plan = await planOf(id, olds, news);
  expect(plan).toEqual({ kind: "renew", reason: `expires ${expires}, in 19 days; renewing 30 days ahead: PUT …/renew (a new paid order; the current certificate stays in service until the renewal is issued)` });

  const { outs } = await update(id, olds, news);
  expect(renews()).toHaveLength(1);
  expect(await state(id)).toMatchObject({ orderStatus: "PendingRenewal", renewCount: 1 });
  expect(outs).toMatchObject({ applicationId: id, status: "issued", renewBeforeDays: 30 });

  const again = await planOf(id, outs, news);
  expect(again).toMatchObject({ kind: "none", reason: expect.stringMatching(/renewing 30 days ahead: a renewal is under way \(order PendingRenewal\)/) });

  await control(emulator, "renewed", { id: Number(id) });
  const after = await planOf(id, { ...outs, certificate: undefined }, news);
  expect(after.kind).toBe("none");
  expect(after.reason ?? "").not.toMatch(/renew/);
});

test("a lost PUT …/renew reply is read back: the renewal is not sent twice", async () => {
  const inputs = dv({ edgecast: { autoRenew: false } });
  const { id, olds } = await issued(inputs, 10);
  emulator.injectFault({ cloud: "edgecast", action: "PUT /v2.0/certificates/{id}/renew", kind: "commit-then-drop", count: 1 });
  const live = (await edgecastBackend.read(ctx, id))!;
  await edgecastBackend.renew?.(ctx, id, live, olds, { ...inputs, renewBeforeDays: 30 });
  expect(renews()).toHaveLength(1);
  expect((await state(id)).renewCount).toBe(1);
  expect(logs.join("\n")).toMatch(/the renewal of request \d+ went through although its reply was lost/);
});

test("autoRenew on (Edgecast's default): the CA's renewal is followed, nothing is sent", async () => {
  const inputs = dv();
  const { id, olds } = await issued(inputs, 40);
  const plan = await planOf(id, olds, { ...inputs, renewBeforeDays: 60 });
  expect(plan).toMatchObject({ kind: "none", reason: expect.stringMatching(/renewing 60 days ahead: edgecast.autoRenew is on: Edgecast renews about 60 days before expiry by itself/) });
  await control(emulator, "autorenew", { id: Number(id) });
  expect(await planOf(id, olds, { ...inputs, renewBeforeDays: 60 })).toMatchObject({ kind: "none", reason: expect.stringMatching(/order AwaitingRenewal/) });
  expect(renews()).toHaveLength(0);
});

test("outside the window, or without renewBeforeDays, nothing is planned (one read)", async () => {
  const inputs = dv({ edgecast: { autoRenew: false } });
  const { id, olds } = await issued(inputs, 90);
  emulator.clearLog();
  const news = { ...inputs, renewBeforeDays: 30 };
  expect(await planOf(id, { ...olds, renewBeforeDays: 30 }, news)).toEqual({ kind: "none" });
  expect(await planOf(id, olds, inputs)).toEqual({ kind: "none" });
  // Setting renewBeforeDays is stored without an API call.
  expect(await planOf(id, olds, news)).toMatchObject({ kind: "policy", changed: ["renewBeforeDays"] });
  expect(renews()).toHaveLength(0);
});

test("a cloud without renewal in this version warns with the dates and what to do", () => {
  const live = { status: "issued" as const, rawStatus: "1", statusMessage: "", validationRecords: [], certificate: { notAfter: new Date(Date.now() + 5.5 * DAY).toISOString() } };
  const inputs = { ...dv(), cloud: "tencent" as const, certificateId: "J2lX2maH", renewBeforeDays: 30 };
  const plan = decide(tencentBackend, storedOutputs(inputs, "J2lX2maH"), inputs, { live }, Date.now());
  expect(plan).toMatchObject({ kind: "none", reason: expect.stringMatching(/^warning: expires \d{4}-\d\d-\d\d, in 5 days; renewing 30 days ahead, but certapply cannot renew on tencent in this version/) });
});
