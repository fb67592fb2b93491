/**
 * Renewal through Pulumi's own dynamic-provider host: an Edgecast request declared with `renewBeforeDays` and
 * `autoRenew: false`; once its certificate is inside the window, the preview says why with the dates, `up` renews
 * it with one `PUT …/renew` on the same resource, and the next `up` plans nothing while the renewal is under way.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { startEngine } from "../support";
import type { Engine } from "../harness/engine";

let emulator: Emulator;
let engine: Engine;
beforeAll(async () => {
  emulator = await new Emulator().start();
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
