import type { ApplicationBackend } from "../../resources/backend";
import { edgecastBackend as backend } from "./backend";

/** The Edgecast CPS backend (certificate requests on the CDN, retrigger after a DCV timeout). */
export const edgecastBackend: ApplicationBackend = backend;
export { EdgecastClient, accessToken, clearTokenCache, edgecastSettings } from "./client";
