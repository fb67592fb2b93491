/** The plugin's own pieces, without a process: settings from Configure, CheckConfig, secrets, URNs, arguments. */
import { ProviderConfig } from "../../provider/config";
import { annotateSecrets, checkProviderConfig, configFromRequest, engineAddressOf, parseUrn, unwrapSecrets } from "../../provider/plugin";

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });

test("Configure: args over variables (certapply:config:<key>) over the fallback; secrets unwrapped; the environment last", () => {
  const source = configFromRequest(
    [
      ["certapply:config:tencentSecretId", "from-variables"],
      ["certapply:config:tencentEndpoint", "http://127.0.0.1:9"],
      ["aws:config:region", "elsewhere"],
    ],
    { tencentSecretId: secret("from-args"), tencentSecretKey: secret("key"), maxRetries: 2, version: "1.0.0" },
    { get: (k) => (k === "certapply:pollIntervalMs" ? "7" : undefined) },
  );
  const saved = process.env.HW_REGION_NAME;
  process.env.HW_REGION_NAME = "cn-north-4";
  try {
    const config = new ProviderConfig(source);
    expect(config.get("tencentSecretId")).toBe("from-args");
    expect(config.get("tencentSecretKey")).toBe("key");
    expect(config.get("tencentEndpoint")).toBe("http://127.0.0.1:9");
    expect(config.getNumber("maxRetries")).toBe(2);
    expect(config.getNumber("pollIntervalMs")).toBe(7);
    expect(config.get("huaweiRegion")).toBe("cn-north-4");
  } finally {
    if (saved === undefined) delete process.env.HW_REGION_NAME;
    else process.env.HW_REGION_NAME = saved;
  }
});

test("CheckConfig names a typo and a non-number, and accepts the engine's own keys", () => {
  expect(checkProviderConfig({ tencentSecretId: "a", tencentSecretKey: secret("b"), version: "0.1.0", pollIntervalMs: "50" })).toEqual([]);
  const failures = checkProviderConfig({ tencentSecretKee: "b", maxRetries: "many" });
  expect(failures.map((f) => f.property)).toEqual(["tencentSecretKee", "maxRetries"]);
  expect(failures[0].reason).toMatch(/not a certapply setting; did you mean certapply:tencentSecretKey\? \(the settings are .*tencentSecretKey/);
  expect(JSON.stringify(failures)).not.toContain('"b"');
});

test("outputs are secret where the inputs were, and a generated private key always", () => {
  const outs = annotateSecrets(
    { admin: { email: "a@example.com" }, commonName: "www.example.com", certificate: { notAfter: "2027" }, privateKey: "-----BEGIN PRIVATE KEY-----" },
    { admin: secret({ email: "a@example.com" }), commonName: "www.example.com" },
  );
  expect(outs.admin).toEqual(secret({ email: "a@example.com" }));
  expect(outs.commonName).toBe("www.example.com");
  expect(outs.certificate).toEqual({ notAfter: "2027" });
  expect(outs.privateKey).toEqual(secret("-----BEGIN PRIVATE KEY-----"));
  expect(unwrapSecrets(outs)).toEqual({ admin: { email: "a@example.com" }, commonName: "www.example.com", certificate: { notAfter: "2027" }, privateKey: "-----BEGIN PRIVATE KEY-----" });
});

test("URNs: project, stack and name; a parented type still resolves", () => {
  expect(parseUrn("urn:pulumi:prod::certs::certapply:index:CertificateApplication::www")).toEqual({ stack: "prod", project: "certs", type: "certapply:index:CertificateApplication", name: "www" });
  expect(parseUrn("urn:pulumi:prod::certs::my:Comp$certapply:index:ConfirmLetter::a::b").name).toBe("a::b");
  expect(() => parseUrn("not-a-urn")).toThrow(/cannot read the URN/);
});

test("the engine address is the first argument that is no flag (--tracing takes a value)", () => {
  expect(engineAddressOf(["127.0.0.1:4567"])).toBe("127.0.0.1:4567");
  expect(engineAddressOf(["--logtostderr", "-v=9", "--tracing", "127.0.0.1:1111", "127.0.0.1:4567"])).toBe("127.0.0.1:4567");
  expect(engineAddressOf([])).toBeUndefined();
});
