import { HuaweiClient, resetHuaweiClientState } from "../../provider/clouds/huawei/client";
import { sdkDate, signRequest } from "../../provider/clouds/huawei/signer";
import { CloudApiError, isThrottle } from "../../provider/http/errors";
import { akskSettings, ANY, APPLY, control, huaweiSuite, makeCtx, raw, sdkSigned, seed } from "./helpers";

const { emu } = huaweiSuite();

function client(over: Record<string, string | undefined> = {}): HuaweiClient {
  const ctx = makeCtx(akskSettings(emu, over), [], { maxRetries: 0, maxThrottleRetries: 0 });
  return new HuaweiClient(ctx.config, ctx.transport);
}

async function failure(p: Promise<unknown>): Promise<CloudApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CloudApiError) return e;
    throw e;
  }
  throw new Error("expected a CloudApiError");
}

describe("huawei emulator: gateway authentication", () => {
  it("accepts requests signed by the official SDK signer (GET and POST with a body)", async () => {
    const id = await seed(emu);
    const got = await sdkSigned(emu, "GET", `/v3/scm/certificates/${id}`);
    expect(got.status).toBe(200);
    expect(got.json.status).toBe("PAID");
    expect(got.headers["x-request-id"]).toBeTruthy();
    const applied = await sdkSigned(emu, "POST", `/v3/scm/certificates/${id}/apply`, APPLY);
    expect(applied.status).toBe(200);
    expect(applied.json).toEqual({ request_info: "success" });
  });

  it("rejects a tampered body with APIG.0301 and accepts extra unsigned headers", async () => {
    const id = await seed(emu);
    const c = emu.credentials.huawei;
    const url = `${emu.url}/v3/scm/certificates/${id}/apply`;
    const body = JSON.stringify(APPLY);
    const signed = signRequest({ method: "POST", url, headers: { "Content-Type": "application/json", "X-Domain-Id": c.domainId }, body }, { accessKey: c.accessKey, secretKey: c.secretKey });
    const tampered = await raw(emu, "POST", `/v3/scm/certificates/${id}/apply`, signed, body.replace("Emily", "Emilx"));
    expect(tampered.status).toBe(401);
    expect(tampered.json.error_code).toBe("APIG.0301");
    expect(tampered.json.request_id).toBeTruthy();
    const ok = await raw(emu, "POST", `/v3/scm/certificates/${id}/apply`, { ...signed, "X-Project-Id": "p1", "X-Language": "en-us" }, body);
    expect(ok.status).toBe(200);
  });

  it("refuses a date more than 15 minutes off with APIGW.0303 and accepts 14 minutes", async () => {
    const id = await seed(emu);
    const old = await sdkSigned(emu, "GET", `/v3/scm/certificates/${id}`, undefined, {}, sdkDate(emu.now() - 16 * 60_000));
    expect(old.status).toBe(401);
    expect(old.json.error_code).toBe("APIGW.0303");
    const near = await sdkSigned(emu, "GET", `/v3/scm/certificates/${id}`, undefined, {}, sdkDate(emu.now() + 14 * 60_000));
    expect(near.status).toBe(200);
  });

  it("checks the date against the instant the request was taken in, not the later one it is served at (delay fault)", async () => {
    const id = await seed(emu);
    emu.injectFault({ cloud: "huawei", action: "ShowCertificate", kind: "delay", delayMs: 400, count: 1 });
    emu.clearLog();
    const pending = sdkSigned(emu, "GET", `/v3/scm/certificates/${id}`, undefined, {}, sdkDate(emu.now()));
    while (!emu.log.some((e) => e.action === "ShowCertificate")) await new Promise((r) => setTimeout(r, 5));
    emu.advanceClock(16 * 60); // while the request waits out its delay
    expect((await pending).status).toBe(200);
  });

  it("locks an AK for 5 minutes after 5 bad signatures", async () => {
    const id = await seed(emu);
    const bad = client({ huaweiSecretKey: "not-the-secret" });
    for (let i = 0; i < 5; i++) {
      resetHuaweiClientState(); // bypass the client's own hold to reach the gateway
      expect((await failure(bad.call({ method: "GET", path: `/v3/scm/certificates/${id}`, action: "ShowCertificate" }, ANY))).code).toBe("APIG.0301");
    }
    const good = client();
    const locked = await failure(good.call({ method: "GET", path: `/v3/scm/certificates/${id}`, action: "ShowCertificate" }, ANY));
    expect(locked.code).toBe("APIG.0301");
    expect(locked.cloudMessage).toMatch(/locked/);
    resetHuaweiClientState();
    emu.advanceClock(5 * 60 + 1);
    await expect(client().call({ method: "GET", path: `/v3/scm/certificates/${id}`, action: "ShowCertificate" }, ANY)).resolves.toMatchObject({ id });
  });

  it("issues IAM tokens in X-Subject-Token, accepts them, and expires them after their lifetime", async () => {
    const c = emu.credentials.huawei;
    const id = await seed(emu);
    const body = (password: string) =>
      JSON.stringify({
        auth: { identity: { methods: ["password"], password: { user: { name: c.userName, password, domain: { name: c.domainName } } } }, scope: { project: { name: "ap-southeast-1" } } },
      });
    const denied = await raw(emu, "POST", "/v3/auth/tokens", { "Content-Type": "application/json" }, body("wrong"));
    expect(denied.status).toBe(401);
    const r = await raw(emu, "POST", "/v3/auth/tokens", { "Content-Type": "application/json" }, body(c.password));
    expect(r.status).toBe(201);
    const token = String(r.headers["x-subject-token"]);
    expect(token.length).toBeGreaterThanOrEqual(32);
    const tok = r.json.token as { expires_at: string; issued_at: string };
    expect(Date.parse(tok.expires_at) - Date.parse(tok.issued_at)).toBe(c.tokenLifetimeSeconds * 1000);
    expect((await raw(emu, "GET", `/v3/scm/certificates/${id}`, { "X-Auth-Token": token })).status).toBe(200);
    expect((await raw(emu, "GET", `/v3/scm/certificates/${id}`, { "X-Auth-Token": "x".repeat(40) })).json.error_code).toBe("APIG.0301");
    emu.advanceClock(c.tokenLifetimeSeconds + 1);
    const expired = await raw(emu, "GET", `/v3/scm/certificates/${id}`, { "X-Auth-Token": token });
    expect(expired.status).toBe(401);
    expect(String(expired.json.error_msg)).toMatch(/token must be updated/);
    expect((await raw(emu, "GET", `/v3/scm/certificates/${id}`, {})).status).toBe(401);
  });
});

describe("huawei emulator: SCM calls", () => {
  const apply = (c: HuaweiClient, id: string, body: Record<string, unknown>) =>
    c.call({ method: "POST", path: `/v3/scm/certificates/${id}/apply`, action: "ApplyCertificate", body }, ANY);
  const show = async (c: HuaweiClient, id: string) => (await c.call({ method: "GET", path: `/v3/scm/certificates/${id}`, action: "ShowCertificate" }, ANY)) as Record<string, unknown>;
  const cancel = (c: HuaweiClient, id: string) => c.call({ method: "POST", path: `/v3/scm/certificates/${id}/cancel-cert`, action: "CancelCertificateRequest" }, ANY);

  it("validates apply bodies with SCM.0005 and domain counts with SCM.0015", async () => {
    const c = client();
    const id = await seed(emu, { domainCount: 2 });
    const single = await seed(emu, { domainType: "SINGLE_DOMAIN" });
    const ov = await seed(emu, { type: "OV_SSL_CERT" });
    expect((await failure(apply(c, id, { ...APPLY, agree_privacy_protection: false }))).code).toBe("SCM.0005");
    expect((await failure(apply(c, id, { ...APPLY, applicant_email: undefined }))).code).toBe("SCM.0005");
    expect((await failure(apply(c, id, { ...APPLY, domain_method: "HTTP" }))).code).toBe("SCM.0005");
    expect((await failure(apply(c, id, { ...APPLY, country: "CHN" }))).code).toBe("SCM.0005");
    expect((await failure(apply(c, ov, APPLY))).cloudMessage).toMatch(/company_name is required/);
    expect((await failure(apply(c, id, { ...APPLY, sans: "a.example.com;b.example.com" }))).code).toBe("SCM.0015");
    expect((await failure(apply(c, single, { ...APPLY, sans: "a.example.com" }))).code).toBe("SCM.0015");
    expect((await failure(apply(c, id, { ...APPLY, domain: "not a domain" }))).code).toBe("SCM.0015");
    await expect(apply(c, id, { ...APPLY, domain_method: "dns", sans: "a.example.com" })).resolves.toEqual({ request_info: "success" });
    await expect(apply(c, ov, { ...APPLY, company_name: "Example Ltd", company_province: "Guangdong", company_city: "Shenzhen", country: "cn" })).resolves.toBeTruthy();
  });

  it("answers SCM.0008 for a malformed id, 404 for an unknown one, SCM.0010 for a wrong status", async () => {
    const c = client();
    const bad = await failure(show(c, "short"));
    expect([bad.code, bad.httpStatus]).toEqual(["SCM.0008", 400]);
    const unknown = await failure(show(c, "scs0000000000000"));
    expect(unknown.httpStatus).toBe(404);
    const id = await seed(emu);
    expect((await failure(cancel(c, id))).code).toBe("SCM.0010");
    await apply(c, id, APPLY);
    expect((await failure(apply(c, id, APPLY))).code).toBe("SCM.0010");
  });

  it("runs the status machine: apply → CHECKING → CHECKING_DOMAIN → ISSUING → ISSUED, with DNS records", async () => {
    const c = client();
    const id = await seed(emu);
    await apply(c, id, { ...APPLY, sans: "example.com" });
    const d = await show(c, id);
    expect(d.status).toBe("CHECKING");
    expect(d.authentification).toEqual([
      expect.objectContaining({ domain: "www.example.com", record_type: "TXT", record_name: "_dnsauth.www.example.com" }),
      expect.objectContaining({ domain: "example.com", record_name: "_dnsauth.example.com" }),
    ]);
    expect((d.application_info as Record<string, unknown>).applicant_email).toBe("emily@example.com");
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push(String((await control(emu, "advance", { id })).json.status));
    expect(seen).toEqual(["CHECKING_DOMAIN", "ISSUING", "ISSUED"]);
    const issued = await show(c, id);
    expect(issued.not_after).toBeTruthy();
    expect((await control(emu, "advance", { id })).status).toBe(409);
  });

  it("routes OV through CHECKING_ORG; a rejected application can be applied again (inferred)", async () => {
    const c = client();
    const id = await seed(emu, { type: "OV_SSL_CERT" });
    const org = { company_name: "Example Ltd", company_province: "Guangdong", company_city: "Shenzhen", country: "CN" };
    await apply(c, id, { ...APPLY, ...org });
    await control(emu, "advance", { id });
    expect((await control(emu, "advance", { id })).json.status).toBe("CHECKING_ORG");
    expect((await control(emu, "reject", { id, reason: "organisation not verified" })).json.status).toBe("UNPASSED");
    await apply(c, id, { ...APPLY, ...org });
    expect((await show(c, id)).status).toBe("CHECKING");
  });

  it("withdraws only while withdrawable: CANCELCHECKING → PAID, and the CA can win the race", async () => {
    const c = client();
    const id = await seed(emu);
    await apply(c, id, APPLY);
    await expect(cancel(c, id)).resolves.toEqual({ cert_id: id, message: "success" });
    expect((await show(c, id)).status).toBe("CANCELCHECKING");
    const back = await show(c, id);
    expect(back.status).toBe("PAID");
    expect(back.domain).toBeNull();
    const manual = await seed(emu, { manualWithdrawal: true });
    await apply(c, manual, APPLY);
    await cancel(c, manual);
    for (let i = 0; i < 3; i++) expect((await show(c, manual)).status).toBe("CANCELCHECKING");
    expect((await failure(cancel(c, manual))).code).toBe("SCM.0010");
    await control(emu, "issue", { id: manual });
    expect((await show(c, manual)).status).toBe("ISSUED");
    expect((await failure(cancel(c, manual))).code).toBe("SCM.0010");
  });

  it("lists with limit/offset/total_count and a status filter", async () => {
    const c = client();
    const ids: string[] = [];
    for (let i = 0; i < 13; i++) ids.push(await seed(emu));
    await apply(c, ids[0], APPLY);
    const p1 = (await c.call({ method: "GET", path: "/v3/scm/certificates", action: "ListCertificates", query: { limit: 10, offset: 0 } }, ANY)) as { certificates: { id: string }[]; total_count: number };
    const p2 = (await c.call({ method: "GET", path: "/v3/scm/certificates", action: "ListCertificates", query: { limit: 10, offset: 10 } }, ANY)) as { certificates: { id: string }[]; total_count: number };
    expect(p1.total_count).toBe(13);
    expect(p1.certificates).toHaveLength(10);
    expect(p2.certificates).toHaveLength(3);
    expect(new Set([...p1.certificates, ...p2.certificates].map((x) => x.id))).toEqual(new Set(ids));
    const checking = (await c.call({ method: "GET", path: "/v3/scm/certificates", action: "ListCertificates", query: { status: "CHECKING" } }, ANY)) as { certificates: { id: string }[]; total_count: number };
    expect(checking.certificates.map((x) => x.id)).toEqual([ids[0]]);
    expect((await failure(c.call({ method: "GET", path: "/v3/scm/certificates", action: "ListCertificates", query: { limit: 5 } }, ANY))).code).toBe("SCM.0005");
  });

  it("deletes issued certificates only", async () => {
    const c = client();
    const id = await seed(emu);
    await apply(c, id, APPLY);
    const del = () => c.call({ method: "DELETE", path: `/v3/scm/certificates/${id}`, action: "DeleteCertificate" }, ANY);
    expect((await failure(del())).code).toBe("SCM.0010");
    await control(emu, "issue", { id });
    await del();
    expect((await failure(show(c, id))).httpStatus).toBe(404);
  });

  it("reports an undocumented status set through the control API, and serves the throttle shape", async () => {
    const c = client();
    const id = await seed(emu);
    await control(emu, "status", { id, status: "WAIT_FOR_NEW_FLOW" });
    expect((await show(c, id)).status).toBe("WAIT_FOR_NEW_FLOW");
    emu.injectFault({ cloud: "huawei", action: "ShowCertificate", kind: "throttle", count: 1 });
    const t = await failure(show(c, id));
    // A throttle, final here since this client resends none (maxThrottleRetries: 0): no caller sends it again.
    expect([t.code, t.httpStatus, isThrottle(t), t.transient]).toEqual(["APIG.0308", 429, true, false]);
  });
});

describe("huawei emulator: rules from the Go SDK models", () => {
  const apply = (c: HuaweiClient, id: string, body: Record<string, unknown>) =>
    c.call({ method: "POST", path: `/v3/scm/certificates/${id}/apply`, action: "ApplyCertificate", body }, ANY);
  const post = (c: HuaweiClient, path: string, action: string, body?: unknown) => c.call({ method: "POST", path, action, body }, ANY);

  it("applicant_name: Chinese or Latin letters, _ - , . and 4–100 bytes; the refusal does not repeat the name", async () => {
    const c = client();
    const id = await seed(emu);
    const space = await failure(apply(c, id, { ...APPLY, applicant_name: "Secretname Chen" }));
    expect(space.code).toBe("SCM.0005");
    expect(space.cloudMessage).toMatch(/applicant_name may hold only Chinese or English letters/);
    expect(space.cloudMessage).not.toContain("Secretname");
    const long = await failure(apply(c, id, { ...APPLY, applicant_name: "Secretname" + "x".repeat(91) }));
    expect(long.cloudMessage).toMatch(/applicant_name must be 4 to 100 bytes/);
    expect((await failure(apply(c, id, { ...APPLY, applicant_name: "王".repeat(34) }))).code).toBe("SCM.0005"); // 102 bytes
    expect((await failure(apply(c, id, { ...APPLY, applicant_name: "Li" }))).code).toBe("SCM.0005"); // 2 bytes
    expect((await failure(apply(c, id, { ...APPLY, applicant_name: "Emily2" }))).code).toBe("SCM.0005");
    expect((await failure(apply(c, id, { ...APPLY, contact_name: "y".repeat(64) }))).cloudMessage).toMatch(/contact_name/);
    await expect(apply(c, id, { ...APPLY, applicant_name: "E".repeat(90) + "_王-,." })).resolves.toEqual({ request_info: "success" });
  });

  it("domain_method FILE only for pure-IP certificates, which take FILE only", async () => {
    const c = client();
    const id = await seed(emu);
    expect((await failure(apply(c, id, { ...APPLY, domain_method: "FILE" }))).cloudMessage).toMatch(/FILE is only supported for pure-IP certificates/);
    expect((await failure(apply(c, id, { ...APPLY, domain: "203.0.113.7" }))).cloudMessage).toMatch(/pure-IP certificate supports only domain_method FILE/);
    expect((await failure(apply(c, id, { ...APPLY, domain: "203.0.113.7", sans: "www.example.com", domain_method: "FILE" }))).code).toBe("SCM.0005");
    await expect(apply(c, id, { ...APPLY, domain: "203.0.113.7", sans: "203.0.113.8", domain_method: "FILE" })).resolves.toEqual({ request_info: "success" });
    expect((await control(emu, "state", { id })).json.authentification).toEqual([
      expect.objectContaining({ domain: "203.0.113.7", record_type: "FILE" }),
      expect.objectContaining({ domain: "203.0.113.8", record_type: "FILE" }),
    ]);
  });

  it("ca_hash_algorithm DEFAULT or SHA-256; key_algorithm from SCM's CSR set", async () => {
    const c = client();
    const id = await seed(emu);
    expect((await failure(apply(c, id, { ...APPLY, ca_hash_algorithm: "SHA256" }))).code).toBe("SCM.0005");
    expect((await failure(apply(c, id, { ...APPLY, key_algorithm: "RSA1024" }))).code).toBe("SCM.0005");
    await expect(apply(c, id, { ...APPLY, ca_hash_algorithm: "SHA-256", key_algorithm: "EC_P256" })).resolves.toEqual({ request_info: "success" });
  });

  it("export (ExportCertificateResponse) only once issued; the certificate is a real X.509 one, the same on every read", async () => {
    const c = client();
    const id = await seed(emu);
    await apply(c, id, { ...APPLY, sans: "example.com" });
    expect((await failure(post(c, `/v3/scm/certificates/${id}/export`, "ExportCertificate"))).code).toBe("SCM.0010");
    await control(emu, "issue", { id });
    const x1 = (await post(c, `/v3/scm/certificates/${id}/export`, "ExportCertificate")) as Record<string, string>;
    const x2 = (await post(c, `/v3/scm/certificates/${id}/export`, "ExportCertificate")) as Record<string, string>;
    expect(x2).toEqual(x1);
    expect(Object.keys(x1).sort()).toEqual(["certificate", "certificate_chain", "entire_certificate", "private_key"]);
    expect(x1.entire_certificate).toBe(x1.certificate + x1.certificate_chain);
    const { X509Certificate } = await import("node:crypto");
    const leaf = new X509Certificate(x1.certificate);
    expect(leaf.subjectAltName).toBe("DNS:www.example.com, DNS:example.com");
    expect(leaf.verify(new X509Certificate(x1.certificate_chain).publicKey)).toBe(true);
    const shown = (await c.call({ method: "GET", path: `/v3/scm/certificates/${id}`, action: "ShowCertificate" }, ANY)) as Record<string, string>;
    expect(shown.fingerprint).toBe(leaf.fingerprint.replace(/:/g, "")); // SHA-1, as ShowCertificateResponse.fingerprint says
    expect([shown.not_before, shown.not_after]).toEqual([new Date(leaf.validFrom).toISOString(), new Date(leaf.validTo).toISOString()]);
  });

  it("serves IAM GET /v3/auth/domains to an AK/SK signature without X-Domain-Id (KeystoneListAuthDomainsResponse)", async () => {
    const c = emu.credentials.huawei;
    const signed = signRequest({ method: "GET", url: `${emu.url}/v3/auth/domains`, headers: {} }, { accessKey: c.accessKey, secretKey: c.secretKey });
    const r = await raw(emu, "GET", "/v3/auth/domains", signed);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ domains: [{ id: c.domainId, name: c.domainName, enabled: true }] });
    const bad = signRequest({ method: "GET", url: `${emu.url}/v3/auth/domains`, headers: {} }, { accessKey: c.accessKey, secretKey: "wrong" });
    expect((await raw(emu, "GET", "/v3/auth/domains", bad)).json.error_code).toBe("APIG.0301");
  });

  it("accepts a signed X-Project-Id of the account's project instead of X-Domain-Id (project-scoped credentials of official tooling); another project is SCM.0002", async () => {
    const id = await seed(emu);
    const c = emu.credentials.huawei;
    const url = `${emu.url}/v3/scm/certificates/${id}`;
    const byProject = signRequest({ method: "GET", url, headers: { "X-Project-Id": c.projectId! } }, { accessKey: c.accessKey, secretKey: c.secretKey });
    const r = await raw(emu, "GET", `/v3/scm/certificates/${id}`, byProject);
    expect(r.status).toBe(200);
    expect(r.json.status).toBe("PAID");
    const other = signRequest({ method: "GET", url, headers: { "X-Project-Id": "0".repeat(32) } }, { accessKey: c.accessKey, secretKey: c.secretKey });
    expect((await raw(emu, "GET", `/v3/scm/certificates/${id}`, other)).json.error_code).toBe("SCM.0002");
    const none = signRequest({ method: "GET", url, headers: {} }, { accessKey: c.accessKey, secretKey: c.secretKey });
    expect((await raw(emu, "GET", `/v3/scm/certificates/${id}`, none)).json.error_code).toBe("APIG.0301");
  });

  it("certificate tags: CreateCertificateTag replaces a key's value, ListTagsByCertificate lists them, bad characters are SCM.0005", async () => {
    const c = client();
    const id = await seed(emu);
    await expect(post(c, `/v3/scm/${id}/tags`, "CreateCertificateTag", { tag: { key: "certapply-owner", value: "a1" } })).resolves.toEqual({ desc: "success" });
    await post(c, `/v3/scm/${id}/tags`, "CreateCertificateTag", { tag: { key: "certapply-owner", value: "b2" } });
    expect(await c.call({ method: "GET", path: `/v3/scm/${id}/tags`, action: "ListTagsByCertificate" }, ANY)).toEqual({ tags: [{ key: "certapply-owner", value: "b2" }] });
    expect((await failure(post(c, `/v3/scm/${id}/tags`, "CreateCertificateTag", { tag: { key: "owner", value: "a/b" } }))).code).toBe("SCM.0005");
  });
});
