import type { ApplicationBackend } from "../../resources/backend";
import { huaweiBackendImpl } from "./backend";
import { huaweiList } from "./list";

export { HuaweiClient, resolveHuaweiSettings, huaweiError, resetHuaweiClientState } from "./client";
export { signRequest, canonicalRequest, canonicalUri, canonicalQuery, sdkDate } from "./signer";
export { normaliseStatus, STATUS_TABLE, WITHDRAWABLE } from "./status";
export { applyBody, validateHuawei, validationRecords } from "./backend";

/** The Huawei Cloud SCM backend. */
export const huaweiBackend: ApplicationBackend = { ...huaweiBackendImpl, listReader: huaweiList };
