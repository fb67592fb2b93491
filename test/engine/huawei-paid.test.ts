/**
 * Buying at create on Huawei through Pulumi's own dynamic-provider host: a program declares `purchase` instead of
 * `certificateId`; one `up` buys (then tags the certificate: the purchase model takes no tags) and applies; a
 * failed application after the purchase is finished by the next `up` with the same certificate; a lost purchase
 * reply stops the run without a second purchase, naming the certificate; `destroy` refunds the never-issued one.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { emulatorSeed } from "../emulator/seed";
import { startEngine } from "../support";
import { EngineError, type Engine } from "../harness/engine";
import { movesOnNextRead, reviewStatus } from "../huawei/helpers";

let emulator: Emulator;
let engine: Engine;
beforeAll(async () => {
  emulator = await new Emulator({ seed: emulatorSeed() }).start();
  engine = await startEngine(emulator, { "certapply:pollIntervalMs": "20" });
});
afterAll(async () => {
  await engine.stop();
  await emulator.stop();
});

const args: CertificateApplicationArgs = {
  cloud: "huawei",
  purchase: { brand: "GEOTRUST", type: "DV_SSL_CERT", domainType: "MULTI_DOMAIN", domainCount: 2, years: 1 },
  commonName: "www.example.com",
  dnsNames: ["example.com"],
  validationMethod: "DNS",
  admin: { firstName: "Emily", lastName: "Chen", email: "admin@example.com", phone: "13212345678" },
  tech: { firstName: "Tom", lastName: "Li", email: "tech@example.com", phone: "13312345678" },
  waitTimeoutSeconds: 10,
};
const purchases = () => emulator.huawei.all().filter((c) => c.internal.purchased);
const buys = () => emulator.actions("huawei").filter((a) => a === "SubscribeCertificate").length;
const writes = () => emulator.actions("huawei").filter((a) => !["ShowCertificate", "ListCertificates", "ListTagsByCertificate", "ListCertificatesByTag", "ExportCertificate"].includes(a));

test("a bad purchase block fails the preview naming the field; nothing is called", async () => {
  emulator.clearLog();
  const err = await engine
    .preview(() => new CertificateApplication("bad", { ...args, purchase: { brand: "GEOTRUST", type: "DV_SSL_CERT", domainType: "SINGLE_DOMAIN", domainCount: 2, years: 1 } }))
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(EngineError);
  expect((err as EngineError).failures.map((f) => `${f.property}: ${f.reason}`)).toEqual([
    "purchase.domainCount: huawei SINGLE_DOMAIN purchases cover exactly 1 domain: set domainCount to 1, or domainType to MULTI_DOMAIN",
  ]);
  expect(emulator.actions("huawei")).toEqual([]);
});

test("up buys and applies in one run; a failed apply after the purchase is finished by the next up on the same certificate; destroy refunds it", async () => {
  emulator.reset();
  emulator.injectFault({ cloud: "huawei", action: "ApplyCertificate", kind: "reset", count: 20 });
  await expect(engine.up(() => new CertificateApplication("www", args))).rejects.toThrow(EngineError);
  expect(purchases()).toHaveLength(1);
  const id = purchases()[0].id;
  expect(engine.resource("www")).toBeUndefined();

  emulator.clearFaults();
  emulator.clearLog();
  const res = await engine.up(() => new CertificateApplication("www", args));
  expect(res.steps.map((s) => s.op)).toEqual(["create"]);
  expect(buys()).toBe(0);
  expect(writes()).toEqual(["CreateCertificateTag", "ApplyCertificate"]); // the owner tag, then the apply
  const www = engine.resource("www")!;
  expect(www.id).toBe(id);
  // Under review: CHECKING, or CHECKING_DOMAIN once a seed drew the move (emulator rule V5).
  expect(www.outputs).toMatchObject({ applicationId: id, status: reviewStatus(emulator, id), purchase: args.purchase });

  emulator.clearLog();
  const moves = movesOnNextRead(emulator, id);
  const again = await engine.up(() => new CertificateApplication("www", args));
  // Nothing to send; a status that moves on this run's read is stored (an update with no write).
  expect(again.steps.map((s) => s.op)).toEqual([moves ? "update" : "same"]);
  expect(writes()).toEqual([]);

  emulator.clearLog();
  await engine.destroy();
  expect(writes()).toEqual(["CancelCertificateRequest", "UnsubscribeCertificate"]);
  expect(emulator.huawei.unsubscribed).toEqual([id]);
});

test("a lost purchase reply: the up finds the purchase (the one untagged certificate of the product) and goes on, one purchase", async () => {
  emulator.reset();
  emulator.injectFault({ cloud: "huawei", action: "SubscribeCertificate", kind: "commit-then-drop", count: 1 });
  const res = await engine.up(() => new CertificateApplication("lost", args));
  expect(res.steps.map((s) => s.op)).toEqual(["create"]);
  expect(purchases()).toHaveLength(1);
  expect(buys()).toBe(1);
  expect(engine.resource("lost")!.id).toBe(purchases()[0].id);
  await engine.destroy();
});

test("a paid, untagged certificate of the product (bought in the console, or a crash between buy and tag): the up buys nothing and names it; certificateId then applies with it", async () => {
  emulator.reset();
  const seeded = await emulator.huawei.control("seed", { type: "DV_SSL_CERT", brand: "GEOTRUST", domainType: "MULTI_DOMAIN", domainCount: 2 });
  const id = String((seeded.body as { certificateId: string }).certificateId);
  const err = await engine.up(() => new CertificateApplication("stray", args)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(EngineError);
  expect(String((err as Error).message)).toMatch(new RegExp(`certificate ${id} is paid \\(PAID\\) for the same product.*certificateId: "${id}"`));
  expect(buys()).toBe(0);
  const res = await engine.up(() => new CertificateApplication("stray", { ...args, purchase: undefined, certificateId: id }));
  expect(res.steps.map((s) => s.op)).toEqual(["create"]);
  expect(engine.resource("stray")!.id).toBe(id);
  await engine.destroy();
});

test("renewal: the preview plans a new purchase with the dates; up buys it and applies on it, the resource follows it (currentCertificateId, renewedFrom) and keeps the old certificate in service; the next up plans nothing", async () => {
  emulator.reset();
  const renewing: CertificateApplicationArgs = { ...args, renewBeforeDays: 30 };
  await engine.up(() => new CertificateApplication("renew", args));
  const id = engine.resource("renew")!.id;
  await emulator.huawei.control("issue", { id });
  await emulator.huawei.control("age", { id, daysLeft: 20 });
  await engine.up(() => new CertificateApplication("renew", args)); // stores the issued certificate
  const oldCert = engine.resource("renew")!.outputs.certificate as { serialNumber: string };
  emulator.clearLog();

  const before = engine.hostLines().length;
  const pre = await engine.preview(() => new CertificateApplication("renew", renewing));
  expect(pre.steps.map((s) => s.op)).toEqual(["update"]);
  expect(engine.hostLines().slice(before).join("\n")).toMatch(/plan: renew: expires \d{4}-\d\d-\d\d, in (19|20) days; renewing 30 days ahead: buy a new certificate \(POST \/v3\/scm\/certificates\/buy/);
  expect(buys()).toBe(0);

  const res = await engine.up(() => new CertificateApplication("renew", renewing));
  expect(res.steps.map((s) => s.op)).toEqual(["update"]);
  expect(buys()).toBe(1);
  const after = engine.resource("renew")!;
  expect(after.id).toBe(id);
  const next = String(after.outputs.currentCertificateId);
  expect(next).not.toBe(id);
  expect(after.outputs).toMatchObject({ applicationId: id, renewedFrom: id, status: reviewStatus(emulator, next) });
  expect((after.outputs.certificate as { serialNumber: string }).serialNumber).toBe(oldCert.serialNumber); // still in service
  expect(emulator.huawei.get(id)?.status).toBe("ISSUED");

  emulator.clearLog();
  const movesToo = movesOnNextRead(emulator, next);
  const again = await engine.up(() => new CertificateApplication("renew", renewing));
  expect(again.steps.map((s) => s.op)).toEqual([movesToo ? "update" : "same"]);
  expect(buys()).toBe(0);
  expect(writes()).toEqual([]);

  // Once the renewal is issued, the outputs describe the new certificate.
  await emulator.huawei.control("issue", { id: next });
  await engine.up(() => new CertificateApplication("renew", renewing));
  expect((engine.resource("renew")!.outputs.certificate as { serialNumber: string }).serialNumber).not.toBe(oldCert.serialNumber);
});

test("the preview of a resource that will buy passes, and calls no purchase", async () => {
  await engine.destroy();
  emulator.reset();
  const pre = await engine.preview(() => new CertificateApplication("fresh", args));
  expect(pre.steps.map((s) => s.op)).toEqual(["create"]);
  expect(buys()).toBe(0);
  // No certificate exists yet, so the preview's check of the named certificate is not made either.
  expect(emulator.actions("huawei")).toEqual([]);
});
