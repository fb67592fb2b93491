/**
 * Redaction (issue 17 item 6): a cloud that echoes a secret input in another case, URL- or JSON-encoded, or cut
 * short must not get it through; short and common values must not turn ordinary messages into "[secret]".
 */
import { huaweiError } from "../../provider/clouds/huawei/client";
import { redactText } from "../../provider/resources/redact";
import { redactFailures, redactMessage } from "../../provider/resources/schema";

const ADMIN = { firstName: "Emily", lastName: "Chen", email: "emily+ops@example.com", phone: "13212345678", title: "Manager" };
const ORG = { name: "Qx9 Private Marker Trading Ltd", city: "Shenzhen", country: "CN" };
const inputs = { cloud: "huawei", commonName: "www.example.com", admin: ADMIN, organization: ORG };

describe("redaction of secret inputs in messages", () => {
  test("an echo in another case is cleared", () => {
    expect(redactMessage("applicant EMILY CHEN at SHENZHEN rejected", inputs)).toBe("applicant [secret] [secret] at [secret] rejected");
    expect(redactMessage("company qx9 private marker trading ltd unknown", inputs)).toBe("company [secret] unknown");
  });

  test("a URL-encoded or form-encoded echo is cleared", () => {
    expect(redactMessage("GET /check?mail=emily%2Bops%40example.com failed", inputs)).toBe("GET /check?mail=[secret] failed");
    expect(redactMessage("org=Qx9+Private+Marker+Trading+Ltd is invalid", inputs)).toBe("org=[secret] is invalid");
    expect(redactMessage("org=Qx9%20Private%20Marker%20Trading%20Ltd is invalid", inputs)).toBe("org=[secret] is invalid");
  });

  test("a JSON-escaped echo is cleared", () => {
    const quoted = { ...inputs, organization: { ...ORG, name: 'Acme "Quoted" Holdings' } };
    expect(redactMessage('{"company_name":"Acme \\"Quoted\\" Holdings"} invalid', quoted)).toBe('{"company_name":"[secret]"} invalid');
  });

  test("a truncated echo (a long start of the value) is cleared", () => {
    expect(redactMessage("company_name 'Qx9 Private Mar...' is too long", inputs)).toBe("company_name '[secret]...' is too long");
    expect(redactMessage("applicant_email emily+ops@exam (truncated)", inputs)).toBe("applicant_email [secret] (truncated)");
  });

  test("short and common values do not mangle ordinary messages", () => {
    const tencent = { cloud: "tencent", commonName: "www.example.com", admin: { ...ADMIN, title: "true" }, tencent: { managerId: "12345", csrEncryptAlgo: "RSA", companyType: 2, autoRenew: false } };
    expect(redactMessage("tencent.autoRenew must be true or false", tencent)).toBe("tencent.autoRenew must be true or false");
    expect(redactMessage("csrEncryptAlgo must be one of RSA, ECC", tencent)).toBe("csrEncryptAlgo must be one of RSA, ECC");
    expect(redactMessage("managerId 12345 not found; set tencent.managerId", { ...tencent, admin: ADMIN })).toBe("managerId [secret] not found; set tencent.managerId");
    expect(redactMessage("companyType must be 1 or 2", tencent)).toBe("companyType must be 1 or 2");
    expect(redactFailures("CertificateApplication", tencent, [{ property: "tencent.managerId", reason: "the manager of this account is not verified" }])).toEqual([
      { property: "tencent.managerId", reason: "the manager of this account is not verified" },
    ]);
  });

  test("overlapping values leave no piece of either", () => {
    expect(redactText("name: Emily Chen, Emily", ["Emily Chen", "Emily"])).toBe("name: [secret], [secret]");
  });

  test("Huawei's own error masking uses the same rules", () => {
    const reply = { status: 400, headers: {}, body: JSON.stringify({ error_code: "SCM.0001", error_msg: "bad applicant EMILY+OPS@EXAMPLE.COM" }) };
    expect(huaweiError("huawei", "ApplyCertificate", reply, ["emily+ops@example.com"]).message).toContain("bad applicant ***");
  });
});
