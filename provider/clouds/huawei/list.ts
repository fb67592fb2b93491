import { z } from "zod";
import type { CloudContext } from "../../resources/backend";
import type { ListPage, ListReader } from "../../resources/status-batch";
import { HuaweiClient } from "./client";
import { normaliseStatus } from "./status";

/** `ListCertificatesRequest.limit` takes 10, 20 or 50 (huaweicloud-sdk-go-v3 `services/scm/v3/model/model_list_certificates_request.go`). */
export const HUAWEI_LIST_LIMIT = 50;

/** `ListCertificatesResponse`: `certificates[]` (`CertificateDetail`: `id`, `status`, ...) and `total_count`. */
const ListCertificatesModel = z.looseObject({
  certificates: z.array(z.looseObject({ id: z.string(), status: z.string().nullish() })).nullish(),
  total_count: z.number().int().nullish(),
});

/** The account's certificates (the key is hashed before it is kept) a page at a time (`offset` counts items, `limit` 50), every status. */
export const huaweiList: ListReader = {
  account: (ctx: CloudContext) => {
    const c = new HuaweiClient(ctx.config, ctx.transport);
    const a = c.auth;
    return [c.endpoint, a.kind === "aksk" ? `${a.accessKey}\u0000${a.domainId ?? ""}` : a.kind === "password" ? `${a.domainName}\u0000${a.userName}` : a.token];
  },
  async page(ctx: CloudContext, position: number): Promise<ListPage> {
    const c = new HuaweiClient(ctx.config, ctx.transport);
    const reply = await c.call(
      { method: "GET", path: "/v3/scm/certificates", query: { limit: HUAWEI_LIST_LIMIT, offset: position, status: "ALL" }, action: "ListCertificates" },
      ListCertificatesModel,
    );
    const certificates = reply.certificates ?? [];
    const entries = certificates
      .filter((d) => typeof d.status === "string" && d.status !== "")
      .map((d) => {
        const s = normaliseStatus(d.status);
        return { id: d.id, live: { status: s.status, rawStatus: s.rawStatus, statusMessage: s.message, validationRecords: [] } };
      });
    const next = position + certificates.length;
    const more = certificates.length === HUAWEI_LIST_LIMIT && (reply.total_count === undefined || reply.total_count === null || next < reply.total_count);
    return more ? { entries, next } : { entries };
  },
};
