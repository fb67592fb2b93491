import { z } from "zod";
import type { CloudContext } from "../../resources/backend";
import type { ListPage, ListReader } from "../../resources/status-batch";
import { TencentClient } from "./client";
import { normaliseStatus } from "./status";

/** `DescribeCertificates` takes at most 1000 a page ("每页数量，默认10。最大值1000"). */
export const TENCENT_LIST_LIMIT = 1000;

/** `DescribeCertificatesResponse` (ssl_models.d.ts): `Certificates[]` of the `Certificates` model, `TotalCount`. */
const DescribeCertificatesSchema = z
  .object({
    RequestId: z.string(),
    TotalCount: z.number().int().nullish(),
    Certificates: z
      .array(z.object({ CertificateId: z.string(), Status: z.number().int().nullish(), StatusMsg: z.string().nullish() }).loose())
      .nullish(),
  })
  .loose();

/**
 * The account's certificates a page at a time (`Offset`, `Limit`), newest first as the API lists them. Read in
 * zh-CN like DescribeCertificateDetail, so a `StatusMsg` is in the wording the status table recognises.
 */
export const tencentList: ListReader = {
  account: (ctx: CloudContext) => [ctx.config.get("tencentEndpoint") ?? "", ctx.config.get("tencentSecretId") ?? ""],
  async page(ctx: CloudContext, position: number): Promise<ListPage> {
    const reply = await new TencentClient(ctx).call("DescribeCertificates", { Offset: position, Limit: TENCENT_LIST_LIMIT }, DescribeCertificatesSchema, { language: "zh-CN" });
    const certificates = reply.Certificates ?? [];
    const entries = certificates
      .filter((c) => c.Status !== undefined && c.Status !== null)
      .map((c) => ({ id: c.CertificateId, live: { ...normaliseStatus(c.Status, c.StatusMsg), validationRecords: [] } }));
    const next = position + certificates.length;
    const more = certificates.length === TENCENT_LIST_LIMIT && (reply.TotalCount === undefined || reply.TotalCount === null || next < reply.TotalCount);
    return more ? { entries, next } : { entries };
  },
};
