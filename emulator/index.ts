export { Emulator, DEFAULT_CREDENTIALS, SECRET_CONFIG_KEYS } from "./server";
export type { EmulatorOptions } from "./server";
export { FAULT_KINDS, GARBLED_SHAPES } from "./types";
export type { EmulatorCredentials, EmulatorLogEntry, Fault, FaultKind, FaultShare, GarbledShape } from "./types";
