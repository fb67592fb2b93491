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

function resource(r: ResourceSpec): SchemaJson {
  const all = Object.entries(r.properties) as [string, PropertySpec][];
  const inputs = argEntries(r);
  const outputs = all.filter(([, p]) => p.output);
  return {
    description: r.description,
    inputProperties: Object.fromEntries(inputs.map(([k, p]) => [k, property(p)])),
    requiredInputs: required(inputs),
    properties: Object.fromEntries(outputs.map(([k, p]) => [k, property({ ...p, ref: p.outputRef ?? p.ref })])),
    // Outputs that are always set: the output-only fields marked required, and the required arguments (echoed).
    required: required(outputs),
  };
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
    out[typeToken(name)] = { type: e.type, description: e.description, enum: e.values.map((v) => ({ value: v.value, description: v.description })) };
  }
  return out;
}

function configVariables(): Record<string, SchemaJson> {
  const vars: Record<string, SchemaJson> = {};
  for (const s of settings()) {
    const v: SchemaJson = {
      type: "string",
      description: `${s.description} Environment variable: \`${s.env}\`.`,
      defaultInfo: { environment: [s.env] },
    };
    if (s.default !== undefined) v.default = s.default;
    if (SECRET_SETTINGS.includes(s.name)) v.secret = true;
    vars[s.name] = v;
  }
  return vars;
}

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
    language: {
      nodejs: { packageName: PACKAGE, packageDescription: "Paid SSL certificate applications on Tencent Cloud SSL, Edgecast CPS and Huawei Cloud SCM." },
      python: { packageName: `pulumi_${PACKAGE}` },
    },
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
