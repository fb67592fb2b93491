/**
 * The per-cloud parts of the seeded fault run: what each application declares (every secret input a unique
 * canary), what the emulator holds for it, what counts as a submission, and the CA outcome before the resubmit.
 * The cloud's state is read in-process: the Tencent and Huawei parts' records, the Edgecast part's control
 * `state` command, and the request log for the Edgecast requests a run created.
 */
import type { CertificateApplicationArgs } from "certapply";
import type { Emulator, EmulatorLogEntry } from "../../emulator";
import { purchaseTag } from "../../provider/clouds/tencent/purchase";
import { PURCHASE_TAG_KEY as HUAWEI_PURCHASE_TAG, purchaseTagValue } from "../../provider/clouds/huawei/purchase";
import { backendIdentity, ownerKeyOf } from "../../provider/resources/normalize";
import type { CloudPlan, Facts } from "./suite";

/** Base-26 letters of `i`, at least 3 (names take letters only). */
function letters(i: number): string {
  let s = "";
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s.padStart(3, "a");
}

const pad = (i: number, n: number) => String(i).padStart(n, "0");

/** A contact whose every field is a canary unique to (cloud, role, application, version). */
function contact(tag: string, role: "adm" | "tec", digit: number, i: number, v: 1 | 2) {
  const l = letters(i);
  return {
    firstName: `Cnry${tag}${role}f${l}v${"ab"[v - 1]}`,
    lastName: `Cnry${tag}${role}l${l}v${"ab"[v - 1]}`,
    email: `${tag}-${role}-${i}-v${v}.canary@example.com`,
    phone: `13${digit}${v}${pad(i, 7)}`,
    title: `Cnry ${tag} ${role} title ${l} v${v}`,
  };
}

/** The content marker (an e-mail ending in .canary@example.com) the cloud holds, read from a JSON view of its state. */
function markerIn(state: unknown, tag: string): string | undefined {
  const m = new RegExp(`"(${tag}-adm-\\d+-v\\d\\.canary@example\\.com)"`).exec(JSON.stringify(state) ?? "");
  return m?.[1];
}

function flatSecrets(prefix: string, o: Record<string, unknown> | undefined, out: Record<string, string>): void {
  for (const [k, v] of Object.entries(o ?? {})) {
    if (typeof v === "string" && v.length >= 6) out[`${prefix}.${k}`] = v;
  }
}

// ---------------------------------------------------------------------------------------------- tencent

export function tencentPlan(): CloudPlan {
  const ids: string[] = [];
  const tag = "tc";
  const org = (i: number, v: 1 | 2) => ({
    name: `Cnry tc org ${letters(i)} v${v} Ltd`,
    division: `Cnry tc division ${letters(i)}`,
    address: `${i} Cnry tc road ${letters(i)}`,
    city: "Guangzhou",
    region: "Guangdong",
    country: "CN",
    phoneAreaCode: "020",
    phoneNumber: `8${v}${pad(i, 6)}`,
  });
  const tencent = (i: number) => ({
    keyPass: `cnry-tc-keypass-${letters(i)}`,
    orgIdType: "OTHERS" as const,
    orgIdNumber: `CNRYORG${pad(i, 8)}`,
    adminIdType: "SFZ" as const,
    adminIdNumber: `110101${pad(i, 8)}1234`,
    techIdType: "HZ" as const,
    techIdNumber: `CNRYPASS${pad(i, 6)}`,
  });
  const secrets = (i: number, v: 1 | 2) => {
    const out: Record<string, string> = {};
    flatSecrets("organization", org(i, v), out);
    flatSecrets("admin", contact(tag, "adm", 1, i, v), out);
    flatSecrets("tech", contact(tag, "tec", 2, i, v), out);
    flatSecrets("tencent", tencent(i), out);
    return out;
  };
  return {
    cloud: "tencent",
    async prepare(emulator: Emulator, count: number) {
      // Fixed ids, so the seeded draws (keyed by the certificate id) are the same on every run.
      for (let i = 0; i < count; i++) ids.push(emulator.tencent.seed({ certificateId: `Flt${pad(i, 5)}`, productType: "dv", domainCount: 1 }).certificateId);
    },
    args(i, v, trigger): CertificateApplicationArgs {
      return {
        cloud: "tencent",
        certificateId: ids[i],
        commonName: `t${i}.faults.example.com`,
        validationMethod: "DNS",
        organization: org(i, v),
        admin: contact(tag, "adm", 1, i, v),
        tech: contact(tag, "tec", 2, i, v),
        tencent: tencent(i),
        resubmitTrigger: trigger,
      };
    },
    marker: (i, v) => contact(tag, "adm", 1, i, v).email,
    aliases: (i) => [ids[i]],
    applications: () => [...ids],
    async facts(emulator: Emulator, id: string): Promise<Facts> {
      const rec = emulator.tencent.state(id);
      if (!rec) return { exists: false, pending: false, withdrawn: false, status: "absent" };
      return {
        exists: true,
        pending: [0, 4, 8].includes(rec.status),
        withdrawn: [6, 7].includes(rec.status),
        content: markerIn(rec, tag),
        status: `status ${rec.status}${rec.statusMsg ? ` (${rec.statusMsg})` : ""}`,
      };
    },
    async outcome(emulator: Emulator, id: string) {
      emulator.tencent.timeout(id);
    },
    secrets,
    submissions: [
      {
        action: "CertificateInfoSubmit",
        excess: "submitted twice",
        expected: { create: 1, update: 1, resubmit: 1 },
        applied: (e: EmulatorLogEntry) => e.status === 200 && !e.code,
      },
      {
        action: "CertificateOrderSubmit",
        excess: "duplicate paid order",
        expected: { create: 1, update: 1, resubmit: 1 },
        applied: (e: EmulatorLogEntry) => e.status === 200 && !e.code,
      },
    ],
  };
}

/**
 * Tencent with `purchase` instead of seeded certificates: each resource buys its certificate at create. The
 * purchases a resource made are the certificates carrying its tag (the harness's project and stack, resource
 * `app<i>`), so a second purchase for one resource counts as a duplicate paid order.
 */
export function tencentPurchasePlan(project = "certapply-test", stack = "dev"): CloudPlan {
  const base = tencentPlan();
  const purchase = { productId: 48 as const, domainCount: 1, years: 1 };
  const bought = (emulator: Emulator) => emulator.tencent.all().filter((r) => r.purchased);
  let emu: Emulator | undefined;
  return {
    ...base,
    async prepare(emulator: Emulator) {
      emu = emulator;
    },
    args(i, v, trigger): CertificateApplicationArgs {
      return { ...base.args(i, v, trigger), certificateId: undefined, purchase };
    },
    aliases(i) {
      const tag = purchaseTag(ownerKeyOf({ organization: "organization", backend: backendIdentity(), project, stack, name: `app${i}` }), purchase);
      return emu ? bought(emu).filter((r) => r.tags.some((t) => t.TagKey === tag.TagKey && t.TagValue === tag.TagValue)).map((r) => r.certificateId) : [];
    },
    applications: (emulator: Emulator) => bought(emulator).map((r) => r.certificateId),
    submissions: [
      {
        action: "CreateCertificate",
        excess: "duplicate paid order",
        expected: { create: 1 },
        applied: (e: EmulatorLogEntry) => e.status === 200 && !e.code && e.created !== undefined,
      },
      ...base.submissions,
    ],
  };
}

// ---------------------------------------------------------------------------------------------- huawei

const HUAWEI_UNDER_REVIEW = ["CHECKING", "CHECKING_DOMAIN", "CHECKING_ORG", "SUPPLEMENTCHECKING", "ISSUING"];

export function huaweiPlan(): CloudPlan {
  const ids: string[] = [];
  const tag = "hw";
  const org = (i: number) => ({
    name: `Cnry hw company ${letters(i)}`,
    division: `Cnry hw unit ${letters(i)}`,
    city: "Shenzhen",
    region: "Guangdong",
    country: "CN",
  });
  // Huawei contacts have no title: only what is declared can be looked for in the output.
  const person = (role: "adm" | "tec", digit: number) => (i: number, v: 1 | 2) => {
    const { firstName, lastName, email, phone } = contact(tag, role, digit, i, v);
    return { firstName, lastName, email, phone };
  };
  const admin = person("adm", 3);
  const tech = person("tec", 4);
  const secrets = (i: number, v: 1 | 2) => {
    const out: Record<string, string> = {};
    flatSecrets("organization", org(i), out);
    flatSecrets("admin", admin(i, v), out);
    flatSecrets("tech", tech(i, v), out);
    return out;
  };
  return {
    cloud: "huawei",
    async prepare(emulator: Emulator, count: number) {
      for (let i = 0; i < count; i++) {
        // Fixed ids, so the seeded draws (keyed by the certificate id) are the same on every run.
        const r = await emulator.huawei.control("seed", { certificateId: `faultsuite${pad(i, 6)}` });
        ids.push(String((r.body as { certificateId: string }).certificateId));
      }
    },
    args(i, v, trigger): CertificateApplicationArgs {
      return {
        cloud: "huawei",
        certificateId: ids[i],
        commonName: `h${i}.faults.example.com`,
        validationMethod: "DNS",
        organization: org(i),
        admin: admin(i, v),
        tech: tech(i, v),
        autoResubmit: "failure",
        resubmitTrigger: trigger,
      };
    },
    marker: (i, v) => contact(tag, "adm", 3, i, v).email,
    aliases: (i) => [ids[i]],
    applications: () => [...ids],
    async facts(emulator: Emulator, id: string): Promise<Facts> {
      const cert = emulator.huawei.get(id);
      if (!cert) return { exists: false, pending: false, withdrawn: false, status: "absent" };
      return {
        exists: true,
        pending: HUAWEI_UNDER_REVIEW.includes(cert.status),
        withdrawn: cert.status === "CANCELCHECKING" || (cert.status === "PAID" && cert.internal.cancelCount > 0),
        content: markerIn(cert.application_info, tag),
        status: `status ${cert.status}`,
      };
    },
    async outcome(emulator: Emulator, id: string) {
      const r = await emulator.huawei.control("reject", { id, reason: "the CA rejected the application (fault suite)" });
      if (r.status !== 200) throw new Error(`reject ${id}: ${JSON.stringify(r.body)}`);
    },
    secrets,
    submissions: [
      {
        action: "ApplyCertificate",
        excess: "submitted twice",
        expected: { create: 1, update: 1, resubmit: 1 },
        applied: (e: EmulatorLogEntry) => e.status === 200 && !e.code,
      },
    ],
  };
}

/**
 * Huawei with `purchase` instead of seeded certificates: each resource buys its certificate at create (the purchase
 * takes no tag; certapply tags it right after). The purchases a resource made are the certificates carrying its
 * purchase tag; `purchases()` counts every purchase the run made (held or refunded), so an untagged second purchase
 * is counted too.
 */
export function huaweiPurchasePlan(project = "certapply-test", stack = "dev"): CloudPlan & { purchases(): { bought: number; refunded: number; held: string[] } } {
  const base = huaweiPlan();
  const purchase = { brand: "GEOTRUST", type: "DV_SSL_CERT", domainType: "SINGLE_DOMAIN", domainCount: 1, years: 1 } as const;
  let emu: Emulator | undefined;
  const bought = (emulator: Emulator) => emulator.huawei.all().filter((c) => c.internal.purchased);
  return {
    ...base,
    async prepare(emulator: Emulator) {
      emu = emulator;
    },
    args(i, v, trigger): CertificateApplicationArgs {
      return { ...base.args(i, v, trigger), certificateId: undefined, purchase };
    },
    aliases(i) {
      const value = purchaseTagValue(ownerKeyOf({ organization: "organization", backend: backendIdentity(), project, stack, name: `app${i}` }), purchase);
      return emu ? bought(emu).filter((c) => c.tags.get(HUAWEI_PURCHASE_TAG) === value).map((c) => c.id) : [];
    },
    applications: (emulator: Emulator) => bought(emulator).map((c) => c.id),
    submissions: [
      {
        action: "SubscribeCertificate",
        excess: "duplicate paid order",
        expected: { create: 1 },
        applied: (e: EmulatorLogEntry) => e.status === 200 && !e.code && e.created !== undefined,
      },
      ...base.submissions,
    ],
    purchases() {
      const held = emu ? bought(emu).map((c) => `${c.id} ${c.status}`) : [];
      const refunded = emu ? emu.huawei.unsubscribed.length : 0;
      return { bought: held.length + refunded, refunded, held };
    },
  };
}

// ---------------------------------------------------------------------------------------------- edgecast

const CREATE = "POST /v2.0/certificates/cdnprovided";

export function edgecastPlan(seed: number): CloudPlan {
  const tag = "ec";
  let log: EmulatorLogEntry[] = [];
  const label = (i: number) => `faults-${seed}-e${i}`;
  const email = (i: number, v: 1 | 2) => `${tag}-adm-${i}-v${v}.canary@example.com`;
  return {
    cloud: "edgecast",
    async prepare(emulator: Emulator) {
      log = emulator.log;
    },
    args(i, v, trigger): CertificateApplicationArgs {
      return {
        cloud: "edgecast",
        commonName: `e${i}.faults.example.com`,
        validationMethod: "DnsTxtToken",
        edgecast: {
          certificateLabel: label(i),
          description: `fault suite v${v}`,
          notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: [email(i, v)] }],
        },
        resubmitTrigger: trigger,
      };
    },
    marker: email,
    aliases: (i) => [label(i)],
    applications: () => [...new Set(log.filter((e) => e.action === CREATE && e.created !== undefined).map((e) => e.created!))],
    async facts(emulator: Emulator, id: string): Promise<Facts> {
      const r = await emulator.edgecast.control("state", { id: Number(id) });
      if (r.status !== 200) return { exists: false, pending: false, withdrawn: false, status: "absent" };
      const s = r.body as { status: string; orderStatus: string | null; everIssued: boolean; domains: { status: string }[] };
      const withdrawn = s.status === "Deleted" || s.orderStatus === "Canceled";
      return {
        exists: s.status !== "Deleted",
        pending: !withdrawn && !s.everIssued && !s.domains.some((d) => d.status === "TimedOut"),
        withdrawn,
        content: markerIn(s, tag),
        status: `status ${s.status}${s.orderStatus ? `, order ${s.orderStatus}` : ""}${s.domains.some((d) => d.status === "TimedOut") ? ", timed out" : ""}`,
      };
    },
    async outcome(emulator: Emulator, id: string) {
      for (const command of ["advance", "timeout"]) {
        const r = await emulator.edgecast.control(command, { id: Number(id) });
        if (r.status !== 200) throw new Error(`${command} ${id}: ${JSON.stringify(r.body)}`);
      }
    },
    secrets: (i, v) => ({ "edgecast.notifications.emails": email(i, v) }),
    submissions: [
      { action: CREATE, excess: "duplicate paid order", expected: { create: 1 }, applied: (e) => e.status === 201 },
      { action: "PUT /v2.0/certificates/{id}/retrigger", excess: "submitted twice", expected: { resubmit: 1 }, applied: (e) => e.status === 204 },
    ],
  };
}
