import { createHash } from "node:crypto";
import { z } from "zod";
import { CloudApiError } from "../../http/errors";
import type { CloudContext } from "../../resources/backend";
import { canonical } from "../../resources/normalize";
import type { ApplicationInputs } from "../../resources/types";
import type { TencentClient } from "./client";
import { TENCENT_PRODUCTS } from "./products";

/**
 * Buying at create (`purchase`): one `CreateCertificate` per resource, tagged so that a purchase whose reply was
 * lost, or whose application failed afterwards, is found again (`DescribeCertificates` with `Tags`) before anything
 * is bought. Models: ssl_models.d.ts CreateCertificateRequest/Response, DescribeCertificatesRequest/Response,
 * Certificates, Tags.
 */

/** The tag key of a purchase; its value ties the certificate to one resource and one purchase block. */
export const PURCHASE_TAG_KEY = "certapply-purchase";

/** A tag as the SDK's `Tags` model has it. */
export interface TencentTag {
  TagKey: string;
  TagValue: string;
}

/**
 * The tag of this resource's purchase: a hash of the owner key and the purchase block, so a changed block (a
 * replace) buys anew while a re-run of the same create finds its own purchase. No name or input in plain text.
 */
export function purchaseTag(ownerKey: string, purchase: NonNullable<ApplicationInputs["purchase"]>): TencentTag {
  const value = createHash("sha256").update(`${ownerKey}\n${canonical(purchase)}`).digest("hex").slice(0, 32);
  return { TagKey: PURCHASE_TAG_KEY, TagValue: value };
}

const CreateCertificateReplySchema = z
  .object({
    RequestId: z.string(),
    CertificateIds: z.array(z.string()).nullish(),
    DealIds: z.array(z.string()).nullish(),
  })
  .loose();

const ListedSchema = z
  .object({
    CertificateId: z.string(),
    Status: z.number().int(),
    InsertTime: z.string().nullish(),
    Tags: z.array(z.object({ TagKey: z.string(), TagValue: z.string() }).loose()).nullish(),
  })
  .loose();

const DescribeCertificatesReplySchema = z
  .object({
    RequestId: z.string(),
    TotalCount: z.number().int().nullish(),
    Certificates: z.array(ListedSchema).nullish(),
  })
  .loose();

type Listed = z.output<typeof ListedSchema>;

/** Statuses of a purchase that is spent (expired, cancelled, revoked, refunded): never reused, a new one is bought. */
const SPENT = new Set([3, 6, 7, 9, 10, 12, 14]);

/** Certificates carrying `tag` that can still be applied with (oldest first). */
export async function findPurchases(client: TencentClient, tag: TencentTag): Promise<Listed[]> {
  const reply = await client.call("DescribeCertificates", { Tags: [tag], Limit: 1000 }, DescribeCertificatesReplySchema);
  return (reply.Certificates ?? [])
    .filter((c) => (c.Tags ?? []).some((t) => t.TagKey === tag.TagKey && t.TagValue === tag.TagValue))
    .filter((c) => !SPENT.has(c.Status))
    .sort((a, b) => (a.InsertTime ?? "").localeCompare(b.InsertTime ?? ""));
}

/**
 * The certificate this resource bought, or a new one bought now: first the certificates tagged with this
 * resource's purchase tag (a re-run after a lost reply, a crash, or a failed application); only when none is
 * there, one `CreateCertificate`. A purchase whose reply was lost (network, garbled reply) is looked for once by
 * its tag; when it does not show yet, the run stops without buying again: the next `pulumi up` looks again first.
 */
export async function buyOrFind(ctx: CloudContext, client: TencentClient, inputs: ApplicationInputs): Promise<string> {
  const purchase = inputs.purchase;
  if (!purchase) throw new Error("internal: buyOrFind needs a purchase block");
  if (!inputs.ownerKey) {
    throw new Error(
      "purchase needs the owner key certapply sets on each CertificateApplication (to find a purchase again instead of buying twice); " +
        "declare the resource through the certapply SDK or plugin",
    );
  }
  const tag = purchaseTag(inputs.ownerKey, purchase);
  const found = await findPurchases(client, tag);
  if (found.length > 0) {
    const [first] = found;
    const more = found.length > 1 ? ` (${found.length} carry this resource's tag: ${found.map((c) => c.CertificateId).join(", ")}; the oldest is used)` : "";
    ctx.log(`tencent: reusing certificate ${first.CertificateId} this resource bought earlier (status ${first.Status}); nothing is bought${more}`);
    return first.CertificateId;
  }
  const product = TENCENT_PRODUCTS.get(Number(purchase.productId));
  ctx.log(
    `tencent: buying a certificate: CreateCertificate product ${purchase.productId}${product ? ` (${product.name})` : ""}, ` +
      `${purchase.domainCount} domain(s), ${purchase.years} year(s); this places a paid order`,
  );
  const request = { ProductId: purchase.productId, DomainNum: purchase.domainCount, TimeSpan: purchase.years, Tags: [tag] };
  let reply: z.output<typeof CreateCertificateReplySchema> | undefined;
  let lost: string;
  try {
    reply = await client.call("CreateCertificate", request, CreateCertificateReplySchema, { write: true });
    const n = reply.CertificateIds?.length ?? 0;
    lost = n === 1 ? "" : `the reply named ${n} certificate ids where one was bought`;
  } catch (err) {
    if (!(err instanceof CloudApiError) || !err.transient) throw err;
    lost = err.message;
  }
  if (lost) {
    // The purchase may have been made: only its tag can tell, and a purchase is never sent twice in one run.
    const after = await findPurchases(client, tag);
    if (after.length > 0) {
      ctx.log(`tencent: the CreateCertificate reply was unusable (${lost}), but certificate ${after[0].CertificateId} carries this resource's tag: using it`);
      return after[0].CertificateId;
    }
    throw new Error(
      `tencent: the CreateCertificate reply was lost or unusable (${lost}) and no certificate tagged for this resource shows yet, so certapply ` +
        "does not buy again in this run. Run `pulumi up` again: it looks for the purchase by its tag before buying anything",
    );
  }
  const ids = reply?.CertificateIds ?? [];
  ctx.log(`tencent: bought certificate ${ids[0]} (deal ${(reply?.DealIds ?? []).join(", ") || "unknown"})`);
  return ids[0];
}
