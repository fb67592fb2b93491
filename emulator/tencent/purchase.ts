/**
 * Purchase rules of the Tencent part of the emulator: the product table of `CreateCertificate.ProductId` and the
 * checks the official model states for a purchase, plus the tag filter of `DescribeCertificates`. Evidence in
 * RULES.md ("CreateCertificate", "DescribeCertificates").
 */

/** A product: its official name, validation type, whether it covers several domains / wildcards, whether it is one-year only. */
export interface TencentProduct {
  name: string;
  type: "dv" | "ov" | "ev";
  multi: boolean;
  wildcard: boolean;
  oneYearOnly: boolean;
}

/**
 * `CreateCertificateRequest.ProductId` as ssl_models.d.ts lists it (names copied from it). The type, multi-domain,
 * wildcard and one-year flags are read from each name ("增强型"/EV, "企业型"/OV, else DV; "多域名"; "通配符";
 * "不支持多年期"/"一年期").
 */
const RAW: Readonly<Record<number, [string, "dv" | "ov" | "ev", boolean, boolean, true?]>> = {
  3: ["SecureSite 增强型企业版（EV Pro）", "ev", false, false],
  4: ["SecureSite 增强型（EV）", "ev", false, false],
  5: ["SecureSite 企业型专业版（OV Pro）", "ov", false, false],
  6: ["SecureSite 企业型（OV）", "ov", false, false],
  7: ["SecureSite 企业型（OV）通配符", "ov", false, true],
  8: ["Geotrust 增强型（EV）", "ev", false, false],
  9: ["Geotrust 企业型（OV）", "ov", false, false],
  10: ["Geotrust 企业型（OV）通配符", "ov", false, true],
  11: ["TrustAsia 域名型多域名 SSL 证书", "dv", true, false],
  12: ["TrustAsia 域名型（DV）通配符", "dv", false, true],
  13: ["TrustAsia 企业型通配符（OV）SSL 证书（D3）", "ov", false, true],
  14: ["TrustAsia 企业型（OV）SSL 证书（D3）", "ov", false, false],
  15: ["TrustAsia 企业型多域名 （OV）SSL 证书（D3）", "ov", true, false],
  16: ["TrustAsia 增强型 （EV）SSL 证书（D3）", "ev", false, false],
  17: ["TrustAsia 增强型多域名（EV）SSL 证书（D3）", "ev", true, false],
  18: ["GlobalSign 企业型（OV）SSL 证书", "ov", false, false],
  19: ["GlobalSign 企业型通配符 （OV）SSL 证书", "ov", false, true],
  20: ["GlobalSign 增强型 （EV）SSL 证书", "ev", false, false],
  21: ["TrustAsia 企业型通配符多域名（OV）SSL 证书（D3）", "ov", true, true],
  22: ["GlobalSign 企业型多域名（OV）SSL 证书", "ov", true, false],
  23: ["GlobalSign 企业型通配符多域名（OV）SSL 证书", "ov", true, true],
  24: ["GlobalSign 增强型多域名（EV）SSL 证书", "ev", true, false],
  25: ["Wotrus 域名型证书", "dv", false, false],
  26: ["Wotrus 域名型多域名证书", "dv", true, false],
  27: ["Wotrus 域名型通配符证书", "dv", false, true],
  28: ["Wotrus 企业型证书", "ov", false, false],
  29: ["Wotrus 企业型多域名证书", "ov", true, false],
  30: ["Wotrus 企业型通配符证书", "ov", false, true],
  31: ["Wotrus 增强型证书", "ev", false, false],
  32: ["Wotrus 增强型多域名证书", "ev", true, false],
  33: ["WoTrus-国密域名型证书", "dv", false, false],
  34: ["WoTrus-国密域名型证书（多域名）", "dv", true, false],
  35: ["WoTrus-国密域名型证书（通配符）", "dv", false, true],
  37: ["WoTrus-国密企业型证书", "ov", false, false],
  38: ["WoTrus-国密企业型证书（多域名）", "ov", true, false],
  39: ["WoTrus-国密企业型证书（通配符）", "ov", false, true],
  40: ["WoTrus-国密增强型证书", "ev", false, false],
  41: ["WoTrus-国密增强型证书（多域名）", "ev", true, false],
  42: ["TrustAsia-域名型证书（通配符多域名）", "dv", true, true],
  43: ["DNSPod-企业型(OV)SSL证书", "ov", false, false],
  44: ["DNSPod-企业型(OV)通配符SSL证书", "ov", false, true],
  45: ["DNSPod-企业型(OV)多域名SSL证书", "ov", true, false],
  46: ["DNSPod-增强型(EV)SSL证书", "ev", false, false],
  47: ["DNSPod-增强型(EV)多域名SSL证书", "ev", true, false],
  48: ["DNSPod-域名型(DV)SSL证书", "dv", false, false],
  49: ["DNSPod-域名型(DV)通配符SSL证书", "dv", false, true],
  50: ["DNSPod-域名型(DV)多域名SSL证书", "dv", true, false],
  51: ["DNSPod（国密）-企业型(OV)SSL证书", "ov", false, false],
  52: ["DNSPod（国密）-企业型(OV)通配符SSL证书", "ov", false, true],
  53: ["DNSPod（国密）-企业型(OV)多域名SSL证书", "ov", true, false],
  54: ["DNSPod（国密）-域名型(DV)SSL证书", "dv", false, false],
  55: ["DNSPod（国密）-域名型(DV)通配符SSL证书", "dv", false, true],
  56: ["DNSPod（国密）-域名型(DV)多域名SSL证书", "dv", true, false],
  57: ["SecureSite 企业型专业版多域名(OV Pro)", "ov", true, false],
  58: ["SecureSite 企业型多域名(OV)", "ov", true, false],
  59: ["SecureSite 增强型专业版多域名(EV Pro)", "ev", true, false],
  60: ["SecureSite 增强型多域名(EV)", "ev", true, false],
  61: ["Geotrust 增强型多域名(EV)", "ev", true, false],
  75: ["SecureSite 企业型(OV)", "ov", false, false],
  76: ["SecureSite 企业型(OV)通配符", "ov", false, true],
  77: ["SecureSite 增强型(EV)", "ev", false, false],
  81: ["GlobalSign 企业型（OV）SSL证书", "ov", false, false],
  82: ["GlobalSign 企业型通配符 （OV）SSL证书", "ov", false, true],
  85: ["GlobalSign 增强型 （EV）SSL证书", "ev", false, false],
  88: ["GlobalSign 企业型通配符多域名 （OV）SSL证书", "ov", true, true],
  89: ["GlobalSign 企业型多域名 （OV）SSL证书", "ov", true, false],
  90: ["GlobalSign 增强型多域名（EV） SSL证书", "ev", true, false],
  92: ["SecureSite 企业型专业版多域名(OV Pro)", "ov", true, false],
  93: ["SecureSite 企业型多域名(OV)", "ov", true, false],
  94: ["SecureSite 增强型专业版多域名(EV Pro)", "ev", true, false],
  95: ["SecureSite 增强型多域名(EV)", "ev", true, false],
  96: ["SecureSite 增强型专业版(EV Pro)", "ev", false, false],
  97: ["SecureSite 企业型专业版(OV Pro)", "ov", false, false],
  98: ["CFCA 企业型(OV)SSL证书", "ov", false, false],
  99: ["CFCA 企业型多域名(OV)SSL证书，不支持多年期", "ov", true, false, true],
  100: ["CFCA 企业型通配符(OV)SSL证书，不支持多年期", "ov", false, true, true],
  101: ["CFCA 增强型(EV)SSL证书，不支持多年期", "ev", false, false, true],
  102: ["Rapid-域名型(DV)SSL证书", "dv", false, false],
  103: ["Rapid-域名型(DV)SSL证书(通配符)", "dv", false, true],
  104: ["TrustAsia-域名型(单域名)", "dv", false, false],
  105: ["SSL单域名证书(一年期)", "dv", false, false, true],
};

export const PRODUCTS: Readonly<Record<string, TencentProduct>> = Object.fromEntries(
  Object.entries(RAW).map(([id, [name, type, multi, wildcard, oneYear]]) => [id, { name, type, multi, wildcard, oneYearOnly: oneYear === true }]),
);

/** The GeoTrust products Terraform uploads a confirmation letter for (product_id 8, 9, 10; reference note §3), and 61 (GeoTrust EV multi). */
export const LETTER_PRODUCTS: ReadonlySet<string> = new Set(["8", "9", "10", "61"]);

/** One tag as the SDK's `Tags` model has it. */
export interface TencentTag {
  TagKey: string;
  TagValue: string;
}

/** A CreateCertificate request's problem, as `[code, message]`; undefined when it is acceptable. */
export function purchaseProblem(p: { ProductId: number; DomainNum: number; TimeSpan: number; AutoVoucher?: number; Tags?: TencentTag[] }): [string, string] | undefined {
  const product = PRODUCTS[String(p.ProductId)];
  // inferred (code): an id outside the model's product list is FailedOperation.InvalidParam.
  if (!product) return ["FailedOperation.InvalidParam", `ProductId ${p.ProductId} is not a certificate product.`];
  if (!Number.isInteger(p.DomainNum) || p.DomainNum < 1) return ["FailedOperation.InvalidParam", `DomainNum must be a positive integer, got ${p.DomainNum}.`];
  // Official: "多域名或者多泛域名证书类型必须大于1". inferred: a single-domain product takes exactly 1.
  if (product.multi && p.DomainNum < 2) return ["FailedOperation.InvalidParam", `DomainNum must be greater than 1 for the multi-domain product ${p.ProductId}.`];
  if (!product.multi && p.DomainNum !== 1) return ["FailedOperation.InvalidParam", `DomainNum must be 1 for the single-domain product ${p.ProductId}.`];
  if (!Number.isInteger(p.TimeSpan) || p.TimeSpan < 1) return ["FailedOperation.InvalidParam", `TimeSpan must be a positive number of years, got ${p.TimeSpan}.`];
  // Official: "支持多年期的证书才可以大于1年"; the products that do not are named "不支持多年期" / "一年期".
  if (product.oneYearOnly && p.TimeSpan !== 1) return ["FailedOperation.InvalidParam", `Product ${p.ProductId} does not support multi-year purchases; TimeSpan must be 1.`];
  if (p.AutoVoucher !== undefined && p.AutoVoucher !== 0 && p.AutoVoucher !== 1) return ["FailedOperation.InvalidParam", "AutoVoucher must be 0 or 1."];
  for (const t of p.Tags ?? []) {
    // inferred: a tag needs a key.
    if (t.TagKey === "") return ["FailedOperation.InvalidParam", "A tag's TagKey cannot be empty."];
  }
  return undefined;
}

/** True when `have` carries every tag of `wanted` (inferred: the filter's tags must all match). */
export function hasTags(have: readonly TencentTag[], wanted: readonly TencentTag[]): boolean {
  return wanted.every((w) => have.some((t) => t.TagKey === w.TagKey && t.TagValue === w.TagValue));
}

/**
 * `CreateCertificateByPackageRequest.ProductPid` as ssl_models.d.ts lists it (names copied from it): the products a
 * benefit package pays for. Type, multi-domain and wildcard flags are read from each name as for `RAW`
 * ("增强型"/EV, "企业型"/OV, else DV; "多域名"; "通配符"/"泛域名").
 */
const PACKAGE_RAW: Readonly<Record<number, [string, "dv" | "ov" | "ev", boolean, boolean]>> = {
  1022451: ["CFCA-增强型(EV)SSL证书", "ev", false, false],
  1022449: ["CFCA-企业型(OV) SSL证书(通配符)", "ov", false, true],
  1022447: ["CFCA-企业型(OV)SSL证书", "ov", false, false],
  1014028: ["DNSPod亚信国密-企业型(OV)通配符证书", "ov", false, true],
  1014030: ["DNSPod亚信国密-企业型(OV)多域名证书", "ov", true, false],
  1014026: ["DNSPod亚信国密-企业型(OV)证书", "ov", false, false],
  1014022: ["DNSPod亚信国密-域名型(DV)通配符证书", "dv", false, true],
  1014024: ["DNSPod亚信国密-域名型(DV)多域名证书", "dv", true, false],
  1014020: ["DNSPod亚信国密-域名型(DV)证书", "dv", false, false],
  1013949: ["DNSPod SSL 域名型SSL证书(C1)", "dv", false, false],
  1013953: ["DNSPod SSL域名型多域名SSL证书(C1)", "dv", true, false],
  1013951: ["DNSPod-SSL域名型DV（泛域名）", "dv", false, true],
  1013955: ["DNSPod 企业型SSL证书(C1)", "ov", false, false],
  1013959: ["DNSPod 企业型多域名SSL证书(C1)", "ov", true, false],
  1013957: ["DNSPod 企业型通配符SSL证书(C1)", "ov", false, true],
  1013961: ["DNSPod 增强型 SSL 证书(C1)", "ev", false, false],
  1013963: ["DNSPod 增强型多域名SSL证书(C1)", "ev", true, false],
  1005919: ["TrustAsia-域名型DV（通配符多域名）", "dv", true, true],
  1013882: ["SecureSite-增强型专业版EVPro（多域名）", "ev", true, false],
  1018559: ["SecureSite-增强型专业版EVPro（单域名）", "ev", false, false],
  1013910: ["GlobalSign-增强型EV（多域名）", "ev", true, false],
  1013904: ["GlobalSign-增强型EV（单域名）", "ev", false, false],
  1013898: ["TrustAsia-增强型EV（多域名）", "ev", true, false],
  1013888: ["TrustAsia-增强型EV（单域名）", "ev", false, false],
  1013886: ["GeoTrust-增强型EV（多域名）", "ev", true, false],
  1018529: ["GeoTrust-增强型EV（单域名）", "ev", false, false],
  1013880: ["SecureSite-增强型EV（多域名）", "ev", true, false],
  1018557: ["SecureSite-增强型EV（单域名）", "ev", false, false],
  1018586: ["TrustAsia-域名型DV（泛域名）", "dv", false, true],
  1018584: ["TrustAsia-域名型DV（多域名）", "dv", true, false],
  1013878: ["SecureSite-企业型专业版OV Pro（多域名）", "ov", true, false],
  1018582: ["SecureSite-企业型专业版OV Pro（单域名）", "ov", false, false],
  1013908: ["GlobalSign-企业型OV（通配符多域名）", "ov", true, true],
  1013902: ["GlobalSign-企业型OV（泛域名）", "ov", false, true],
  1013906: ["GlobalSign-企业型OV（多域名）", "ov", true, false],
  1013900: ["GlobalSign-企业型OV（单域名）", "ov", false, false],
  1013896: ["TrustAsia-企业型OV（通配符多域名）", "ov", true, true],
  1013892: ["TrustAsia-企业型OV（泛域名）", "ov", false, true],
  1013894: ["TrustAsia-企业型OV（多域名）", "ov", true, false],
  1013890: ["TrustAsia-企业型OV（单域名）", "ov", false, false],
  1004360: ["GeoTrust-企业型OV（泛域名）", "ov", false, true],
  1013884: ["GeoTrust-企业型OV（单域名）", "ov", false, false],
  1013874: ["SecureSite-企业型OV（泛域名）", "ov", false, true],
  1013876: ["SecureSite-企业型OV（多域名）", "ov", true, false],
  1018580: ["SecureSite-企业型OV（单域名）", "ov", false, false],
  1004460: ["DNSPod-国密增强型证书（多域名）", "ev", true, false],
  1004458: ["DNSPod-国密增强型证书", "ev", false, false],
  1004370: ["DNSPod-国密企业型证书（通配符）", "ov", false, true],
  1004368: ["DNSPod-国密企业型证书（多域名）", "ov", true, false],
  1004366: ["DNSPod-国密企业型证书", "ov", false, false],
  1004362: ["DNSPod-国密域名型证书（通配符）", "dv", false, true],
  1004364: ["DNSPod-国密域名型证书（多域名）", "dv", true, false],
  1004358: ["DNSPod-国密域名型证书", "dv", false, false],
  1004456: ["WoTrus-增强型证书（多域名）", "ev", true, false],
  1004454: ["WoTrus-增强型证书", "ev", false, false],
  1004168: ["WoTrus-企业型证书（通配符）", "ov", false, true],
  1004166: ["WoTrus-企业型证书（多域名）", "ov", true, false],
  1004164: ["WoTrus-企业型证书", "ov", false, false],
  1004159: ["WoTrus-域名型证书（通配符）", "dv", false, true],
  1004161: ["WoTrus-域名型证书（多域名）", "dv", true, false],
  1004157: ["WoTrus-域名型证书", "dv", false, false],
};

export const PACKAGE_PRODUCTS: Readonly<Record<string, TencentProduct>> = Object.fromEntries(
  Object.entries(PACKAGE_RAW).map(([id, [name, type, multi, wildcard]]) => [id, { name, type, multi, wildcard, oneYearOnly: false }]),
);

/** `RenewGenCsrMethod` values (SDK doc "续费时CSR生成方式（original、upload、online）"). */
export const RENEW_CSR_METHODS = ["original", "upload", "online"] as const;
/** `RenewAlgorithmType` / `RenewAlgorithmParam` values (SDK docs "RSA,ECC,SM2", "2048,4096,prime256v1"). */
export const RENEW_ALGORITHMS: Readonly<Record<string, readonly string[]>> = { RSA: ["2048", "4096"], ECC: ["prime256v1"], SM2: [] };

/** inferred: benefit points one certificate costs (the real prices are on the console's price list, not in the API). */
export function packageCost(domainCount: number, period: number): number {
  return 10 * domainCount * period;
}

/** A CreateCertificateByPackage request's problem (the purchase part), as `[code, message]`; undefined when acceptable. */
export function packagePurchaseProblem(p: { ProductPid: number; DomainCount: string; Period: number; Tags?: TencentTag[]; CertificateCount?: number }): [string, string] | undefined {
  const product = PACKAGE_PRODUCTS[String(p.ProductPid)];
  // inferred (code): a PID outside the model's list.
  if (!product) return ["FailedOperation.InvalidParam", `ProductPid ${p.ProductPid} is not a certificate product.`];
  const count = Number(p.DomainCount);
  if (!/^[0-9]+$/.test(p.DomainCount) || count < 1) return ["FailedOperation.InvalidParam", `DomainCount must be a positive integer (as a string), got ${JSON.stringify(p.DomainCount)}.`];
  // inferred: as for CreateCertificate, multi-domain products take 2 or more, single-domain ones exactly 1.
  if (product.multi && count < 2) return ["FailedOperation.InvalidParam", `DomainCount must be greater than 1 for the multi-domain product ${p.ProductPid}.`];
  if (!product.multi && count !== 1) return ["FailedOperation.InvalidParam", `DomainCount must be 1 for the single-domain product ${p.ProductPid}.`];
  if (!Number.isInteger(p.Period) || p.Period < 1) return ["FailedOperation.InvalidParam", `Period must be a positive number of years, got ${p.Period}.`];
  if (p.CertificateCount !== undefined && p.CertificateCount !== 1) return ["FailedOperation.InvalidParam", "The emulator buys one certificate per call (CertificateCount 1)."];
  for (const t of p.Tags ?? []) if (t.TagKey === "") return ["FailedOperation.InvalidParam", "A tag's TagKey cannot be empty."];
  return undefined;
}
