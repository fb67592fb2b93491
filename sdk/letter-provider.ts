/** The provider shim of ConfirmLetter, as this module's whole export (see shims.ts for why). */
import { shim } from "./shims";

export = shim("letter");
