/**
 * What a preview can confirm about a new application with one cheap read and no write: the credentials work,
 * the purchased certificate exists in this account, and it covers as many domains as declared. Run only in a
 * preview (the SDK says so with the internal input `preflight`), so `pulumi up` makes no extra call and a
 * failure here never stands between a user and an order the cloud would take.
 *
 * Only definite answers become failures: credentials refused, certificate unknown, too many names. A
 * transient error, a timeout or a reply that does not parse says nothing; the create decides then.
 */
import type { CheckFailure, CloudContext } from "./backend";
import { makeContext } from "./context";
import { CloudApiError, ConfigError } from "../http/errors";
import type { ApplicationInputs, CloudName } from "./types";

/** Credentials settings per cloud, named in a failure. */
const CREDENTIALS: Record<CloudName, string> = {
  tencent: "certapply:tencentSecretId / certapply:tencentSecretKey (env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY)",
  edgecast: "certapply:edgecastClientId / certapply:edgecastClientSecret (env EDGECAST_CLIENT_ID / EDGECAST_CLIENT_SECRET)",
  huawei: "certapply:huaweiAccessKey / certapply:huaweiSecretKey or the token settings (env HW_ACCESS_KEY / HW_SECRET_KEY)",
};

/** What one read said: the certificate's domain count where the cloud gives one, or that it does not exist. */
type Probe = { found: true; domains?: number } | { found: false };

async function probe(cloud: CloudName, ctx: CloudContext, inputs: ApplicationInputs): Promise<Probe> {
  const id = String(inputs.certificateId ?? "");
  switch (cloud) {
    case "tencent": {
      const { TencentClient } = require("../clouds/tencent/client") as typeof import("../clouds/tencent/client");
      try {
        const d = await new TencentClient(ctx).describeCertificateDetail(id);
        return { found: true, domains: Number(d.CertificateExtra?.DomainNumber ?? 0) || undefined };
      } catch (err) {
        // ssl_models.d.ts / tencent-ssl.md: FailedOperation.CertificateNotFound is the answer for an id not in the account.
        if (err instanceof CloudApiError && err.code === "FailedOperation.CertificateNotFound") return { found: false };
        throw err;
      }
    }
    case "huawei": {
      const { HuaweiClient } = require("../clouds/huawei/client") as typeof import("../clouds/huawei/client");
      const { ShowCertificateModel } = require("../clouds/huawei/models") as typeof import("../clouds/huawei/models");
      try {
        const d = await new HuaweiClient(ctx.config, ctx.transport).call(
          { method: "GET", path: `/v3/scm/certificates/${encodeURIComponent(id)}`, action: "ShowCertificate" },
          ShowCertificateModel,
        );
        return { found: true, domains: d.domain_count ?? undefined };
      } catch (err) {
        // SCM's own 404 carries its error code (SCM.*); a gateway's 404 does not name the certificate.
        if (err instanceof CloudApiError && err.httpStatus === 404 && err.code.startsWith("SCM.")) return { found: false };
        throw err;
      }
    }
    case "edgecast": {
      const edgecast = require("../clouds/edgecast") as typeof import("../clouds/edgecast");
      await edgecast.accessToken(edgecast.edgecastSettings(ctx.config), ctx.transport);
      return { found: true };
    }
  }
}

function refusedCredentials(err: unknown): boolean {
  if (err instanceof ConfigError) return true;
  if (!(err instanceof CloudApiError)) return false;
  return err.code.startsWith("AuthFailure") || err.httpStatus === 401 || err.httpStatus === 403 || err.code === "invalid_client";
}

/** The preview's one read for a new application; failures only for definite answers. */
export async function preflight(inputs: ApplicationInputs): Promise<CheckFailure[]> {
  // A resource that buys (`purchase`) names no certificate yet: nothing to look up.
  if (!inputs.certificateId) return [];
  const cloud = inputs.cloud;
  const ctx = makeContext(`${cloud} preview check`, {}, [inputs]);
  // One attempt, short: a preview waits for no retry.
  const quick: CloudContext = { ...ctx, transport: { ...ctx.transport, maxRetries: 0, timeoutMs: Math.min(ctx.transport.timeoutMs, 10000) } };
  let found: Probe;
  try {
    found = await probe(cloud, quick, inputs);
  } catch (err) {
    if (refusedCredentials(err)) {
      const why = err instanceof CloudApiError ? `${cloud} refused the credentials (${err.code})` : (err as Error).message;
      return [{ property: "cloud", reason: `${why}: check ${CREDENTIALS[cloud]}` }];
    }
    ctx.log(`could not confirm the certificate and credentials before the create (${(err as Error).message}); the create checks them`);
    return [];
  }
  if (!found.found) {
    return [{ property: "certificateId", reason: `${cloud} has no certificate ${String(inputs.certificateId)} in this account: buy it first, or correct certificateId` }];
  }
  const names = 1 + (inputs.dnsNames?.length ?? 0);
  if (found.domains !== undefined && names > found.domains) {
    return [{ property: "dnsNames", reason: `certificate ${String(inputs.certificateId)} was bought for ${found.domains} domain(s) and ${names} are declared (commonName and dnsNames): remove names or buy a certificate for more` }];
  }
  return [];
}
