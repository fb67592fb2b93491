/**
 * A Node.js SDK program for the end-to-end suite, run through test/e2e/runner.ts: the stack config
 * `certapply-e2e:spec` (JSON) lists `CertificateApplication`s to declare (name, args, resource options) and
 * ones to read with `CertificateApplication.get` (name, id). Each one's applicationId, status and privateKey
 * are stack outputs `<name>.applicationId`, ... No jest here.
 */
import * as pulumi from "@pulumi/pulumi";
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";

interface Spec {
  declare?: { name: string; args: CertificateApplicationArgs; options?: pulumi.CustomResourceOptions }[];
  get?: { name: string; id: string }[];
}

const spec = JSON.parse(new pulumi.Config("certapply-e2e").require("spec")) as Spec;
const out: Record<string, pulumi.Output<unknown>> = {};
const show = (name: string, app: CertificateApplication) => {
  out[`${name}.applicationId`] = app.applicationId;
  out[`${name}.status`] = app.status;
  out[`${name}.privateKey`] = app.privateKey;
};
for (const d of spec.declare ?? []) show(d.name, new CertificateApplication(d.name, d.args, d.options));
for (const g of spec.get ?? []) show(g.name, CertificateApplication.get(g.name, g.id));

module.exports = out;
