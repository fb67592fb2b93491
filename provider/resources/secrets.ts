/**
 * Secret values as Pulumi's engine reads them in a provider's replies: `{ <sig>: <secret>, value }`. The engine
 * keeps this mark in every Read reply (it unmarshals Read outputs and inputs keeping secrets, whatever the
 * provider said at Configure), so a Read can make a value secret that no registration listed: an import by id,
 * or a refresh of state written before an output was secret (certapply 0.1 and `privateKey`, `hashSalt`).
 */
import { APPLICATION, LETTER, TYPES, type FieldSpec, type ResourceSpec, type TypeSpec } from "./spec";

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

/**
 * Where a value holds secrets, from spec.ts: `true` (secret as a whole), the secret parts of an object's fields, or
 * of every item of a list. Absent: nothing secret inside.
 */
export type SecretShape = true | { fields: Record<string, SecretShape> } | { items: SecretShape };

function mergeShapes(a: SecretShape | undefined, b: SecretShape | undefined): SecretShape | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  if (a === true || b === true) return true;
  if ("items" in a && "items" in b) return { items: mergeShapes(a.items, b.items) ?? true };
  if ("fields" in a && "fields" in b) {
    const fields: Record<string, SecretShape> = { ...a.fields };
    for (const [k, v] of Object.entries(b.fields)) fields[k] = mergeShapes(fields[k], v) ?? v;
    return { fields };
  }
  return true; // an object in one shape and a list in the other: keep it all secret
}

/** The secret shape of one field: itself, its list items, or the fields of its object type(s), at any depth. */
function shapeOf(f: FieldSpec, types: Record<string, TypeSpec>, refs: readonly (string | undefined)[], seen: readonly string[]): SecretShape | undefined {
  if (f.secret) return true;
  if (f.type === "array" && f.items) {
    const item = shapeOf(f.items, types, [f.items.ref], seen);
    return item === undefined ? undefined : { items: item };
  }
  let shape: SecretShape | undefined;
  for (const ref of refs) {
    const t = ref !== undefined && !seen.includes(ref) ? types[ref] : undefined;
    if (!t) continue;
    const fields: Record<string, SecretShape> = {};
    for (const [k, x] of Object.entries(t.properties)) {
      const inner = shapeOf(x, types, [x.ref], [...seen, ref as string]);
      if (inner !== undefined) fields[k] = inner;
    }
    if (Object.keys(fields).length) shape = mergeShapes(shape, { fields });
  }
  return shape;
}

/** Per top-level property of `resources`: where its value holds secrets (the input type and the output type). */
export function secretShapes(resources: readonly ResourceSpec[], types: Record<string, TypeSpec>): Map<string, SecretShape> {
  const shapes = new Map<string, SecretShape>();
  for (const r of resources) {
    for (const [k, p] of Object.entries(r.properties)) {
      const shape = shapeOf(p, types, [p.ref, p.outputRef], []);
      const merged = mergeShapes(shapes.get(k), shape);
      if (merged !== undefined) shapes.set(k, merged);
    }
  }
  return shapes;
}

/** `v` with every part `shape` names wrapped as a secret (absent and null values stay as they are). */
function applyShape(v: unknown, shape: SecretShape): unknown {
  if (v === undefined || v === null || isSecretValue(v)) return v;
  if (shape === true) return secretValue(v);
  if ("items" in shape) return Array.isArray(v) ? v.map((x) => applyShape(x, shape.items)) : v;
  if (typeof v !== "object" || Array.isArray(v)) return v;
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const [k, inner] of Object.entries(shape.fields)) if (k in out) out[k] = applyShape(out[k], inner);
  return out;
}

/**
 * `props` with every part `shapes` keeps secret wrapped (whole properties, fields inside a block, list items, at
 * any depth), plus every top-level key whose value was secret in one of `sources` (the request's inputs or state).
 */
export function markWith(shapes: Map<string, SecretShape>, props: Record<string, unknown>, ...sources: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...props };
  for (const [k, v] of Object.entries(out)) {
    if (v === undefined || v === null || isSecretValue(v)) continue;
    if (sources.some((s) => s && containsSecret(s[k]))) out[k] = secretValue(v);
    else {
      const shape = shapes.get(k);
      if (shape !== undefined) out[k] = applyShape(v, shape);
    }
  }
  return out;
}

/** Where the values of either resource hold secrets, per spec.ts. */
const SHAPES = secretShapes([APPLICATION, LETTER], TYPES);

/** markWith for the two resources of spec.ts: the one place every reply of either path marks its secrets. */
export function markSecrets(props: Record<string, unknown>, ...sources: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  return markWith(SHAPES, props, ...sources);
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
