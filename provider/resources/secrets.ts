/**
 * Secret values as Pulumi's engine reads them in a provider's replies: `{ <sig>: <secret>, value }`. The engine
 * keeps this mark in every Read reply (it unmarshals Read outputs and inputs keeping secrets, whatever the
 * provider said at Configure), so a Read can make a value secret that no registration listed: an import by id,
 * or a refresh of state written before an output was secret (certapply 0.1 and `privateKey`, `hashSalt`).
 */
import { APPLICATION, LETTER, TYPES, secretNames, type ResourceSpec } from "./spec";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** True for a value wrapped as a secret. */
export function isSecretValue(v: unknown): v is { value: unknown } {
  return !!v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

/** `value` wrapped as a secret. */
export function secretValue(value: unknown): Record<string, unknown> {
  return { [SECRET_SIG]: SECRET_VALUE, value };
}

/** Removes secret wrappers at any depth: the core treats every value as plain and marks its replies itself. */
export function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (isSecretValue(v)) return unwrapSecrets(v.value);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  return v;
}

/** True when the value or anything inside it is wrapped as a secret. */
export function containsSecret(v: unknown): boolean {
  if (isSecretValue(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (v && typeof v === "object") return Object.values(v).some(containsSecret);
  return false;
}

/** Per property of either resource: secret as a whole, or the names of its secret fields (e.g. `edgecast.notifications`). */
const SECRET_PARTS: Map<string, true | string[]> = (() => {
  const parts = new Map<string, true | string[]>();
  for (const r of [APPLICATION, LETTER] as ResourceSpec[]) {
    for (const k of secretNames(r)) parts.set(k, true);
    for (const [k, p] of Object.entries(r.properties)) {
      if (p.secret || !p.ref || !TYPES[p.ref]) continue;
      const nested = Object.entries(TYPES[p.ref].properties)
        .filter(([, f]) => f.secret)
        .map(([n]) => n);
      if (nested.length) parts.set(k, nested);
    }
  }
  return parts;
})();

/**
 * `props` with every value the spec keeps secret wrapped (top-level properties and secret fields inside a
 * block), plus every top-level key whose value was secret in one of `sources` (the request's inputs or state).
 */
export function markSecrets(props: Record<string, unknown>, ...sources: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...props };
  for (const [k, v] of Object.entries(out)) {
    if (v === undefined || v === null || isSecretValue(v)) continue;
    const part = SECRET_PARTS.get(k);
    if (part === true || sources.some((s) => s && containsSecret(s[k]))) {
      out[k] = secretValue(v);
    } else if (part && typeof v === "object" && !Array.isArray(v)) {
      const block: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      for (const n of part) if (block[n] !== undefined && !isSecretValue(block[n])) block[n] = secretValue(block[n]);
      out[k] = block;
    }
  }
  return out;
}

/** One resource's core as the SDK's shims call it (through the dynamic-provider host). */
interface Core {
  check(olds: never, news: never): Promise<unknown>;
  diff(id: string, olds: never, news: never): Promise<unknown>;
  create(inputs: never): Promise<unknown>;
  read(id: string, props: never): Promise<{ id?: string; props?: object; inputs?: object }>;
  update(id: string, olds: never, news: never): Promise<unknown>;
  remove(id: string, props: never): Promise<void>;
}

/**
 * The core for the Node.js path: values that arrive marked secret are unwrapped (the dynamic-provider host
 * passes state as it finds it), and a Read's reply marks every secret of the spec, so a refresh or an import
 * never leaves one plain in state.
 */
export function forNodePath<T extends Core>(core: T): T {
  const plain = <V>(v: V): never => unwrapSecrets(v) as never;
  return {
    ...core,
    check: (olds: unknown, news: unknown) => core.check(plain(olds), plain(news)),
    diff: (id: string, olds: unknown, news: unknown) => core.diff(id, plain(olds), plain(news)),
    create: (inputs: unknown, ...rest: unknown[]) => (core.create as (...a: unknown[]) => Promise<unknown>)(plain(inputs), ...rest),
    update: (id: string, olds: unknown, news: unknown, ...rest: unknown[]) => (core.update as (...a: unknown[]) => Promise<unknown>)(id, plain(olds), plain(news), ...rest),
    remove: (id: string, props: unknown, ...rest: unknown[]) => (core.remove as (...a: unknown[]) => Promise<void>)(id, plain(props), ...rest),
    read: async (id: string, props?: unknown) => {
      const result = await core.read(id, plain(props));
      const out: { id?: string; props?: object; inputs?: object } = { ...result };
      if (result.props) out.props = markSecrets(result.props as Record<string, unknown>);
      if (result.inputs) out.inputs = markSecrets(result.inputs as Record<string, unknown>);
      return out;
    },
  };
}
