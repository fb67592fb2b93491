/**
 * The package schema served by the plugin: valid against Pulumi's metaschema, complete (typed blocks, enums,
 * descriptions, outputs, config), and in step with the SDK's Args (read from sdk/args.ts by the TypeScript
 * compiler) and the SDK's secret lists.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import * as ts from "typescript";
import { APPLICATION_SECRET_OUTPUTS, LETTER_SECRET_OUTPUTS } from "certapply";
import { SECRET_SETTINGS, SETTINGS } from "../../provider/config";
import { packageSchema, schemaFigures, typeToken, type SchemaJson } from "../../provider/package-schema";

const schema = packageSchema("1.2.3");
const resources = schema.resources as Record<string, SchemaJson & { inputProperties: Record<string, SchemaJson>; properties: Record<string, SchemaJson> }>;
const types = schema.types as Record<string, SchemaJson & { properties?: Record<string, SchemaJson>; enum?: { value: unknown }[] }>;
const APP = resources["certapply:index:CertificateApplication"];
const LETTER = resources["certapply:index:ConfirmLetter"];

test("validates against Pulumi's package metaschema (Ajv2020)", () => {
  const meta = JSON.parse(readFileSync(join(__dirname, "../fixtures/pulumi-package-metaschema.json"), "utf8")) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // The two formats the metaschema uses (ajv ships no format implementations without ajv-formats).
  ajv.addFormat("uri-reference", (s: string) => !/\s/.test(s) && s.length > 0);
  ajv.addFormat("regex", (s: string) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  });
  const validate = ajv.compile(meta);
  const ok = validate(schema);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
  // The metaschema does reject a broken schema (so the check above can fail).
  expect(validate({ ...schema, resources: { "certapply:index:X": { inputProperties: { a: { type: "nope" } } } } })).toBe(false);
});

test("every property of every resource, type and config variable has a description; figures", () => {
  const figures = schemaFigures(schema);
  expect(figures.undescribed).toEqual([]);
  for (const [token, t] of Object.entries(types)) expect([token, typeof t.description]).toEqual([token, "string"]);
  for (const t of Object.values(types)) for (const e of t.enum ?? []) expect(typeof (e as { description?: string }).description).toBe("string");
  expect(typeof APP.description).toBe("string");
  expect(typeof LETTER.description).toBe("string");
  expect(figures.properties).toBeGreaterThan(150);
  console.log(`package schema: ${figures.bytes} bytes, ${figures.properties} properties, ${figures.undescribed.length} without a description`);
});

test("blocks are typed objects and closed sets are enums", () => {
  expect(APP.inputProperties.organization).toMatchObject({ $ref: `#/types/${typeToken("Organization")}`, secret: true });
  expect(APP.inputProperties.admin).toMatchObject({ $ref: `#/types/${typeToken("Contact")}`, secret: true });
  expect(APP.inputProperties.tech).toMatchObject({ $ref: `#/types/${typeToken("Contact")}`, secret: true });
  expect(APP.inputProperties.tencent).toMatchObject({ $ref: `#/types/${typeToken("TencentSettings")}`, secret: true });
  expect(APP.inputProperties.edgecast).toMatchObject({ $ref: `#/types/${typeToken("EdgecastSettings")}` });
  expect(APP.inputProperties.huawei).toMatchObject({ $ref: `#/types/${typeToken("HuaweiSettings")}` });
  expect(APP.properties.edgecast).toMatchObject({ $ref: `#/types/${typeToken("EdgecastRequest")}` });
  expect(types[typeToken("EdgecastRequest")].properties).toHaveProperty("cnameTarget");
  expect(types[typeToken("EdgecastSettings")].properties?.notifications).toMatchObject({ secret: true, items: { $ref: `#/types/${typeToken("EdgecastNotification")}` } });
  expect(APP.properties.validationRecords).toMatchObject({ type: "array", items: { $ref: `#/types/${typeToken("ValidationRecord")}` } });
  expect(APP.properties.certificate).toMatchObject({ $ref: `#/types/${typeToken("IssuedCertificate")}` });
  const enumValues = (name: string) => (types[typeToken(name)].enum ?? []).map((e) => e.value);
  expect(enumValues("Cloud")).toEqual(["tencent", "edgecast", "huawei"]);
  expect(enumValues("HuaweiCaHashAlgorithm")).toEqual(["DEFAULT", "SHA-256"]);
  expect(enumValues("TencentCompanyType")).toEqual([1, 2]);
  for (const [k, ref] of [
    ["cloud", "Cloud"],
    ["autoResubmit", "AutoResubmit"],
    ["onDelete", "OnDelete"],
    ["waitFor", "WaitFor"],
    ["validationMethod", "ValidationMethod"],
  ]) {
    expect(APP.inputProperties[k].$ref).toBe(`#/types/${typeToken(ref)}`);
  }
  expect(APP.properties.status.$ref).toBe(`#/types/${typeToken("ApplicationStatus")}`);
  expect(LETTER.properties.format.$ref).toBe(`#/types/${typeToken("LetterFormat")}`);
  expect(APP.requiredInputs).toEqual(["cloud", "commonName"]);
  expect(LETTER.requiredInputs).toEqual(["certificateId"]);
});

test("every output: echoed inputs, live fields, order id, certificate, secret private key, owner key; the letter's certificateId", () => {
  for (const k of Object.keys(APP.inputProperties)) expect(APP.properties).toHaveProperty(k);
  for (const k of ["applicationId", "status", "rawStatus", "statusMessage", "validationRecords", "resubmitCount", "lastResubmitAt", "orderId", "certificate", "privateKey", "ownerKey", "hashSalt", "contentHash"]) {
    expect(APP.properties).toHaveProperty(k);
  }
  expect(APP.properties.privateKey.secret).toBe(true);
  expect(APP.properties.certificate.secret).toBeUndefined();
  expect(APP.inputProperties).not.toHaveProperty("ownerKey");
  expect(LETTER.properties).toHaveProperty("certificateId");
  expect(LETTER.inputProperties.content.secret).toBe(true);
});

test("secret on exactly what the Node SDK marks secret", () => {
  const secretOf = (r: { inputProperties: Record<string, SchemaJson>; properties: Record<string, SchemaJson> }) =>
    [...new Set([...Object.entries(r.inputProperties), ...Object.entries(r.properties)].filter(([, p]) => p.secret).map(([k]) => k))].sort();
  expect(secretOf(APP)).toEqual([...APPLICATION_SECRET_OUTPUTS].sort());
  expect(secretOf(LETTER)).toEqual([...LETTER_SECRET_OUTPUTS].sort());
});

test("provider config: every setting with its environment variable, default and secrecy", () => {
  const config = schema.config as { variables: Record<string, SchemaJson & { defaultInfo: { environment: string[] } }> };
  expect(Object.keys(config.variables).sort()).toEqual(Object.keys(SETTINGS).sort());
  for (const [name, s] of Object.entries(SETTINGS) as [keyof typeof SETTINGS, { env: string; default?: string }][]) {
    const v = config.variables[name];
    if (name !== "rateLimits") expect(v.defaultInfo.environment).toEqual([s.env]);
    expect(v.secret === true).toBe(SECRET_SETTINGS.includes(name));
    expect(v.default === undefined ? undefined : String(v.default)).toBe(s.default);
  }
  expect((schema.provider as { inputProperties: object }).inputProperties).toEqual(config.variables);
  expect(schema.version).toBe("1.2.3");
});

test("numeric settings are integers in the schema (with numeric defaults), rateLimits a map of numbers, the rest strings", () => {
  const variables = (schema.config as { variables: Record<string, SchemaJson> }).variables;
  for (const k of ["requestTimeoutMs", "maxRetries", "retryBaseDelayMs", "pollIntervalMs"]) {
    expect([k, variables[k].type, typeof variables[k].default]).toEqual([k, "integer", "number"]);
  }
  expect(variables.maxRetries.default).toBe(Number(SETTINGS.maxRetries.default));
  expect(variables.rateLimits).toMatchObject({ type: "object", additionalProperties: { type: "number" } });
  // An environment default only on primitive values: on a map, Go's generated provider did not compile
  // (`pulumi.Float64Map(d.(string))`); the description names the variable instead.
  expect(variables.rateLimits).not.toHaveProperty("defaultInfo");
  expect(variables.rateLimits.description).toContain("CERTAPPLY_RATE_LIMITS");
  expect(variables.tencentSecretId.type).toBe("string");
  expect(variables.tencentEndpoint.default).toBe(SETTINGS.tencentEndpoint.default);
});

test("no type name ends in a suffix the SDK generators append (Go: Output, Args, Input, Ptr, Array, Map)", () => {
  const names = Object.keys(types).map((t) => t.replace("certapply:index:", ""));
  expect(names.length).toBeGreaterThan(20);
  expect(names.filter((n) => /(Output|Args|Input|Ptr|Array|Map|State)$/.test(n))).toEqual([]);
  for (const r of Object.keys(resources)) expect(r).not.toMatch(/(Output|Args|Input|State)$/);
});

test("no output field that is never set: the issued certificate has no private key (it is the secret top-level privateKey)", () => {
  const cert = types[typeToken("IssuedCertificate")].properties ?? {};
  expect(Object.keys(cert)).not.toContain("privateKeyPem");
  expect(Object.keys(cert)).toEqual(expect.arrayContaining(["notAfter", "certificatePem", "chainPem", "sha256Fingerprint"]));
  expect(APP.properties.privateKey).toMatchObject({ type: "string", secret: true });
});

test("stateInputs, for typed get(): every output of each resource", () => {
  for (const r of [APP, LETTER]) {
    const state = r.stateInputs as { type: string; properties: Record<string, SchemaJson>; description: string };
    expect(state.type).toBe("object");
    expect(typeof state.description).toBe("string");
    expect(Object.keys(state.properties).sort()).toEqual(Object.keys(r.properties).sort());
    for (const [k, p] of Object.entries(state.properties)) {
      const rest = Object.fromEntries(Object.entries(r.properties[k]).filter(([f]) => f !== "default"));
      expect([k, p]).toEqual([k, rest]);
    }
  }
  // The SDK fills a default into Args, never into a state read back from the cloud.
  expect(APP.properties.onDelete.default).toBe("cancel");
  expect((APP.stateInputs as { properties: Record<string, SchemaJson> }).properties.onDelete).not.toHaveProperty("default");
});

test("a language section for each generated SDK language", () => {
  expect(schema.language).toMatchObject({
    nodejs: { packageName: "certapply" },
    python: { packageName: "pulumi_certapply", pyproject: { enabled: true } },
    go: { importBasePath: "example.com/pulumi-certapply/sdk/go/certapply", generateResourceContainerTypes: true },
    csharp: { packageReferences: { Pulumi: "3.*" } },
  });
});

/** The fields of each exported interface of a TypeScript file (default sdk/args.ts), read with the TypeScript compiler. */
function argsInterfaces(relPath = "../../sdk/args.ts"): Record<string, string[]> {
  const file = ts.createSourceFile("args.ts", readFileSync(join(__dirname, relPath), "utf8"), ts.ScriptTarget.ES2022, true);
  const out: Record<string, string[]> = {};
  file.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) out[node.name.text] = node.members.map((m) => (m.name as ts.Identifier).text);
  });
  return out;
}

test("the SDK's Args and the schema's inputs match field for field (both ways), blocks included", () => {
  const args = argsInterfaces();
  const pairs: [string, Record<string, SchemaJson> | undefined][] = [
    ["CertificateApplicationArgs", APP.inputProperties],
    ["ConfirmLetterArgs", LETTER.inputProperties],
  ];
  for (const name of Object.keys(args).filter((n) => n.endsWith("Args") && !pairs.some(([p]) => p === n))) {
    pairs.push([name, types[typeToken(name.replace(/Args$/, ""))]?.properties]);
  }
  expect(pairs.length).toBeGreaterThanOrEqual(8);
  for (const [name, props] of pairs) {
    expect([name, [...args[name]].sort()]).toEqual([name, Object.keys(props ?? {}).sort()]);
  }
  // Every object type an input refers to has its Args interface.
  const refs = Object.values(APP.inputProperties).map((p) => String(p.$ref ?? "")).filter((r) => types[r.replace("#/types/", "")]?.type === "object");
  for (const r of refs) expect(args).toHaveProperty(`${r.replace("#/types/certapply:index:", "")}Args`);
});

test("every key of the README's configuration table is a provider config variable", () => {
  const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1));
  const keys = [...section.matchAll(/^\|[^|]*\| ([^|]+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([a-zA-Z]+)`/g)].map((k) => k[1]));
  expect(keys.length).toBeGreaterThanOrEqual(15);
  const variables = (schema.config as { variables: Record<string, unknown> }).variables;
  for (const k of keys) expect([k, k in variables]).toEqual([k, true]);
});

test("every enum value has a name generated SDKs can use: an identifier, unique in its enum ignoring case", () => {
  let count = 0;
  for (const [token, t] of Object.entries(types)) {
    if (!t.enum) continue;
    const names = t.enum.map((e) => (e as { name?: string }).name ?? "");
    for (const n of names) expect([token, n]).toEqual([token, expect.stringMatching(/^[A-Z][A-Za-z0-9]*$/)]);
    expect([token, new Set(names.map((n) => n.toUpperCase())).size]).toEqual([token, names.length]);
    count += names.length;
  }
  expect(count).toBeGreaterThan(50);
  const names = (t: string) => (types[typeToken(t)].enum ?? []).map((e) => (e as { name?: string }).name);
  expect(names("WaitFor")).toEqual(["Submitted", "ValidationRecords", "Issued"]);
  expect(names("ValidationMethod")).toEqual(["DnsAuto", "Dns", "File", "Email", "DnsTxtToken", "DnsCnameToken", "EdgecastEmail"]);
  expect(names("HuaweiKeyAlgorithm")).toEqual(["Rsa2048", "Rsa3072", "Rsa4096", "EcP256", "EcP384", "Sm2"]);
  expect(names("HuaweiCaHashAlgorithm")).toEqual(["Default", "Sha256"]);
  expect(names("TencentCompanyType")).toEqual(["Individual", "Company"]);
});

test("the Other languages examples (docs/other-languages.md) are the programs test/e2e/languages runs, verbatim", () => {
  const section = readFileSync(join(__dirname, "../../docs/other-languages.md"), "utf8");
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]);
  const program = (file: string) => readFileSync(join(__dirname, "../languages", file), "utf8");
  expect(blocks).toContainEqual(["yaml", program("yaml/Pulumi.yaml")]);
  expect(blocks).toContainEqual(["python", program("python/__main__.py")]);
  expect(blocks).toContainEqual(["go", program("go/program/program.go")]);
  // The packages entry the README shows is the one the programs use.
  expect(program("yaml/Pulumi.yaml")).toContain("packages:\n  certapply: ./node_modules/certapply/plugin\n");
  expect(blocks).toContainEqual(["yaml", "packages:\n  certapply: ./node_modules/certapply/plugin\n"]);
});

test("the Node.js SDK's certificate output type has the schema's IssuedCertificate fields, no private key", () => {
  const sdkTypes = argsInterfaces("../../provider/resources/types.ts");
  expect([...sdkTypes.IssuedCertificate].sort()).toEqual(Object.keys(types[typeToken("IssuedCertificate")].properties ?? {}).sort());
  expect(sdkTypes.IssuedCertificate).not.toContain("privateKeyPem");
  // sdk/args.ts types the output with it.
  expect(readFileSync(join(__dirname, "../../sdk/args.ts"), "utf8")).toContain("readonly certificate: pulumi.Output<IssuedCertificate | undefined>;");
});
