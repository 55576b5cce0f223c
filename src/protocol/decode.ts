/**
 * A parsed JSON value read as a shape of an AWS service model: each member's
 * type checked (structure, list, map, string, number, boolean, timestamp),
 * members the model does not name left out, and every problem listed with
 * its path, the member it is in left out so that a reader keeps everything
 * else. Constraints (lengths, patterns, enums) are not checked here: a request
 * is validated afterwards (validate.ts), and a response is read as AWS's
 * clients read one — a newer service may send values the vendored model lacks.
 *
 * Two readers use it: the JSON protocols' request parser (json.ts, which
 * answers the first problem as a ValidationException) and the account
 * importers, which read AWS CLI outputs (`get-account-authorization-details`,
 * Organizations) through the operation's output shape and report each
 * problem as a diagnostic at its line and column.
 */
import { type ServiceModel, type Shape, shapeOf } from './model.js';
import { isoTimestamp } from './query-xml.js';

export type ValuePath = readonly (string | number)[];

export interface ShapeProblem {
  /** Where the value is, from the decoded root. */
  readonly path: ValuePath;
  /** What went wrong: `type` (the value is not what the model says), `required` (a required member is absent). */
  readonly kind: 'type' | 'required';
  /** `type`: what the value must be (`an object`, `a list`, `a string`, `a boolean`, `a number`, `an integer`, `a timestamp`); `required`: the member. */
  readonly want: string;
}

export interface DecodeOptions {
  /** Shapes whose values are passed through as they are (the AWS CLI prints IAM's policy documents as JSON objects). */
  readonly opaque?: ReadonlySet<string>;
  /** A number where the model says string is read as its decimal text (hand-edited outputs). Default false. */
  readonly numbersAsStrings?: boolean;
  /** Timestamps as given (a string kept, epoch seconds written in ISO 8601), or always ISO 8601 (default). */
  readonly timestamps?: 'as-given' | 'iso8601';
  /** Skip structure members that travel outside the body (`location`: REST protocols' URI, query string, headers). */
  readonly bodyOnly?: boolean;
  /** A structure without a member the model requires is a problem, and is left out (default false: requests are validated afterwards). */
  readonly required?: boolean;
}

export interface Decoded<T> {
  /** The value read (undefined when the root itself is not of the shape's type). */
  readonly value: T | undefined;
  readonly problems: readonly ShapeProblem[];
  /** The input path of a structure of `value` (lists keep their items' input indexes here when an item is left out). */
  pathOf(node: object): ValuePath;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Reader {
  readonly problems: ShapeProblem[] = [];
  readonly paths = new WeakMap<object, ValuePath>();

  constructor(
    private readonly model: ServiceModel,
    private readonly opts: DecodeOptions,
  ) {}

  private fail(path: ValuePath, want: string): undefined {
    this.problems.push({ path, kind: 'type', want });
    return undefined;
  }

  read(shapeName: string, v: unknown, path: ValuePath): unknown {
    if (this.opts.opaque?.has(shapeName)) return v;
    const shape = shapeOf(this.model, shapeName);
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, v, path);
      case 'list': {
        if (!Array.isArray(v)) return this.fail(path, 'a list');
        const out: unknown[] = [];
        v.forEach((x, i) => {
          const item = this.read(shape.member!.shape, x, [...path, i]);
          if (item !== undefined) out.push(item);
        });
        return out;
      }
      case 'map': {
        if (!isRecord(v)) return this.fail(path, 'an object');
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          const item = this.read(shape.value!.shape, x, [...path, k]);
          if (item !== undefined) Object.defineProperty(out, k, { value: item, enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      case 'string':
      case 'blob':
        if (typeof v === 'string') return v;
        if (typeof v === 'number' && this.opts.numbersAsStrings && shape.type === 'string') return String(v);
        return this.fail(path, 'a string');
      case 'boolean':
        return typeof v === 'boolean' ? v : this.fail(path, 'a boolean');
      case 'timestamp':
        return this.timestamp(v, path);
      default: {
        const integer = shape.type === 'integer' || shape.type === 'long';
        if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) return this.fail(path, integer ? 'an integer' : 'a number');
        return v;
      }
    }
  }

  private structure(shape: Shape, v: unknown, path: ValuePath): Record<string, unknown> | undefined {
    if (!isRecord(v)) return this.fail(path, 'an object');
    const out: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (this.opts.bodyOnly && ref.location !== undefined) continue;
      if (!Object.hasOwn(v, name) || v[name] === null || v[name] === undefined) continue;
      const x = this.read(ref.shape, v[name], [...path, name]);
      if (x !== undefined) out[name] = x;
    }
    if (this.opts.required) {
      const missing = (shape.required ?? []).filter((m) => !Object.hasOwn(out, m));
      for (const m of missing) this.problems.push({ path, kind: 'required', want: m });
      if (missing.length > 0) return undefined;
    }
    this.paths.set(out, path);
    return out;
  }

  private timestamp(v: unknown, path: ValuePath): string | undefined {
    if (typeof v !== 'number' && typeof v !== 'string') return this.fail(path, 'a timestamp');
    if (typeof v === 'string' && this.opts.timestamps === 'as-given') return v;
    try {
      return isoTimestamp(v);
    } catch {
      return this.fail(path, 'a timestamp');
    }
  }
}

/**
 * Reads `value` as the model's shape `shapeName`. The caller names the
 * TypeScript type the generator wrote for that shape (`decodeShape<RoleDetail>(IAM_MODEL, 'RoleDetail', v)`);
 * with `required` the value has every member the model requires, as the type says.
 */
export function decodeShape<T>(model: ServiceModel, shapeName: string, value: unknown, opts: DecodeOptions = {}): Decoded<T> {
  const r = new Reader(model, opts);
  const out = r.read(shapeName, value, []) as T | undefined;
  return { value: out, problems: r.problems, pathOf: (node) => r.paths.get(node) ?? [] };
}

/** Reads `value` as the output of operation `op` (a response, or an AWS CLI command's JSON output). */
export function decodeOutput<T>(model: ServiceModel, op: string, value: unknown, opts: DecodeOptions = {}): Decoded<T> {
  const shape = Object.hasOwn(model.operations, op) ? model.operations[op]?.output : undefined;
  if (shape === undefined) throw new Error(`${model.metadata.serviceId} model: operation ${op} has no output`);
  return decodeShape<T>(model, shape, value, opts);
}

/** A problem's path as AWS's JSON errors write it: members joined by dots, list indexes in brackets (`policies[0].name`). */
export function pathText(path: ValuePath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}
