/**
 * Buying at create on Huawei (`purchase`), against the emulator: the purchase carries no tag (the official model has
 * none), so certapply tags it right after the buy and never buys while an untagged purchase of the product exists.
 */
import { huaweiBackend } from "../../provider/clouds/huawei";
import { PURCHASE_TAG_KEY, purchaseTagValue } from "../../provider/clouds/huawei/purchase";
import { OWNER_TAG_KEY, ownerTagValue } from "../../provider/clouds/huawei/backend";
import { check } from "../../provider/resources/application";
import type { ApplicationInputs, PurchaseOptions } from "../../provider/resources/types";
import { storedOutputs } from "../support";
import { appInputs, huaweiSuite, control, sdkSigned } from "./helpers";

const { emu, logs, ctx } = huaweiSuite();
const PURCHASE: PurchaseOptions = { brand: "GEOTRUST", type: "DV_SSL_CERT", domainType: "MULTI_DOMAIN", domainCount: 2, years: 1 };
const OWNER = "0123456789abcdef";
const bought = (over: Record<string, unknown> = {}): ApplicationInputs => {
  const i = appInputs("", { purchase: PURCHASE, ownerKey: OWNER, ...over });
  delete i.certificateId;
  return i;
};
const state = async (id: string) => (await control(emu, "state", { id })).json as Record<string, unknown> & { tags: Record<string, string>; internal: Record<string, unknown> };
const count = (action: string) => emu.actions("huawei").filter((a) => a === action).length;
const buyDirect = async (over: Record<string, unknown> = {}) => {
  const r = await sdkSigned(emu, "POST", "/v3/scm/certificates/buy", {
    cert_brand: "GEOTRUST",
    cert_type: "DV_SSL_CERT",
    domain_type: "MULTI_DOMAIN",
    effective_time: 1,
    domain_numbers: 2,
    order_number: 1,
    agree_privacy_protection: true,
    ...over,
  });
  return (r.json as { cert: { cert_id: string }[] }).cert[0].cert_id;
};

describe("huawei purchase: validation at preview", () => {
  const failures = async (over: Record<string, unknown>) =>
    ((await check({}, bought(over) as unknown as Record<string, unknown>)).failures ?? []).map((f) => `${f.property}`).sort();
  it("takes a purchase block instead of certificateId, with the model's enums and ranges", async () => {
    expect(await failures({})).toEqual([]);
    expect(await failures({ purchase: { ...PURCHASE, brand: "DIGICERT" } })).toEqual(["purchase.brand"]);
    expect(await failures({ purchase: { ...PURCHASE, type: "DV" } })).toEqual(["purchase.type"]);
    expect(await failures({ purchase: { ...PURCHASE, domainType: "MULTI" } })).toEqual(["purchase.domainType"]);
    expect(await failures({ purchase: { ...PURCHASE, years: 0 } })).toEqual(["purchase.years"]);
    expect(await failures({ purchase: { domainCount: 2, years: 1 } })).toEqual(["purchase.brand", "purchase.domainType", "purchase.type"]);
    expect(await failures({ purchase: { ...PURCHASE, productId: 43 } })).toEqual(["purchase.productId"]);
  });
  it("checks domainCount against domainType and the names, and one of certificateId and purchase", async () => {
    expect(await failures({ purchase: { ...PURCHASE, domainType: "SINGLE_DOMAIN" } })).toEqual(["purchase.domainCount"]);
    expect(await failures({ purchase: { ...PURCHASE, domainCount: 1 } })).toEqual(["purchase.domainCount"]);
    expect(await failures({ purchase: { ...PURCHASE, domainType: "SINGLE_DOMAIN", domainCount: 1 }, dnsNames: [] })).toEqual([]);
    expect(await failures({ dnsNames: ["example.com", "api.example.com"] })).toEqual(["purchase.domainCount"]);
    expect(await failures({ purchase: { ...PURCHASE, domainType: "WILDCARD", domainCount: 1 }, dnsNames: [] })).toEqual(["purchase.domainType"]);
    const both = await check({}, { ...bought(), certificateId: "scs1554192131150" } as unknown as Record<string, unknown>);
    expect((both.failures ?? []).map((f) => f.property)).toEqual(["purchase"]);
  });
});

describe("huawei purchase: create buys, tags, applies", () => {
  it("buys one certificate (auto-paid, privacy agreed), tags it right away, then applies on it; the id is the certificate bought", async () => {
    const r = await huaweiBackend.submit(ctx(), bought());
    expect(count("SubscribeCertificate")).toBe(1);
    const id = r.applicationId;
    expect(id).toMatch(/^[A-Za-z0-9]{16}$/);
    const s = await state(id);
    expect(s.tags[PURCHASE_TAG_KEY]).toBe(purchaseTagValue(OWNER, PURCHASE));
    expect(s.tags[OWNER_TAG_KEY]).toBe(ownerTagValue(OWNER));
    expect(s).toMatchObject({ status: "CHECKING", brand: "GEOTRUST", type: "DV_SSL_CERT", domain_type: "MULTI_DOMAIN", domain_count: 2, domain: "www.example.com" });
    expect(s.internal.purchased).toEqual({ years: 1, autoPay: true });
    const acts = emu.actions("huawei");
    expect(acts.indexOf("CreateCertificateTag")).toBeGreaterThan(acts.indexOf("SubscribeCertificate"));
    expect(acts.indexOf("ApplyCertificate")).toBeGreaterThan(acts.indexOf("CreateCertificateTag"));
  });

  it("a re-run after the apply failed reuses the certificate it bought (found by its tag): one purchase", async () => {
    await control(emu, "deny", { actions: ["ApplyCertificate"] });
    await expect(huaweiBackend.submit(ctx(), bought())).rejects.toThrow(/SCM.4002/);
    await control(emu, "deny", { actions: [] });
    const r = await huaweiBackend.submit(ctx(), bought());
    expect(count("SubscribeCertificate")).toBe(1);
    expect(logs.join("\n")).toMatch(/reusing certificate .* this resource bought earlier/);
    expect((await state(r.applicationId)).status).toBe("CHECKING");
  });

  it("a lost buy reply (commit-then-drop) is found again in the same run: the one untagged purchase of the product is this one, tagged and applied", async () => {
    emu.injectFault({ cloud: "huawei", action: "SubscribeCertificate", kind: "commit-then-drop", count: 1 });
    const r = await huaweiBackend.submit(ctx(), bought());
    expect(count("SubscribeCertificate")).toBe(1);
    const [only] = emu.huawei.all();
    expect(r.applicationId).toBe(only.id);
    expect((await state(only.id)).tags[PURCHASE_TAG_KEY]).toBe(purchaseTagValue(OWNER, PURCHASE));
    expect(logs.join("\n")).toMatch(/purchase reply was lost .* it is this purchase; tagging it/);
  });

  it("a garbled buy reply likewise", async () => {
    emu.injectFault({ cloud: "huawei", action: "SubscribeCertificate", kind: "garbled-reply", garbled: "wrong-types", count: 1 });
    const r = await huaweiBackend.submit(ctx(), bought());
    expect(count("SubscribeCertificate")).toBe(1);
    expect((await state(r.applicationId)).status).toBe("CHECKING");
  });

  it("a buy that never reached SCM (connection reset) fails the run without buying again; the next run buys once", async () => {
    emu.injectFault({ cloud: "huawei", action: "SubscribeCertificate", kind: "reset", count: 1 });
    await expect(huaweiBackend.submit(ctx(), bought())).rejects.toThrow(/purchase reply was lost or unusable.*No untagged purchase of this product shows yet/);
    expect(emu.huawei.all()).toHaveLength(0);
    await huaweiBackend.submit(ctx(), bought());
    expect(emu.huawei.all()).toHaveLength(1);
  });

  it("a lost buy reply while the listing lags: the run looks again, a poll interval apart, and takes its purchase once it shows", async () => {
    await control(emu, "settings", { tagIndexLagReads: 3 });
    emu.injectFault({ cloud: "huawei", action: "SubscribeCertificate", kind: "commit-then-drop", count: 1 });
    const r = await huaweiBackend.submit(ctx(), bought());
    expect(count("SubscribeCertificate")).toBe(1);
    expect(emu.huawei.all().map((x) => x.id)).toEqual([r.applicationId]);
    expect((await state(r.applicationId)).tags[PURCHASE_TAG_KEY]).toBe(purchaseTagValue(OWNER, PURCHASE));
  });

  it("a lost buy reply whose second look is refused by the gateway (a 404 without SCM's body) looks again instead of stranding the purchase", async () => {
    // Listings before the buy: 4 (two looks, tagged and untagged); after it: the first look, then its recheck, refused.
    emu.injectFault({ cloud: "huawei", action: "SubscribeCertificate", kind: "commit-then-drop", count: 1 });
    emu.injectFault({ cloud: "huawei", action: "ListCertificatesByTag", kind: "gateway-not-found", skip: 5, count: 1 });
    const r = await huaweiBackend.submit(ctx(), bought());
    expect(count("SubscribeCertificate")).toBe(1);
    expect(emu.huawei.all().map((x) => x.id)).toEqual([r.applicationId]);
    expect((await state(r.applicationId)).tags[PURCHASE_TAG_KEY]).toBe(purchaseTagValue(OWNER, PURCHASE));
    expect(logs.join("\n")).toMatch(/looking for the purchase failed .*; looking again/);
  });

  it("a lost buy reply while the listing lags longer: the run stops; the next run's first look misses it too, its second look after a pause finds it and buys nothing", async () => {
    // The listing misses the purchase on its next seven calls: this run's five looks after the lost reply and the next run's first look (two calls).
    await control(emu, "settings", { tagIndexLagReads: 7 });
    emu.injectFault({ cloud: "huawei", action: "SubscribeCertificate", kind: "commit-then-drop", count: 1 });
    await expect(huaweiBackend.submit(ctx(), bought())).rejects.toThrow(/purchase reply was lost or unusable.*No untagged purchase of this product shows yet/);
    const [only] = emu.huawei.all();
    const second = (await huaweiBackend.submit(ctx(), bought()).catch((e: unknown) => e)) as Error;
    expect(second.message).toMatch(new RegExp(`${only.id} is paid \\(PAID\\) for the same product.*certificateId: "${only.id}"`));
    expect(count("SubscribeCertificate")).toBe(1);
    expect(emu.huawei.all()).toHaveLength(1);
  });

  it("a purchase left untagged (the tag write refused: as a crash between buy and tag) stops every later purchase of the product, naming it and the fix", async () => {
    await control(emu, "deny", { actions: ["CreateCertificateTag"] });
    const first = (await huaweiBackend.submit(ctx(), bought()).catch((e: unknown) => e)) as Error;
    const [only] = emu.huawei.all();
    expect(first.message).toMatch(new RegExp(`bought certificate ${only.id} but could not tag it.*set certificateId: "${only.id}"`));
    await control(emu, "deny", { actions: [] });
    const second = (await huaweiBackend.submit(ctx(), bought()).catch((e: unknown) => e)) as Error;
    expect(second.message).toMatch(new RegExp(`${only.id} is paid \\(PAID\\) for the same product.*no ${PURCHASE_TAG_KEY} tag.*certificateId: "${only.id}"`));
    expect(count("SubscribeCertificate")).toBe(1);
    // The fix the message names works: certificateId set to it applies there.
    const named = await huaweiBackend.submit(ctx(), appInputs(only.id, { ownerKey: OWNER }));
    expect(named.applicationId).toBe(only.id);
  });

  it("a lost tag reply is read back: the tag landed, the create goes on with one purchase", async () => {
    emu.injectFault({ cloud: "huawei", action: "CreateCertificateTag", kind: "commit-then-drop", count: 1 });
    const r = await huaweiBackend.submit(ctx(), bought());
    expect(count("SubscribeCertificate")).toBe(1);
    expect((await state(r.applicationId)).tags[PURCHASE_TAG_KEY]).toBe(purchaseTagValue(OWNER, PURCHASE));
  });

  it("an untagged PAID certificate of another product does not stop the purchase; one of this product does", async () => {
    await buyDirect({ cert_type: "OV_SSL_CERT" });
    await huaweiBackend.submit(ctx(), bought());
    expect(count("SubscribeCertificate")).toBe(2);
    emu.clearLog();
    const stray = await buyDirect();
    await expect(huaweiBackend.submit(ctx(), bought({ ownerKey: "fedcba9876543210" }))).rejects.toThrow(new RegExp(`certificate ${stray} is paid`));
    expect(count("SubscribeCertificate")).toBe(1); // only buyDirect's
  });

  it("two resources with the same content, created at once, buy one certificate each (never each other's)", async () => {
    const [a, b] = await Promise.all([huaweiBackend.submit(ctx(), bought()), huaweiBackend.submit(ctx(), bought({ ownerKey: "fedcba9876543210" }))]);
    expect(a.applicationId).not.toBe(b.applicationId);
    expect(count("SubscribeCertificate")).toBe(2);
    expect((await state(a.applicationId)).tags[PURCHASE_TAG_KEY]).toBe(purchaseTagValue(OWNER, PURCHASE));
    expect((await state(b.applicationId)).tags[PURCHASE_TAG_KEY]).toBe(purchaseTagValue("fedcba9876543210", PURCHASE));
  });
});

describe("huawei purchase: delete refunds a bought certificate never issued", () => {
  const olds = (id: string, rawStatus: string) => storedOutputs(bought(), id, { rawStatus });
  it("withdraws the application under way, then unsubscribes (refund)", async () => {
    const r = await huaweiBackend.submit(ctx(), bought());
    const live = await huaweiBackend.read(ctx(), r.applicationId);
    await huaweiBackend.cancel(ctx(), r.applicationId, olds(r.applicationId, "CHECKING"), live);
    expect(emu.huawei.unsubscribed).toEqual([r.applicationId]);
    expect(count("CancelCertificateRequest")).toBe(1);
    expect(logs.join("\n")).toMatch(/unsubscribed \(the purchase is refunded\)/);
  });

  it("a lost unsubscribe reply is settled by two reads that no longer find it", async () => {
    const r = await huaweiBackend.submit(ctx(), bought());
    await control(emu, "reject", { id: r.applicationId });
    emu.injectFault({ cloud: "huawei", action: "UnsubscribeCertificate", kind: "commit-then-drop", count: 1 });
    const live = await huaweiBackend.read(ctx(), r.applicationId);
    await huaweiBackend.cancel(ctx(), r.applicationId, olds(r.applicationId, "UNPASSED"), live);
    expect(emu.huawei.unsubscribed).toEqual([r.applicationId]);
    expect(count("UnsubscribeCertificate")).toBe(1);
  });

  it("leaves an issued certificate in service and says so", async () => {
    const r = await huaweiBackend.submit(ctx(), bought());
    await control(emu, "issue", { id: r.applicationId });
    const live = await huaweiBackend.read(ctx(), r.applicationId);
    await huaweiBackend.cancel(ctx(), r.applicationId, olds(r.applicationId, "ISSUED"), live);
    expect(emu.huawei.unsubscribed).toEqual([]);
    expect(count("UnsubscribeCertificate")).toBe(0);
    expect(logs.join("\n")).toMatch(/is issued: it is left in service, not refunded/);
  });
});
