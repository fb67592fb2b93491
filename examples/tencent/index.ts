import * as pulumi from "@pulumi/pulumi";
import { CertificateApplication, ConfirmLetter } from "certapply";

const config = new pulumi.Config();
const commonName = config.get("commonName") ?? "www.example.com";

const app = new CertificateApplication("www", {
  cloud: "tencent",
  certificateId: config.require("certificateId"),
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
  new ConfirmLetter("letter", { certificateId: app.applicationId, file: letterFile });
}

export const applicationId = app.applicationId;
export const status = app.status;
export const statusMessage = app.statusMessage;
export const validationRecords = app.validationRecords;
