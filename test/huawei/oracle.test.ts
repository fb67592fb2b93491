/**
 * Oracles nobody here wrote (issue 8 part 5): the official Huawei core SDK (`@huaweicloud/huaweicloud-sdk-core`),
 * signing as SCM's global credentials do, is accepted by the emulator, whose replies carry the Go models' fields;
 * the same call without the signed `X-Domain-Id` is refused.
 */
import { ClientBuilder } from "@huaweicloud/huaweicloud-sdk-core/ClientBuilder";
import { GlobalCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/GlobalCredentials";
import type { HcClient } from "@huaweicloud/huaweicloud-sdk-core/HcClient";
import { Region } from "@huaweicloud/huaweicloud-sdk-core/region/region";
import { Emulator } from "../../emulator";
import { APPLY, raw, sdkSign, seed } from "./helpers";

const emu = new Emulator();
beforeAll(async () => {
  await emu.start();
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(() => emu.reset());

/**
 * An SCM client as the official SDKs build it: global credentials (ScmClientBuilder: "global.Credentials"), a
 * region (the SDK discovers a missing domain id only for clients built with one) whose endpoint is the emulator.
 */
function sdkClient(domainId?: string): HcClient {
  const c = emu.credentials.huawei;
  const cred = new GlobalCredentials().withAk(c.accessKey).withSk(c.secretKey).withIamEndpoint(emu.url) as GlobalCredentials;
  if (domainId) cred.withDomainId(domainId);
  return new ClientBuilder((hc: HcClient) => hc, "GlobalCredentials").withCredential(cred).withRegion(new Region("ap-southeast-1", emu.url)).build();
}

function sdkCall(client: HcClient, method: string, url: string, pathParams: Record<string, string>, data?: Record<string, unknown>): Promise<Record<string, unknown>> {
  return client.sendRequest({ method, url, contentType: "application/json", queryParams: {}, pathParams, headers: {}, data: data ?? {} } as never) as Promise<Record<string, unknown>>;
}

/** The body fields of an HcClient reply (it adds `httpStatusCode`, the Go models' `json:"-"` field). */
function bodyOf(reply: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(reply).filter(([k]) => k !== "httpStatusCode"));
}

describe("huawei emulator against the official core SDK's global credentials", () => {
  it("accepts ShowCertificate and ApplyCertificate sent by HcClient with a configured domain id", async () => {
    const id = await seed(emu);
    const client = sdkClient(emu.credentials.huawei.domainId);
    const shown = await sdkCall(client, "GET", "/v3/scm/certificates/{certificate_id}", { certificate_id: id });
    expect(shown).toMatchObject({ id, status: "PAID" });
    const applied = await sdkCall(client, "POST", "/v3/scm/certificates/{certificate_id}/apply", { certificate_id: id }, APPLY);
    expect(applied).toMatchObject({ request_info: "success" });
    expect(emu.log.map((e) => [e.action, e.status])).toEqual([
      ["ShowCertificate", 200],
      ["ApplyCertificate", 200],
    ]);
  });

  it("answers cancel-cert and the certificate tag calls sent by HcClient with exactly the Go models' fields", async () => {
    const id = await seed(emu);
    const client = sdkClient(emu.credentials.huawei.domainId);
    await sdkCall(client, "POST", "/v3/scm/certificates/{certificate_id}/apply", { certificate_id: id }, APPLY);
    // CancelCertificateRequestResponse (model_cancel_certificate_request_response.go): cert_id, message ("success")
    const cancelled = await sdkCall(client, "POST", "/v3/scm/certificates/{certificate_id}/cancel-cert", { certificate_id: id });
    expect(cancelled.httpStatusCode).toBe(200);
    expect(bodyOf(cancelled)).toEqual({ cert_id: id, message: "success" });
    // CreateCertificateTagRequestBody (model_create_certificate_tag_request_body.go): {"tag": ScsResourceTag{key, value}};
    // CreateCertificateTagResponse: desc. ListTagsByCertificateResponse: tags, a list of ScsResourceTag.
    const tag = { key: "certapply-owner", value: "0123456789abcdef" };
    const tagged = await sdkCall(client, "POST", "/v3/scm/{resource_id}/tags", { resource_id: id }, { tag });
    expect(tagged.httpStatusCode).toBe(200);
    expect(bodyOf(tagged)).toEqual({ desc: "success" });
    const listed = await sdkCall(client, "GET", "/v3/scm/{resource_id}/tags", { resource_id: id });
    expect(bodyOf(listed)).toEqual({ tags: [tag] });
    expect(emu.log.map((e) => [e.action, e.status])).toEqual([
      ["ApplyCertificate", 200],
      ["CancelCertificateRequest", 200],
      ["CreateCertificateTag", 200],
      ["ListTagsByCertificate", 200],
    ]);
  });

  it("serves the SDK's own domain-id discovery (IAM GET /v3/auth/domains) before the SCM call", async () => {
    const id = await seed(emu);
    const shown = await sdkCall(sdkClient(), "GET", "/v3/scm/certificates/{certificate_id}", { certificate_id: id });
    expect(shown).toMatchObject({ id, status: "PAID" });
    expect(emu.log.map((e) => [e.action, e.status])).toEqual([
      ["KeystoneListAuthDomains", 200],
      ["ShowCertificate", 200],
    ]);
  });

  it("refuses the same call signed by the core AKSKSigner without X-Domain-Id, or with it added after signing", async () => {
    const id = await seed(emu);
    const c = emu.credentials.huawei;
    const path = `/v3/scm/certificates/${id}`;
    const sign = (headers: Record<string, string>) => sdkSign(emu, "GET", path, headers);
    const without = await raw(emu, "GET", path, sign({ "Content-Type": "application/json" }));
    expect(without.status).toBe(401);
    expect(without.json).toMatchObject({ error_code: "APIG.0301", error_msg: expect.stringMatching(/X-Domain-Id is required/) });
    const unsigned = await raw(emu, "GET", path, { ...sign({ "Content-Type": "application/json" }), "X-Domain-Id": c.domainId });
    expect(unsigned.status).toBe(401);
    expect(String(unsigned.json.error_msg)).toMatch(/X-Domain-Id must be signed/);
    const signed = await raw(emu, "GET", path, sign({ "Content-Type": "application/json", "X-Domain-Id": c.domainId }));
    expect(signed.status).toBe(200);
  });
});
