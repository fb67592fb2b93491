import * as pulumi from "@pulumi/pulumi";
import { CertificateApplication, ConfirmLetter } from "certapply";

const config = new pulumi.Config();
const commonName = config.get("commonName") ?? "www.example.com";
// `pulumi config set buy true`: `pulumi up` buys the certificate (a paid order: DNSPod OV multi-domain, 2 domains,
// 1 year) instead of applying with the one named by certificateId.
const buy = config.getBoolean("buy") ?? false;

const app = new CertificateApplication("www", {
  cloud: "tencent",
  ...(buy ? { purchase: { productId: 45 as const, domainCount: 2, years: 1 } } : { certificateId: config.require("certificateId") }),
  commonName,
  dnsNames: [commonName.replace(/^www\./, "")],
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
  resubmitTrigger: config.get("resubmitTrigger") ?? "",
  onDelete: "cancel",
  waitFor: "submitted",
  waitTimeoutSeconds: 120,
});

const letterFile = config.get("letterFile");
if (letterFile) {
  new ConfirmLetter("letter", { certificateId: app.currentCertificateId, file: letterFile });
}

export const applicationId = app.applicationId;
export const status = app.status;
export const statusMessage = app.statusMessage;
export const validationRecords = app.validationRecords;
