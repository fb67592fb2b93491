/**
 * Renewal through Pulumi's own dynamic-provider host: an Edgecast request declared with `renewBeforeDays` and
 * `autoRenew: false`; once its certificate is inside the window, the preview says why with the dates, `up` renews
 * it with one `PUT …/renew` on the same resource, and the next `up` plans nothing while the renewal is under way.
 * Tencent with `purchase`: `up` buys the renewal (CreateCertificate, or CreateCertificateByPackage with packageIds)
 * and applies it, the resource then follows the new certificate, a lost purchase reply never buys twice; with
 * `certificateId` only, every preview in the window warns what to set.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { emulatorSeed } from "../emulator/seed";
import { startEngine } from "../support";
import type { Engine } from "../harness/engine";

let emulator: Emulator;
let engine: Engine;
beforeAll(async () => {
  emulator = await new Emulator({ seed: emulatorSeed() }).start();
  engine = await startEngine(emulator);
});
afterAll(async () => {
  await engine.stop();
  await emulator.stop();
});

const args = (renewBeforeDays?: number): CertificateApplicationArgs => ({
  cloud: "edgecast",
  commonName: "www.example.com",
  dnsNames: ["example.com"],
  validationMethod: "DnsTxtToken",
  edgecast: { description: "shop", autoRenew: false },
  ...(renewBeforeDays === undefined ? {} : { renewBeforeDays }),
});
const writes = () => emulator.actions("edgecast").filter((a) => !a.startsWith("GET ") && a !== "POST /connect/token");

test("preview says why with the dates; up renews once on the same resource; a renewal under way is not planned again", async () => {
  await engine.up(() => new CertificateApplication("www", args()));
  const id = engine.resource("www")!.id;
  await emulator.edgecast.control("issue", { id: Number(id) });
  await emulator.edgecast.control("age", { id: Number(id), daysLeft: 20 });
  emulator.clearLog();

  const before = engine.hostLines().length;
  const pre = await engine.preview(() => new CertificateApplication("www", args(30)));
  expect(pre.steps.map((s) => s.op)).toEqual(["update"]);
  expect(engine.hostLines().slice(before).join("\n")).toMatch(/plan: renew: expires \d{4}-\d\d-\d\d, in 19 days; renewing 30 days ahead: PUT …\/renew/);
  expect(writes()).toEqual([]);

  const res = await engine.up(() => new CertificateApplication("www", args(30)));
  expect(res.steps.map((s) => s.op)).toEqual(["update"]);
  expect(writes()).toEqual(["PUT /v2.0/certificates/{id}/renew"]);
  expect(engine.resource("www")!.id).toBe(id);
  expect((await emulator.edgecast.control("state", { id: Number(id) })).body).toMatchObject({ orderStatus: "PendingRenewal", renewCount: 1 });

  emulator.clearLog();
  const again = await engine.up(() => new CertificateApplication("www", args(30)));
  expect(again.steps.map((s) => s.op)).toEqual(["same"]);
  expect(writes()).toEqual([]);

  // Once the CA issues the renewal, the next up (no refresh) stores the new certificate, with no write.
  const oldNotAfter = (engine.resource("www")!.outputs.certificate as { notAfter: string }).notAfter;
  await emulator.edgecast.control("renewed", { id: Number(id) });
  emulator.clearLog();
  const taken = await engine.up(() => new CertificateApplication("www", args(30)));
  expect(taken.steps.map((s) => s.op)).toEqual(["update"]);
  expect(writes()).toEqual([]);
  const out = engine.resource("www")!.outputs;
  expect((out.certificate as { notAfter: string }).notAfter > oldNotAfter).toBe(true);
  expect(out.currentCertificateId).toBe(id);
  expect(out.renewedFrom).toBeUndefined();
  emulator.clearLog();
  expect((await engine.up(() => new CertificateApplication("www", args(30)))).steps.map((s) => s.op)).toEqual(["same"]);
});

describe("tencent: renewal buys a new certificate, once per expiry", () => {
  const tencent = (renewBeforeDays: number | undefined, purchase: CertificateApplicationArgs["purchase"] | null): CertificateApplicationArgs => ({
    cloud: "tencent",
    ...(purchase ? { purchase } : {}),
    commonName: "shop.example.com",
    validationMethod: "DNS",
    organization: { name: "Example Ltd", division: "IT", address: "1 Example Road", city: "Guangzhou", region: "Guangdong", country: "CN", phoneAreaCode: "020", phoneNumber: "12345678" },
    admin: { firstName: "Ning", lastName: "Huang", email: "admin@example.com", phone: "13112341234", title: "CTO" },
    tech: { firstName: "Ning", lastName: "Huang", email: "tech@example.com", phone: "13112341234", title: "SRE" },
    ...(renewBeforeDays === undefined ? {} : { renewBeforeDays }),
  });
  const BUY: CertificateApplicationArgs["purchase"] = { productId: 43, domainCount: 1, years: 1 };
  const BY_PACKAGE: CertificateApplicationArgs["purchase"] = { productId: 1013955, domainCount: 1, years: 1, packageIds: ["pkg-engine"] };
  const tencentWrites = () => emulator.actions("tencent").filter((a) => !a.startsWith("Describe"));
  const paid = () => emulator.tencent.all().filter((r) => r.purchased);

  /** One `up` that buys and applies `name`, then the CA issues it and it ages to 20 days before its end. */
  async function issuedAndAged(name: string, purchase: CertificateApplicationArgs["purchase"]): Promise<string> {
    await engine.up(() => new CertificateApplication(name, tencent(undefined, purchase)));
    const id = engine.resource(name)!.id;
    emulator.tencent.issue(id);
    await emulator.tencent.certificate(id);
    await emulator.tencent.age(id, 20);
    await engine.up(() => new CertificateApplication(name, tencent(undefined, purchase)));
    expect(engine.resource(name)!.outputs).toMatchObject({ status: "issued" });
    emulator.clearLog();
    return id;
  }

  test("preview says why with the dates; up buys the renewal and applies it; the next up plans nothing", async () => {
    const id = await issuedAndAged("tshop", BUY);
    const oldPem = (engine.resource("tshop")!.outputs.certificate as { certificatePem: string }).certificatePem;

    const before = engine.hostLines().length;
    const pre = await engine.preview(() => new CertificateApplication("tshop", tencent(30, BUY)));
    expect(pre.steps.map((s) => s.op)).toEqual(["update"]);
    expect(engine.hostLines().slice(before).join("\n")).toMatch(
      /plan: renew: expires \d{4}-\d\d-\d\d, in 19 days; renewing 30 days ahead: a new paid CreateCertificate order \(product 43, 1 domain\(s\), 1 year\(s\)\), then CertificateInfoSubmit and CertificateOrderSubmit on the new certificate/,
    );
    expect(tencentWrites()).toEqual([]);

    const res = await engine.up(() => new CertificateApplication("tshop", tencent(30, BUY)));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(tencentWrites()).toEqual(["CreateCertificate", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    const renewal = paid().find((r) => r.certificateId !== id)!;
    const shop = engine.resource("tshop")!;
    expect(shop.id).toBe(id);
    expect(shop.outputs).toMatchObject({ applicationId: id, currentCertificateId: renewal.certificateId, renewedFrom: id, status: "under-review" });
    // The old certificate stays in service (and in the outputs) until the renewal is issued.
    expect((shop.outputs.certificate as { certificatePem: string }).certificatePem).toBe(oldPem);
    expect(emulator.tencent.state(id)?.status).toBe(1);

    emulator.clearLog();
    const again = await engine.up(() => new CertificateApplication("tshop", tencent(30, BUY)));
    expect(again.steps.map((s) => s.op)).toEqual(["same"]);
    expect(tencentWrites()).toEqual([]);
    expect(paid()).toHaveLength(2);

    // Once the CA issues the renewal, the next up's outputs describe it (no write), and nothing more is planned.
    emulator.tencent.issue(renewal.certificateId);
    const newCert = await emulator.tencent.certificate(renewal.certificateId);
    await engine.up(() => new CertificateApplication("tshop", tencent(30, BUY)));
    expect(tencentWrites()).toEqual([]);
    expect(engine.resource("tshop")!.outputs).toMatchObject({ status: "issued", currentCertificateId: renewal.certificateId, renewedFrom: id });
    expect((engine.resource("tshop")!.outputs.certificate as { certificatePem: string }).certificatePem).toBe(newCert!.certificatePem);
    const last = await engine.up(() => new CertificateApplication("tshop", tencent(30, BUY)));
    expect(last.steps.map((s) => s.op)).toEqual(["same"]);
    expect(paid()).toHaveLength(2);
  });

  test.each([
    ["CreateCertificate", BUY],
    ["CreateCertificateByPackage", BY_PACKAGE],
  ] as const)("a lost %s reply of a renewal: one renewal, applied in the same up", async (action, purchase) => {
    emulator.tencent.addPackage({ packageId: "pkg-engine", points: 1000 });
    const name = `t-${action}`;
    const id = await issuedAndAged(name, purchase);
    emulator.injectFault({ cloud: "tencent", action, kind: "commit-then-drop", count: 1 });
    const res = await engine.up(() => new CertificateApplication(name, tencent(30, purchase)));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    const renewals = paid().filter((r) => r.tags.some((t) => t.TagValue.startsWith(`${id}.`)));
    expect(renewals).toHaveLength(1);
    expect(tencentWrites().filter((a) => a === action)).toHaveLength(1);
    expect(engine.resource(name)!.outputs).toMatchObject({ currentCertificateId: renewals[0].certificateId, renewedFrom: id });
    expect(renewals[0]).toMatchObject({ orderCount: 1 });
  });

  test("a certificate named by certificateId warns at every preview from the window on, saying to set purchase", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const named = { ...tencent(undefined, null), certificateId: id };
    await engine.up(() => new CertificateApplication("tnamed", named));
    emulator.tencent.issue(id);
    await emulator.tencent.certificate(id);
    await emulator.tencent.age(id, 10);
    // The up that sets renewBeforeDays inside the window stores it (no API write) and already warns.
    const set = await engine.up(() => new CertificateApplication("tnamed", { ...named, renewBeforeDays: 30 }));
    expect(set.steps.map((s) => s.op)).toEqual(["update"]);
    emulator.clearLog();
    for (let run = 0; run < 2; run++) {
      const before = engine.hostLines().length;
      const pre = await engine.preview(() => new CertificateApplication("tnamed", { ...named, renewBeforeDays: 30 }));
      expect(pre.steps.map((s) => s.op)).toEqual(["same"]);
      expect(engine.hostLines().slice(before).join("\n")).toMatch(/warning: .*plan: no change: expires \d{4}-\d\d-\d\d, in 9 days; renewing 30 days ahead: certapply renews on tencent only a certificate it buys.*declare purchase/);
    }
    expect(tencentWrites()).toEqual([]);
  });
});
