export { Emulator, DEFAULT_CREDENTIALS } from "./server";
export type { EmulatorOptions } from "./server";
export type { EmulatorCredentials, EmulatorLogEntry, Fault } from "./types";
