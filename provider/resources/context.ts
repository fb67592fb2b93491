import { currentConfig, setConfigSource, type ConfigSource } from "../config";
import { parseRateOverrides, setRateOverrides } from "../http/ratelimit";
import { transportOptions } from "../http/transport";
import type { CloudContext } from "./backend";
import { toStderr, type Severity } from "./engine-log";
import type { TimedOperation } from "./normalize";
import { redactMessage } from "./schema";

/**
 * Progress and plan messages, and warnings. They go to the engine's log against the resource when a sink is set
 * (the plugin, Pulumi's Node.js dynamic-provider host), else to stderr. Never pass credentials or personal data.
 */
export function log(message: string, severity: Severity = "info"): void {
  if (sink) sink(message, severity);
  else toStderr(message, severity);
}

let sink: ((message: string, severity: Severity) => void) | undefined;

/** Sends progress messages elsewhere than stderr (to the engine's log). */
export function setLogSink(fn: ((message: string, severity: Severity) => void) | undefined): void {
  sink = fn;
}

/** A backend's line that starts with "warning: " is a warning: the engine shows it as one, without the word. */
const WARNING = /^warning:\s*/;

/** Stores the stack config handed to `configure` and applies the settings that shape the transport. */
export function configure(source: ConfigSource | undefined): void {
  setConfigSource(source);
  setRateOverrides(parseRateOverrides(currentConfig().get("rateLimits")));
}

/** Per-operation options: the engine gives them on the plugin path; the Node.js SDK passes them as an input. */
export interface OperationOptions {
  /** The operation's customTimeouts in seconds (CreateRequest/UpdateRequest/DeleteRequest `timeout`); 0 or absent: none. */
  timeoutSeconds?: number;
}

/**
 * The operation's options: the engine's (plugin path) when it gave a timeout, else the `customTimeouts` input the
 * Node.js SDK sent (the dynamic-provider host hands the provider no timeout).
 */
export function operationOf(op: OperationOptions, customTimeouts: string | undefined, kind: TimedOperation): OperationOptions {
  if (op.timeoutSeconds) return op;
  try {
    const seconds = (JSON.parse(customTimeouts ?? "{}") as Partial<Record<TimedOperation, unknown>>)[kind];
    return typeof seconds === "number" && seconds > 0 ? { timeoutSeconds: seconds } : op;
  } catch {
    return op;
  }
}

/**
 * Everything a backend needs for one provider call, built from the settings in force now. Every line it logs
 * is cleared of the secret input values in `secretsOf` (the call's inputs or state): a cloud's message the
 * line quotes may echo what was sent.
 */
export function makeContext(prefix?: string, op: OperationOptions = {}, secretsOf: readonly (object | undefined)[] = []): CloudContext {
  const config = currentConfig();
  const sources = secretsOf as (Record<string, unknown> | undefined)[];
  const say = (m: string) => {
    const severity: Severity = WARNING.test(m) ? "warning" : "info";
    const text = m.replace(WARNING, "");
    log(redactMessage(prefix ? `${prefix}: ${text}` : text, ...sources), severity);
  };
  return {
    config,
    transport: {
      ...transportOptions((n) => config.getNumber(n)),
      onRetry: (err, attempt) => say(`retrying ${err.cloud} ${err.action} after ${err.code} (attempt ${attempt})`),
    },
    log: say,
    pollIntervalMs: config.getNumber("pollIntervalMs") ?? 5000,
    ...(op.timeoutSeconds ? { timeoutSeconds: op.timeoutSeconds } : {}),
  };
}
