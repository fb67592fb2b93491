import type { ApplicationBackend } from "../../resources/backend";

/** The tencent backend (not implemented yet). */
export const tencentBackend: ApplicationBackend | undefined = undefined;
