/** The provider shim of CertificateApplication, as this module's whole export (see shims.ts for why). */
import { shim } from "./shims";

export = shim("application");
