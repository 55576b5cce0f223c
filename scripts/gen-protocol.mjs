#!/usr/bin/env node
/**
 * Generates iamsim's AWS protocol layer data from AWS's service models
 * (vendor/botocore/, botocore 1.43.11, Apache-2.0): for each service one
 * TypeScript module under src/protocol/generated/ holding
 * - the model without documentation (`ServiceModel`, src/protocol/model.ts):
 *   operations with their input, output, result wrapper and errors; shapes
 *   with their constraints (required, min/max, pattern compiled for
 *   JavaScript, enum), which the parsers, validators and serializers of
 *   src/protocol/ read;
 * - a TypeScript type per structure shape and an operation table
 *   (`<Service>Operations`: input and output type of each operation), so a
 *   handler's input and output are checked by the compiler.
 *
 *   node scripts/gen-protocol.mjs           # writes src/protocol/generated/
 *   node scripts/gen-protocol.mjs --check   # exit 1 when a generated file differs (CI; src/protocol/generated.test.ts too)
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BOTOCORE = '1.43.11';

/** service folder, API version, TypeScript name of the model constant. */
export const SERVICES = [
  { dir: 'iam', version: '2010-05-08', name: 'Iam' },
  { dir: 'sts', version: '2011-06-15', name: 'Sts' },
  { dir: 'organizations', version: '2016-11-28', name: 'Organizations' },
  { dir: 'accessanalyzer', version: '2019-11-01', name: 'AccessAnalyzer' },
];

const SHAPE_KEYS = ['type', 'required', 'min', 'max', 'pattern', 'enum', 'sensitive', 'flattened', 'timestampFormat', 'union', 'exception', 'error'];
const REF_KEYS = ['shape', 'location', 'locationName'];
const META_KEYS = ['apiVersion', 'protocol', 'serviceId', 'endpointPrefix', 'signingName', 'xmlNamespace', 'targetPrefix', 'jsonVersion'];

function pick(obj, keys) {
  const out = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

/** The model's pattern (Java, whole-value match) as JavaScript source and flags; an error when it cannot be compiled. */
function jsPattern(pattern, where) {
  const source = `^(?:${pattern})$`;
  for (const flags of ['u', '']) {
    try {
      new RegExp(source, flags);
      return { source, flags };
    } catch {}
  }
  throw new Error(`${where}: pattern ${pattern} does not compile as a JavaScript regular expression`);
}

function shapeLiteral(name, s) {
  const out = pick(s, SHAPE_KEYS);
  if (s.members) out.members = Object.fromEntries(Object.entries(s.members).map(([k, m]) => [k, pick(m, REF_KEYS)]));
  for (const k of ['member', 'key', 'value']) if (s[k]) out[k] = pick(s[k], REF_KEYS);
  let text = JSON.stringify(out);
  if (s.pattern !== undefined) {
    const { source, flags } = jsPattern(s.pattern, name);
    text = `${text.slice(0, -1)},"regex":new RegExp(${JSON.stringify(source)}, ${JSON.stringify(flags)})}`;
  }
  return text;
}

const RESERVED = new Set(['string', 'number', 'boolean', 'any', 'unknown', 'never', 'object', 'symbol', 'void', 'undefined', 'null', 'type', 'interface']);
const typeName = (n) => (RESERVED.has(n) ? `${n}_` : n.replace(/[^A-Za-z0-9_]/g, '_'));

/** The TypeScript type of a reference to shape `name`. */
function tsType(shapes, name) {
  const s = shapes[name];
  switch (s.type) {
    case 'structure':
      return typeName(name);
    case 'list':
      return `${wrap(tsType(shapes, s.member.shape))}[]`;
    case 'map':
      return `Record<string, ${tsType(shapes, s.value.shape)}>`;
    case 'string':
      return s.enum ? s.enum.map((v) => JSON.stringify(v)).join(' | ') : 'string';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      return 'number';
    case 'timestamp':
      return 'string'; // ISO 8601 (the parsers read and the serializers write each protocol's format)
    case 'blob':
      return 'string'; // base64
    default:
      throw new Error(`shape ${name}: unknown type ${s.type}`);
  }
}

const wrap = (t) => (t.includes('|') ? `(${t})` : t);
const prop = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));

function structType(shapes, name) {
  const s = shapes[name];
  const required = new Set(s.required ?? []);
  const lines = Object.entries(s.members ?? {}).map(([k, m]) => `  readonly ${prop(k)}${required.has(k) ? '' : '?'}: ${tsType(shapes, m.shape)};`);
  return lines.length === 0 ? `export type ${typeName(name)} = Record<string, never>;` : `export interface ${typeName(name)} {\n${lines.join('\n')}\n}`;
}

export function generate(svc) {
  const file = join(ROOT, 'vendor/botocore', svc.dir, svc.version, 'service-2.json.gz');
  const model = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  const shapes = model.shapes;
  const names = Object.keys(shapes).sort();
  const ops = Object.keys(model.operations).sort();
  const out = [];
  out.push(
    `/* Generated by scripts/gen-protocol.mjs from vendor/botocore/${svc.dir}/${svc.version}/service-2.json.gz`,
    ` * (AWS's ${model.metadata.serviceFullName} model, botocore ${BOTOCORE}, Apache-2.0). Do not edit: run \`npm run gen:protocol\`. */`,
    `import type { ServiceModel } from '../model.js';`,
    '',
    `export const ${svc.name.toUpperCase()}_MODEL: ServiceModel = {`,
    `  metadata: ${JSON.stringify(pick(model.metadata, META_KEYS))},`,
    '  operations: {',
  );
  for (const op of ops) {
    const o = model.operations[op];
    const lit = { name: op, http: o.http };
    if (o.input) lit.input = o.input.shape;
    if (o.output) lit.output = o.output.shape;
    if (o.output?.resultWrapper) lit.resultWrapper = o.output.resultWrapper;
    if (o.errors?.length) lit.errors = o.errors.map((e) => e.shape);
    out.push(`    ${prop(op)}: ${JSON.stringify(lit)},`);
  }
  out.push('  },', '  shapes: {');
  for (const n of names) out.push(`    ${prop(n)}: ${shapeLiteral(n, shapes[n])},`);
  out.push('  },', '};', '');
  for (const n of names) if (shapes[n].type === 'structure' && !shapes[n].exception) out.push(structType(shapes, n), '');
  out.push(`/** Each operation's input and output type (\`undefined\`: the operation has none). */`, `export interface ${svc.name}Operations {`);
  for (const op of ops) {
    const o = model.operations[op];
    const t = (ref) => (ref ? typeName(ref.shape) : 'undefined');
    out.push(`  ${prop(op)}: { input: ${t(o.input)}; output: ${t(o.output)} };`);
  }
  out.push('}', '', `export type ${svc.name}OperationName = keyof ${svc.name}Operations;`, '');
  return out.join('\n');
}

export function outputPath(svc) {
  return join(ROOT, 'src/protocol/generated', `${svc.dir}.ts`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  mkdirSync(join(ROOT, 'src/protocol/generated'), { recursive: true });
  for (const svc of SERVICES) {
    const text = generate(svc);
    const path = outputPath(svc);
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {}
    if (current === text) continue;
    if (check) {
      stale++;
      console.error(`gen-protocol: ${path} is out of date: run npm run gen:protocol`);
    } else {
      writeFileSync(path, text);
      console.log(`gen-protocol: wrote ${path}`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
