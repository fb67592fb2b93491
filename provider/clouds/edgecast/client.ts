/**
 * Edgecast CPS v2.0 client: OAuth 2.0 client-credentials token (cached per identity server and client id,
 * refreshed before it runs out, one refresh at a time), bearer calls through the shared transport, and the
 * CPS error body turned into a `CloudApiError`.
 */
import { z } from "zod";
import type { ProviderConfig } from "../../config";
import { CloudApiError, ConfigError } from "../../http/errors";
import { jsonOrText, send, validated, type HttpReply, type TransportOptions } from "../../http/transport";

const CLOUD = "edgecast" as const;
const TOKEN_ACTION = "POST /connect/token";

/** Refresh this long before `expires_in` runs out (at most half the lifetime). */
export const REFRESH_MARGIN_SECONDS = 30;

interface CachedToken {
  accessToken: string;
  /** Local clock, ms: refresh from here on. */
  refreshAt: number;
}

interface TokenSlot {
  token?: CachedToken;
  inflight?: Promise<CachedToken>;
}

/** Module state: one slot per (identity server URL, client id). */
const tokenCache = new Map<string, TokenSlot>();

/** Forgets every cached token (tests). */
export function clearTokenCache(): void {
  tokenCache.clear();
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
});

const errorResponse = z.object({
  "@type": z.string().optional(),
  code: z.string().optional(),
  status_code: z.number().optional(),
  details: z
    .array(
      z.object({
        "@type": z.string().optional(),
        source: z.string().nullish(),
        description: z.string().nullish(),
      }),
    )
    .nullish(),
});

/** Credentials and endpoints of the Edgecast API, read at call time. */
export interface EdgecastSettings {
  clientId: string;
  clientSecret: string;
  scope: string;
  apiUrl: string;
  idsUrl: string;
}

export function edgecastSettings(config: ProviderConfig): EdgecastSettings {
  const clientId = config.get("edgecastClientId");
  const clientSecret = config.get("edgecastClientSecret");
  if (!clientId) {
    throw new ConfigError(
      "edgecast: no OAuth client id; set the stack config certapply:edgecastClientId (or the environment variable EDGECAST_CLIENT_ID)",
    );
  }
  if (!clientSecret) {
    throw new ConfigError(
      "edgecast: no OAuth client secret; set it with `pulumi config set --secret certapply:edgecastClientSecret ...` (or the environment variable EDGECAST_CLIENT_SECRET)",
    );
  }
  return {
    clientId,
    clientSecret,
    scope: config.get("edgecastScope") ?? "sec.cps.certificates",
    apiUrl: trimSlash(config.get("edgecastApiUrl") ?? "https://api.vdms.io"),
    idsUrl: trimSlash(config.get("edgecastIdsUrl") ?? "https://id.vdms.io"),
  };
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, "");
}

function requestIdOf(reply: HttpReply): string | undefined {
  return reply.headers["x-request-id"];
}

/** Turns a CPS error reply into a `CloudApiError` (transient for 5xx and 429 only). */
function cpsError(action: string, reply: HttpReply): CloudApiError {
  let body: unknown;
  try {
    body = reply.body ? JSON.parse(reply.body) : undefined;
  } catch {
    body = undefined;
  }
  const parsed = errorResponse.safeParse(body);
  let code = `HTTP ${reply.status}`;
  let message = reply.body ? reply.body.slice(0, 300) : `HTTP ${reply.status} with an empty body`;
  if (parsed.success && (parsed.data.code || parsed.data.details?.length)) {
    code = parsed.data.code || code;
    const details = (parsed.data.details ?? [])
      .map((d) => [d.source ? `${d.source}: ` : "", d.description ?? ""].join("").trim())
      .filter((d) => d !== "");
    message = details.length ? details.join("; ") : (parsed.data["@type"] ?? "error");
  }
  if (reply.status === 401) message += " (the access token was refused; certapply fetches a new one and retries once)";
  return new CloudApiError({
    cloud: CLOUD,
    action,
    code,
    message,
    httpStatus: reply.status,
    requestId: reply.headers["x-request-id"],
    transient: reply.status >= 500 || reply.status === 429,
  });
}

function tokenError(reply: HttpReply): CloudApiError {
  let error = "";
  try {
    const b: unknown = JSON.parse(reply.body);
    if (b && typeof b === "object" && typeof (b as { error?: unknown }).error === "string") error = (b as { error: string }).error;
  } catch {
    /* not JSON */
  }
  const transient = reply.status >= 500 || reply.status === 429;
  const hint =
    error === "invalid_client"
      ? "the identity server refused the client credentials; check certapply:edgecastClientId and certapply:edgecastClientSecret (EDGECAST_CLIENT_ID / EDGECAST_CLIENT_SECRET)"
      : error === "invalid_scope"
        ? "the identity server refused the scope; certapply:edgecastScope must be sec.cps.certificates (or a scope list containing it)"
        : error
          ? `the identity server refused the token request (${error})`
          : `the identity server answered HTTP ${reply.status}`;
  return new CloudApiError({ cloud: CLOUD, action: TOKEN_ACTION, code: error || `HTTP ${reply.status}`, message: hint, httpStatus: reply.status, transient });
}

async function fetchToken(s: EdgecastSettings, transport: TransportOptions): Promise<CachedToken> {
  const form = new URLSearchParams({ grant_type: "client_credentials", scope: s.scope, client_id: s.clientId, client_secret: s.clientSecret });
  return send(
    {
      cloud: CLOUD,
      action: TOKEN_ACTION,
      build: () => ({
        method: "POST",
        url: `${s.idsUrl}/connect/token`,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: form.toString(),
      }),
      parse: (reply) => {
        if (reply.status !== 200) throw tokenError(reply);
        const t = validated(tokenResponse, { cloud: CLOUD, action: TOKEN_ACTION }, reply, jsonOrText(reply), requestIdOf(reply));
        const lifetime = t.expires_in ?? 300;
        const margin = Math.min(REFRESH_MARGIN_SECONDS, lifetime / 2);
        return { accessToken: t.access_token, refreshAt: Date.now() + (lifetime - margin) * 1000 };
      },
    },
    transport,
  );
}

/**
 * The bearer token for these settings: cached, refreshed before it runs out, one refresh at a time (callers
 * that ask during a refresh share it). `refused` drops that cached token (the API answered 401 to it).
 */
export async function accessToken(s: EdgecastSettings, transport: TransportOptions, refused?: string): Promise<string> {
  const key = `${s.idsUrl}\n${s.clientId}`;
  let slot = tokenCache.get(key);
  if (!slot) {
    slot = {};
    tokenCache.set(key, slot);
  }
  if (refused !== undefined && slot.token?.accessToken === refused) slot.token = undefined;
  if (slot.token && Date.now() < slot.token.refreshAt) return slot.token.accessToken;
  let inflight = slot.inflight;
  if (!inflight) {
    const current = slot;
    inflight = fetchToken(s, transport)
      .then((t) => {
        current.token = t;
        return t;
      })
      .finally(() => {
        current.inflight = undefined;
      });
    current.inflight = inflight;
  }
  return (await inflight).accessToken;
}

/** One CPS call. */
export interface CpsCall {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path below `/sec/cps`, e.g. `/v2.0/certificates/11605`. */
  path: string;
  /** Action name for logs, errors, rate limits and fault injection, e.g. `GET /v2.0/certificates/{id}`. */
  action: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Retries of transient failures; defaults to the transport's setting. */
  maxRetries?: number;
}

/** The reply of a call answered with `204 No Content` (retrigger, cancel, delete): no body. */
export const noContent = z.undefined();

/** A client bound to one provider config. */
export class EdgecastClient {
  private readonly settings: EdgecastSettings;

  constructor(
    config: ProviderConfig,
    private readonly transport: TransportOptions,
  ) {
    this.settings = edgecastSettings(config);
  }

  /**
   * Sends a call and checks its reply against `schema` (the official model of the action) before anything uses
   * it: a reply that does not fit is an `InvalidReply` error naming the action and request id. A 401 drops the
   * cached token and retries once with a fresh one.
   */
  async json<S extends z.ZodType>(c: CpsCall, schema: S): Promise<z.output<S>> {
    const token = await accessToken(this.settings, this.transport);
    try {
      return await this.once(c, token, schema);
    } catch (err) {
      if (!(err instanceof CloudApiError) || err.httpStatus !== 401) throw err;
      const fresh = await accessToken(this.settings, this.transport, token);
      return this.once(c, fresh, schema);
    }
  }

  private once<S extends z.ZodType>(c: CpsCall, token: string, schema: S): Promise<z.output<S>> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(c.query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const query = qs.toString();
    const url = `${this.settings.apiUrl}/sec/cps${c.path}${query ? `?${query}` : ""}`;
    const body = c.body === undefined ? undefined : JSON.stringify(c.body);
    return send(
      {
        cloud: CLOUD,
        action: c.action,
        maxRetries: c.maxRetries,
        build: () => ({
          method: c.method,
          url,
          headers: {
            Accept: "application/json",
            Authorization: `Bearer ${token}`,
            ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
          },
          body,
        }),
        parse: (reply) => {
          if (reply.status >= 400) throw cpsError(c.action, reply);
          if (reply.status >= 300) {
            throw new CloudApiError({ cloud: CLOUD, action: c.action, code: `HTTP ${reply.status}`, message: "unexpected redirect; check certapply:edgecastApiUrl", httpStatus: reply.status, transient: false });
          }
          return validated(schema, { cloud: CLOUD, action: c.action }, reply, jsonOrText(reply), requestIdOf(reply)) as z.output<S>;
        },
      },
      this.transport,
    );
  }
}

/** True for a CPS error with this HTTP status. */
export function isHttp(err: unknown, status: number): err is CloudApiError {
  return err instanceof CloudApiError && err.cloud === CLOUD && err.httpStatus === status;
}
