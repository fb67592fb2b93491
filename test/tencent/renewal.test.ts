/**
 * Renewal on Tencent (`renewBeforeDays` with `purchase`), the backend over real HTTP against the emulator: the plan
 * and its words, one renewal per expiry (a new CreateCertificate, or CreateCertificateByPackage with OldCertificateId
 * when `purchase.packageIds` is set) whatever reply is lost or wherever a run stops, the materials and order on the
 * new certificate with the same CSR choice, the old certificate never touched, delete during a renewal, and the import
 * of a renewed certificate naming the one it renewed.
 */
import { tencentBackend } from "../../provider/clouds/tencent/backend";
import { RENEWAL_TAG_KEY, renewalTag } from "../../provider/clouds/tencent/purchase";
import type { LiveApplication } from "../../provider/resources/backend";
import { check, create, read } from "../../provider/resources/application";
import { ownerKeyOf } from "../../provider/resources/normalize";
import { decide } from "../../provider/resources/plan";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { makeCsr, officialTencentClient, tencentInputs, tencentResourceSuite } from "./helpers";

const { emulator, logs, ctx } = tencentResourceSuite();

const OWNER = ownerKeyOf({ organization: "org", backend: "", project: "proj", stack: "dev", name: "www" });
const DAY = 86_400_000;
const bought = (over: Partial<ApplicationInputs> = {}): ApplicationInputs =>
  tencentInputs(undefined as unknown as string, { certificateId: undefined, purchase: { productId: 43, domainCount: 1, years: 1 }, ownerKey: OWNER, renewBeforeDays: 30, ...over });
const byPackage = (over: Partial<ApplicationInputs> = {}): ApplicationInputs => bought({ purchase: { productId: 1013955, domainCount: 1, years: 1, packageIds: ["pkg-a"] }, ...over });
const purchases = () => emulator.tencent.all().filter((r) => r.purchased);
const paidWrites = () => emulator.log.filter((e) => e.action === "CreateCertificate" || e.action === "CreateCertificateByPackage");

/** Buys and applies through create, then issues the certificate and ages it to `daysLeft`: the state and live view then. */
async function issuedAndAged(inputs: ApplicationInputs, daysLeft = 20): Promise<{ id: string; olds: ApplicationOutputs; live: LiveApplication }> {
  const { id, outs } = await create(inputs);
  emulator.tencent.issue(id);
  await emulator.tencent.certificate(id);
  await emulator.tencent.age(id, daysLeft);
  const live = (await tencentBackend.read(ctx(), id)) as LiveApplication;
  emulator.clearLog();
  return { id, olds: { ...outs, status: "issued", rawStatus: "1" }, live };
}

const renewalOf = (old: string) => purchases().filter((r) => r.certificateId !== old);

describe("the plan", () => {
  test("inside the window, with purchase, the preview plans the renewal and says what it calls, with the dates", async () => {
    const { olds, live, id } = await issuedAndAged(bought());
    expect(decide(tencentBackend, olds, bought(), { live }, Date.now())).toEqual({
      kind: "renew",
      reason: expect.stringMatching(
        new RegExp(`^expires \\d{4}-\\d\\d-\\d\\d, in 19 days; renewing 30 days ahead: a new paid CreateCertificate order \\(product 43, 1 domain\\(s\\), 1 year\\(s\\)\\), then CertificateInfoSubmit and CertificateOrderSubmit on the new certificate; ${id} stays in service until the new one is issued, and is never cancelled$`),
      ),
    });
    const pkgOlds = { ...olds, purchase: byPackage().purchase };
    expect(decide(tencentBackend, pkgOlds, byPackage(), { live }, Date.now()).reason).toMatch(/CreateCertificateByPackage \(OldCertificateId \w{8}, product 1013955, paid with benefit package\(s\) pkg-a, RenewGenCsrMethod online: a new key Tencent generates\)/);
    // Outside the window: nothing.
    expect(decide(tencentBackend, olds, bought({ renewBeforeDays: 10 }), { live }, Date.now())).toMatchObject({ kind: "policy" });
    expect(decide(tencentBackend, { ...olds, renewBeforeDays: 10 }, bought({ renewBeforeDays: 10 }), { live }, Date.now())).toEqual({ kind: "none" });
  });

  test("a certificate bought by hand (certificateId only) warns every run from the window on, saying to set purchase", () => {
    const live: LiveApplication = { status: "issued", rawStatus: "1", statusMessage: "", validationRecords: [], certificate: { notAfter: new Date(Date.now() + 5.5 * DAY).toISOString() } };
    const inputs = tencentInputs("J2lX2maH", { renewBeforeDays: 30 });
    const olds = { ...(inputs as ApplicationOutputs), applicationId: "J2lX2maH", status: "issued" as const, rawStatus: "1" };
    for (let run = 0; run < 2; run++) {
      expect(decide(tencentBackend, olds, inputs, { live }, Date.now())).toEqual({
        kind: "none",
        reason: expect.stringMatching(/^warning: expires \d{4}-\d\d-\d\d, in 5 days; renewing 30 days ahead: certapply renews on tencent only a certificate it buys.*declare purchase \{ productId, domainCount, years, packageIds\? \} instead of certificateId/),
      });
    }
  });

  test("packageIds are checked at preview: a package product, at least one id, no repeats", async () => {
    const failures = async (i: ApplicationInputs) => ((await check(undefined, i as unknown as Record<string, unknown>)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
    expect(await failures(byPackage())).toEqual([]);
    expect(await failures(byPackage({ purchase: { productId: 43, domainCount: 1, years: 1, packageIds: ["pkg-a"] } }))).toEqual([
      expect.stringMatching(/^purchase.productId: 43 \(.*\) is a CreateCertificate product; with packageIds, productId is a package product/),
    ]);
    expect(await failures(bought({ purchase: { productId: 1013955, domainCount: 1, years: 1 } }))).toEqual([expect.stringMatching(/^purchase.productId: 1013955 .* is a package product .* set packageIds/)]);
    expect(await failures(byPackage({ purchase: { productId: 1013955, domainCount: 1, years: 1, packageIds: [] } }))).toEqual([expect.stringMatching(/^purchase.packageIds: name at least one benefit package/)]);
    expect(await failures(byPackage({ purchase: { productId: 1013955, domainCount: 1, years: 1, packageIds: ["a", "a"] } }))).toEqual([expect.stringMatching(/^purchase.packageIds: lists a package more than once/)]);
    expect(await failures(byPackage({ purchase: { productId: 1013959, domainCount: 1, years: 1, packageIds: ["a"] } }))).toEqual([expect.stringMatching(/^purchase.domainCount: product 1013959 .* multi-domain/)]);
  });
});

describe("renew", () => {
  test("without packages: one tagged CreateCertificate, then materials and order on the new certificate; the old one stays issued", async () => {
    const { id, olds, live } = await issuedAndAged(bought());
    const renewed = await tencentBackend.renew(ctx(), id, live, olds, bought());
    const [rec] = renewalOf(id);
    expect(renewed).toMatchObject({ certificateId: rec.certificateId, renewedFrom: id, status: "under-review" });
    expect(rec.tags).toEqual([renewalTag(OWNER, id)]);
    expect(rec.tags[0]).toMatchObject({ TagKey: RENEWAL_TAG_KEY, TagValue: expect.stringMatching(new RegExp(`^${id}\\.[0-9a-f]{24}$`)) });
    expect(rec.tags[0].TagValue).not.toContain(OWNER);
    expect(rec).toMatchObject({ packageType: "43", submitCount: 1, orderCount: 1, status: 0, domain: "www.example.com" });
    expect(rec.submittedParams).toMatchObject({ GenCsrType: "online", CsrKeyParameter: "2048" });
    expect(paidWrites().map((e) => e.action)).toEqual(["CreateCertificate"]);
    expect(emulator.tencent.state(id)).toMatchObject({ status: 1, history: [5, 0, 1] });
    expect(emulator.log.filter((e) => e.action.startsWith("Cancel"))).toEqual([]);
  });

  test("with packageIds: CreateCertificateByPackage with OldCertificateId and the same CSR choice, spending the packages", async () => {
    emulator.tencent.addPackage({ packageId: "pkg-a", points: 100 });
    const { id, olds, live } = await issuedAndAged(byPackage());
    expect(emulator.tencent.package("pkg-a")?.Balance).toBe(90);
    const renewed = await tencentBackend.renew(ctx(), id, live, olds, byPackage());
    const [rec] = renewalOf(id);
    expect(renewed).toMatchObject({ certificateId: rec.certificateId, renewedFrom: id });
    expect(rec).toMatchObject({ originCertificateId: id, packageType: "1013955", renewal: { method: "online", algorithmType: "RSA", algorithmParam: "2048" }, orderCount: 1 });
    expect(emulator.tencent.state(id)).toMatchObject({ status: 1, renewOrder: rec.certificateId });
    expect(emulator.tencent.package("pkg-a")?.Balance).toBe(80);
    expect(paidWrites().map((e) => e.action)).toEqual(["CreateCertificateByPackage"]);
  });

  test("with the user's CSR, the renewal uploads the same CSR (RenewGenCsrMethod upload) and submits it again", async () => {
    emulator.tencent.addPackage({ packageId: "pkg-a", points: 100 });
    const { csrPem } = await makeCsr("www.example.com", ["www.example.com"]);
    const inputs = byPackage({ csr: csrPem });
    const { id, olds, live } = await issuedAndAged(inputs);
    await tencentBackend.renew(ctx(), id, live, olds, inputs);
    const [rec] = renewalOf(id);
    expect(rec.renewal).toEqual({ method: "upload", csr: csrPem });
    expect(rec.submittedParams).toMatchObject({ GenCsrType: "parse", Csr: csrPem });
  });

  const lost = [
    ["CreateCertificate", "commit-then-drop"],
    ["CreateCertificate", "garbled-reply"],
    ["CreateCertificateByPackage", "commit-then-drop"],
    ["CreateCertificateByPackage", "garbled-reply"],
  ] as const;
  test.each(lost)("a lost %s reply of a renewal (%s) is found by its tag: one renewal, applied", async (action, kind) => {
    const inputsOf = action === "CreateCertificate" ? bought : byPackage;
    emulator.tencent.addPackage({ packageId: "pkg-a", points: 100 });
    const { id, olds, live } = await issuedAndAged(inputsOf());
    emulator.injectFault({ cloud: "tencent", action, kind, count: 1 });
    const renewed = await tencentBackend.renew(ctx(), id, live, olds, inputsOf());
    expect(renewalOf(id)).toHaveLength(1);
    expect(paidWrites()).toHaveLength(1);
    expect(renewed).toMatchObject({ certificateId: renewalOf(id)[0].certificateId, renewedFrom: id });
    expect(renewalOf(id)[0]).toMatchObject({ orderCount: 1 });
  });

  test("a renewal write that never happened stops the run without buying; the next run buys once", async () => {
    const { id, olds, live } = await issuedAndAged(bought());
    emulator.injectFault({ cloud: "tencent", action: "CreateCertificate", kind: "http500", count: 1 });
    await expect(tencentBackend.renew(ctx(), id, live, olds, bought())).rejects.toThrow(/CreateCertificate reply was lost .* does not buy again in this run/);
    expect(renewalOf(id)).toHaveLength(0);
    await tencentBackend.renew(ctx(), id, live, olds, bought());
    expect(renewalOf(id)).toHaveLength(1);
  });

  test("a run that stopped after the renewal's purchase (materials failing) is continued by the next: still one renewal", async () => {
    const { id, olds, live } = await issuedAndAged(bought());
    emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "reset", count: 10 });
    await expect(tencentBackend.renew(ctx(), id, live, olds, bought())).rejects.toThrow();
    expect(renewalOf(id)).toHaveLength(1);
    emulator.clearFaults();
    const renewed = await tencentBackend.renew(ctx(), id, live, olds, bought());
    expect(renewalOf(id)).toHaveLength(1);
    expect(renewed).toMatchObject({ certificateId: renewalOf(id)[0].certificateId, status: "under-review" });
    expect(renewalOf(id)[0]).toMatchObject({ submitCount: 1, orderCount: 1 });
    // A third run (the state never recorded it) sends nothing.
    emulator.clearLog();
    await tencentBackend.renew(ctx(), id, live, olds, bought());
    expect(emulator.log.filter((e) => !e.action.startsWith("Describe"))).toEqual([]);
  });

  test("a renewal the old certificate already has from elsewhere (RenewOrder, untagged) is not bought again", async () => {
    emulator.tencent.addPackage({ packageId: "pkg-a", points: 100 });
    const { id, olds, live } = await issuedAndAged(byPackage());
    const sdk = officialTencentClient(Number(new URL(emulator.url).port), emulator.credentials.tencent);
    const console = await sdk.CreateCertificateByPackage({ ProductPid: 1013955, PackageIds: ["pkg-a"], DomainCount: "1", Period: 1, OldCertificateId: id, RenewGenCsrMethod: "original" });
    emulator.clearLog();
    await expect(tencentBackend.renew(ctx(), id, live, olds, byPackage())).rejects.toThrow(new RegExp(`already has a renewal, ${console.CertificateId} .*not bought by this resource`));
    expect(paidWrites()).toHaveLength(0);
  });

  test("each renewal is tied to the certificate it renews: renewing the renewal later buys a new one", async () => {
    const { id, olds, live } = await issuedAndAged(bought());
    const first = (await tencentBackend.renew(ctx(), id, live, olds, bought())) as LiveApplication & { certificateId: string };
    emulator.tencent.issue(first.certificateId);
    await emulator.tencent.certificate(first.certificateId);
    await emulator.tencent.age(first.certificateId, 10);
    const liveNew = (await tencentBackend.read(ctx(), first.certificateId)) as LiveApplication;
    const second = (await tencentBackend.renew(ctx(), first.certificateId, liveNew, { ...olds, currentCertificateId: first.certificateId }, bought())) as LiveApplication & {
      certificateId: string;
      renewedFrom: string;
    };
    expect(second.renewedFrom).toBe(first.certificateId);
    expect(new Set([id, first.certificateId, second.certificateId]).size).toBe(3);
    expect(purchases()).toHaveLength(3);
  });
});

describe("delete during a renewal, and import of a renewed certificate", () => {
  test("delete cancels only the renewal's certificate, never issued; the old one is left issued", async () => {
    const { id, olds, live } = await issuedAndAged(bought());
    const renewed = (await tencentBackend.renew(ctx(), id, live, olds, bought())) as LiveApplication & { certificateId: string };
    await tencentBackend.cancel(ctx(), renewed.certificateId, olds, renewed);
    expect(emulator.tencent.state(renewed.certificateId)?.status).toBe(7);
    expect(emulator.tencent.state(id)?.status).toBe(1);
  });

  test("delete of the issued certificate whose renewal a stopped run bought but never recorded cancels that renewal only", async () => {
    const { id, olds, live } = await issuedAndAged(bought());
    emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "reset", count: 10 });
    await expect(tencentBackend.renew(ctx(), id, live, olds, bought())).rejects.toThrow();
    emulator.clearFaults();
    const [rec] = renewalOf(id);
    emulator.clearLog();
    await tencentBackend.cancel(ctx(), id, olds, live);
    expect(emulator.tencent.state(rec.certificateId)?.status).toBe(7);
    // The list found it; its own detail read, not the list's status, decided the cancellation.
    const onRenewal = emulator.log.filter((e) => e.target === rec.certificateId).map((e) => e.action);
    expect(onRenewal.slice(0, 2)).toEqual(["DescribeCertificateDetail", "CancelCertificateOrder"]);
    expect(emulator.tencent.state(id)?.status).toBe(1);
    expect(logs.join("\n")).toMatch(/an issued certificate is never cancelled/);
  });

  test.each([
    ["CreateCertificateByPackage (OriginCertificateId)", byPackage],
    ["CreateCertificate (the renewal tag)", bought],
  ] as const)("import of a renewal bought by %s names the certificate it renewed", async (_how, inputsOf) => {
    emulator.tencent.addPackage({ packageId: "pkg-a", points: 100 });
    const { id, olds, live } = await issuedAndAged(inputsOf());
    const renewed = (await tencentBackend.renew(ctx(), id, live, olds, inputsOf())) as LiveApplication & { certificateId: string };
    const imported = await tencentBackend.importApplication(ctx(), renewed.certificateId);
    expect(imported?.live).toMatchObject({ renewedFrom: id, status: "under-review" });
    expect(imported?.inputs).toMatchObject({ certificateId: renewed.certificateId, commonName: "www.example.com" });
    expect((await tencentBackend.importApplication(ctx(), id))?.live).not.toHaveProperty("renewedFrom");
  });

  test("pulumi import of tencent/<renewal id> gives the lineage a renewal produced: currentCertificateId and renewedFrom", async () => {
    emulator.tencent.addPackage({ packageId: "pkg-a", points: 100 });
    const { id, olds, live } = await issuedAndAged(byPackage());
    const renewed = (await tencentBackend.renew(ctx(), id, live, olds, byPackage())) as LiveApplication & { certificateId: string };
    const imported = await read(`tencent/${renewed.certificateId}`);
    expect(imported.id).toBe(renewed.certificateId);
    expect(imported.props).toMatchObject({ applicationId: renewed.certificateId, currentCertificateId: renewed.certificateId, renewedFrom: id, status: "under-review" });
    const plain = await read(`tencent/${id}`);
    expect(plain.props).toMatchObject({ currentCertificateId: id, status: "issued" });
    expect(plain.props).not.toHaveProperty("renewedFrom");
  });
});
