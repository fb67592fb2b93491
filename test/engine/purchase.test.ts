/**
 * Buying at create through Pulumi's own dynamic-provider host: a program declares `purchase` instead of
 * `certificateId`; one `up` buys (CreateCertificate tagged for the resource) and applies; a failed application
 * after the purchase is finished by the next `up` with the same certificate; `destroy` cancels the order of the
 * never-issued purchase.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { emulatorSeed } from "../emulator/seed";
import { startEngine } from "../support";
import { EngineError, type Engine } from "../harness/engine";

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

const args: CertificateApplicationArgs = {
  cloud: "tencent",
  purchase: { productId: 45, domainCount: 2, years: 1 },
  commonName: "www.example.com",
  dnsNames: ["example.com"],
  validationMethod: "DNS",
  organization: { name: "Example Ltd", division: "IT", address: "1 Example Road", city: "Guangzhou", region: "Guangdong", country: "CN", phoneAreaCode: "020", phoneNumber: "12345678" },
  admin: { firstName: "Ning", lastName: "Huang", email: "admin@example.com", phone: "13112341234", title: "CTO" },
  tech: { firstName: "Ning", lastName: "Huang", email: "tech@example.com", phone: "13112341234", title: "SRE" },
};
const purchases = () => emulator.tencent.all().filter((r) => r.purchased);
const writes = () => emulator.actions("tencent").filter((a) => !a.startsWith("Describe"));

test("a bad purchase block fails the preview naming the field; nothing is called", async () => {
  const err = await engine.preview(() => new CertificateApplication("www", { ...args, purchase: { productId: 45, domainCount: 1, years: 1 } })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(EngineError);
  expect((err as EngineError).failures.map((f) => `${f.property}: ${f.reason}`)).toEqual([
    expect.stringMatching(/^purchase.domainCount: product 45 .* multi-domain/),
    "purchase.domainCount: commonName and dnsNames name 2 domains but domainCount is 1: raise domainCount or remove names",
  ]);
  expect(emulator.actions("tencent")).toEqual([]);
});

test("up buys and applies in one run; a failed application after the purchase is finished by the next up with the same certificate; destroy cancels the order", async () => {
  emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "reset", count: 20 });
  await expect(engine.up(() => new CertificateApplication("www", args))).rejects.toThrow(EngineError);
  expect(purchases()).toHaveLength(1);
  const id = purchases()[0].certificateId;
  expect(engine.resource("www")).toBeUndefined();

  emulator.clearFaults();
  emulator.clearLog();
  const res = await engine.up(() => new CertificateApplication("www", args));
  expect(res.steps.map((s) => s.op)).toEqual(["create"]);
  expect(writes()).toEqual(["CertificateInfoSubmit", "CertificateOrderSubmit"]);
  expect(purchases()).toHaveLength(1);
  const www = engine.resource("www")!;
  expect(www.id).toBe(id);
  expect(www.outputs).toMatchObject({ applicationId: id, status: "under-review", purchase: { productId: 45, domainCount: 2, years: 1 } });

  emulator.clearLog();
  const again = await engine.up(() => new CertificateApplication("www", args));
  expect(again.steps.map((s) => s.op)).toEqual(["same"]);
  expect(writes()).toEqual([]);

  await engine.destroy();
  expect(writes()).toEqual(["CancelCertificateOrder"]);
  // Cancelled: 7, or 6 while the cancellation settles (a seed draws how long).
  expect([6, 7]).toContain(emulator.tencent.state(id)?.status);
  expect(purchases()).toHaveLength(1);
});
