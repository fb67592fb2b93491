/**
 * Edgecast renewal from a stored, issued request through Pulumi's own dynamic-provider host: once the issued
 * certificate is stored, a run reads `/status` only (status and order unchanged), and that read must carry the stored
 * certificate, whose notAfter decides the renewal. Without it the renewal was never planned for a request whose
 * status stays the same, and a run that wrote nothing dropped the certificate from the outputs.
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
  validationMethod: "DnsTxtToken",
  edgecast: { description: "shop", autoRenew: false },
  ...(renewBeforeDays === undefined ? {} : { renewBeforeDays }),
});
const writes = () => emulator.actions("edgecast").filter((a) => !a.startsWith("GET ") && a !== "POST /connect/token");

test("renewBeforeDays moved over a stored issued request's expiry: that up renews (one PUT …/renew) from a status-only read, and the outputs keep the certificate", async () => {
  await engine.up(() => new CertificateApplication("www", args()));
  const id = engine.resource("www")!.id;
  await emulator.edgecast.control("issue", { id: Number(id) });
  await emulator.edgecast.control("age", { id: Number(id), daysLeft: 20 });
  await engine.up(() => new CertificateApplication("www", args())); // stores the issued certificate
  const stored = engine.resource("www")!.outputs.certificate as { notAfter: string; thumbprint: string };
  expect(stored.notAfter).toBeDefined();

  // A run that writes nothing (renewBeforeDays outside the window: stored only) keeps the stored certificate.
  emulator.clearLog();
  expect((await engine.up(() => new CertificateApplication("www", args(5)))).steps.map((s) => s.op)).toEqual(["update"]);
  expect(writes()).toEqual([]);
  expect(engine.resource("www")!.outputs.certificate).toEqual(stored);

  emulator.clearLog();
  const res = await engine.up(() => new CertificateApplication("www", args(30)));
  expect(res.steps.map((s) => s.op)).toEqual(["update"]);
  expect(writes()).toEqual(["PUT /v2.0/certificates/{id}/renew"]);
  expect((await emulator.edgecast.control("state", { id: Number(id) })).body).toMatchObject({ orderStatus: "PendingRenewal", renewCount: 1 });
  expect(engine.resource("www")!.outputs.certificate).toEqual(stored); // still in service

  emulator.clearLog();
  expect((await engine.up(() => new CertificateApplication("www", args(30)))).steps.map((s) => s.op)).toEqual(["same"]);
  expect(writes()).toEqual([]);
});

test("a renewal applied in a run that then failed (reply lost, confirming reads failing): the next up sends no second PUT …/renew and its state shows the renewal under way", async () => {
  await engine.destroy();
  emulator.reset();
  await engine.up(() => new CertificateApplication("crash", args()));
  const id = engine.resource("crash")!.id;
  await emulator.edgecast.control("issue", { id: Number(id) });
  await emulator.edgecast.control("age", { id: Number(id), daysLeft: 20 });
  await engine.up(() => new CertificateApplication("crash", args()));
  emulator.clearLog();
  // The renewal is applied but its reply lost; the reads after it answer a CPS not-found, so the run stops.
  emulator.injectFault({ cloud: "edgecast", action: "PUT /v2.0/certificates/{id}/renew", kind: "commit-then-drop", count: 1 });
  const statusReads = 3;
  emulator.injectFault({ cloud: "edgecast", action: "GET /v2.0/certificates/{id}/status", kind: "not-found", count: 50, skip: statusReads });
  await expect(engine.up(() => new CertificateApplication("crash", args(30)))).rejects.toThrow();
  emulator.clearFaults();
  expect(writes()).toEqual(["PUT /v2.0/certificates/{id}/renew"]);
  expect((await emulator.edgecast.control("state", { id: Number(id) })).body).toMatchObject({ orderStatus: "PendingRenewal", renewCount: 1 });

  emulator.clearLog();
  await engine.up(() => new CertificateApplication("crash", args(30)));
  expect(writes()).toEqual([]);
  expect(engine.resource("crash")!.outputs.edgecast).toMatchObject({ orderStatus: "PendingRenewal" });
});
