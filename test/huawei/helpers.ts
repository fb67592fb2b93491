import http from "node:http";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import type { ICredential } from "@huaweicloud/huaweicloud-sdk-core/auth/ICredential";
import type { IHttpRequest } from "@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest";
import { z } from "zod";
import { Emulator, type EmulatorOptions } from "../../emulator";
import { resetHuaweiClientState } from "../../provider/clouds/huawei/client";
import type { CloudContext } from "../../provider/resources/backend";
import { makeCtx } from "../support";

export { makeCtx };

/** Whether the next ShowCertificate of `id` is the one on which the CA moves `CHECKING` on to `CHECKING_DOMAIN` (emulator V5, seeded). */
export function movesOnNextRead(emu: Emulator, id: string): boolean {
  const c = emu.huawei.get(id);
  return c?.status === "CHECKING" && c.internal.checkingReadsLeft === 0;
}

/** The status certapply reports for `id` under review as the emulator holds it now: `CHECKING`, or `CHECKING_DOMAIN` once the CA took it up. */
export function reviewStatus(emu: Emulator, id: string): "under-review" | "awaiting-validation" {
  return emu.huawei.get(id)?.status === "CHECKING" ? "under-review" : "awaiting-validation";
}

/**
 * One emulator for a test file (started with `options`), reset (and the client's per-credential caches with it) before each test; `ctx()`
 * is an AK/SK context whose progress lines go to `logs` (emptied before each test).
 */
export function huaweiSuite(options: EmulatorOptions = {}): { emu: Emulator; logs: string[]; ctx: () => CloudContext } {
  const emu = new Emulator(options);
  const logs: string[] = [];
  beforeAll(async () => {
    await emu.start();
  });
  afterAll(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    resetHuaweiClientState();
    logs.length = 0;
  });
  return { emu, logs, ctx: () => makeCtx(akskSettings(emu), logs) };
}

/** AK/SK settings pointing at the emulator. */
export function akskSettings(emu: Emulator, over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const c = emu.credentials.huawei;
  return { huaweiEndpoint: emu.url, huaweiAccessKey: c.accessKey, huaweiSecretKey: c.secretKey, huaweiDomainId: c.domainId, ...over };
}

/** IAM user/password settings pointing at the emulator. */
export function passwordSettings(emu: Emulator, over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const c = emu.credentials.huawei;
  return {
    huaweiEndpoint: emu.url,
    huaweiIamEndpoint: emu.url,
    huaweiUserName: c.userName,
    huaweiPassword: c.password,
    huaweiDomainName: c.domainName,
    ...over,
  };
}

/** POSTs to the emulator's control API. */
export async function control(emu: Emulator, command: string, body: Record<string, unknown> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  return raw(emu, "POST", `/_control/huawei/${command}`, { "Content-Type": "application/json" }, JSON.stringify(body));
}

/** Seeds a PAID certificate; returns its id. */
export async function seed(emu: Emulator, body: Record<string, unknown> = {}): Promise<string> {
  const r = await control(emu, "seed", body);
  return String(r.json.certificateId);
}

/** A plain HTTP request to the emulator (no signing). */
export function raw(
  emu: Emulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: Record<string, unknown> }> {
  const url = new URL(emu.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: Number(url.port), method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> = {};
        try {
          json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          json = { text };
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Accepts any reply body (calls whose reply the test checks itself). */
export const ANY = z.unknown();

/** A minimal DV ApplyCertificate body. */
export const APPLY = {
  domain: "www.example.com",
  applicant_name: "Emily_Chen",
  applicant_phone: "13212345678",
  applicant_email: "emily@example.com",
  domain_method: "DNS",
  agree_privacy_protection: true,
};

/** `headers` signed by the official core SDK's AKSKSigner with the emulator's AK/SK (nothing added). */
export function sdkSign(emu: Emulator, method: string, path: string, headers: Record<string, string>, data?: Record<string, unknown>): Record<string, string> {
  const c = emu.credentials.huawei;
  return AKSKSigner.sign(
    { method, endpoint: emu.url + path, headers, queryParams: {}, data } as unknown as IHttpRequest,
    { getAk: () => c.accessKey, getSk: () => c.secretKey } as unknown as ICredential,
  ) as Record<string, string>;
}

/** Sends a request signed by the official SDK signer, with a signed X-Domain-Id. */
export function sdkSigned(emu: Emulator, method: string, path: string, data?: Record<string, unknown>, extra: Record<string, string> = {}, date?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-Domain-Id": emu.credentials.huawei.domainId, ...extra };
  if (date) headers["X-Sdk-Date"] = date;
  return raw(emu, method, path, sdkSign(emu, method, path, headers, data), data ? JSON.stringify(data) : undefined);
}

/** A valid set of application inputs for the huawei backend. */
export function appInputs(certificateId: string, over: Record<string, unknown> = {}): import("../../provider/resources/types").ApplicationInputs {
  return {
    cloud: "huawei",
    certificateId,
    commonName: "www.example.com",
    dnsNames: ["example.com"],
    validationMethod: "DNS",
    admin: { firstName: "Emily", lastName: "Chen", email: "emily@example.com", phone: "13212345678" },
    tech: { firstName: "Tom", lastName: "Li", email: "tom@example.com", phone: "13312345678" },
    waitTimeoutSeconds: 5,
    ...over,
  } as import("../../provider/resources/types").ApplicationInputs;
}
