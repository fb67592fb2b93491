/**
 * Buying at create (`purchase`) on Tencent, over real HTTP against the emulator: the check of the block, one
 * `pulumi up` that buys and applies, never two purchases for one resource (a lost reply, a garbled reply, a
 * failed application after the purchase, a re-run), one purchase per resource even for equal content, and delete
 * cancelling the order of a never-issued purchase while leaving an issued one alone.
 */
import { tencentBackend } from "../../provider/clouds/tencent/backend";
import { PURCHASE_TAG_KEY, purchaseTag } from "../../provider/clouds/tencent/purchase";
import { check, create, remove } from "../../provider/resources/application";
import { ownerKeyOf } from "../../provider/resources/normalize";
import { decide } from "../../provider/resources/plan";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { storedOutputs } from "../support";
import { tencentInputs, tencentResourceSuite } from "./helpers";

const { emulator, logs, ctx } = tencentResourceSuite();

const OWNER = ownerKeyOf({ organization: "org", backend: "", project: "proj", stack: "dev", name: "www" });
const bought = (over: Partial<ApplicationInputs> = {}): ApplicationInputs =>
  tencentInputs(undefined as unknown as string, { certificateId: undefined, purchase: { productId: 43, domainCount: 1, years: 1 }, ownerKey: OWNER, ...over });
const purchases = () => emulator.tencent.all().filter((r) => r.purchased);
const failures = async (i: ApplicationInputs) =>
  ((await check(undefined, i as unknown as Record<string, unknown>)).failures ?? []).map((f) => `${f.property}: ${f.reason}`).sort();

describe("check", () => {
  test("a purchase block instead of certificateId passes; both, or neither, fail naming the fix", async () => {
    expect(await failures(bought())).toEqual([]);
    expect(await failures(bought({ certificateId: "J2lX2maH" }))).toEqual([expect.stringMatching(/^purchase: set exactly one of certificateId .* and purchase/)]);
    expect(await failures(bought({ purchase: undefined }))).toEqual([expect.stringMatching(/^certificateId: required for tencent.*or set purchase/)]);
  });

  test("the official product list, domain counts and years are checked at preview", async () => {
    expect(await failures(bought({ purchase: { productId: 36, domainCount: 1, years: 1 } }))).toEqual([expect.stringMatching(/^purchase.productId: /)]);
    expect(await failures(bought({ purchase: { productId: 45, domainCount: 1, years: 1 } }))).toEqual([expect.stringMatching(/^purchase.domainCount: product 45 .* multi-domain: domainCount must be 2 or more/)]);
    expect(await failures(bought({ purchase: { productId: 43, domainCount: 2, years: 1 } }))).toEqual([expect.stringMatching(/^purchase.domainCount: product 43 .* covers one domain/)]);
    expect(await failures(bought({ purchase: { productId: 99, domainCount: 2, years: 2 }, dnsNames: ["example.com"] }))).toEqual([expect.stringMatching(/^purchase.years: .* one year only/)]);
    expect(await failures(bought({ purchase: { productId: 45, domainCount: 2, years: 1 }, dnsNames: ["a.example.com", "b.example.com"] }))).toEqual([
      expect.stringMatching(/^purchase.domainCount: commonName and dnsNames name 3 domains but domainCount is 2/),
    ]);
    expect(await failures(bought({ purchase: { productId: 43, domainCount: 1, years: 0 } }))).toEqual([expect.stringMatching(/^purchase.years: /)]);
    expect(await failures(bought({ purchase: { productId: 43, domainCount: 1 } }))).toEqual([expect.stringMatching(/^purchase.years: /)]);
  });

  test("purchase is refused for the other clouds with what to do instead", async () => {
    const huawei = await failures({ cloud: "huawei", certificateId: "scs1554192131150", commonName: "www.example.com", purchase: { productId: 43, domainCount: 1, years: 1 } } as ApplicationInputs);
    // Huawei buys too (test/huawei/purchase.test.ts), with its own product fields: Tencent's productId is refused there.
    expect(huawei).toContainEqual("purchase.productId: a tencent product field; huawei does not take it: remove it");
    const edgecast = await failures({ cloud: "edgecast", commonName: "www.example.com", purchase: { productId: 43, domainCount: 1, years: 1 } } as ApplicationInputs);
    expect(edgecast).toContainEqual(expect.stringMatching(/^purchase: .*an Edgecast request is itself the order/));
  });
});

describe("create buys, then applies, in one run", () => {
  test("one CreateCertificate tagged for this resource, then materials and order on the new certificate", async () => {
    const { id, outs } = await create(bought());
    expect(purchases()).toHaveLength(1);
    const [rec] = purchases();
    expect(rec.certificateId).toBe(id);
    expect(rec.tags).toEqual([purchaseTag(OWNER, { productId: 43, domainCount: 1, years: 1 })]);
    expect(rec.tags[0].TagKey).toBe(PURCHASE_TAG_KEY);
    expect(rec.tags[0].TagValue).not.toContain(OWNER);
    expect(rec).toMatchObject({ packageType: "43", submitCount: 1, orderCount: 1, status: 0 });
    expect(outs).toMatchObject({ applicationId: id, status: "under-review", purchase: { productId: 43, domainCount: 1, years: 1 } });
    expect(outs.certificateId).toBeUndefined();
  });

  test("a lost CreateCertificate reply (committed, then dropped) is found by its tag: one purchase, applied", async () => {
    emulator.injectFault({ cloud: "tencent", action: "CreateCertificate", kind: "commit-then-drop", count: 1 });
    const { id } = await create(bought());
    expect(purchases().map((r) => r.certificateId)).toEqual([id]);
    expect(emulator.log.filter((e) => e.action === "CreateCertificate")).toHaveLength(1);
    expect(emulator.tencent.state(id)).toMatchObject({ orderCount: 1 });
  });

  test("a garbled CreateCertificate reply is found by its tag the same way", async () => {
    emulator.injectFault({ cloud: "tencent", action: "CreateCertificate", kind: "garbled-reply", count: 1 });
    const { id } = await create(bought());
    expect(purchases().map((r) => r.certificateId)).toEqual([id]);
  });

  test("a lost reply of a purchase that did not happen stops the run without buying; the next run buys once", async () => {
    emulator.injectFault({ cloud: "tencent", action: "CreateCertificate", kind: "http500", count: 1 });
    await expect(create(bought())).rejects.toThrow(/CreateCertificate reply was lost .* does not buy again in this run/);
    expect(purchases()).toHaveLength(0);
    await create(bought());
    expect(purchases()).toHaveLength(1);
  });

  test("a lost purchase reply while the tag lookup lags: the run stops, the next run's first look misses it too, its second look after a pause finds it", async () => {
    // The tag index misses the purchase on its first two lookups: this run's after the lost reply, the next run's first.
    await emulator.tencent.control("settings", { tagIndexLagReads: 2 });
    emulator.injectFault({ cloud: "tencent", action: "CreateCertificate", kind: "commit-then-drop", count: 1 });
    await expect(create(bought())).rejects.toThrow(/CreateCertificate reply was lost .* does not buy again in this run/);
    expect(purchases()).toHaveLength(1);
    emulator.clearLog();
    const { id } = await create(bought());
    expect(id).toBe(purchases()[0].certificateId);
    expect(purchases()).toHaveLength(1);
    expect(emulator.actions("tencent").slice(0, 2)).toEqual(["DescribeCertificates", "DescribeCertificates"]);
    expect(emulator.actions("tencent")).not.toContain("CreateCertificate");
  });

  test("a list entry that leaves Tags out (null or empty, as the model allows) still counts: the Tags filter chose it", async () => {
    // Under a seed each entry's Tags is left out 3 times in 4; eight seeds leave it out at least once but for 1 in 65,536.
    for (let seed = 1; seed <= 8; seed++) {
      emulator.reset();
      emulator.setSeed(seed);
      emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "reset", count: 10 });
      await expect(create(bought())).rejects.toThrow();
      emulator.clearFaults();
      const { id } = await create(bought());
      expect(purchases().map((r) => r.certificateId)).toEqual([id]);
    }
    emulator.setSeed(undefined);
  });

  test("a purchase whose application failed (a crash after the purchase) is reused by the next run", async () => {
    emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "reset", count: 10 });
    await expect(create(bought())).rejects.toThrow();
    expect(purchases()).toHaveLength(1);
    const first = purchases()[0].certificateId;
    emulator.clearFaults();
    const { id } = await create(bought());
    expect(id).toBe(first);
    expect(purchases()).toHaveLength(1);
    expect(emulator.tencent.state(id)).toMatchObject({ orderCount: 1, status: 0 });
  });

  test("a re-run after the order was sent adopts this resource's own purchase; nothing is bought", async () => {
    const { id } = await create(bought());
    const again = await create(bought());
    expect(again.id).toBe(id);
    expect(purchases()).toHaveLength(1);
    expect(emulator.tencent.state(id)).toMatchObject({ orderCount: 1 });
  });

  test("two resources with the same content buy one certificate each, and each re-run finds its own", async () => {
    const a = await create(bought({ ownerKey: ownerKeyOf({ organization: "org", backend: "", project: "proj", stack: "dev", name: "a" }) }));
    const b = await create(bought({ ownerKey: ownerKeyOf({ organization: "org", backend: "", project: "proj", stack: "dev", name: "b" }) }));
    expect(a.id).not.toBe(b.id);
    expect(purchases()).toHaveLength(2);
    expect((await create(bought({ ownerKey: ownerKeyOf({ organization: "org", backend: "", project: "proj", stack: "dev", name: "b" }) }))).id).toBe(b.id);
    expect(purchases()).toHaveLength(2);
  });

  test("a changed purchase block (a replace) buys anew instead of reusing the cancelled one", async () => {
    const first = await create(bought());
    await remove(first.id, first.outs);
    expect(emulator.tencent.state(first.id)?.status).toBe(7);
    const second = await create(bought({ purchase: { productId: 43, domainCount: 1, years: 2 } }));
    expect(second.id).not.toBe(first.id);
    expect(purchases()).toHaveLength(2);
  });

  test("without the owner key certapply sets, nothing is bought", async () => {
    await expect(tencentBackend.submit(ctx(), bought({ ownerKey: undefined }))).rejects.toThrow(/purchase needs the owner key/);
    expect(purchases()).toHaveLength(0);
  });
});

test("a changed purchase block: the preview says a new certificate is bought, and what happens to the old one", () => {
  const olds = storedOutputs(bought(), "J2lX2maH");
  const news = bought({ purchase: { productId: 43, domainCount: 1, years: 2 } });
  const live = { status: "issued" as const, rawStatus: "1", statusMessage: "", validationRecords: [] };
  expect(decide(tencentBackend, { ...olds, status: "issued" }, news, { live }, Date.now())).toMatchObject({
    kind: "replace",
    fields: ["purchase"],
    reason: expect.stringMatching(/a new certificate is bought \(a paid order\), and the one bought before is issued, so it is left in service, not cancelled$/),
  });
  expect(decide(tencentBackend, olds, news, { live: { ...live, status: "under-review", rawStatus: "0" } }, Date.now()).reason).toMatch(/has its order cancelled if it was never issued/);
});

describe("delete", () => {
  const outsOf = (i: ApplicationInputs, id: string): ApplicationOutputs => storedOutputs(i, id);

  test("onDelete cancel: a bought, never-issued certificate has its order cancelled (CancelCertificateOrder)", async () => {
    const { id, outs } = await create(bought());
    await remove(id, outs);
    expect(emulator.tencent.state(id)?.status).toBe(7);
    expect(emulator.log.map((e) => e.action)).toContain("CancelCertificateOrder");
    expect(emulator.log.map((e) => e.action)).not.toContain("CancelAuditCertificate");
  });

  test("a bought certificate waiting for its materials (5) is cancelled too; a lost cancel reply is confirmed by a read", async () => {
    emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "reset", count: 10 });
    await expect(create(bought())).rejects.toThrow();
    emulator.clearFaults();
    const id = purchases()[0].certificateId;
    emulator.injectFault({ cloud: "tencent", action: "CancelCertificateOrder", kind: "commit-then-drop", count: 1 });
    await tencentBackend.cancel(ctx(), id, outsOf(bought(), id), { status: "pending-submission", rawStatus: "5", statusMessage: "", validationRecords: [] });
    expect(emulator.tencent.state(id)?.status).toBe(7);
    expect(emulator.log.filter((e) => e.action === "CancelCertificateOrder")).toHaveLength(1);
  });

  test("an issued certificate this resource bought is left alone, with a warning saying so", async () => {
    const { id, outs } = await create(bought());
    emulator.tencent.issue(id);
    await emulator.tencent.certificate(id);
    await tencentBackend.cancel(ctx(), id, outs, { status: "issued", rawStatus: "1", statusMessage: "", validationRecords: [] });
    expect(emulator.tencent.state(id)?.status).toBe(1);
    expect(logs.join("\n")).toMatch(/an issued certificate is never cancelled: it stays valid/);
    expect(emulator.log.map((e) => e.action)).not.toContain("CancelCertificateOrder");
  });

  test("a certificate named by certificateId keeps today's behaviour: its review is withdrawn, its order is not cancelled", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const named = tencentInputs(id);
    const { outs } = await create(named);
    await remove(id, outs);
    expect(emulator.log.map((e) => e.action)).toContain("CancelAuditCertificate");
    expect(emulator.log.map((e) => e.action)).not.toContain("CancelCertificateOrder");
  });
});
