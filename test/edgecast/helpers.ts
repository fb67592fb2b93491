import { Emulator } from "../../emulator/server";
import { clearTokenCache } from "../../provider/clouds/edgecast/client";
import type { CloudContext } from "../../provider/resources/backend";
import { normalizeInputs } from "../../provider/resources/normalize";
import type { ApplicationInputs } from "../../provider/resources/types";
import { makeCtx } from "../support";

export { makeCtx } from "../support";

/**
 * One emulator for a test file: started before the tests, stopped after, and reset before each test with a fresh
 * token cache; `onReset` receives that test's context and the log lines it collects.
 */
export function useEdgecastEmulator(onReset: (ctx: CloudContext, logs: string[]) => void): Emulator {
  const emulator = new Emulator();
  beforeAll(async () => {
    await emulator.start();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => {
    emulator.reset();
    clearTokenCache();
    const logs: string[] = [];
    onReset(makeCtx(edgecastConfig(emulator), logs), logs);
  });
  return emulator;
}

/** A DV declaration; `ownerKey` as certapply sets it for a resource `www` of stack `dev`. */
export const dv = (over: Partial<ApplicationInputs> = {}): ApplicationInputs =>
  normalizeInputs({ cloud: "edgecast", commonName: "www.example.com", dnsNames: ["example.com"], validationMethod: "DnsTxtToken", ownerKey: "shop/dev/www", ...over });

/** The `certapply:edgecast*` settings pointing at an emulator. */
export function edgecastConfig(e: Emulator): Record<string, string> {
  return {
    "certapply:edgecastApiUrl": e.url,
    "certapply:edgecastIdsUrl": e.url,
    "certapply:edgecastClientId": e.credentials.edgecast.clientId,
    "certapply:edgecastClientSecret": e.credentials.edgecast.clientSecret,
  };
}

/** Runs a control command of the Edgecast part and returns its JSON body (throws on non-200). */
export async function control(e: Emulator, command: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await e.edgecast.control(command, body);
  if (r.status !== 200) throw new Error(`control ${command} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as Record<string, unknown>;
}

export interface Raw {
  status: number;
  json: unknown;
  text: string;
}

/** A plain HTTP call to the emulator (loopback only). */
export async function raw(e: Emulator, method: string, path: string, opts: { token?: string; body?: unknown; form?: Record<string, string> } = {}): Promise<Raw> {
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: string | undefined;
  if (opts.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${e.url}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** A valid bearer token from the emulator's identity server. */
export async function token(e: Emulator): Promise<string> {
  const r = await raw(e, "POST", "/connect/token", {
    form: {
      grant_type: "client_credentials",
      scope: "sec.cps.certificates",
      client_id: e.credentials.edgecast.clientId,
      client_secret: e.credentials.edgecast.clientSecret,
    },
  });
  if (r.status !== 200) throw new Error(`token: ${r.text}`);
  return (r.json as { access_token: string }).access_token;
}

export const DV_BODY = {
  certificate_label: "www-example-com",
  description: "test",
  certificate_authority: "DigiCert",
  validation_type: "DV",
  dcv_method: "DnsTxtToken",
  domains: [
    { name: "www.example.com", is_common_name: true },
    { name: "example.com", is_common_name: false },
  ],
};

export const ORG = {
  company_name: "Example Inc",
  company_address: "1 Main St",
  city: "Springfield",
  state: "IL",
  zip_code: "62701",
  country: "US",
  contact_first_name: "Ada",
  contact_last_name: "Admin",
  contact_email: "ada@example.com",
  contact_phone: "+1 555 0100",
};
