/**
 * Provider settings: Pulumi stack config (namespace `certapply`, handed over by the `configure` hook) with
 * an environment variable as fallback, read at call time. Nothing here is ever written to state.
 */

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
  requestTimeoutMs: { env: "CERTAPPLY_REQUEST_TIMEOUT_MS", default: "30000" },
  /** Retries of a transient failure (network, 5xx) per call. Throttle replies are resent apart from these (up to 20), at a lowered rate. */
  maxRetries: { env: "CERTAPPLY_MAX_RETRIES", default: "4" },
  /** First backoff delay in milliseconds; doubles per retry, with jitter. */
  retryBaseDelayMs: { env: "CERTAPPLY_RETRY_BASE_DELAY_MS", default: "500" },
  /** Poll interval of waits (waitFor, withdrawal settling) in milliseconds. */
  pollIntervalMs: { env: "CERTAPPLY_POLL_INTERVAL_MS", default: "5000" },
  /** JSON map of per-action limits in requests per second, e.g. `{"tencent:DescribeCertificateDetail": 5}`. */
  rateLimits: { env: "CERTAPPLY_RATE_LIMITS" },
} as const satisfies Record<string, { env: string; default?: string }>;

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
