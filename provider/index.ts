/**
 * certapply's provider core. The SDK's serialized shims `require("certapply/provider")` at call time and
 * delegate here, so refresh and destroy always run the installed code, and no credential enters state.
 */
import * as applicationCore from "./resources/application";
import { configure as applyConfig } from "./resources/context";
import { hosted } from "./resources/host";
import * as letterCore from "./resources/letter";
import { forNodePath } from "./resources/secrets";
import type { ConfigSource } from "./config";

/**
 * CertificateApplication's provider methods as the shims call them: inside Pulumi's dynamic-provider host they log
 * to the engine (outermost, so it sees the request's own objects); secrets are unwrapped on the way in and every
 * spec secret is marked in a Read's reply.
 */
export const application = hosted(forNodePath(applicationCore));
/** ConfirmLetter's provider methods, wrapped the same way. */
export const letter = hosted(forNodePath(letterCore));
export { CloudApiError, ConfigError } from "./http/errors";
export { backendFor } from "./clouds";
export type { ApplicationBackend, CheckFailure, CloudContext, LiveApplication } from "./resources/backend";
export * from "./resources/types";

/** The `configure` hook: stack config (namespace `certapply`) for every later call in this process. */
export async function configure(req: { config: ConfigSource }): Promise<void> {
  applyConfig(req.config);
}
