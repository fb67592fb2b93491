#!/usr/bin/env node
/**
 * certapply served as a Pulumi plugin (PulumiPlugin.yaml, `runtime: nodejs`), for programs in other
 * languages. It runs the same core as the Node.js SDK's dynamic resources; only the wrapping differs:
 * type tokens `certapply:index:*`, config from PULUMI_CONFIG, secrets arriving wrapped.
 */
import * as pulumi from "@pulumi/pulumi";
import * as application from "./resources/application";
import { configure } from "./resources/context";
import * as letter from "./resources/letter";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const VERSION = "0.1.0";

/** Removes Pulumi's secret wrappers: this core treats every value as plain and marks outputs itself. */
export function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

/** Stack config from PULUMI_CONFIG, keys with or without the `certapply:` namespace. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): { get(key: string): string | undefined } {
  let map: Record<string, unknown> = {};
  try {
    map = JSON.parse(env.PULUMI_CONFIG ?? "{}") as Record<string, unknown>;
  } catch {
    map = {};
  }
  return {
    get(key: string) {
      const v = map[key] ?? map[key.replace(/^certapply:/, "")];
      return v === undefined || v === null ? undefined : String(v);
    },
  };
}

function kind(urn: string): "application" | "letter" {
  const type = urn.split("::")[2] ?? "";
  if (type.endsWith(":CertificateApplication")) return "application";
  if (type.endsWith(":ConfirmLetter")) return "letter";
  throw new Error(`certapply has no resource type in ${urn}`);
}

const str = { type: "string" };
const obj = (props: string[], extra: Record<string, object> = {}) => ({
  type: "object",
  properties: { ...Object.fromEntries(props.map((p) => [p, str])), ...extra },
});

/** A package schema so `pulumi package add` can generate SDKs. */
export const SCHEMA = {
  name: "certapply",
  version: VERSION,
  description: "Paid SSL certificate applications on Tencent Cloud SSL, Edgecast CPS and Huawei Cloud SCM",
  types: {
    "certapply:index:Organization": obj(["name", "division", "address", "city", "region", "country", "postalCode", "phoneAreaCode", "phoneNumber"]),
    "certapply:index:Contact": obj(["firstName", "lastName", "email", "phone", "title"]),
    "certapply:index:ValidationRecord": obj(["domain", "type", "name", "value"]),
  },
  resources: {
    "certapply:index:CertificateApplication": {
      inputProperties: {
        cloud: str,
        certificateId: str,
        commonName: str,
        dnsNames: { type: "array", items: str },
        csr: str,
        validationMethod: str,
        organization: { $ref: "#/types/certapply:index:Organization", secret: true },
        admin: { $ref: "#/types/certapply:index:Contact", secret: true },
        tech: { $ref: "#/types/certapply:index:Contact", secret: true },
        tencent: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" }, secret: true },
        edgecast: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } },
        huawei: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } },
        autoResubmit: str,
        resubmitTrigger: str,
        onDelete: str,
        waitFor: str,
        waitTimeoutSeconds: { type: "integer" },
      },
      requiredInputs: ["cloud", "commonName"],
      properties: {
        applicationId: str,
        status: str,
        rawStatus: str,
        statusMessage: str,
        validationRecords: { type: "array", items: { $ref: "#/types/certapply:index:ValidationRecord" } },
        resubmitCount: { type: "integer" },
        lastResubmitAt: str,
      },
      required: ["applicationId", "status", "rawStatus", "statusMessage", "validationRecords", "resubmitCount", "lastResubmitAt"],
    },
    "certapply:index:ConfirmLetter": {
      inputProperties: { certificateId: str, file: str, content: { type: "string", secret: true }, waitTimeoutSeconds: { type: "integer" } },
      requiredInputs: ["certificateId"],
      properties: { sha256: str, sizeBytes: { type: "integer" }, format: str, uploadedAt: str },
      required: ["sha256", "sizeBytes", "format", "uploadedAt"],
    },
  },
};

/** One resource's core, as the plugin calls it: values arrive unwrapped but otherwise untyped. */
interface ResourceCore {
  check(olds: unknown, news: Record<string, unknown>): Promise<pulumi.provider.CheckResult>;
  diff(id: string, olds: unknown, news: unknown): Promise<pulumi.provider.DiffResult>;
  create(inputs: unknown): Promise<pulumi.provider.CreateResult>;
  read(id: string, props: unknown): Promise<pulumi.provider.ReadResult>;
  update(id: string, olds: unknown, news: unknown): Promise<pulumi.provider.UpdateResult>;
  remove(id: string, props: unknown): Promise<void>;
}

/** The two resources by the type in the URN; the same modules the SDK's shims delegate to. */
function core(urn: string): ResourceCore {
  return (kind(urn) === "application" ? application : letter) as unknown as ResourceCore;
}

/** The plugin's provider: the shared core behind Pulumi's `provider.Provider` interface. */
export const pluginProvider: pulumi.provider.Provider = {
  version: VERSION,
  schema: JSON.stringify(SCHEMA),
  check: (urn, olds, news) => core(urn).check(olds, unwrapSecrets(news) as Record<string, unknown>),
  diff: (id, urn, olds, news) => core(urn).diff(id, unwrapSecrets(olds), unwrapSecrets(news)),
  create: (urn, inputs) => core(urn).create(unwrapSecrets(inputs)),
  read: (id, urn, props) => core(urn).read(id, unwrapSecrets(props)),
  update: (id, urn, olds, news) => core(urn).update(id, unwrapSecrets(olds), unwrapSecrets(news)),
  delete: (id, urn, props) => core(urn).remove(id, unwrapSecrets(props)),
};

if (require.main === module) {
  configure(configFromEnv());
  void pulumi.provider.main(pluginProvider, process.argv.slice(2));
}
