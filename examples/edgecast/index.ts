import * as pulumi from "@pulumi/pulumi";
import { CertificateApplication } from "certapply";

const config = new pulumi.Config();
const commonName = config.get("commonName") ?? "www.example.com";
const notifyEmail = config.get("notifyEmail");

const app = new CertificateApplication("www", {
  cloud: "edgecast",
  // no certificateId: Edgecast assigns the request id (output applicationId)
  commonName,
  dnsNames: [commonName.replace(/^www\./, "")],
  validationMethod: config.get("validationMethod") ?? "DnsTxtToken",
  edgecast: {
    // certificateLabel omitted: derived from commonName plus a random suffix, fresh for every replacement
    // description: certapply appends this resource's owner marker after it (a re-run adopts only its own request)
    description: "certapply example",
    autoRenew: true,
    validationType: "DV",
    certificateAuthority: "DigiCert",
    notifications: notifyEmail ? [{ notificationType: "CertificateExpiring", enabled: true, emails: [notifyEmail] }] : undefined,
    deleteIssuedCertificate: config.getBoolean("deleteIssuedCertificate") ?? false,
  },
  autoResubmit: "timeout",
  resubmitTrigger: config.get("resubmitTrigger") ?? "",
  onDelete: "cancel",
  waitFor: "validation-records",
  waitTimeoutSeconds: 120,
  // Inside 30 days of expiry: with autoRenew on, the preview reports Edgecast's own renewal; with it off,
  // `pulumi up` renews (PUT …/renew, a new paid order). The resource keeps its id.
  renewBeforeDays: 30,
});

export const applicationId = app.applicationId;
export const status = app.status;
export const statusMessage = app.statusMessage;
/** The DNS records to publish for domain control validation (TXT or CNAME), or the candidate mailboxes. */
export const validationRecords = app.validationRecords;
/** Point the site's CNAME here once the certificate is deployed. */
export const cnameTarget = app.edgecast.apply((e) => e?.cnameTarget ?? "");
/** Once issued: the certificate's expiration date as Edgecast reports it (also `certificate.notAfter`). */
export const expirationDate = app.edgecast.apply((e) => e?.expirationDate ?? "");
