import { z } from "zod";

/**
 * zod schemas of the Tencent SSL replies certapply reads, after the official SDK's response models
 * (tencentcloud-sdk-nodejs 4.1.313 `services/ssl/v20191205/ssl_models.d.ts`). Fields the SDK documents as
 * "may return null" are nullish; fields certapply does not read pass through unchecked. `RequestId` is in every
 * reply ("每次请求都会返回"), and a DescribeCertificateDetail without `Status` is not a reply certapply can use.
 */

const text = z.string().nullish();
const flag = z.boolean().nullish();
const base = { RequestId: z.string() };

/** `DvAuths`: one validation record of several. */
export const DvAuthsSchema = z
  .object({
    DvAuthKey: text,
    DvAuthValue: text,
    DvAuthDomain: text,
    DvAuthPath: text,
    DvAuthSubDomain: text,
    DvAuthVerifyType: text,
  })
  .loose();

/** `DvAuthDetail`: the single domain's record at the top level, or `DvAuths[]` when there are several. */
export const DvAuthDetailSchema = z
  .object({
    DvAuthKey: text,
    DvAuthValue: text,
    DvAuthDomain: text,
    DvAuthPath: text,
    DvAuthKeySubDomain: text,
    DvAuths: z.array(DvAuthsSchema).nullish(),
  })
  .loose();

/** `SubmittedData`: the materials as saved, with the legacy SubmitCertificateInformation field names. */
export const SubmittedDataSchema = z
  .object({
    CsrType: text,
    CsrContent: text,
    CertificateDomain: text,
    DomainList: z.array(z.string()).nullish(),
    KeyPassword: text,
    OrganizationName: text,
    OrganizationDivision: text,
    OrganizationAddress: text,
    OrganizationCountry: text,
    OrganizationCity: text,
    OrganizationRegion: text,
    PostalCode: text,
    PhoneAreaCode: text,
    PhoneNumber: text,
    AdminFirstName: text,
    AdminLastName: text,
    AdminPhoneNum: text,
    AdminEmail: text,
    AdminPosition: text,
    ContactFirstName: text,
    ContactLastName: text,
    ContactNumber: text,
    ContactEmail: text,
    ContactPosition: text,
    VerifyType: text,
  })
  .loose();

/** DescribeCertificateResponse (ssl_models.d.ts): only that it names the certificate, for the not-found lookup. */
export const CertificateBriefSchema = z.object({ ...base, CertificateId: text, Status: z.number().int().nullish() }).loose();

/** DescribeCertificateDetailResponse (the fields certapply reads). */
export const CertificateDetailSchema = z
  .object({
    ...base,
    CertificateId: text,
    PackageType: text,
    Domain: text,
    Status: z.number().int(),
    StatusMsg: text,
    StatusName: text,
    VerifyType: text,
    CertBeginTime: text,
    CertEndTime: text,
    OrderId: text,
    /** CertificateExtra: OriginCertificateId "续费原证书 ID" (the certificate this one renews), RenewOrder "续费证书 ID". */
    CertificateExtra: z.object({ DomainNumber: text, CompanyType: z.number().nullish(), OriginCertificateId: text, RenewOrder: text }).loose().nullish(),
    /** Tags given at purchase (`Tags`: TagKey, TagValue). */
    Tags: z.array(z.object({ TagKey: z.string(), TagValue: z.string() }).loose()).nullish(),
    CertificatePrivateKey: text,
    CertificatePublicKey: text,
    CertFingerprint: text,
    /** CertBasicInfo[]: the chain's certificates described (no PEM). */
    CertChainInfo: z.array(z.object({ Issuer: text, Subject: text, Fingerprint: text }).loose()).nullish(),
    DvAuthDetail: DvAuthDetailSchema.nullish(),
    SubjectAltName: z.array(z.string()).nullish(),
    IsDv: flag,
    CertType: text,
    SubmittedData: SubmittedDataSchema.nullish(),
  })
  .loose();

/** CertificateInfoSubmitResponse: only RequestId. */
export const CertificateInfoSubmitReplySchema = z.object(base).loose();

/** CertificateOrderSubmitResponse: the CA's order id, the status the order left the certificate in, pre-audit flag. */
export const CertificateOrderSubmitReplySchema = z.object({ ...base, OrderId: text, Status: z.number().int(), IsAudited: flag }).loose();

/** ModifyCertificateResubmitResponse. */
export const ModifyCertificateResubmitReplySchema = z.object({ ...base, CertificateId: text }).loose();

/** UploadConfirmLetterResponse. */
export const UploadConfirmLetterReplySchema = z.object({ ...base, CertificateId: text, IsSuccess: flag }).loose();

/** CancelAuditCertificateResponse. */
export const CancelAuditCertificateReplySchema = z.object({ ...base, Result: flag }).loose();

/** CancelCertificateOrderResponse. */
export const CancelCertificateOrderReplySchema = z.object({ ...base, CertificateId: text }).loose();

export type CertificateDetail = z.output<typeof CertificateDetailSchema>;
export type DvAuth = z.output<typeof DvAuthsSchema>;
export type SubmittedData = z.output<typeof SubmittedDataSchema>;
export type CertificateOrderSubmitReply = z.output<typeof CertificateOrderSubmitReplySchema>;
