import type { ApplicationBackend } from "../../resources/backend";

/** The edgecast backend (not implemented yet). */
export const edgecastBackend: ApplicationBackend | undefined = undefined;
