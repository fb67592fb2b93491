/**
 * Renewal on Huawei (`renewBeforeDays`), against the emulator: SCM has no renew call, so a renewal is a new purchase
 * (tagged as the renewal of the current certificate) and a new apply; a multi-year purchase is renewed by SCM
 * itself and its next certificate is followed; without `purchase` the preview warns.
 */
import { huaweiBackend } from "../../provider/clouds/huawei";
import { PURCHASE_TAG_KEY, purchaseTagValue } from "../../provider/clouds/huawei/purchase";
import { renewalPlan } from "../../provider/resources/plan";
import type { LiveApplication } from "../../provider/resources/backend";
import type { ApplicationInputs, PurchaseOptions } from "../../provider/resources/types";
import { storedOutputs } from "../support";
import { appInputs, huaweiSuite, control, seed } from "./helpers";

const { emu, ctx } = huaweiSuite();
const OWNER = "0123456789abcdef";
const PURCHASE: PurchaseOptions = { brand: "GEOTRUST", type: "DV_SSL_CERT", domainType: "MULTI_DOMAIN", domainCount: 2, years: 1 };
const bought = (purchase = PURCHASE): ApplicationInputs => {
  const i = appInputs("", { purchase, ownerKey: OWNER, renewBeforeDays: 30 });
  delete i.certificateId;
  return i;
};
const count = (action: string) => emu.actions("huawei").filter((a) => a === action).length;
const state = async (id: string) => (await control(emu, "state", { id })).json as Record<string, unknown> & { tags: Record<string, string>; internal: Record<string, unknown> };

/** A bought, issued certificate aged to 20 days before its expiry; its live view. */
async function agedPurchase(inputs: ApplicationInputs): Promise<{ id: string; live: LiveApplication }> {
  const r = await huaweiBackend.submit(ctx(), inputs);
  await control(emu, "issue", { id: r.applicationId });
  expect((await control(emu, "age", { id: r.applicationId, daysLeft: 20 })).status).toBe(200);
  const live = (await huaweiBackend.read(ctx(), r.applicationId))!;
  return { id: r.applicationId, live };
}

test("without purchase the preview warns every run in the window, saying what to set", async () => {
  const id = await seed(emu);
  const inputs = appInputs(id, { ownerKey: OWNER, renewBeforeDays: 30 });
  await huaweiBackend.submit(ctx(), inputs);
  await control(emu, "issue", { id });
  await control(emu, "age", { id, daysLeft: 20 });
  const live = (await huaweiBackend.read(ctx(), id))!;
  const plan = renewalPlan(huaweiBackend, storedOutputs(inputs, id, {}, live), inputs, live, Date.now());
  expect(plan).toEqual({ kind: "none", reason: expect.stringMatching(/^warning: expires \d{4}-\d\d-\d\d, in (19|20) days; renewing 30 days ahead: .*declare purchase \{ brand, type, domainType, domainCount, years \} instead of certificateId/) });
});

test("with purchase: plans a new purchase with the dates; renew buys one certificate tagged as the renewal, applies on it, and leaves the old one in service", async () => {
  const inputs = bought();
  const { id, live } = await agedPurchase(inputs);
  const olds = storedOutputs(inputs, id, {}, live);
  const plan = renewalPlan(huaweiBackend, olds, inputs, live, Date.now());
  expect(plan).toMatchObject({ kind: "renew", reason: expect.stringMatching(/expires .* renewing 30 days ahead: buy a new certificate \(POST \/v3\/scm\/certificates\/buy: GEOTRUST DV_SSL_CERT MULTI_DOMAIN/) });
  emu.clearLog();
  const renewed = (await huaweiBackend.renew!(ctx(), id, live, olds, inputs))!;
  expect(count("SubscribeCertificate")).toBe(1);
  expect(renewed).toMatchObject({ renewedFrom: id, status: "under-review" });
  const next = renewed.certificateId!;
  expect(next).not.toBe(id);
  expect((await state(next)).tags[PURCHASE_TAG_KEY]).toBe(purchaseTagValue(OWNER, PURCHASE, id));
  expect((await state(next)).domain).toBe("www.example.com");
  expect((await state(id)).status).toBe("ISSUED"); // never cancelled by a renewal
  expect(emu.huawei.unsubscribed).toEqual([]);

  // Import of the renewal's certificate names the one it renewed, as the renewal did.
  expect((await huaweiBackend.importApplication(ctx(), next))?.live.renewedFrom).toBe(id);
  expect((await huaweiBackend.importApplication(ctx(), id))?.live.renewedFrom).toBeUndefined();

  // A re-run after a crash (the state still names the old certificate): the renewal bought is found, nothing more.
  emu.clearLog();
  const again = (await huaweiBackend.renew!(ctx(), id, live, olds, inputs))!;
  expect(again.certificateId).toBe(next);
  expect(count("SubscribeCertificate")).toBe(0);
  expect(count("ApplyCertificate")).toBe(0);
});

test.each([
  ["commit-then-drop", {}],
  ["garbled-reply", { garbled: "wrong-types" }],
] as const)("a lost renewal purchase reply (%s) is found in the same run: one purchase", async (kind, extra) => {
  const inputs = bought();
  const { id, live } = await agedPurchase(inputs);
  emu.clearLog();
  emu.injectFault({ cloud: "huawei", action: "SubscribeCertificate", kind, count: 1, ...extra });
  const renewed = (await huaweiBackend.renew!(ctx(), id, live, storedOutputs(inputs, id, {}, live), inputs))!;
  expect(count("SubscribeCertificate")).toBe(1);
  expect(renewed.renewedFrom).toBe(id);
  expect((await state(renewed.certificateId!)).tags[PURCHASE_TAG_KEY]).toBe(purchaseTagValue(OWNER, PURCHASE, id));
});

test("a multi-year purchase: SCM makes the next certificate itself; renew follows it and buys nothing", async () => {
  const inputs = bought({ ...PURCHASE, years: 2 });
  const { id, live } = await agedPurchase(inputs);
  const olds = storedOutputs(inputs, id, {}, live);
  expect(renewalPlan(huaweiBackend, olds, inputs, live, Date.now())).toMatchObject({ kind: "renew", reason: expect.stringMatching(/bought for 2 years, SCM renews by itself/) });
  const next = String((await state(id)).internal.renewalCertId);
  emu.clearLog();
  const renewed = (await huaweiBackend.renew!(ctx(), id, live, olds, inputs))!;
  expect(count("SubscribeCertificate")).toBe(0);
  expect(renewed).toMatchObject({ certificateId: next, renewedFrom: id, status: "under-review" });
  expect((await state(next)).domain).toBe("www.example.com");
});
