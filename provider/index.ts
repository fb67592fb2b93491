/**
 * certapply's provider core. The SDK's serialized shims `require("certapply/provider")` at call time and
 * delegate here, so refresh and destroy always run the installed code, and no credential enters state.
 */
import * as applicationCore from "./resources/application";
import { configure as applyConfig } from "./resources/context";
import { hosted } from "./resources/host";
import * as letterCore from "./resources/letter";
import type { ConfigSource } from "./config";

/** CertificateApplication's provider methods (inside Pulumi's dynamic-provider host, logging to the engine). */
export const application = hosted(applicationCore);
/** ConfirmLetter's provider methods. */
export const letter = hosted(letterCore);
export { CloudApiError, ConfigError } from "./http/errors";
export { backendFor } from "./clouds";
export type { ApplicationBackend, CheckFailure, CloudContext, LiveApplication } from "./resources/backend";
export * from "./resources/types";

/** The `configure` hook: stack config (namespace `certapply`) for every later call in this process. */
export async function configure(req: { config: ConfigSource }): Promise<void> {
  applyConfig(req.config);
}
