/**
 * The emulator's Huawei purchase calls, signed by the official core SDK's AK/SK signer: SubscribeCertificate
 * (`POST /v3/scm/certificates/buy`, the Go SDK's PurchaseCertificateRequestBody and SubscribeCertificateResponse)
 * and UnsubscribeCertificate (`DELETE /v3/scm/certificates/{cert_id}/unsubscribe`).
 */
import { Emulator } from "../../emulator";
import { sdkSigned } from "./helpers";

const emu = new Emulator();
beforeAll(async () => {
  await emu.start();
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(() => emu.reset());

const BUY = { cert_brand: "GEOTRUST", cert_type: "OV_SSL_CERT", domain_type: "MULTI_DOMAIN", effective_time: 1, domain_numbers: 3, order_number: 1, agree_privacy_protection: true };

test("buy answers the order id and one cert_id per certificate ordered, each PAID with what was bought", async () => {
  const res = await sdkSigned(emu, "POST", "/v3/scm/certificates/buy", { ...BUY, order_number: 2, is_auto_pay: true });
  expect(res.status).toBe(200);
  const body = res.json as { order_id: string; cert: { cert_id: string }[] };
  expect(Object.keys(body).sort()).toEqual(["cert", "order_id"]);
  expect(body.cert).toHaveLength(2);
  for (const { cert_id } of body.cert) {
    expect(cert_id).toMatch(/^[A-Za-z0-9]{16}$/);
    const got = await sdkSigned(emu, "GET", `/v3/scm/certificates/${cert_id}`);
    expect(got.json).toMatchObject({ status: "PAID", order_id: body.order_id, brand: "GEOTRUST", type: "OV_SSL_CERT", domain_type: "MULTI_DOMAIN", domain_count: 3 });
  }
});

test("buy refuses what the model's enums and ranges rule out, with SCM.0005, and buys nothing", async () => {
  const refused = async (over: Record<string, unknown>) => {
    const res = await sdkSigned(emu, "POST", "/v3/scm/certificates/buy", { ...BUY, ...over });
    return `${res.status} ${String(res.json.error_code)}`;
  };
  expect(await refused({ cert_brand: "DIGICERT" })).toBe("400 SCM.0005");
  expect(await refused({ cert_type: "DV" })).toBe("400 SCM.0005");
  expect(await refused({ domain_type: "SINGLE_DOMAIN" })).toBe("400 SCM.0005"); // domain_numbers 3 for a single domain
  expect(await refused({ domain_numbers: 1 })).toBe("400 SCM.0005"); // MULTI_DOMAIN takes 2 to 100
  expect(await refused({ domain_numbers: 101 })).toBe("400 SCM.0005");
  expect(await refused({ order_number: 0 })).toBe("400 SCM.0005");
  expect(await refused({ agree_privacy_protection: false })).toBe("400 SCM.0005");
  expect(await refused({ effective_time: 0 })).toBe("400 SCM.0005");
  expect(await refused({ enterprise_project_id: "nope" })).toBe("400 SCM.0005");
  const list = await sdkSigned(emu, "GET", "/v3/scm/certificates");
  expect(list.json.total_count).toBe(0);
});

test("unsubscribe refunds a PAID certificate (it is gone), and refuses one with an application under way", async () => {
  const buy = await sdkSigned(emu, "POST", "/v3/scm/certificates/buy", BUY);
  const [a] = (buy.json as { cert: { cert_id: string }[] }).cert;
  const res = await sdkSigned(emu, "DELETE", `/v3/scm/certificates/${a.cert_id}/unsubscribe`);
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ unsubscribe_results: "SUCCESS" });
  expect((await sdkSigned(emu, "GET", `/v3/scm/certificates/${a.cert_id}`)).status).toBe(404);
  expect(emu.huawei.unsubscribed).toEqual([a.cert_id]);

  const again = await sdkSigned(emu, "POST", "/v3/scm/certificates/buy", BUY);
  const [b] = (again.json as { cert: { cert_id: string }[] }).cert;
  emu.huawei.get(b.cert_id)!.status = "CHECKING";
  const busy = await sdkSigned(emu, "DELETE", `/v3/scm/certificates/${b.cert_id}/unsubscribe`);
  expect(`${busy.status} ${String(busy.json.error_code)}`).toBe("400 SCM.0010");
});

test("ListCertificatesByTag (POST /v3/scm/resource_instances/action) filters by tags and not_tags, and reports each certificate's product", async () => {
  const buy = async () => ((await sdkSigned(emu, "POST", "/v3/scm/certificates/buy", BUY)).json as { cert: { cert_id: string }[] }).cert[0].cert_id;
  const a = await buy();
  const b = await buy();
  await sdkSigned(emu, "POST", `/v3/scm/${a}/tags`, { tag: { key: "certapply-purchase", value: "v1" } });
  const filter = async (body: Record<string, unknown>) => (await sdkSigned(emu, "POST", "/v3/scm/resource_instances/action", { action: "filter", ...body })).json as {
    resources: { resource_id: string; tags: { key: string; value: string }[]; resource_detail: Record<string, unknown> }[];
    total_count: number;
  };
  const tagged = await filter({ tags: [{ key: "certapply-purchase", values: ["v1"] }] });
  expect(tagged.resources.map((r) => r.resource_id)).toEqual([a]);
  expect(tagged.resources[0].tags).toEqual([{ key: "certapply-purchase", value: "v1" }]);
  expect((await filter({ tags: [{ key: "certapply-purchase", values: ["v2"] }] })).total_count).toBe(0);
  const untagged = await filter({ not_tags: [{ key: "certapply-purchase", values: [] }] });
  expect(untagged.resources.map((r) => r.resource_id)).toEqual([b]);
  expect(untagged.resources[0].resource_detail).toMatchObject({ cert_id: b, cert_brand: "GEOTRUST", cert_type: "OV_SSL_CERT", domain_type: "MULTI_DOMAIN", domain_num: 3, purchase_period: 1, unsubscribe_support: true });
  expect((await filter({ without_any_tag: true })).resources.map((r) => r.resource_id)).toEqual([b]);
  const counted = await sdkSigned(emu, "POST", "/v3/scm/resource_instances/action", { action: "count" });
  expect(counted.json).toEqual({ total_count: 2 });
  const bad = await sdkSigned(emu, "POST", "/v3/scm/resource_instances/action", { action: "filter", limit: 15 });
  expect(`${bad.status} ${String(bad.json.error_code)}`).toBe("400 SCM.0005");
});
