/**
 * Stack config typos on the Node.js path (issue 17 item 10): the program names a `certapply:*` key that is no
 * setting, and a number setting that is not a number, before anything is registered; the plugin's CheckConfig
 * uses the same check (provider/config.ts SETTINGS is the one list).
 */
import { CertificateApplication, ConfirmLetter } from "certapply";
import { checkSettings } from "../../provider/config";
import { checkProviderConfig } from "../../provider/plugin";
import { Emulator } from "../../emulator/server";
import { startEngine } from "../support";

test("checkSettings names a typo with the setting it is meant as, and a malformed number or JSON, never the value", () => {
  const failures = checkSettings({ tencentSecretkey: "Qx9SecretValue", requestTimeoutMs: "30s", maxRetries: "4", rateLimits: "{tencent: 5", version: "1.0.0" });
  expect(failures.map((f) => f.property)).toEqual(["tencentSecretkey", "requestTimeoutMs", "rateLimits"]);
  expect(failures[0].reason).toMatch(/^certapply:tencentSecretkey is not a certapply setting; did you mean certapply:tencentSecretKey\?/);
  expect(failures[1].reason).toBe("certapply:requestTimeoutMs must be a number of milliseconds, e.g. 30000 (not 30s)");
  expect(failures[2].reason).toMatch(/certapply:rateLimits must be JSON/);
  expect(JSON.stringify(failures)).not.toContain("Qx9SecretValue");
  expect(checkSettings({ tencentSecretKey: "k", requestTimeoutMs: "30000", pollIntervalMs: "" })).toEqual([]);
  expect(checkProviderConfig({ requestTimeoutMs: "30s" }).map((f) => f.property)).toEqual(["requestTimeoutMs"]);
});

describe("through a Pulumi program (Node.js path)", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await new Emulator().start();
  });
  afterAll(() => emulator.stop());

  test("a preview with certapply:tencentSecretkey and requestTimeoutMs: 30s fails naming both, and nothing reaches a cloud", async () => {
    const engine = await startEngine(emulator, { "certapply:tencentSecretkey": "typo", "certapply:requestTimeoutMs": "30s" });
    try {
      const { certificateId } = emulator.tencent.seed({ productType: "dv", domainCount: 1 });
      emulator.clearLog();
      const run = engine.preview(() => {
        new CertificateApplication("www", { cloud: "tencent", certificateId, commonName: "www.example.com", tencent: { managerId: "1" } });
        new ConfirmLetter("letter", { certificateId, content: Buffer.alloc(2048, 1).toString("base64") });
      });
      await expect(run).rejects.toThrow(/certapply:tencentSecretkey is not a certapply setting; did you mean certapply:tencentSecretKey\?.*certapply:requestTimeoutMs must be a number of milliseconds/s);
      expect(emulator.log).toEqual([]);
    } finally {
      await engine.stop();
    }
  });
});
