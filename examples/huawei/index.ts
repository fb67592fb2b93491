import * as pulumi from "@pulumi/pulumi";
import { CertificateApplication } from "certapply";

const config = new pulumi.Config();
const commonName = config.get("commonName") ?? "www.example.com";

// A purchased DV multi-domain certificate on Huawei Cloud SCM, validated by DNS.
const app = new CertificateApplication("www", {
  cloud: "huawei",
  certificateId: config.require("certificateId"),
  commonName,
  dnsNames: [commonName.replace(/^www\./, "")],
  validationMethod: "DNS",
  // admin → applicant_* (required), tech → contact_* (optional). Kept secret in state.
  admin: { firstName: "Emily", lastName: "Chen", email: "admin@example.com", phone: "13212345678" },
  tech: { firstName: "Tom", lastName: "Li", email: "tech@example.com", phone: "13312345678" },
  // For OV/EV certificates add: organization: { name, division, region (province), city, country: "CN" }
  // keyAlgorithm: RSA_2048 (default), RSA_3072, RSA_4096, EC_P256, EC_P384, SM2; caHashAlgorithm: DEFAULT or SHA-256.
  huawei: { keyAlgorithm: "RSA_2048" },
  autoResubmit: "failure",
  resubmitTrigger: config.get("resubmitTrigger") ?? "",
  onDelete: "cancel",
  waitFor: "validation-records",
  waitTimeoutSeconds: 120,
});

export const applicationId = app.applicationId;
export const status = app.status;
export const rawStatus = app.rawStatus;
export const statusMessage = app.statusMessage;
// Publish these as TXT records (e.g. with a DNS provider resource) so the CA can validate the domains.
export const validationRecords = app.validationRecords;
