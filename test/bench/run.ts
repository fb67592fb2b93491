/**
 * `npm run bench`: prints throughput and latency figures of the hot paths. Figures, not assertions:
 * the tests assert behaviour; this measures it on the machine at hand.
 */
import { signRequest } from "../../provider/clouds/huawei/signer";
import { TencentClient } from "../../provider/clouds/tencent/client";
import { signTc3 } from "../../provider/clouds/tencent/signer";
import { ProviderConfig } from "../../provider/config";
import type { CloudContext } from "../../provider/resources/backend";
import { check } from "../../provider/resources/application";
import { Emulator } from "../../emulator/server";
import { Engine } from "../harness/engine";

function perSecond(n: number, ms: number): string {
  return `${Math.round((n * 1000) / ms).toLocaleString("en-US")}/s`;
}

function timeSync(n: number, fn: (i: number) => void): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const body = JSON.stringify({ CertId: "J2lX2maH", GenCsrType: "online", CertCommonName: "www.example.com", CompanyType: 2 });

async function main(): Promise<void> {
  const rows: [string, string][] = [];

  const n = 20_000;
  const tc3 = timeSync(n, (i) =>
    signTc3({ method: "POST", host: "ssl.tencentcloudapi.com", contentType: "application/json", body, timestamp: 1_700_000_000 + i, service: "ssl", secretId: "AKIDEXAMPLE", secretKey: "SECRET" }),
  );
  rows.push(["TC3-HMAC-SHA256 signatures", perSecond(n, tc3)]);
  const hw = timeSync(n, (i) =>
    signRequest({ method: "POST", url: "https://scm.ap-southeast-1.myhuaweicloud.com/v3/scm/certificates/scs1234567890123/apply", headers: { "Content-Type": "application/json" }, body }, { accessKey: "AK", secretKey: "SK" }, 1_700_000_000_000 + i),
  );
  rows.push(["SDK-HMAC-SHA256 signatures", perSecond(n, hw)]);

  const inputs = {
    cloud: "tencent",
    certificateId: "J2lX2maH",
    commonName: "WWW.example.com",
    dnsNames: ["b.example.com", "a.example.com", "a.example.com"],
    organization: { name: "Example", division: "IT", address: "1 Road", city: "Guangzhou", region: "Guangdong", country: "CN", phoneAreaCode: "020", phoneNumber: "12345678" },
    admin: { firstName: "A", lastName: "B", email: "a@example.com", phone: "13112341234", title: "CTO" },
    tech: { firstName: "A", lastName: "B", email: "t@example.com", phone: "13112341234", title: "SRE" },
  };
  const checks = 5_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < checks; i++) await check({}, inputs);
  rows.push(["check() of a full Tencent application (zod + cloud rules)", perSecond(checks, Number(process.hrtime.bigint() - t0) / 1e6)]);

  const emulator = await new Emulator().start();
  try {
    const { certificateId } = emulator.tencent.seed({ productType: "dv" });
    const values: Record<string, string> = emulator.stackConfig();
    const ctx: CloudContext = {
      config: new ProviderConfig({ get: (k) => values[k] }),
      transport: { timeoutMs: 5000, maxRetries: 0, baseDelayMs: 10 },
      log: () => undefined,
      pollIntervalMs: 10,
    };
    const client = new TencentClient(ctx);
    const lat: number[] = [];
    // Paced under the documented 10 requests/s, which the emulator enforces as the cloud does.
    for (let i = 0; i < 60; i++) {
      const s = process.hrtime.bigint();
      await client.describeCertificateDetail(certificateId);
      lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      await new Promise((r) => setTimeout(r, 105));
    }
    lat.sort((a, b) => a - b);
    rows.push([
      "signed DescribeCertificateDetail round trip to the emulator (p50 / p95)",
      `${percentile(lat, 50).toFixed(2)} ms / ${percentile(lat, 95).toFixed(2)} ms`,
    ]);

    const { CertificateApplication } = require("certapply") as typeof import("../../sdk");
    const engine = await Engine.start({ config: { ...emulator.stackConfig(), "certapply:pollIntervalMs": "50" } });
    try {
      const count = 20;
      const ids = Array.from({ length: count }, () => emulator.tencent.seed({ productType: "ov" }).certificateId);
      const program = () =>
        ids.map(
          (id, i) =>
            new CertificateApplication(`app${i}`, { ...inputs, cloud: "tencent", certificateId: id, commonName: `www${i}.example.com`, dnsNames: [] } as never),
        );
      const s = Date.now();
      await engine.up(program);
      const upMs = Date.now() - s;
      rows.push([`pulumi up of ${count} applications through the provider host (10/s API limit applies)`, `${upMs} ms (${perSecond(count, upMs)})`]);
      const s2 = Date.now();
      await engine.up(program);
      rows.push([`no-op pulumi up of ${count} applications (one live read each)`, `${Date.now() - s2} ms`]);
      const size = Math.max(...engine.providerTexts().map((t) => Buffer.byteLength(t)));
      rows.push(["serialized __provider per resource", `${size} bytes`]);
    } finally {
      await engine.stop();
    }
  } finally {
    await emulator.stop();
  }

  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`certapply bench (node ${process.version})\n`);
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
