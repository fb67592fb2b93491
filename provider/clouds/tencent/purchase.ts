import { createHash } from "node:crypto";
import { z } from "zod";
import { CloudApiError } from "../../http/errors";
import type { CloudContext } from "../../resources/backend";
import { canonical } from "../../resources/normalize";
import { sleep } from "../../resources/wait";
import type { ApplicationInputs } from "../../resources/types";
import type { TencentClient } from "./client";
import { TENCENT_PACKAGE_PRODUCTS, TENCENT_PRODUCTS } from "./products";

/**
 * Buying at create and at renewal (`purchase`): one `CreateCertificate` (or, with `packageIds`, one
 * `CreateCertificateByPackage`) per resource and per renewed certificate, tagged so that a purchase whose reply was
 * lost, or whose application failed afterwards, is found again (`DescribeCertificates` with `Tags`) before anything
 * is bought. Models: ssl_models.d.ts CreateCertificateRequest/Response, CreateCertificateByPackageRequest/Response,
 * DescribeCertificatesRequest/Response, Certificates, Tags.
 */

/** The tag key of a purchase; its value ties the certificate to one resource and one purchase block. */
export const PURCHASE_TAG_KEY = "certapply-purchase";
/** The tag key of a renewal; its value ties the new certificate to one resource and the certificate it renews. */
export const RENEWAL_TAG_KEY = "certapply-renewal";

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

/**
 * The tag of this resource's renewal of `oldId`: the renewed certificate's id (not secret: it is in the state and
 * the console) and a hash of the owner key with it, so one expiry is renewed once, and an import of the renewal
 * can name the certificate it renewed even where Tencent does not (a `CreateCertificate` renewal).
 */
export function renewalTag(ownerKey: string, oldId: string): TencentTag {
  const value = createHash("sha256").update(`${ownerKey}\nrenewal\n${oldId}`).digest("hex").slice(0, 24);
  return { TagKey: RENEWAL_TAG_KEY, TagValue: `${oldId}.${value}` };
}

/** The certificate a renewal tag names as renewed, when `tags` carry one. */
export function renewedFromTags(tags: readonly { TagKey: string; TagValue: string }[] | null | undefined): string | undefined {
  const t = (tags ?? []).find((x) => x.TagKey === RENEWAL_TAG_KEY);
  const m = t ? /^([A-Za-z0-9]{8})\.[0-9a-f]{24}$/.exec(t.TagValue) : null;
  return m ? m[1] : undefined;
}

const CreateCertificateReplySchema = z
  .object({
    RequestId: z.string(),
    CertificateIds: z.array(z.string()).nullish(),
    DealIds: z.array(z.string()).nullish(),
  })
  .loose();

const CreateCertificateByPackageReplySchema = z
  .object({
    RequestId: z.string(),
    CertificateId: z.string().nullish(),
    CertificateIds: z.array(z.string()).nullish(),
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
export const SPENT: ReadonlySet<number> = new Set([3, 6, 7, 9, 10, 12, 14]);

type ShownTags = readonly { TagKey: string; TagValue: string }[] | null | undefined;

/** True when `tags` carry `tag`. */
export function carries(tags: ShownTags, tag: TencentTag): boolean {
  return (tags ?? []).some((t) => t.TagKey === tag.TagKey && t.TagValue === tag.TagValue);
}

/** True when a reply left its `Tags` out (the models let it return null): the tags say nothing, either way. */
const silent = (tags: ShownTags): boolean => !tags || tags.length === 0;

/** Certificates `DescribeCertificates` lists for `filter` with `tag`; each entry that shows its tags carries `tag`. */
async function listTagged(client: TencentClient, tag: TencentTag, filter: Record<string, unknown> = {}): Promise<Listed[]> {
  const reply = await client.call("DescribeCertificates", { ...filter, Tags: [tag], Limit: 1000 }, DescribeCertificatesReplySchema);
  // An entry that leaves Tags out was still chosen by the Tags filter: Tencent's own word that it carries the tag.
  return (reply.Certificates ?? []).filter((c) => silent(c.Tags) || carries(c.Tags, tag));
}

/** Certificates carrying `tag` that can still be applied with (oldest first). */
export async function findPurchases(client: TencentClient, tag: TencentTag): Promise<Listed[]> {
  return (await listTagged(client, tag)).filter((c) => !SPENT.has(c.Status)).sort((a, b) => (a.InsertTime ?? "").localeCompare(b.InsertTime ?? ""));
}

/**
 * True when certificate `id`, whose reply showed `tags`, carries `tag`: by those tags, or, when the reply left them
 * out, by `DescribeCertificates` with the Tags filter and the id.
 */
export async function carriesTag(client: TencentClient, id: string, tags: ShownTags, tag: TencentTag): Promise<boolean> {
  if (!silent(tags)) return carries(tags, tag);
  return (await listTagged(client, tag, { CertIds: [id] })).some((c) => c.CertificateId === id);
}

/** What to buy and how to find it again: the tag, the paid write, and words for the log. */
interface Order {
  tag: TencentTag;
  /** "a certificate" or "the renewal of X". */
  what: string;
  /** The log line before the paid write. */
  describe: string;
  /** The paid write; resolves to the certificate ids its reply names. */
  send: () => Promise<string[]>;
  /** The action's name for messages. */
  action: string;
  /** Another place a lost purchase may show (the renewed certificate's RenewOrder): it, when it carries `tag`. */
  alsoFind?: () => Promise<Listed | undefined>;
}

/**
 * The certificate `order` bought before (found by its tag), or one bought now. Nothing is bought on one empty
 * look: the tag lookup may lag behind a purchase (an earlier run's, whose reply was lost), so it is made again after
 * a pause first. A purchase whose reply was lost (network, garbled reply) is looked for by its tag; when it does not
 * show yet, the run stops without buying again: the next `pulumi up` looks again first. A paid write is never sent
 * twice in one run.
 */
async function buyOnce(ctx: CloudContext, client: TencentClient, order: Order): Promise<string> {
  const find = async (): Promise<Listed[]> => {
    const found = await findPurchases(client, order.tag);
    if (found.length > 0 || !order.alsoFind) return found;
    const other = await order.alsoFind();
    return other ? [other] : [];
  };
  let found = await find();
  if (found.length === 0) {
    await sleep(ctx.pollIntervalMs);
    found = await find();
  }
  if (found.length > 0) {
    const [first] = found;
    const more = found.length > 1 ? ` (${found.length} carry this resource's tag: ${found.map((c) => c.CertificateId).join(", ")}; the oldest is used)` : "";
    ctx.log(`tencent: reusing certificate ${first.CertificateId}, ${order.what} this resource bought earlier (status ${first.Status}); nothing is bought${more}`);
    return first.CertificateId;
  }
  ctx.log(order.describe);
  let ids: string[] = [];
  let lost: string;
  try {
    ids = await order.send();
    lost = ids.length === 1 ? "" : `the reply named ${ids.length} certificate ids where one was bought`;
  } catch (err) {
    if (!(err instanceof CloudApiError) || !err.transient) throw err;
    lost = err.message;
  }
  if (lost) {
    // The purchase may have been made: only its tag can tell, and a purchase is never sent twice in one run.
    const after = await find();
    if (after.length > 0) {
      ctx.log(`tencent: the ${order.action} reply was unusable (${lost}), but certificate ${after[0].CertificateId} carries this resource's tag: using it`);
      return after[0].CertificateId;
    }
    throw new Error(
      `tencent: the ${order.action} reply was lost or unusable (${lost}) and no certificate tagged for this resource shows yet, so certapply ` +
        "does not buy again in this run. Run `pulumi up` again: it looks for the purchase by its tag before buying anything",
    );
  }
  return ids[0];
}

/** The words and the write of one purchase of `purchase`, with `extra` request fields (a renewal's). */
function purchaseOrder(
  ctx: CloudContext,
  client: TencentClient,
  purchase: NonNullable<ApplicationInputs["purchase"]>,
  tag: TencentTag,
  what: string,
  extra: Record<string, unknown> = {},
): Pick<Order, "describe" | "send" | "action"> {
  const packages = purchase.packageIds ?? undefined;
  if (packages) {
    const product = TENCENT_PACKAGE_PRODUCTS.get(Number(purchase.productId));
    return {
      action: "CreateCertificateByPackage",
      describe:
        `tencent: buying ${what}: CreateCertificateByPackage product ${purchase.productId}${product ? ` (${product.name})` : ""}, ` +
        `${purchase.domainCount} domain(s), ${purchase.years} year(s), paid with benefit package(s) ${packages.join(", ")}`,
      send: async () => {
        const request = { ProductPid: purchase.productId, PackageIds: packages, DomainCount: String(purchase.domainCount), Period: purchase.years, ...extra, Tags: [tag] };
        const reply = await client.call("CreateCertificateByPackage", request, CreateCertificateByPackageReplySchema, { write: true });
        const ids = reply.CertificateIds && reply.CertificateIds.length > 0 ? reply.CertificateIds : reply.CertificateId ? [reply.CertificateId] : [];
        ctx.log(`tencent: bought certificate ${ids.join(", ") || "(none named)"} with benefit points`);
        return ids;
      },
    };
  }
  const product = TENCENT_PRODUCTS.get(Number(purchase.productId));
  return {
    action: "CreateCertificate",
    describe:
      `tencent: buying ${what}: CreateCertificate product ${purchase.productId}${product ? ` (${product.name})` : ""}, ` +
      `${purchase.domainCount} domain(s), ${purchase.years} year(s); this places a paid order`,
    send: async () => {
      const request = { ProductId: purchase.productId, DomainNum: purchase.domainCount, TimeSpan: purchase.years, Tags: [tag] };
      const reply = await client.call("CreateCertificate", request, CreateCertificateReplySchema, { write: true });
      const ids = reply.CertificateIds ?? [];
      ctx.log(`tencent: bought certificate ${ids.join(", ") || "(none named)"} (deal ${(reply.DealIds ?? []).join(", ") || "unknown"})`);
      return ids;
    },
  };
}

function ownerKeyOf(inputs: ApplicationInputs, doing: string): string {
  if (!inputs.ownerKey) {
    throw new Error(
      `${doing} needs the owner key certapply sets on each CertificateApplication (to find a purchase again instead of buying twice); ` +
        "declare the resource through the certapply SDK or plugin",
    );
  }
  return inputs.ownerKey;
}

/**
 * The certificate this resource bought, or a new one bought now: first the certificates tagged with this
 * resource's purchase tag (a re-run after a lost reply, a crash, or a failed application); only when none is
 * there, one `CreateCertificate` (with `packageIds`, one `CreateCertificateByPackage`).
 */
export async function buyOrFind(ctx: CloudContext, client: TencentClient, inputs: ApplicationInputs): Promise<string> {
  const purchase = inputs.purchase;
  if (!purchase) throw new Error("internal: buyOrFind needs a purchase block");
  const tag = purchaseTag(ownerKeyOf(inputs, "purchase"), purchase);
  return buyOnce(ctx, client, { tag, what: "a certificate", ...purchaseOrder(ctx, client, purchase, tag, "a certificate") });
}

/** The CSR choice of a renewal by package: the same as the first application's (the user's CSR, or a key Tencent generates). */
export function renewCsrFields(inputs: ApplicationInputs): Record<string, unknown> {
  const t = inputs.tencent ?? {};
  if (typeof inputs.csr === "string" && inputs.csr !== "") return { RenewGenCsrMethod: "upload", RenewCsr: inputs.csr };
  const algo = t.csrEncryptAlgo || "RSA";
  return {
    RenewGenCsrMethod: "online",
    RenewAlgorithmType: algo,
    RenewAlgorithmParam: t.csrKeyParameter || (algo === "ECC" ? "prime256v1" : "2048"),
    ...(t.keyPass ? { RenewKeyPass: t.keyPass } : {}),
  };
}

/**
 * The renewal of `oldId` this resource bought before, or one bought now: looked for by its renewal tag (and, for a
 * renewal by package, through the old certificate's `CertificateExtra.RenewOrder`) before anything is bought; then
 * `CreateCertificateByPackage` with `OldCertificateId` when `purchase.packageIds` is set, else a new
 * `CreateCertificate`. `renewOrder` is what the old certificate's detail names as its renewal.
 */
export async function renewOrFind(ctx: CloudContext, client: TencentClient, inputs: ApplicationInputs, oldId: string, renewOrder: () => Promise<Listed | undefined>): Promise<string> {
  const purchase = inputs.purchase;
  if (!purchase) throw new Error("internal: renewOrFind needs a purchase block");
  const tag = renewalTag(ownerKeyOf(inputs, "renewal"), oldId);
  const what = `the renewal of ${oldId}`;
  const extra = purchase.packageIds ? { OldCertificateId: oldId, ...renewCsrFields(inputs) } : {};
  return buyOnce(ctx, client, { tag, what, alsoFind: renewOrder, ...purchaseOrder(ctx, client, purchase, tag, what, extra) });
}
