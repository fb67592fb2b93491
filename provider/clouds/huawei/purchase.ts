import { createHash } from "node:crypto";
import { CloudApiError, isTransient } from "../../http/errors";
import type { CloudContext } from "../../resources/backend";
import { canonical } from "../../resources/normalize";
import { sleep } from "../../resources/wait";
import type { ApplicationInputs, PurchaseOptions } from "../../resources/types";
import type { HuaweiClient } from "./client";
import { getCertificate, stillHeld, writeTag } from "./backend";
import { ListCertificatesByTagModel, SubscribeCertificateModel, UnsubscribeCertificateModel, type ShowCertificate, type TagResource } from "./models";

/**
 * Buying at create (`purchase`) on Huawei SCM. The official purchase model (huaweicloud-sdk-go-v3
 * PurchaseCertificateRequestBody) has no `tags`, so a purchase cannot carry the resource's mark. Instead:
 * - right after the buy reply the certificate is tagged `certapply-purchase` = a hash of owner key and purchase
 *   block (CreateCertificateTag, read back when its reply is lost); a tag failure never buys again;
 * - before buying, the certificates carrying this resource's tag are looked up (ListCertificatesByTag,
 *   `POST /v3/scm/resource_instances/action`): a crash after buying or a failed apply reuses that certificate; an
 *   empty look (no tagged and no stray purchase) is made again after a pause before buying, as the listing may lag;
 * - a lost buy reply (or a crash between buy and tag) leaves a PAID certificate with no purchase tag. So no buy is
 *   sent while a PAID certificate of the same product without a `certapply-purchase` tag exists: after a short
 *   second look (another resource may be between its buy and its tag write) the create fails naming it;
 * - since none existed before the buy, a lost buy reply followed by exactly one such certificate (still untagged
 *   after a second look) is taken as this purchase and tagged; none or several: the run fails, naming them.
 * Purchases of one provider process are made one at a time per account and product, so two resources of one
 * stack never take each other's fresh purchase for a stray one.
 */

/** The tag key of a purchase; its value ties the certificate to one resource and one purchase block. */
export const PURCHASE_TAG_KEY = "certapply-purchase";

/** How long the second look at a stray purchase waits at least (another process between its buy and its tag write). */
const STRAY_RECHECK_MS = 2_000;
/** Looks for the purchase a lost buy reply may have made, a poll interval apart, before the run gives up. */
const LOST_LOOKS = 5;
/** Tag writes tried after a purchase before the create fails (each failure read back). */
const TAG_ATTEMPTS = 5;
/** Detail reads of a listed certificate before SCM's 404 is believed. */
const READ_ATTEMPTS = 3;
/** Statuses of a tagged purchase that is spent: never reused. */
const SPENT = new Set(["EXPIRED", "REVOKED", "REVOKING"]);

/**
 * The purchase tag value: a hash of the owner key and the purchase block, and for a renewal the certificate it
 * renews (one renewal per certificate), so no input shows (tag values: letters, digits, `_ . : = + - @`).
 */
export function purchaseTagValue(ownerKey: string, purchase: PurchaseOptions, renews?: string): string {
  return createHash("sha256")
    .update(`${ownerKey}\n${canonical(purchase)}${renews ? `\nrenews ${renews}` : ""}`)
    .digest("hex")
    .slice(0, 40);
}

/** The buy request (PurchaseCertificateRequestBody): one certificate, paid at once, privacy protection agreed. */
export function buyBody(p: PurchaseOptions): Record<string, unknown> {
  return {
    cert_brand: p.brand,
    cert_type: p.type,
    domain_type: p.domainType,
    effective_time: p.years,
    domain_numbers: p.domainCount,
    order_number: 1,
    agree_privacy_protection: true,
    is_auto_pay: true,
  };
}

/** One page after another of ListCertificatesByTag with `filter` (`body` holds the tag conditions). */
async function listByTag(c: HuaweiClient, body: Record<string, unknown>): Promise<TagResource[]> {
  const out: TagResource[] = [];
  const limit = 50;
  for (let offset = 0; ; offset += limit) {
    const r = await c.call(
      { method: "POST", path: "/v3/scm/resource_instances/action", action: "ListCertificatesByTag", body: { action: "filter", limit, offset, ...body } },
      ListCertificatesByTagModel,
    );
    const page = r.resources ?? [];
    out.push(...page);
    if (page.length < limit || out.length >= (r.total_count ?? 0)) return out;
  }
}

/** Detail reads of a certificate the listing just showed: SCM's 404 is read again (a single reply decides nothing). */
async function confirmedRead(ctx: CloudContext, c: HuaweiClient, id: string): Promise<ShowCertificate | undefined> {
  for (let attempt = 1; ; attempt++) {
    const d = await getCertificate(c, id);
    if (d || attempt >= READ_ATTEMPTS) return d;
    await sleep(ctx.pollIntervalMs);
  }
}

/**
 * Certificates carrying this resource's purchase tag, oldest first, but those a detail read shows spent. One the
 * listing shows and the reads do not find counts as there: the apply on it tells, never a second purchase.
 */
async function tagged(ctx: CloudContext, c: HuaweiClient, value: string): Promise<{ id: string; status: string }[]> {
  const found = await listByTag(c, { tags: [{ key: PURCHASE_TAG_KEY, values: [value] }] });
  const out: { id: string; status: string }[] = [];
  for (const r of found) {
    if (!(r.tags ?? []).some((t) => t.key === PURCHASE_TAG_KEY && t.value === value)) continue;
    const d = await confirmedRead(ctx, c, r.resource_id);
    if (!d || !SPENT.has(d.status)) out.push({ id: r.resource_id, status: d?.status ?? "not readable" });
  }
  return out;
}

/** True when a listed certificate is of the product `p` (as far as the listing says: a missing field does not rule it out). */
function sameProduct(r: TagResource, p: PurchaseOptions): boolean {
  const d = r.resource_detail ?? {};
  const eq = (a: unknown, b: unknown) => a === undefined || a === null || a === "" || a === b;
  return eq(d.cert_brand, p.brand) && eq(d.cert_type, p.type) && eq(d.domain_type, p.domainType) && eq(d.domain_num, p.domainCount) && eq(d.purchase_period, p.years);
}

/** PAID certificates of product `p` with no purchase tag (confirmed by a detail read each): purchases whose tag is missing. */
async function strays(ctx: CloudContext, c: HuaweiClient, p: PurchaseOptions): Promise<string[]> {
  const untagged = await listByTag(c, { not_tags: [{ key: PURCHASE_TAG_KEY, values: [] }] });
  const out: string[] = [];
  for (const r of untagged.filter((x) => sameProduct(x, p))) {
    if ((r.tags ?? []).some((t) => t.key === PURCHASE_TAG_KEY)) continue;
    const d = await confirmedRead(ctx, c, r.resource_id);
    if (d?.status === "PAID" && !d.domain) out.push(d.id);
  }
  return out;
}

/**
 * `strays`, or undefined when the listing or a read failed: any refusal but the credentials' (a gateway's 404, a
 * 5xx, a garbled reply) is looked past, since giving up here strands the purchase.
 */
async function straysOrNone(ctx: CloudContext, c: HuaweiClient, p: PurchaseOptions): Promise<string[] | undefined> {
  try {
    return await strays(ctx, c, p);
  } catch (err) {
    if (!(err instanceof CloudApiError) || err.httpStatus === 401 || err.httpStatus === 403) throw err;
    ctx.log(`huawei: looking for the purchase failed (${(err as Error).message}); looking again`);
    return undefined;
  }
}

const locks = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call with the same key has settled (in this process). */
async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = locks.get(key) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

function describe(p: PurchaseOptions): string {
  return `${p.brand} ${p.type} ${p.domainType}, ${p.domainCount} domain(s), ${p.years} year(s)`;
}

function strayError(ids: string[], p: PurchaseOptions): Error {
  return new Error(
    `huawei: ${ids.length === 1 ? "certificate" : "certificates"} ${ids.join(", ")} ${ids.length === 1 ? "is" : "are"} paid (PAID) for the same product (${describe(p)}) ` +
      `but ${ids.length === 1 ? "carries" : "carry"} no ${PURCHASE_TAG_KEY} tag: most likely a purchase whose reply was lost, or one bought in the console. ` +
      "SCM's purchase cannot carry a tag, so certapply cannot tell whose it is and buys nothing while it exists (it never pays twice). " +
      `Fix: set certificateId: "${ids[0]}" instead of purchase to apply with it, or unsubscribe it in the SCM console (a refund), then run pulumi up again`,
  );
}

/**
 * The certificate this resource bought, or one bought now (see the module comment). Returns its id; the caller
 * applies with it as with a named certificate.
 */
export async function buyOrFind(ctx: CloudContext, c: HuaweiClient, inputs: ApplicationInputs, renews?: string): Promise<string> {
  const p = inputs.purchase;
  if (!p) throw new Error("internal: buyOrFind needs a purchase block");
  if (!inputs.ownerKey) {
    throw new Error(
      "purchase needs the owner key certapply sets on each CertificateApplication (to find a purchase again instead of buying twice); " +
        "declare the resource through the certapply SDK or plugin",
    );
  }
  const value = purchaseTagValue(inputs.ownerKey, p, renews);
  return serialized(`${c.endpoint}\n${describe(p)}`, async () => {
    // Nothing is bought on one empty look: the tag listing may lag behind a purchase (an earlier run's, whose reply
    // was lost), so it is looked at again after a pause first.
    let mine = await tagged(ctx, c, value);
    let stray = mine.length > 0 ? [] : await strays(ctx, c, p);
    if (mine.length === 0 && stray.length === 0) {
      await sleep(ctx.pollIntervalMs);
      mine = await tagged(ctx, c, value);
      stray = mine.length > 0 ? [] : await strays(ctx, c, p);
    }
    if (mine.length > 0) {
      const more = mine.length > 1 ? ` (${mine.length} carry this resource's tag: ${mine.map((m) => m.id).join(", ")}; the oldest is used)` : "";
      ctx.log(`huawei: reusing certificate ${mine[0].id} this resource bought earlier${renews ? ` to renew ${renews}` : ""} (status ${mine[0].status}); nothing is bought${more}`);
      return mine[0].id;
    }
    if (stray.length > 0) {
      ctx.log(`huawei: certificate(s) ${stray.join(", ")}: paid for this product with no ${PURCHASE_TAG_KEY} tag; looking again before deciding`);
      await sleep(Math.max(STRAY_RECHECK_MS, ctx.pollIntervalMs));
      const again = await tagged(ctx, c, value);
      if (again.length > 0) return again[0].id;
      stray = await strays(ctx, c, p);
      if (stray.length > 0) throw strayError(stray, p);
    }
    ctx.log(`huawei: buying a certificate${renews ? ` to renew ${renews}` : ""} (POST /v3/scm/certificates/buy): ${describe(p)}; this places a paid order`);
    let id: string | undefined;
    let lost = "";
    try {
      const reply = await c.call({ method: "POST", path: "/v3/scm/certificates/buy", action: "SubscribeCertificate", body: buyBody(p), maxRetries: 0 }, SubscribeCertificateModel);
      const ids = (reply.cert ?? []).map((x) => x.cert_id);
      if (ids.length === 1) id = ids[0];
      else lost = `the reply named ${ids.length} certificate ids where one was bought`;
      if (id) ctx.log(`huawei: bought certificate ${id} (order ${reply.order_id ?? "unknown"})`);
    } catch (err) {
      if (!isTransient(err)) throw err;
      lost = (err as Error).message;
    }
    if (!id) {
      // No untagged purchase of this product existed before the buy, and this process buys one at a time per
      // product: a single one showing now, and still untagged after a second look, is this buy. It is looked for a
      // few times (a lagging listing, a failed read): once this run gives up, no later run can tell it is this one's.
      let now: string[] = [];
      for (let look = 1; look <= LOST_LOOKS && now.length <= 1; look++) {
        if (look > 1) await sleep(ctx.pollIntervalMs);
        const first = await straysOrNone(ctx, c, p);
        if (first?.length !== 1) {
          now = first ?? now;
          continue;
        }
        await sleep(Math.max(STRAY_RECHECK_MS, ctx.pollIntervalMs));
        now = (await straysOrNone(ctx, c, p)) ?? [];
        if (now.length === 1) {
          ctx.log(`huawei: the purchase reply was lost (${lost}), but certificate ${now[0]} appeared, paid and untagged, for this product: it is this purchase; tagging it`);
          await tagPurchase(ctx, c, now[0], value);
          return now[0];
        }
      }
      throw new Error(
        `huawei: the purchase reply was lost or unusable (${lost}), so certapply does not know whether it bought, and never buys twice. ` +
          (now.length > 0
            ? `Certificate(s) ${now.join(", ")} (PAID, this product, untagged) may be it: set certificateId: "${now[0]}" instead of purchase, or unsubscribe it in the SCM console, then run pulumi up again`
            : "No untagged purchase of this product shows yet; run pulumi up again: it buys nothing while one shows, and names it"),
      );
    }
    await tagPurchase(ctx, c, id, value);
    return id;
  });
}

/** Writes the purchase tag on a certificate just bought; a write whose reply was lost is read back, never a new purchase. */
async function tagPurchase(ctx: CloudContext, c: HuaweiClient, id: string, value: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await writeTag(c, id, PURCHASE_TAG_KEY, value);
      return;
    } catch (err) {
      // Any refusal but the credentials' is tried again: the certificate was just bought, and an untagged purchase
      // stops every later purchase of its product.
      const denied = err instanceof CloudApiError && (err.httpStatus === 401 || err.httpStatus === 403);
      if (attempt >= TAG_ATTEMPTS || denied || !(err instanceof CloudApiError)) {
        throw new Error(
          `huawei: bought certificate ${id} but could not tag it as this resource's purchase (${(err as Error).message}). Nothing more is bought: ` +
            `set certificateId: "${id}" instead of purchase, or run pulumi up again after the cause is fixed (it then stops at this untagged purchase and names it)`,
        );
      }
      ctx.log(`huawei: tagging certificate ${id} failed (${(err as Error).message}); trying again`);
      await sleep(ctx.pollIntervalMs);
    }
  }
}

/**
 * Refunds a bought certificate never issued (UnsubscribeCertificate). A reply that is lost is settled by reads:
 * the certificate gone (SCM's 404, confirmed by a second read) means done.
 */
export async function unsubscribe(ctx: CloudContext, c: HuaweiClient, id: string): Promise<void> {
  ctx.log(`huawei: certificate ${id}: unsubscribing (refund of the purchase, DELETE …/unsubscribe)`);
  try {
    await c.call({ method: "DELETE", path: `/v3/scm/certificates/${encodeURIComponent(id)}/unsubscribe`, action: "UnsubscribeCertificate", maxRetries: 0 }, UnsubscribeCertificateModel);
    return;
  } catch (err) {
    if (!isTransient(err) && !(err instanceof CloudApiError && err.code === "SCM.0010")) throw err;
    const first = await getCertificate(c, id);
    if (first === undefined) {
      await sleep(ctx.pollIntervalMs);
      // Gone takes a third look through another path, as for a read.
      if ((await getCertificate(c, id)) === undefined && !(await stillHeld(c, id))) return;
    }
    throw err;
  }
}

/**
 * The certificate SCM made to renew `id` by itself (a multi-year purchase): `renewal_cert_id` of its tag listing entry,
 * looked up among the certificates with the resource's owner tag `owner`.
 */
export async function nextOfMultiYear(c: HuaweiClient, id: string, ownerKey: string, owner: string): Promise<string | undefined> {
  for (const r of await listByTag(c, { tags: [{ key: ownerKey, values: [owner] }] })) {
    if (r.resource_id === id) return r.resource_detail?.renewal_cert_id || undefined;
  }
  return undefined;
}
