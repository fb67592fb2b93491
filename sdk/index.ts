import * as pulumi from "@pulumi/pulumi";
import { certapplyEntries, checkSettings } from "../provider/config";
import { backendIdentity, encodeTimeouts, ownerKeyOf } from "../provider/resources/normalize";
import { APPLICATION, LETTER, TYPES, secretNames, type ResourceSpec } from "../provider/resources/spec";
import type { CertificateApplicationArgs, CertificateApplicationOutputs, ConfirmLetterArgs, ConfirmLetterOutputs } from "./args";
import applicationProvider = require("./application-provider");
import letterProvider = require("./letter-provider");

export type * from "../provider/resources/types";
export type * from "./args";

/** Each field of `T` may be a plain value or a Pulumi input. */
export type InputFields<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Outputs kept secret in state: personal data, key password, ID numbers, a generated private key. */
export const APPLICATION_SECRET_OUTPUTS: readonly string[] = secretNames(APPLICATION);
/** Outputs of ConfirmLetter kept secret in state. */
export const LETTER_SECRET_OUTPUTS: readonly string[] = secretNames(LETTER);

function secretIfSet<T>(v: pulumi.Input<T> | undefined): pulumi.Output<pulumi.Unwrap<T>> | undefined {
  return v === undefined ? undefined : pulumi.secret(v);
}

/** Every output of a resource, `undefined` until set by an argument or by the provider (`.get` sets none). */
function outputSlots(r: ResourceSpec): Record<string, undefined> {
  return Object.fromEntries(
    Object.entries(r.properties)
      .filter(([, p]) => p.output)
      .map(([k]) => [k, undefined]),
  );
}

/** The arguments with every secret field (top level and inside blocks, per the spec) sent as a secret. */
function secretArgs(r: ResourceSpec, args: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const [k, p] of Object.entries(r.properties)) {
    if (p.input !== "user" || out[k] === undefined) continue;
    if (p.secret) {
      out[k] = secretIfSet(out[k]);
      continue;
    }
    const nested = p.ref && TYPES[p.ref] ? Object.entries(TYPES[p.ref].properties).filter(([, f]) => f.secret).map(([n]) => n) : [];
    if (nested.length) {
      out[k] = pulumi.output(out[k] as pulumi.Input<Record<string, unknown>>).apply((block) => {
        const b: Record<string, unknown> = { ...block };
        for (const n of nested) if (b[n] !== undefined) b[n] = pulumi.secret(b[n]);
        return b;
      });
    }
  }
  return out;
}

/** `<project>/<stack>/<cloud>/<certificateId>` → the resource name that declared it, in this program. */
const claimed = new Map<string, string>();

/** Refuses a second CertificateApplication naming the same cloud and certificate in one program. */
function claim(name: string, cloud: unknown, certificateId: unknown): void {
  if (typeof cloud !== "string" || typeof certificateId !== "string" || certificateId === "") return;
  const key = `${pulumi.getProject()}/${pulumi.getStack()}/${cloud}/${certificateId.trim()}`;
  const owner = claimed.get(key);
  if (owner !== undefined && owner !== name) {
    throw new Error(
      `CertificateApplication "${name}" names ${cloud} certificate ${certificateId.trim()}, which CertificateApplication "${owner}" already declares; ` +
        "each purchased certificate takes one application: remove one of them or give it another certificateId",
    );
  }
  claimed.set(key, name);
}

/** The last stack config `checkStackConfig` found sound. */
let checkedConfig: string | undefined;

/**
 * Names a mistyped or malformed `certapply:*` stack setting before anything runs: the Node.js path has no
 * CheckConfig (the plugin's), and a setting the provider does not know would otherwise be ignored silently.
 */
function checkStackConfig(): void {
  const entries = certapplyEntries(pulumi.runtime.allConfig());
  // The config is the program's, not the resource's: checked once per distinct config, not once per resource.
  const key = JSON.stringify(entries);
  if (key === checkedConfig) return;
  const failures = checkSettings(entries);
  if (failures.length) throw new Error(`certapply: stack config: ${failures.map((f) => f.reason).join("; ")}`);
  checkedConfig = key;
}

/** The program's Pulumi organisation; empty where the runtime has none (e.g. an older engine or test mocks without one). */
function organization(): string {
  try {
    return pulumi.getOrganization();
  } catch {
    return "";
  }
}

/** Options with the spec's secret outputs added to additionalSecretOutputs. */
function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, keys: readonly string[]): pulumi.CustomResourceOptions {
  return { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...keys])] };
}

/*
 * The outputs are declared once, with their docs, in the generated interfaces of sdk/args.ts, merged into
 * each class below (the base class assigns them at run time, so the merge is sound).
 */
/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type */
export interface CertificateApplication extends CertificateApplicationOutputs {}
export interface ConfirmLetter extends ConfirmLetterOutputs {}

/**
 * A paid SSL certificate application on Tencent Cloud SSL, Edgecast CPS or Huawei Cloud SCM.
 *
 * `pulumi up` submits it; later runs resubmit or retrigger it when the CA timed out or rejected it (per
 * `autoResubmit`) or when `resubmitTrigger` changes, and apply content changes the cloud allows.
 * `pulumi destroy` withdraws a pending application (`onDelete: "cancel"`). The preview says why it plans
 * an update or a replace. Once issued, `certificate` carries the dates, serial number, fingerprint and PEMs,
 * and `privateKey` (secret) the key where the cloud generated it.
 */
export class CertificateApplication extends pulumi.dynamic.Resource {
  /**
   * Looks up an existing application by its import id `<cloud>/<applicationId>` (e.g. `tencent/J2lX2maH`),
   * as `pulumi import` does; the provider fills the whole state from the live application.
   */
  public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): CertificateApplication {
    return new CertificateApplication(name, undefined as unknown as CertificateApplicationArgs, { ...opts, id });
  }

  constructor(name: string, args: CertificateApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    checkStackConfig();
    let props: Record<string, unknown> = outputSlots(APPLICATION);
    if (args && !opts?.id) {
      // A new resource's key; the provider's check keeps the one already in state instead (0.1 state included).
      const key = ownerKeyOf({ organization: organization(), backend: backendIdentity(), project: pulumi.getProject(), stack: pulumi.getStack(), name });
      const { cloud, certificateId } = args;
      let ownerKey: pulumi.Input<string> = key;
      if (pulumi.Output.isInstance(cloud) || pulumi.Output.isInstance(certificateId)) {
        ownerKey = pulumi.all([cloud, certificateId]).apply(([c, id]) => {
          claim(name, c, id);
          return key;
        });
      } else {
        claim(name, cloud, certificateId);
      }
      // Pulumi hands a dynamic provider no customTimeouts: the option travels as an internal input.
      const customTimeouts = encodeTimeouts(opts?.customTimeouts);
      props = {
        ...props,
        ...secretArgs(APPLICATION, args),
        ownerKey,
        ...(customTimeouts ? { customTimeouts } : {}),
        // Nor a URN: the provider's lines name the resource with it (the engine's log, on the resource's row).
        resourceUrn: pulumi.createUrn(name, dynamicType("CertificateApplication"), opts?.parent),
        ...(pulumi.runtime.isDryRun() ? { preflight: true } : {}),
      };
    }
    super(applicationProvider, name, props, { ...withSecretOutputs(opts, APPLICATION_SECRET_OUTPUTS), deleteBeforeReplace: withdrawFirst(name, opts) }, MODULE, "CertificateApplication");
  }
}

/** The module of certapply's dynamic resource types. */
const MODULE = "certapply";

/** A dynamic resource's type token, as `pulumi.dynamic.Resource` makes it from its module and type. */
function dynamicType(type: string): string {
  return `pulumi-nodejs:dynamic/${MODULE}:${type}`;
}

/**
 * Every replacement withdraws the old application before submitting the new one: created first, the new
 * resource would take over the old application (same certificate, same owner) and the old one's delete would
 * then withdraw it. The provider's diff asks for this, but the engine does not ask the provider about a
 * `pulumi up --replace`, `replaceWith`, `replacementTrigger` or `deletedWith` replacement, so the resource option
 * says it too.
 */
function withdrawFirst(name: string, opts: pulumi.CustomResourceOptions | undefined): true {
  if (opts?.deleteBeforeReplace === false) {
    throw new Error(
      `CertificateApplication "${name}": deleteBeforeReplace: false is not supported: a replacement must withdraw the old application before it submits the new one (remove the option)`,
    );
  }
  return true;
}

/**
 * A confirmation letter uploaded for a Tencent Cloud OV/EV application (`UploadConfirmLetter`) once the
 * certificate awaits it. A new file or content is uploaded again. Destroy removes it from the stack only:
 * the API cannot withdraw a letter.
 */
export class ConfirmLetter extends pulumi.dynamic.Resource {
  /** Looks up an uploaded letter by its resource id (`<certificateId>:<sha256 prefix>`). */
  public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ConfirmLetter {
    return new ConfirmLetter(name, undefined as unknown as ConfirmLetterArgs, { ...opts, id });
  }

  constructor(name: string, args: ConfirmLetterArgs, opts?: pulumi.CustomResourceOptions) {
    checkStackConfig();
    let props: Record<string, unknown> = outputSlots(LETTER);
    if (args && !opts?.id) props = { ...props, ...secretArgs(LETTER, args) };
    super(letterProvider, name, props, withSecretOutputs(opts, LETTER_SECRET_OUTPUTS), MODULE, "ConfirmLetter");
  }
}
/* eslint-enable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type */
