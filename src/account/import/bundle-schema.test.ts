/**
 * Checks schemas/account-bundle.schema.json against the bundle fixture with a
 * small validator for the keywords the schema uses (no validator dependency).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { fixture } from '../test-support.test.js';

type Schema = { [k: string]: unknown };
const SCHEMA_PATH = fileURLToPath(new URL('../../../../schemas/account-bundle.schema.json', import.meta.url));
const root = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Schema;

function resolve(s: Schema): Schema {
  const ref = s['$ref'];
  if (typeof ref !== 'string') return s;
  const name = ref.replace('#/$defs/', '');
  return resolve((root['$defs'] as Record<string, Schema>)[name] as Schema);
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function validate(value: unknown, schema: Schema, path: string, errors: string[]): void {
  const s = resolve(schema);
  const t = s['type'];
  if (t !== undefined) {
    const types = Array.isArray(t) ? t : [t];
    const vt = typeOf(value);
    if (!types.includes(vt) && !(vt === 'integer' && types.includes('number'))) errors.push(`${path}: type ${vt} not in ${types.join('|')}`);
  }
  if (Array.isArray(s['enum']) && !s['enum'].includes(value)) errors.push(`${path}: not in enum`);
  if (typeof s['pattern'] === 'string' && typeof value === 'string' && !new RegExp(s['pattern'], 'u').test(value)) errors.push(`${path}: pattern`);
  if (typeof s['minimum'] === 'number' && typeof value === 'number' && value < s['minimum']) errors.push(`${path}: minimum`);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const alts = s[key];
    if (!Array.isArray(alts)) continue;
    const ok = alts.filter((alt) => {
      const e: string[] = [];
      validate(value, alt as Schema, path, e);
      return e.length === 0;
    }).length;
    if (key === 'oneOf' ? ok !== 1 : ok === 0) errors.push(`${path}: ${key} matched ${ok}`);
  }
  if (Array.isArray(s['allOf'])) for (const sub of s['allOf']) validate(value, sub as Schema, path, errors);
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (s['properties'] ?? {}) as Record<string, Schema>;
    for (const r of (s['required'] ?? []) as string[]) if (!(r in obj)) errors.push(`${path}: missing ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) validate(v, props[k], `${path}.${k}`, errors);
      else if (s['additionalProperties'] === false) errors.push(`${path}: unexpected ${k}`);
      else if (typeof s['additionalProperties'] === 'object') validate(v, s['additionalProperties'] as Schema, `${path}.${k}`, errors);
    }
  }
  if (Array.isArray(value) && s['items'])
    value.forEach((v, i) => {
      validate(v, s['items'] as Schema, `${path}[${i}]`, errors);
    });
}

test('the bundle fixture conforms to the JSON Schema', () => {
  const bundle: unknown = parse(readFileSync(fixture('bundle.yaml'), 'utf8'));
  const errors: string[] = [];
  validate(bundle, root, '$', errors);
  assert.deepEqual(errors, []);
});

test('the schema rejects typos the importer warns about', () => {
  const errors: string[] = [];
  validate({ accounts: [{ id: '123456789012', roles: [{ name: 'R', trustPolicy: {}, maxSesionDuration: 3600 }] }] }, root, '$', errors);
  assert.deepEqual(errors, ['$.accounts[0].roles[0]: unexpected maxSesionDuration']);
  const bad: string[] = [];
  validate({ accounts: [{ id: '12345' }] }, root, '$', bad);
  assert.ok(bad.some((e) => e.includes('pattern')));
});
