import { z } from "zod";

/**
 * Reply schemas from the official Go SDK models (huaweicloud-sdk-go-v3 `services/scm/v3/model`,
 * `core/auth/internal/iam_model.go`). Optional fields may be absent or `null` ("没有获取到有效值时为空");
 * unknown fields pass through (the API grows). A body that carries `error_code` is an error reply even under
 * HTTP 200, so it never fits. Fields certapply cannot work without (`id`, `status`) are required.
 */

const text = z.string().nullish();

function noErrorBody<T extends z.ZodRawShape>(shape: T) {
  return z.looseObject(shape).refine((b) => !("error_code" in b) && !("error_msg" in b), { message: "an error body (error_code / error_msg) under a success status" });
}

/** `Authentification` (model_authentification.go). */
const AuthentificationModel = z.looseObject({
  record_name: text,
  record_type: text,
  record_value: text,
  domain: text,
});

/** `ShowCertificateResponseBodyApplicationInfo`. */
const ApplicationInfoModel = z.looseObject({
  country: text,
  company_name: text,
  company_province: text,
  company_city: text,
  applicant_name: text,
  applicant_phone: text,
  applicant_email: text,
  contact_name: text,
  contact_phone: text,
  contact_email: text,
});

/** `ShowCertificateResponse` (GET /v3/scm/certificates/{certificate_id}); `id` and `status` required here. */
export const ShowCertificateModel = noErrorBody({
  id: z.string().min(1),
  status: z.string(),
  order_id: text,
  name: text,
  type: text,
  brand: text,
  push_support: text,
  revoke_reason: text,
  signature_algorithm: text,
  issue_time: text,
  not_before: text,
  not_after: text,
  validity_period: z.number().int().nullish(),
  validation_method: text,
  domain_type: text,
  multi_domain_type: text,
  domain: text,
  sans: text,
  domain_count: z.number().int().nullish(),
  wildcard_count: z.number().int().nullish(),
  /** SHA-1 fingerprint of the issued certificate. */
  fingerprint: text,
  shared: z.boolean().nullish(),
  application_info: ApplicationInfoModel.nullish(),
  description: text,
  enterprise_project_id: text,
  authentification: z.array(AuthentificationModel).nullish(),
});
export type ShowCertificate = z.output<typeof ShowCertificateModel>;

/** `ApplyCertificateResponse`: `{"request_info":"success"}`. */
export const ApplyCertificateModel = noErrorBody({ request_info: text });

/** `CancelCertificateRequestResponse`: `{"cert_id":"…","message":"success"}`. */
export const CancelCertificateModel = noErrorBody({ cert_id: text, message: text });

/** `ExportCertificateResponse` (POST /v3/scm/certificates/{certificate_id}/export). */
export const ExportCertificateModel = noErrorBody({
  entire_certificate: text,
  certificate: text,
  certificate_chain: text,
  private_key: text,
  enc_certificate: text,
  enc_private_key: text,
});

/** IAM `KeystoneListAuthDomainsResponse` (GET /v3/auth/domains): `domains[].id` is the account (domain) id. */
export const ListAuthDomainsModel = noErrorBody({
  domains: z.array(z.looseObject({ id: z.string().min(1), name: text })),
});

/** IAM `POST /v3/auth/tokens` body; the token itself is the `X-Subject-Token` header. */
export const CreateTokenModel = noErrorBody({
  token: z.looseObject({ expires_at: text, issued_at: text }),
});

/** `ScsResourceTag`: one tag of a certificate. */
const ResourceTagModel = z.looseObject({ key: text, value: text });

/** `ListTagsByCertificateResponse` (GET /v3/scm/{resource_id}/tags, resource_id = certificate id). */
export const ListTagsModel = noErrorBody({ tags: z.array(ResourceTagModel).nullish() });

/** `CreateCertificateTagResponse` (POST /v3/scm/{resource_id}/tags): `{"desc": …}`. */
export const CreateTagModel = noErrorBody({ desc: text });

/** `SubscribeCertificateResponse` (POST /v3/scm/certificates/buy): the order and one `CertDetail` per certificate bought. */
export const SubscribeCertificateModel = noErrorBody({
  order_id: text,
  cert: z.array(z.looseObject({ cert_id: z.string().min(1) })).nullish(),
});

/** `UnsubscribeCertificateResponse` (DELETE /v3/scm/certificates/{cert_id}/unsubscribe): `unsubscribe_results`. */
export const UnsubscribeCertificateModel = noErrorBody({ unsubscribe_results: text });

/** `TagResourceResourceDetail`: what a tag listing says of each certificate (product fields, renewal links). */
const TagResourceDetailModel = z.looseObject({
  cert_id: text,
  cert_type: text,
  cert_brand: text,
  domain_type: text,
  purchase_period: z.number().int().nullish(),
  domain_num: z.number().int().nullish(),
  order_status: text,
  origin_cert_id: text,
  renewal_cert_id: text,
});

/** `ListCertificatesByTagResponse` (POST /v3/scm/resource_instances/action): `resources` (TagResource), `total_count`. */
export const ListCertificatesByTagModel = noErrorBody({
  total_count: z.number().int().nullish(),
  resources: z
    .array(z.looseObject({ resource_id: z.string().min(1), tags: z.array(ResourceTagModel).nullish(), resource_detail: TagResourceDetailModel.nullish() }))
    .nullish(),
});
export type TagResource = NonNullable<z.output<typeof ListCertificatesByTagModel>["resources"]>[number];
