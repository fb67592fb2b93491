import type { ApplicationBackend } from "../../resources/backend";

/** The huawei backend (not implemented yet). */
export const huaweiBackend: ApplicationBackend | undefined = undefined;
