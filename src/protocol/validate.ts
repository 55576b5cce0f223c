/**
 * Input validation with the model's constraints, in AWS's words: every
 * violation of a request is listed (`2 validation errors detected: Value 'a b'
 * at 'roleName' failed to satisfy constraint: Member must satisfy regular
 * expression pattern: [\w+=,.@-]+; Value null at 'assumeRolePolicyDocument'
 * failed to satisfy constraint: Member must not be null`), members in model
 * order, paths as AWS writes them (`tags.1.member.key`). Sensitive values are
 * never echoed.
 */
import { lowerFirst, ProtocolError } from './errors.js';
import { type ServiceModel, type Shape, shapeOf } from './model.js';

/** At most this many violations are listed (the count says how many there were). */
const LISTED = 10;

function shown(shape: Shape, v: unknown): string {
  if (shape.sensitive) return '';
  if (Array.isArray(v)) return ` '[${v.map((x) => (typeof x === 'object' ? '…' : String(x))).join(', ')}]'`;
  if (typeof v === 'object' && v !== null) return '';
  return ` '${String(v)}'`;
}

function lengthOf(v: unknown): number | undefined {
  if (typeof v === 'string') return v.length;
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'object' && v !== null) return Object.keys(v).length;
  return undefined;
}

function constraints(shape: Shape, v: unknown): string[] {
  const out: string[] = [];
  const numeric = typeof v === 'number';
  const size = numeric ? (v as number) : lengthOf(v);
  const what = numeric ? 'value' : 'length';
  if (size !== undefined && shape.min !== undefined && size < shape.min) out.push(`Member must have ${what} greater than or equal to ${shape.min}`);
  if (size !== undefined && shape.max !== undefined && size > shape.max) out.push(`Member must have ${what} less than or equal to ${shape.max}`);
  if (typeof v === 'string' && shape.regex !== undefined && !shape.regex.test(v)) out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  if (typeof v === 'string' && shape.enum !== undefined && !shape.enum.includes(v)) out.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  return out;
}

function walk(model: ServiceModel, shapeName: string, v: unknown, path: string, out: string[]): void {
  const shape = shapeOf(model, shapeName);
  for (const c of constraints(shape, v)) out.push(`Value${shown(shape, v)} at '${path}' failed to satisfy constraint: ${c}`);
  if (shape.type === 'structure' && typeof v === 'object' && v !== null) {
    const rec = v as Record<string, unknown>;
    const required = new Set(shape.required ?? []);
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const p = path === '' ? lowerFirst(name) : `${path}.${lowerFirst(name)}`;
      const mv = Object.hasOwn(rec, name) ? rec[name] : undefined;
      if (mv === undefined || mv === null) {
        if (required.has(name)) out.push(`Value null at '${p}' failed to satisfy constraint: Member must not be null`);
        continue;
      }
      walk(model, ref.shape, mv, p, out);
    }
  } else if (shape.type === 'list' && Array.isArray(v)) {
    for (const [i, x] of v.entries()) walk(model, shape.member!.shape, x, `${path}.${i + 1}.member`, out);
  } else if (shape.type === 'map' && typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      walk(model, shape.key!.shape, k, `${path}.${k}.key`, out);
      walk(model, shape.value!.shape, x, `${path}.${k}.value`, out);
    }
  }
}

/** The constraint violations of `value` as an input of shape `shapeName` (empty: valid). */
export function violations(model: ServiceModel, shapeName: string, value: unknown): string[] {
  const out: string[] = [];
  walk(model, shapeName, value, '', out);
  return out;
}

/** AWS's message for a list of violations. */
export function violationMessage(list: readonly string[]): string {
  const head = `${list.length} validation error${list.length === 1 ? '' : 's'} detected: `;
  return head + list.slice(0, LISTED).join('; ');
}

/** Throws the Query protocol's ValidationError (400) when `value` breaks a constraint of its shape. */
export function validateQueryInput(model: ServiceModel, shapeName: string | undefined, value: unknown): void {
  if (shapeName === undefined) return;
  const list = violations(model, shapeName, value);
  if (list.length > 0) throw new ProtocolError(400, 'ValidationError', violationMessage(list));
}
