/**
 * The Pulumi package schema of certapply (what `GetSchema` serves and `pulumi package add` generates SDKs
 * from), derived from provider/resources/spec.ts: the same definitions as the check's validation and the
 * Node.js SDK's docs.
 */
import { SECRET_SETTINGS } from "./config";
import { APPLICATION, ENUMS, LETTER, TYPES, argEntries, settings, type FieldSpec, type PropertySpec, type ResourceSpec } from "./resources/spec";

const PACKAGE = "certapply";

/** A type token of this package, e.g. `certapply:index:Contact`. */
export function typeToken(name: string): string {
  return `${PACKAGE}:index:${name}`;
}

/** A JSON value of the schema. */
export type SchemaJson = { [key: string]: unknown };

/** The schema's type reference of a field (primitive, array, object or enum `$ref`). */
function typeRef(f: FieldSpec): SchemaJson {
  if (f.type === "array") return { type: "array", items: typeRef(f.items as FieldSpec) };
  if (f.ref && (TYPES[f.ref] || (ENUMS[f.ref] && ENUMS[f.ref].values.length > 0))) return { $ref: `#/types/${typeToken(f.ref)}` };
  if (f.type === "object") return { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } };
  return { type: f.type };
}

function property(f: FieldSpec): SchemaJson {
  const p: SchemaJson = { ...typeRef(f), description: f.description };
  if (f.secret) p.secret = true;
  if (f.default !== undefined) p.default = f.default;
  return p;
}

function required(fields: [string, FieldSpec][]): string[] {
  return fields.filter(([, f]) => f.required).map(([k]) => k);
}

/** Properties without their defaults: a state read from the cloud, not filled by an SDK. */
function withoutDefaults(props: Record<string, SchemaJson>): Record<string, SchemaJson> {
  return Object.fromEntries(Object.entries(props).map(([k, p]) => [k, Object.fromEntries(Object.entries(p).filter(([f]) => f !== "default"))]));
}

function resource(r: ResourceSpec): SchemaJson {
  const all = Object.entries(r.properties) as [string, PropertySpec][];
  const inputs = argEntries(r);
  const outputs = all.filter(([, p]) => p.output);
  const properties = Object.fromEntries(outputs.map(([k, p]) => [k, property({ ...p, ref: p.outputRef ?? p.ref })]));
  return {
    description: r.description,
    inputProperties: Object.fromEntries(inputs.map(([k, p]) => [k, property(p)])),
    requiredInputs: required(inputs),
    properties,
    // Outputs that are always set: the output-only fields marked required, and the required arguments (echoed).
    required: required(outputs),
    // What a typed `get(name, id, state)` takes: any of the outputs (the provider reads the rest from the cloud).
    stateInputs: { description: `Input properties used for looking up and filtering ${r.token.split(":")[2]} resources.`, type: "object", properties: withoutDefaults(properties) },
  };
}

/**
 * The name generated SDKs give an enum value: its words in PascalCase, an all-capitals word as a word
 * (`DNS_AUTO` → `DnsAuto`, `validation-records` → `ValidationRecords`, `SHA-256` → `Sha256`). Without a name the
 * generators derive their own, badly: Go `WaitFor_Validation_Records`, Python `RS_A_2048`, and two `EMAIL`s.
 */
export function enumValueName(value: string | number): string {
  return String(value)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => (w === w.toUpperCase() ? w.charAt(0) + w.slice(1).toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join("");
}

function types(): Record<string, SchemaJson> {
  const out: Record<string, SchemaJson> = {};
  for (const [name, t] of Object.entries(TYPES)) {
    const fields = Object.entries(t.properties);
    const spec: SchemaJson = { type: "object", description: t.description, properties: Object.fromEntries(fields.map(([k, f]) => [k, property(f)])) };
    const req = required(fields);
    if (req.length) spec.required = req;
    out[typeToken(name)] = spec;
  }
  for (const [name, e] of Object.entries(ENUMS)) {
    if (e.values.length === 0) continue;
    out[typeToken(name)] = { type: e.type, description: e.description, enum: e.values.map((v) => ({ name: v.name ?? enumValueName(v.value), value: v.value, description: v.description })) };
  }
  return out;
}

function configVariables(): Record<string, SchemaJson> {
  const vars: Record<string, SchemaJson> = {};
  for (const s of settings()) {
    const type: SchemaJson = s.type === "object" ? { type: "object", additionalProperties: { type: "number" } } : { type: s.type };
    const v: SchemaJson = { ...type, description: `${s.description} Environment variable: \`${s.env}\`.` };
    // The SDKs read a default from the environment for primitive values only (Go's generated provider does not compile otherwise).
    if (s.type !== "object") v.defaultInfo = { environment: [s.env] };
    if (s.default !== undefined) v.default = s.type === "integer" ? Number(s.default) : s.default;
    if (SECRET_SETTINGS.includes(s.name)) v.secret = true;
    vars[s.name] = v;
  }
  return vars;
}

/**
 * Per-language settings of generated SDKs. Node.js programs use the `certapply` package itself (dynamic
 * resources); Go's import path is the one Pulumi's Go generator derives for a package without a repository.
 * No Java section: Java SDKs are generated by a separate plugin (pulumi-java) outside this project's tests.
 */
export const LANGUAGE = {
  nodejs: { packageName: PACKAGE, packageDescription: "Paid SSL certificate applications on Tencent Cloud SSL, Edgecast CPS and Huawei Cloud SCM.", respectSchemaVersion: true },
  python: { packageName: `pulumi_${PACKAGE}`, pyproject: { enabled: true }, respectSchemaVersion: true },
  go: { importBasePath: `example.com/pulumi-${PACKAGE}/sdk/go/${PACKAGE}`, generateResourceContainerTypes: true, respectSchemaVersion: true },
  csharp: { packageReferences: { Pulumi: "3.*" }, respectSchemaVersion: true },
} as const;

/** The complete package schema for `version`. */
export function packageSchema(version: string): SchemaJson {
  const variables = configVariables();
  return {
    name: PACKAGE,
    displayName: "certapply",
    version,
    description: "Paid SSL certificate applications on Tencent Cloud SSL, Edgecast CPS and Huawei Cloud SCM.",
    keywords: ["pulumi", "ssl", "certificate", "tencent", "edgecast", "huawei", "category/security", "kind/native"],
    license: "Apache-2.0",
    config: { variables, defaults: Object.keys(variables) },
    provider: {
      description: "The certapply provider: credentials and endpoints of the three clouds, and call behaviour. Each setting falls back to its environment variable.",
      inputProperties: variables,
    },
    types: types(),
    resources: {
      [APPLICATION.token]: resource(APPLICATION),
      [LETTER.token]: resource(LETTER),
    },
    language: LANGUAGE,
  };
}

/** Figures of a schema: its size as served (JSON bytes), its property count and properties without a description. */
export function schemaFigures(schema: SchemaJson): { bytes: number; properties: number; undescribed: string[] } {
  let properties = 0;
  const undescribed: string[] = [];
  const count = (where: string, props: unknown) => {
    for (const [k, p] of Object.entries((props ?? {}) as Record<string, SchemaJson>)) {
      properties++;
      if (typeof p.description !== "string" || p.description === "") undescribed.push(`${where}.${k}`);
    }
  };
  const s = schema as { config?: { variables?: unknown }; provider?: SchemaJson; types?: Record<string, SchemaJson>; resources?: Record<string, SchemaJson> };
  count("config", s.config?.variables);
  count("provider", s.provider?.inputProperties);
  for (const [t, spec] of Object.entries(s.types ?? {})) count(t, spec.properties);
  for (const [r, spec] of Object.entries(s.resources ?? {})) {
    count(`${r}.inputProperties`, spec.inputProperties);
    count(`${r}.properties`, spec.properties);
  }
  return { bytes: Buffer.byteLength(JSON.stringify(schema)), properties, undescribed };
}
