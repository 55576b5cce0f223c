/**
 * AWS Query protocol parameters: `Name=value`, lists as `Name.member.N`,
 * structures in lists as `Name.member.N.Field`, lists inside those as
 * `Name.member.N.Field.member.M` (1-based, contiguous).
 *
 * The parameters are indexed once, in one pass (linear in their number), and
 * every member index is bounded before anything is allocated for it: an index
 * must be a decimal integer from 1 to the list's documented maximum
 * (constraints.ts) and never beyond the number of parameters sent (a list
 * cannot be contiguous otherwise). A list with a gap is a ValidationError.
 */
import { ApiError } from '../errors.js';
import { maxMembers } from './constraints.js';

type Members = Map<number, string>;
type Struct = Map<string, string | Members>;

function validation(message: string): ApiError {
  return new ApiError(400, 'ValidationError', `1 validation error detected: ${message}`);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** The member index `text` of list `list`, or a ValidationError when it is no index or out of bounds. */
function memberIndex(list: string, text: string, total: number): number {
  const n = /^[1-9]\d{0,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n <= total)) {
    throw validation(`Value '${text.slice(0, 20)}' at '${lowerFirst(list)}.member' failed to satisfy constraint: Member index must be from 1 to ${total}`);
  }
  const max = maxMembers(list);
  if (max !== undefined && n > max)
    throw validation(`Value at '${lowerFirst(list)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  return n;
}

/** The values of a list in order; a ValidationError when an index is missing. */
function inOrder<T>(list: string, members: Map<number, T>): T[] {
  const out: T[] = [];
  for (let i = 1; i <= members.size; i++) {
    const v = members.get(i);
    if (v === undefined)
      throw validation(`Value null at '${lowerFirst(list)}.member.${i}' failed to satisfy constraint: list members must be numbered 1, 2, 3… without gaps`);
    out.push(v);
  }
  return out;
}

/** The map's value at `key`, created by `make` when absent. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

export class QueryParams {
  readonly #values = new Map<string, string>();
  readonly #lists = new Map<string, Members>();
  readonly #structs = new Map<string, Map<number, Struct>>();

  constructor(readonly raw: URLSearchParams) {
    let total = 0;
    for (const _ of raw) total++;
    for (const [k, v] of raw) this.#index(k, v, total);
  }

  #index(key: string, value: string, total: number): void {
    if (this.#values.has(key)) return; // the first value of a repeated name, as URLSearchParams.get
    this.#values.set(key, value);
    const at = key.indexOf('.member.');
    if (at < 0) return;
    const name = key.slice(0, at);
    const rest = key.slice(at + 8);
    const dot = rest.indexOf('.');
    const i = memberIndex(name, dot < 0 ? rest : rest.slice(0, dot), total);
    if (dot < 0) {
      entry(this.#lists, name, () => new Map()).set(i, value);
      return;
    }
    const rec = entry(
      entry(this.#structs, name, () => new Map()),
      i,
      (): Struct => new Map(),
    );
    const field = rest.slice(dot + 1);
    const inner = field.indexOf('.member.');
    if (inner < 0) {
      rec.set(field, value);
      return;
    }
    const fieldName = field.slice(0, inner);
    const j = memberIndex(fieldName, field.slice(inner + 8), total);
    const list = rec.get(fieldName);
    if (list instanceof Map) list.set(j, value);
    else rec.set(fieldName, new Map([[j, value]]));
  }

  get action(): string | undefined {
    return this.#values.get('Action');
  }

  string(name: string): string | undefined {
    return this.#values.get(name);
  }

  required(name: string): string {
    const v = this.#values.get(name);
    if (v === undefined || v === '') throw validation(`Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
    return v;
  }

  /** `Name.member.1`, `Name.member.2`, …; `Name=` alone is an explicitly empty list. */
  list(name: string): string[] | undefined {
    const m = this.#lists.get(name);
    if (m === undefined) return this.#values.has(name) ? [] : undefined;
    return inOrder(name, m);
  }

  /** `Name.member.N.Field…` as records of the fields given (nested lists as `Field.member.M`). */
  structs(name: string): Record<string, string | string[]>[] | undefined {
    const m = this.#structs.get(name);
    if (m === undefined) return undefined;
    return inOrder(name, m).map((rec) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of rec) out[k] = typeof v === 'string' ? v : inOrder(k, v);
      return out;
    });
  }

  bool(name: string): boolean | undefined {
    const v = this.#values.get(name);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw new ApiError(400, 'ValidationError', `${name} must be true or false`);
    return v === 'true';
  }

  int(name: string, min: number, max: number): number | undefined {
    const v = this.#values.get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw validation(`Value '${v}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
    }
    return n;
  }
}
