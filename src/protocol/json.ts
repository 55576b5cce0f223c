/**
 * AWS's JSON protocols (REST-JSON: Access Analyzer; JSON 1.1: Organizations):
 * an operation's input read from the parsed body and, for REST-JSON, the
 * members the model places in the query string (`location: querystring`),
 * each value checked against its shape's type; output written as JSON with
 * the model's members only, timestamps as the model says (epoch seconds by
 * default, ISO 8601 for `timestampFormat: iso8601`).
 *
 * Access Analyzer's input errors are its `ValidationException`
 * (`reason: fieldValidationFailed`, `fieldList: [{name, message}]`).
 */
import { ProtocolError } from './errors.js';
import { decodeShape, pathText } from './decode.js';
import { type Operation, type ServiceModel, type Shape, shapeOf } from './model.js';
import { isoTimestamp } from './query-xml.js';
import { violationMessage, violations } from './validate.js';

function typeError(path: string, want: string): ProtocolError {
  return new ProtocolError(400, 'ValidationException', `${path} must be ${want}`, {
    reason: 'cannotParse',
    fieldList: [{ name: path, message: `must be ${want}` }],
  });
}

/** Reads the query-string members of a REST-JSON input (`maxResults`, `nextToken`…). */
function fromQueryString(model: ServiceModel, shape: Shape, query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (ref.location !== 'querystring') continue;
    const text = query.get(ref.locationName ?? name);
    if (text === null) continue;
    const t = shapeOf(model, ref.shape).type;
    const n = t === 'integer' || t === 'long' ? (/^[+-]?\d{1,16}$/.test(text) ? Number(text) : Number.NaN) : undefined;
    if (n !== undefined && !Number.isSafeInteger(n)) throw typeError(name, 'an integer');
    out[name] = n ?? (t === 'boolean' ? text === 'true' : text);
  }
  return out;
}

/** The operation's input from a JSON body (and the query string), type-checked and validated against the model. */
export function parseJsonInput(model: ServiceModel, op: Operation, body: unknown, query: URLSearchParams = new URLSearchParams()): Record<string, unknown> {
  if (op.input === undefined) return {};
  const shape = shapeOf(model, op.input);
  const read = decodeShape<Record<string, unknown>>(model, op.input, body, { bodyOnly: true });
  const first = read.problems[0];
  if (first !== undefined) throw typeError(pathText(first.path), first.want);
  const input = { ...read.value, ...fromQueryString(model, shape, query) };
  const list = violations(model, op.input, input);
  if (list.length > 0) {
    const fieldList = list.map((m) => ({ name: /at '([^']*)'/.exec(m)?.[1] ?? '', message: m.slice(m.indexOf('failed to satisfy constraint: ') + 30) }));
    throw new ProtocolError(400, 'ValidationException', violationMessage(list), { reason: 'fieldValidationFailed', fieldList });
  }
  return input;
}

function toJson(model: ServiceModel, shapeName: string, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const x = Object.hasOwn(v as object, name) ? toJson(model, ref.shape, (v as Record<string, unknown>)[name]) : undefined;
        if (x !== undefined) out[ref.locationName ?? name] = x;
      }
      return out;
    }
    case 'list':
      return (v as unknown[]).map((x) => toJson(model, shape.member!.shape, x));
    case 'map':
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toJson(model, shape.value!.shape, x)]));
    case 'timestamp':
      return shape.timestampFormat === 'iso8601' ? isoTimestamp(v) : Date.parse(isoTimestamp(v)) / 1000;
    default:
      return v;
  }
}

/** The output as the JSON body AWS sends: the model's members only, in its order. */
export function jsonOutput(model: ServiceModel, op: Operation, output: unknown): Record<string, unknown> {
  if (op.output === undefined) return {};
  return (toJson(model, op.output, output ?? {}) as Record<string, unknown>) ?? {};
}
