/**
 * The one place replies mark secrets (provider/resources/secrets.ts): every secret spec.ts names, at any depth
 * (a block's field, a list's items, a field of a list item, a field of the output type), is wrapped; nothing else.
 */
import { APPLICATION, LETTER, TYPES, type FieldSpec, type ResourceSpec, type TypeSpec } from "../../provider/resources/spec";
import { isSecretValue, markSecrets, markWith, secretShapes, unwrapSecrets } from "../../provider/resources/secrets";

/** The value cut of every secret-wrapped part: what would be plain in state. */
function plainPart(v: unknown): unknown {
  if (isSecretValue(v)) return "[secret]";
  if (Array.isArray(v)) return v.map(plainPart);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainPart(x)]));
  return v;
}

const str = (secret = false): FieldSpec => ({ type: "string", description: "s", ...(secret ? { secret } : {}) });
const obj = (ref: string): FieldSpec => ({ type: "object", ref, description: "o" });
const list = (items: FieldSpec, secret = false): FieldSpec => ({ type: "array", items, description: "l", ...(secret ? { secret } : {}) });

const types: Record<string, TypeSpec> = {
  Leaf: { description: "", properties: { open: str(), hidden: str(true) } },
  Middle: { description: "", properties: { leaf: obj("Leaf"), leaves: list(obj("Leaf")), tokens: list(str(true)), note: str() } },
  Top: { description: "", properties: { middle: obj("Middle"), label: str() } },
  TopOut: { description: "", properties: { label: str(), outSecret: str(true) } },
  Loop: { description: "", properties: { self: obj("Loop"), key: str(true) } },
};
const resource: ResourceSpec = {
  token: "t:index:R",
  description: "",
  properties: {
    top: { ...obj("Top"), input: "user", output: true, outputRef: "TopOut" },
    rows: { ...list(obj("Leaf")), input: "user", output: true },
    whole: { ...list(obj("Leaf"), true), input: "user", output: true },
    loop: { ...obj("Loop"), input: "user", output: true },
    plain: { ...str(), input: "user", output: true },
  },
};

test("nested secrets at any depth are wrapped: a block's field, list items, a list item's field, the output type's field", () => {
  const shapes = secretShapes([resource], types);
  const props = {
    top: {
      label: "L",
      outSecret: "C6",
      middle: { note: "N", leaf: { open: "o", hidden: "C1" }, leaves: [{ open: "o", hidden: "C2" }, { hidden: "C3" }], tokens: ["C4", "C5"] },
    },
    rows: [{ open: "o", hidden: "C7" }],
    whole: [{ open: "C8" }],
    loop: { key: "C9", self: { key: "C10" } },
    plain: "P",
  };
  const marked = markWith(shapes, props);
  const text = JSON.stringify(plainPart(marked));
  for (const c of ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9"]) expect(text).not.toContain(`"${c}"`);
  // What is not secret stays readable, and unwrapping gives the value back unchanged.
  for (const p of ['"L"', '"N"', '"o"', '"P"']) expect(text).toContain(p);
  expect(unwrapSecrets(marked)).toEqual(props);
  expect((marked.top as { middle: { tokens: unknown[] } }).middle.tokens.every(isSecretValue)).toBe(true);
  // A recursive type is followed once (its own key), never forever.
  expect(isSecretValue((marked.loop as Record<string, unknown>).key)).toBe(true);
});

test("a top-level key secret in the request stays secret as a whole", () => {
  const marked = markWith(secretShapes([resource], types), { plain: "P" }, { plain: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "P" } });
  expect(isSecretValue(marked.plain)).toBe(true);
});

/** Every path spec.ts marks secret, walked here on its own (a list as one item, `[]`). */
function secretPaths(): string[] {
  const out: string[] = [];
  const walk = (f: FieldSpec, at: string, refs: (string | undefined)[], depth: number) => {
    if (f.secret) return void out.push(at);
    if (depth > 8) return;
    if (f.items) return walk(f.items, `${at}[]`, [f.items.ref], depth + 1);
    for (const ref of refs) if (ref && TYPES[ref]) for (const [k, x] of Object.entries(TYPES[ref].properties)) walk(x, `${at}.${k}`, [x.ref], depth + 1);
  };
  for (const r of [APPLICATION, LETTER]) for (const [k, p] of Object.entries(r.properties)) walk(p, k, [p.ref, p.outputRef], 0);
  return [...new Set(out)];
}

test("the real spec: a canary at every secret path, nested ones included (edgecast.notifications), is never plain", () => {
  const paths = secretPaths();
  expect(paths).toEqual(expect.arrayContaining(["organization", "admin", "tech", "tencent", "edgecast.notifications", "hashSalt", "privateKey", "content"]));
  const props: Record<string, unknown> = {};
  paths.forEach((p, i) => {
    const parts = p.split(".");
    let at: Record<string, unknown> = props;
    for (const part of parts.slice(0, -1)) at = (at[part.replace("[]", "")] ??= {}) as Record<string, unknown>;
    const last = parts[parts.length - 1];
    at[last.replace("[]", "")] = last.endsWith("[]") ? [`canary-${i}`] : `canary-${i}`;
  });
  const text = JSON.stringify(plainPart(markSecrets(props)));
  paths.forEach((p, i) => expect(`${p}: ${text}`).not.toContain(`canary-${i}"`));
  // The edgecast block itself stays readable: only its secret field is wrapped.
  const edgecast = markSecrets({ edgecast: { description: "shop", notifications: [{ emails: ["a@example.com"] }] } }).edgecast as Record<string, unknown>;
  expect(edgecast.description).toBe("shop");
  expect(isSecretValue(edgecast.notifications)).toBe(true);
});
