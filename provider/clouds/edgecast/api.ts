/** Typed CPS v2.0 calls and the shapes of their replies (only the fields certapply reads). */
import { z } from "zod";
import { CloudApiError } from "../../http/errors";
import { EdgecastClient, isHttp, noContent } from "./client";

const domain = z.object({
  id: z.number(),
  name: z.string(),
  is_common_name: z.boolean().nullish(),
  status: z.string().nullish(),
});

const deployment = z.object({
  delivery_region: z.string().nullish(),
  platform: z.string().nullish(),
  hex_url: z.string().nullish(),
});

const contactSchema = z.object({
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  title: z.string().nullish(),
  contact_type: z.string().nullish(),
});

/** `OrganizationDetail` (SDK `models/organization_detail.go`): what a request reports and `PUT …/organization` answers. */
const organizationDetailSchema = z.object({
  id: z.number().int().nullish(),
  company_name: z.string().nullish(),
  company_address: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  zip_code: z.string().nullish(),
  country: z.string().nullish(),
  organizational_unit: z.string().nullish(),
  contact_first_name: z.string().nullish(),
  contact_last_name: z.string().nullish(),
  contact_email: z.string().nullish(),
  contact_phone: z.string().nullish(),
  contact_title: z.string().nullish(),
  additional_contacts: z.array(contactSchema).nullish(),
});
/** The reply of `PUT …/organization`: the organization just sent, so it names the company (an error body does not). */
const organizationReplySchema = organizationDetailSchema.extend({ company_name: z.string() });

/** `CdnProvidedCertificate` (SDK `models/cdn_provided_certificate.go`), the fields certapply reads. */
const certificateSchema = z.object({
  id: z.number().int(),
  certificate_label: z.string(),
  description: z.string().nullish(),
  auto_renew: z.boolean().nullish(),
  certificate_authority: z.string().nullish(),
  validation_type: z.string().nullish(),
  dcv_method: z.string().nullish(),
  expiration_date: z.string().nullish(),
  thumbprint: z.string().nullish(),
  workflow_error_message: z.string().nullish(),
  organization: organizationDetailSchema.nullish(),
  deployments: z.array(deployment).nullish(),
  domains: z.array(domain).nullish(),
});
export type Certificate = z.infer<typeof certificateSchema>;

/** `CertificateStatus` (SDK `models/certificate_status.go`). */
const statusSchema = z.object({
  id: z.number().int().optional(),
  step: z.number().nullish(),
  status: z.string(),
  requires_attention: z.boolean().nullish(),
  error_message: z.string().nullish(),
  order_validation: z
    .object({
      status: z.string().nullish(),
      organization_validation: z.object({ validation_type: z.string().nullish(), status: z.string().nullish() }).nullish(),
      domain_validations: z.array(z.object({ domain_names: z.array(z.string()).nullish(), status: z.string().nullish() })).nullish(),
    })
    .nullish(),
});
export type CertificateStatus = z.infer<typeof statusSchema>;

const listSchema = z.object({
  items: z.array(certificateSchema).nullish(),
  total_items: z.number().nullish(),
});

const dcvSchema = z.object({
  items: z
    .array(
      z.object({
        domain_id: z.number(),
        dcv_method: z.string().nullish(),
        dcv_token: z.object({ token: z.string().nullish() }).nullish(),
        emails: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
});
export type DcvItem = NonNullable<z.infer<typeof dcvSchema>["items"]>[number];

const notificationSchema = z.object({
  notification_type: z.string(),
  enabled: z.boolean(),
  emails: z.array(z.string()).nullish(),
});
const notificationsSchema = z.object({ items: z.array(notificationSchema).nullish() });
export type NotificationSetting = { notification_type: string; enabled: boolean; emails: string[] };

/** Body of `POST /v2.0/certificates/cdnprovided`. */
export interface CertificateCreate {
  certificate_label: string;
  description?: string;
  auto_renew?: boolean;
  certificate_authority: string;
  validation_type: string;
  dcv_method: string;
  domains: { name: string; is_common_name: boolean }[];
  organization?: OrganizationBody;
}

export interface OrganizationBody {
  company_name?: string;
  company_address?: string;
  city?: string;
  state?: string;
  zip_code?: string;
  country?: string;
  organizational_unit?: string;
  contact_first_name?: string;
  contact_last_name?: string;
  contact_email?: string;
  contact_phone?: string;
  contact_title?: string;
  additional_contacts?: {
    first_name?: string;
    last_name?: string;
    email?: string;
    phone?: string;
    title?: string;
    contact_type: string;
  }[];
}

/** Body of `PATCH /v2.0/certificates/{id}`; absent or null fields are left unchanged. */
export interface CertificateUpdate {
  certificate_label?: string;
  description?: string;
  auto_renew?: boolean;
  dcv_method?: string;
  domains?: { name: string; is_common_name: boolean }[] | null;
}

const certPath = (id: string | number) => `/v2.0/certificates/${id}`;

/**
 * Creates a request. Never repeated by the transport (a paid order): the caller looks for the request before
 * sending it again when the reply was lost.
 */
export async function createCertificate(c: EdgecastClient, body: CertificateCreate): Promise<Certificate> {
  return c.json({ method: "POST", path: "/v2.0/certificates/cdnprovided", action: "POST /v2.0/certificates/cdnprovided", body, maxRetries: 0 }, certificateSchema);
}

/**
 * True for CPS's own "not found": HTTP 404 with its error body (`HyperionErrorReponse`: a `code` or `details`),
 * which the client turns into a code other than `HTTP 404`. A 404 without that body (a gateway's or a proxy's)
 * says nothing about the request.
 */
export function isResourceNotFound(err: unknown): boolean {
  return isHttp(err, 404) && err.code !== "HTTP 404";
}

/** `undefined` for CPS's own not-found; a 404 without CPS's error body is thrown as a transient error. */
function notFoundOrThrow(err: unknown): undefined {
  if (isResourceNotFound(err)) return undefined;
  if (isHttp(err, 404)) {
    throw new CloudApiError({
      cloud: err.cloud,
      action: err.action,
      code: "GatewayNotFound",
      message: `HTTP 404 without the CPS error body (a gateway's answer, not the request's): not taken as "gone"; ${err.cloudMessage}`,
      httpStatus: 404,
      requestId: err.requestId,
      transient: true,
    });
  }
  throw err;
}

/** The certificate request, or `undefined` on CPS's own 404 (see `isResourceNotFound`). */
export async function getCertificate(c: EdgecastClient, id: string): Promise<Certificate | undefined> {
  try {
    return await c.json({ method: "GET", path: certPath(id), action: "GET /v2.0/certificates/{id}" }, certificateSchema);
  } catch (err) {
    return notFoundOrThrow(err);
  }
}

/** The request status, or `undefined` on CPS's own 404 (see `isResourceNotFound`). */
export async function getStatus(c: EdgecastClient, id: string): Promise<CertificateStatus | undefined> {
  try {
    return await c.json({ method: "GET", path: `${certPath(id)}/status`, action: "GET /v2.0/certificates/{id}/status" }, statusSchema);
  } catch (err) {
    return notFoundOrThrow(err);
  }
}

/** Every certificate request matching `query` (e.g. `domain_names:www.example.com`), following the pages. */
export async function findCertificates(c: EdgecastClient, query: string, maxPages = 20): Promise<Certificate[]> {
  const out: Certificate[] = [];
  const pageSize = 20;
  for (let page = 1; page <= maxPages; page += 1) {
    const reply = await c.json(
      { method: "GET", path: "/v2.0/certificates", action: "GET /v2.0/certificates", query: { page, page_size: pageSize, query } },
      listSchema,
    );
    const items = reply.items ?? [];
    out.push(...items);
    const total = reply.total_items ?? 0;
    if (items.length === 0 || out.length >= total) break;
  }
  return out;
}

/**
 * Changes a request. Never repeated by the transport (new domains start a reissue, after which a resend is
 * refused): the caller reads the request before sending it again.
 */
export async function patchCertificate(c: EdgecastClient, id: string, body: CertificateUpdate): Promise<Certificate> {
  return c.json({ method: "PATCH", path: certPath(id), action: "PATCH /v2.0/certificates/{id}", body, maxRetries: 0 }, certificateSchema);
}

/** Changes the organization (starts a reissue). Never repeated by the transport: the caller reads before a resend. */
export async function putOrganization(c: EdgecastClient, id: string, body: OrganizationBody): Promise<void> {
  await c.json({ method: "PUT", path: `${certPath(id)}/organization`, action: "PUT /v2.0/certificates/{id}/organization", body, maxRetries: 0 }, organizationReplySchema);
}

export async function cancelCertificate(c: EdgecastClient, id: string): Promise<void> {
  await c.json({ method: "PUT", path: `${certPath(id)}/cancel`, action: "PUT /v2.0/certificates/{id}/cancel", query: { apply: "true" } }, noContent);
}

export async function deleteCertificate(c: EdgecastClient, id: string): Promise<void> {
  await c.json({ method: "DELETE", path: certPath(id), action: "DELETE /v2.0/certificates/{id}" }, noContent);
}

/** Retriggers a timed-out request. Never repeated by the transport: the caller reads before trying again. */
export async function retrigger(c: EdgecastClient, id: string): Promise<void> {
  await c.json({ method: "PUT", path: `${certPath(id)}/retrigger`, action: "PUT /v2.0/certificates/{id}/retrigger", maxRetries: 0 }, noContent);
}

/** `PUT /v2.0/certificates/{id}/renew` (no body, 204): renews an issued certificate manually. Sent once. */
export async function renewCertificate(c: EdgecastClient, id: string): Promise<void> {
  await c.json({ method: "PUT", path: `${certPath(id)}/renew`, action: "PUT /v2.0/certificates/{id}/renew", maxRetries: 0 }, noContent);
}

export async function getDcv(c: EdgecastClient, id: string, domainIds: number[]): Promise<DcvItem[]> {
  const reply = await c.json(
    { method: "GET", path: `/v2.0/dcv/certificates/${id}`, action: "GET /v2.0/dcv/certificates/{id}", query: { domain_ids: domainIds.join(",") } },
    dcvSchema,
  );
  return reply.items ?? [];
}

export async function getNotifications(c: EdgecastClient, id: string): Promise<NotificationSetting[]> {
  const reply = await c.json({ method: "GET", path: `${certPath(id)}/notifications`, action: "GET /v2.0/certificates/{id}/notifications" }, notificationsSchema);
  return (reply.items ?? []).map((n) => ({ notification_type: n.notification_type, enabled: n.enabled, emails: n.emails ?? [] }));
}

export async function patchNotifications(c: EdgecastClient, id: string, settings: NotificationSetting[]): Promise<void> {
  await c.json({ method: "PATCH", path: `${certPath(id)}/notifications`, action: "PATCH /v2.0/certificates/{id}/notifications", body: settings }, notificationsSchema);
}
