/**
 * Parameter tables of the emulated Tencent SSL actions, as the official SDK's request models declare them
 * (tencentcloud-sdk-nodejs ssl_models.d.ts `<Action>Request`: names, types, required = not optional), and the generic checks:
 * MissingParameter, InvalidParameter (wrong type), UnknownParameter (not in the table).
 */

export type ParamType = "String" | "Integer" | "Boolean" | "StringArray" | "IntegerArray" | "TagArray";

export interface ParamSpec {
  type: ParamType;
  required?: boolean;
}

const S: ParamSpec = { type: "String" };
const SR: ParamSpec = { type: "String", required: true };
const I: ParamSpec = { type: "Integer" };

export const ACTION_PARAMS: Readonly<Record<string, Readonly<Record<string, ParamSpec>>>> = {
  CertificateInfoSubmit: {
    CertId: SR,
    GenCsrType: SR,
    CertCommonName: SR,
    CompanyType: { type: "Integer", required: true },
    CompanyId: SR,
    OrgIdType: S,
    OrgIdNumber: S,
    AdminIdType: S,
    AdminIdNumber: S,
    TechIdType: S,
    TechIdNumber: S,
    Csr: S,
    DnsNames: { type: "StringArray" },
    KeyPass: S,
    OrgOrganization: S,
    OrgDivision: S,
    OrgAddress: S,
    OrgCountry: S,
    OrgCity: S,
    OrgRegion: S,
    OrgPhoneArea: S,
    OrgPhoneNumber: S,
    VerifyType: S,
    AdminFirstName: S,
    AdminLastName: S,
    AdminPhone: S,
    AdminEmail: S,
    AdminTitle: S,
    TechFirstName: S,
    TechLastName: S,
    ContactEmail: S,
    AutoRenewFlag: I,
    CsrKeyParameter: S,
    CsrEncryptAlgo: S,
    ManagerId: S,
    TechPhone: S,
    TechEmail: S,
    TechTitle: S,
    Type: I,
    CaType: S,
    SignAlgo: S,
    UseCrossSignRoot: { type: "Boolean" },
  },
  CertificateOrderSubmit: { CertId: SR, DeleteDnsAutoRecord: I, VerifyType: S },
  ModifyCertificateResubmit: { CertificateId: SR },
  UploadConfirmLetter: { CertificateId: SR, ConfirmLetter: SR },
  CancelAuditCertificate: { CertificateId: SR },
  CancelCertificateOrder: { CertificateId: SR },
  DescribeCertificateDetail: { CertificateId: SR },
  DescribeCertificate: { CertificateId: SR },
  CreateCertificate: { ProductId: { type: "Integer", required: true }, DomainNum: { type: "Integer", required: true }, TimeSpan: { type: "Integer", required: true }, AutoVoucher: I, Tags: { type: "TagArray" } },
  CreateCertificateByPackage: {
    ProductPid: { type: "Integer", required: true },
    PackageIds: { type: "StringArray", required: true },
    DomainCount: SR,
    Period: { type: "Integer", required: true },
    OldCertificateId: S,
    RenewGenCsrMethod: S,
    RenewCsr: S,
    RenewAlgorithmType: S,
    RenewAlgorithmParam: S,
    ProjectId: I,
    Tags: { type: "TagArray" },
    RenewKeyPass: S,
    DomainNames: S,
    CertificateCount: I,
    ManagerId: I,
    CompanyId: I,
    VerifyType: S,
    PriceKey: S,
  },
  DescribePackages: { Offset: I, Limit: I, Status: S, ExpireTime: S, PackageId: S, Type: S, Pid: I },
  DescribeCertificates: {
    Offset: I,
    Limit: I,
    SearchKey: S,
    CertificateType: S,
    ProjectId: I,
    ExpirationSort: S,
    CertificateStatus: { type: "IntegerArray" },
    Deployable: I,
    Upload: I,
    Renew: I,
    FilterSource: S,
    IsSM: I,
    FilterExpiring: I,
    Hostable: I,
    Tags: { type: "TagArray" },
    IsPendingIssue: I,
    CertIds: { type: "StringArray" },
    ServiceId: S,
  },
};

export type Params = Record<string, string | number | boolean | string[] | number[] | { TagKey: string; TagValue: string }[] | undefined>;

export type ParamCheck = { ok: true; params: Params } | { ok: false; code: string; message: string };

/**
 * Checks raw parameters against an action's table and coerces them.
 * `fromQuery`: values came from a GET query string (all strings), so numbers and booleans are parsed.
 */
export function checkParams(action: string, raw: Record<string, unknown>, fromQuery: boolean): ParamCheck {
  const table = ACTION_PARAMS[action];
  const out: Params = {};
  for (const [name, value] of Object.entries(raw)) {
    const spec = table[name];
    if (!spec) return { ok: false, code: "UnknownParameter", message: `The parameter \`${name}\` is not recognized.` };
    if (value === null || value === undefined) continue;
    switch (spec.type) {
      case "String":
        if (typeof value !== "string") return invalid(name, "String");
        out[name] = value;
        break;
      case "Integer": {
        // inferred: numeric strings are accepted for Integer parameters (an official example sends "CompanyType": "2").
        const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
        if (!Number.isInteger(n)) return invalid(name, "Integer");
        out[name] = n;
        break;
      }
      case "Boolean":
        if (typeof value === "boolean") out[name] = value;
        else if (fromQuery && (value === "true" || value === "false")) out[name] = value === "true";
        else return invalid(name, "Boolean");
        break;
      case "StringArray":
        if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) return invalid(name, "Array of String");
        out[name] = value as string[];
        break;
      case "IntegerArray":
        if (!Array.isArray(value) || value.some((v) => !Number.isInteger(typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v))) return invalid(name, "Array of Integer");
        out[name] = value.map(Number);
        break;
      case "TagArray": {
        // The SDK's `Tags` model: { TagKey: string; TagValue: string }, both required.
        const ok = Array.isArray(value) && value.every((t) => typeof t === "object" && t !== null && typeof (t as Record<string, unknown>).TagKey === "string" && typeof (t as Record<string, unknown>).TagValue === "string");
        if (!ok) return invalid(name, "Array of Tags {TagKey, TagValue}");
        out[name] = (value as { TagKey: string; TagValue: string }[]).map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue }));
        break;
      }
    }
  }
  for (const [name, spec] of Object.entries(table)) {
    if (!spec.required) continue;
    const v = out[name];
    if (v === undefined || v === "") {
      return { ok: false, code: "MissingParameter", message: `The request is missing the required parameter \`${name}\`.` };
    }
  }
  return { ok: true, params: out };
}

function invalid(name: string, type: string): ParamCheck {
  return { ok: false, code: "InvalidParameter", message: `The parameter \`${name}\` must be of type ${type}.` };
}

/** Turns a GET query (`A=1&DnsNames.0=x&DnsNames.1=y`) into a parameter object. */
export function queryToParams(query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const arrays = new Map<string, Map<number, string>>();
  for (const [k, v] of query) {
    const m = /^([A-Za-z]+)\.(\d+)$/.exec(k);
    if (m) {
      const arr = arrays.get(m[1]) ?? new Map<number, string>();
      arr.set(Number(m[2]), v);
      arrays.set(m[1], arr);
    } else out[k] = v;
  }
  for (const [k, arr] of arrays) out[k] = [...arr.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  return out;
}
