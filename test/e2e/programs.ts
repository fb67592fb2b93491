/**
 * The declarations the end-to-end suite runs: for each cloud, the arguments of examples/<cloud>/index.ts
 * (the Node.js SDK program itself runs from dist/examples), and the same declaration as a Pulumi YAML
 * program through the plugin. No jest here.
 */
import path from "node:path";
import { repoRoot } from "../harness/engine";

export type Cloud = "tencent" | "edgecast" | "huawei";
export const APPLICATION = "certapply:index:CertificateApplication";
export const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

/** The compiled example program of a cloud (its top level declares `www`). */
export function exampleProgram(cloud: Cloud): string {
  return path.join(repoRoot(), "dist", "examples", cloud, "index.js");
}

/** The example's project name (its config namespace: `<name>:certificateId`). */
export function exampleProject(cloud: Cloud): string {
  return `certapply-${cloud}`;
}

/** What examples/<cloud>/index.ts declares as `www`, with `certificateId` and the config the example reads. */
export function exampleArgs(cloud: Cloud, certificateId: string, cfg: { commonName?: string; resubmitTrigger?: string } = {}): Record<string, unknown> {
  const commonName = cfg.commonName ?? "www.example.com";
  const common = {
    commonName,
    dnsNames: [commonName.replace(/^www\./, "")],
    resubmitTrigger: cfg.resubmitTrigger ?? "",
    onDelete: "cancel",
    waitTimeoutSeconds: 120,
  };
  switch (cloud) {
    case "tencent":
      return {
        cloud,
        certificateId,
        ...common,
        validationMethod: "DNS",
        organization: {
          name: "Example Ltd",
          division: "IT",
          address: "1 Example Road",
          city: "Guangzhou",
          region: "Guangdong",
          country: "CN",
          phoneAreaCode: "020",
          phoneNumber: "12345678",
        },
        admin: { firstName: "Ning", lastName: "Huang", email: "admin@example.com", phone: "13112341234", title: "CTO" },
        tech: { firstName: "Ning", lastName: "Huang", email: "tech@example.com", phone: "13112341234", title: "SRE" },
        autoResubmit: "failure",
        waitFor: "submitted",
      };
    case "edgecast":
      return {
        cloud,
        ...common,
        validationMethod: "DnsTxtToken",
        edgecast: { description: "certapply example", autoRenew: true, validationType: "DV", certificateAuthority: "DigiCert", deleteIssuedCertificate: false },
        autoResubmit: "timeout",
        waitFor: "validation-records",
      };
    case "huawei":
      return {
        cloud,
        certificateId,
        ...common,
        validationMethod: "DNS",
        admin: { firstName: "Emily", lastName: "Chen", email: "admin@example.com", phone: "13212345678" },
        tech: { firstName: "Tom", lastName: "Li", email: "tech@example.com", phone: "13312345678" },
        huawei: { keyAlgorithm: "RSA_2048" },
        autoResubmit: "failure",
        waitFor: "validation-records",
      };
  }
}

export interface YamlResource {
  name: string;
  properties: Record<string, unknown>;
  options?: Record<string, unknown>;
}

/**
 * A Pulumi YAML program body (after the project header) declaring `resources` through the plugin directory of
 * this checkout, with the stack outputs `applicationId`, `status` and `privateKey` of the first resource.
 * JSON is YAML, so the declarations are written as JSON.
 */
export function yamlProgram(resources: YamlResource[], outputs = true): string {
  const decl = Object.fromEntries(
    resources.map((r) => [r.name, { type: APPLICATION, properties: r.properties, ...(r.options ? { options: r.options } : {}) }]),
  );
  const first = resources[0]?.name;
  const outs = outputs && first ? { applicationId: `\${${first}.applicationId}`, status: `\${${first}.status}`, privateKey: `\${${first}.privateKey}` } : undefined;
  return [
    "plugins:",
    "  providers:",
    "    - name: certapply",
    `      path: ${JSON.stringify(path.join(repoRoot(), "plugin"))}`,
    `resources: ${JSON.stringify(decl)}`,
    ...(outs ? [`outputs: ${JSON.stringify(outs)}`] : []),
    "",
  ].join("\n");
}
