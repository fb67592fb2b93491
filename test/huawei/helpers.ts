import http from "node:http";
import type { Emulator } from "../../emulator";

export { makeCtx } from "../support";

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
