import * as pulumi from "@pulumi/pulumi";
import { applicationProvider, letterProvider } from "../../sdk/shims";

const secrets = ["TENCENTCLOUD_SECRET_KEY", "EDGECAST_CLIENT_SECRET", "HW_SECRET_KEY"];

describe.each([
  ["CertificateApplication", applicationProvider],
  ["ConfirmLetter", letterProvider],
])("the %s provider shim as Pulumi serializes it into state", (_name, provider) => {
  let text = "";
  let containsSecrets = true;
  beforeAll(async () => {
    for (const s of secrets) process.env[s] = `canary-${s}-3f9a`;
    const res = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    text = res.text;
    containsSecrets = res.containsSecrets;
  });
  afterAll(() => {
    for (const s of secrets) delete process.env[s];
  });

  test("is small (under 4 KB) and holds no secret", () => {
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
    expect(containsSecrets).toBe(false);
    for (const s of secrets) expect(text).not.toContain(`canary-${s}`);
  });

  test("only requires the installed provider by its bare package name", () => {
    const requires = [...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["certapply/provider"]));
  });

  test("loads back, as the provider host loads it, with every provider method", () => {
    const requireFromString = require("require-from-string") as (code: string) => { handler: () => Record<string, unknown> };
    const loaded = requireFromString(text).handler();
    for (const m of ["configure", "check", "diff", "create", "read", "update", "delete"]) expect(typeof loaded[m]).toBe("function");
  });
});
