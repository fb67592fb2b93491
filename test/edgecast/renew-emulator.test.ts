/**
 * The emulator's Edgecast renewal: `PUT /v2.0/certificates/{id}/renew` (no body, 204), the renewal order statuses
 * (`PendingRenewal`, `AwaitingRenewal`, `Renewed`, `RenewalRejected`), the deployed certificate staying in service
 * until the renewal is issued, and the `age` control that brings a certificate near its expiry.
 */
import { Emulator } from "../../emulator/server";
import { DV_BODY, control, raw, token } from "./helpers";

const emulator = new Emulator();
let tok: string;
beforeAll(async () => {
  await emulator.start();
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.reset();
  tok = await token(emulator);
});

type Json = Record<string, unknown>;
const cps = (p: string) => `/sec/cps${p}`;
const create = async (over: Json = {}) => (await raw(emulator, "POST", cps("/v2.0/certificates/cdnprovided"), { token: tok, body: { ...DV_BODY, ...over } })).json as Json;
const renew = (id: unknown) => raw(emulator, "PUT", cps(`/v2.0/certificates/${String(id)}/renew`), { token: tok });
const order = async (id: unknown) => ((await raw(emulator, "GET", cps(`/v2.0/certificates/${String(id)}/status`), { token: tok })).json as { order_validation?: { status?: string } }).order_validation?.status;
const detail = async (id: unknown) => (await raw(emulator, "GET", cps(`/v2.0/certificates/${String(id)}`), { token: tok })).json as Json;

test("renew: 204 with no body on an issued certificate; the order is PendingRenewal and the old certificate stays until Renewed", async () => {
  const c = await create({ auto_renew: false });
  expect((await renew(c.id)).status).toBe(400); // never issued
  await control(emulator, "issue", { id: c.id });
  const before = await detail(c.id);
  const res = await renew(c.id);
  expect(res.status).toBe(204);
  expect(res.text).toBe("");
  expect(await order(c.id)).toBe("PendingRenewal");
  expect(await detail(c.id)).toMatchObject({ expiration_date: before.expiration_date, thumbprint: before.thumbprint });
  // A second renew while one is in progress starts nothing new.
  expect((await renew(c.id)).status).toBe(204);
  expect((await control(emulator, "state", { id: c.id })).renewCount).toBe(1);
  await control(emulator, "renewed", { id: c.id });
  expect(await order(c.id)).toBe("Renewed");
  expect((await detail(c.id)).thumbprint).not.toBe(before.thumbprint);
});

test("age moves the expiry near; auto-renewal is the CA's (AwaitingRenewal) and only with auto_renew on; a rejected renewal keeps the certificate", async () => {
  const c = await create({ auto_renew: true });
  await control(emulator, "issue", { id: c.id });
  await control(emulator, "age", { id: c.id, daysLeft: 20 });
  const exp = Date.parse(String((await detail(c.id)).expiration_date));
  expect(Math.round((exp - emulator.now()) / 86_400_000)).toBe(20);
  await control(emulator, "autorenew", { id: c.id });
  expect(await order(c.id)).toBe("AwaitingRenewal");
  await control(emulator, "order", { id: c.id, status: "RenewalRejected" });
  expect(await order(c.id)).toBe("RenewalRejected");
  expect(Date.parse(String((await detail(c.id)).expiration_date))).toBe(exp);

  const off = await create({ auto_renew: false, certificate_label: "off-label" });
  await control(emulator, "issue", { id: off.id });
  expect((await emulator.edgecast.control("autorenew", { id: off.id })).status).toBe(409);
});

test("renew refuses a cancelled or deleted request with 400, an unknown one with 404", async () => {
  const c = await create();
  await raw(emulator, "PUT", cps(`/v2.0/certificates/${String(c.id)}/cancel?apply=true`), { token: tok });
  expect((await renew(c.id)).status).toBe(400);
  expect((await renew(999999)).status).toBe(404);
});
