/**
 * Provider settings: Pulumi stack config (namespace `certapply`, handed over by the `configure` hook) with
 * an environment variable as fallback, read at call time. Nothing here is ever written to state.
 */

import { nearNames } from "./resources/near";

/** The subset of `pulumi.dynamic.Config` the provider uses. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Every setting, with its env fallback and default. */
export const SETTINGS = {
  tencentSecretId: { env: "TENCENTCLOUD_SECRET_ID" },
  tencentSecretKey: { env: "TENCENTCLOUD_SECRET_KEY" },
  tencentSessionToken: { env: "TENCENTCLOUD_SECURITY_TOKEN" },
  tencentEndpoint: { env: "CERTAPPLY_TENCENT_ENDPOINT", default: "https://ssl.tencentcloudapi.com" },
  edgecastClientId: { env: "EDGECAST_CLIENT_ID" },
  edgecastClientSecret: { env: "EDGECAST_CLIENT_SECRET" },
  edgecastScope: { env: "CERTAPPLY_EDGECAST_SCOPE", default: "sec.cps.certificates" },
  edgecastApiUrl: { env: "CERTAPPLY_EDGECAST_API_URL", default: "https://api.vdms.io" },
  edgecastIdsUrl: { env: "CERTAPPLY_EDGECAST_IDS_URL", default: "https://id.vdms.io" },
  huaweiAccessKey: { env: "HW_ACCESS_KEY" },
  huaweiSecretKey: { env: "HW_SECRET_KEY" },
  huaweiSecurityToken: { env: "HW_SECURITY_TOKEN" },
  huaweiDomainId: { env: "HW_DOMAIN_ID" },
  huaweiAuthToken: { env: "HW_AUTH_TOKEN" },
  huaweiUserName: { env: "HW_USER_NAME" },
  huaweiPassword: { env: "HW_USER_PASSWORD" },
  huaweiDomainName: { env: "HW_DOMAIN_NAME" },
  huaweiIamEndpoint: { env: "CERTAPPLY_HUAWEI_IAM_ENDPOINT", default: "https://iam.myhuaweicloud.com" },
  huaweiRegion: { env: "HW_REGION_NAME", default: "ap-southeast-1" },
  huaweiEndpoint: { env: "CERTAPPLY_HUAWEI_ENDPOINT" },
  /** Per-request timeout in milliseconds. */
  requestTimeoutMs: { env: "CERTAPPLY_REQUEST_TIMEOUT_MS", default: "30000", value: "number" },
  /** Retries of a transient failure (network, 5xx) per call. Throttle replies are resent apart from these (up to 20), at a lowered rate. */
  maxRetries: { env: "CERTAPPLY_MAX_RETRIES", default: "4", value: "number" },
  /** First backoff delay in milliseconds; doubles per retry, with jitter. */
  retryBaseDelayMs: { env: "CERTAPPLY_RETRY_BASE_DELAY_MS", default: "500", value: "number" },
  /** Poll interval of waits (waitFor, withdrawal settling) in milliseconds. */
  pollIntervalMs: { env: "CERTAPPLY_POLL_INTERVAL_MS", default: "5000", value: "number" },
  /** JSON map of per-action limits in requests per second, e.g. `{"tencent:DescribeCertificateDetail": 5}`. */
  rateLimits: { env: "CERTAPPLY_RATE_LIMITS", value: "json" },
} as const satisfies Record<string, { env: string; default?: string; value?: "number" | "json" }>;

export type SettingName = keyof typeof SETTINGS;

/** Names of settings holding credentials: never logged, never put in outputs. */
export const SECRET_SETTINGS: readonly SettingName[] = [
  "tencentSecretKey",
  "tencentSessionToken",
  "edgecastClientSecret",
  "huaweiSecretKey",
  "huaweiSecurityToken",
  "huaweiAuthToken",
  "huaweiPassword",
];

/** One problem in the stack config: the setting (without the `certapply:` namespace) and the reason. */
export interface SettingFailure {
  property: string;
  reason: string;
}

/**
 * The stack config's `certapply:*` entries checked against SETTINGS, keys without the namespace: a key that
 * is no setting is named with the settings it is probably meant as; a number or JSON setting that is not one
 * is named with the form it takes. Values are never repeated (a secret may be among them). No network.
 */
export function checkSettings(entries: Record<string, string | undefined>): SettingFailure[] {
  const failures: SettingFailure[] = [];
  const names = Object.keys(SETTINGS);
  for (const [key, text] of Object.entries(entries)) {
    if (key === "version" || key.startsWith("__")) continue;
    if (!(key in SETTINGS)) {
      const near = nearNames(key, names);
      failures.push({
        property: key,
        reason: `certapply:${key} is not a certapply setting${near.length ? `; did you mean ${near.map((n) => `certapply:${n}`).join(" or ")}?` : ""} (the settings are ${names.join(", ")})`,
      });
      continue;
    }
    const spec: { env: string; value?: "number" | "json" } = SETTINGS[key as SettingName];
    if (text === undefined || text === "") continue;
    if (spec.value === "number" && !/^\s*\d+(\.\d+)?\s*$/.test(text)) {
      failures.push({ property: key, reason: `certapply:${key} must be a number${key.endsWith("Ms") ? " of milliseconds, e.g. 30000 (not 30s)" : ", e.g. 4"}` });
    } else if (spec.value === "json") {
      try {
        JSON.parse(text);
      } catch {
        failures.push({ property: key, reason: `certapply:${key} must be JSON, e.g. {"tencent:DescribeCertificateDetail": 5}` });
      }
    }
  }
  return failures;
}

/** The `certapply:*` entries of a whole stack config (namespaced keys), without the namespace. */
export function certapplyEntries(all: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith("certapply:")).map(([k, v]) => [k.slice("certapply:".length), v]));
}

/** Reads settings: configured value first, then the environment (at call time), then the default. */
export class ProviderConfig {
  constructor(private readonly source?: ConfigSource) {}

  get(name: SettingName): string | undefined {
    const spec: { env: string; default?: string } = SETTINGS[name];
    const configured = this.fromSource(name);
    if (configured !== undefined && configured !== "") return configured;
    const env = process.env[spec.env];
    if (env !== undefined && env !== "") return env;
    return spec.default;
  }

  /** Like `get`, for settings that hold a whole number. */
  getNumber(name: SettingName): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }

  private fromSource(name: SettingName): string | undefined {
    if (!this.source) return undefined;
    try {
      return this.source.get(`certapply:${name}`) ?? undefined;
    } catch {
      return undefined;
    }
  }
}

/** The config handed to `configure`, kept per process (the host configures once per provider text). */
let configured: ProviderConfig | undefined;

export function setConfigSource(source: ConfigSource | undefined): void {
  configured = new ProviderConfig(source);
}

/** The current settings: configured ones, else environment only. */
export function currentConfig(): ProviderConfig {
  return configured ?? new ProviderConfig();
}
