import type { ApplicationBackend } from "../../resources/backend";
import { tencentBackend as backend } from "./backend";
import { tencentList } from "./list";

export { TencentClient, isTransientTencentCode, TENCENT_SSL_VERSION } from "./client";
export { signTc3, verifyTc3, parseTc3Authorization } from "./signer";
export { normaliseStatus, TENCENT_STATUS } from "./status";

/** The tencent backend. */
export const tencentBackend: ApplicationBackend = { ...backend, listReader: tencentList };
