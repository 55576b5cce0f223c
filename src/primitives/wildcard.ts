/**
 * Wildcard matching: `*` matches any run of characters (including none),
 * `?` exactly one character (one UTF-16 code unit). Used by StringLike,
 * ArnLike, Action and Resource matching (IAM User Guide:
 * reference_policies_elements_condition_operators.md,
 * reference_policies_elements_resource.md, reference_policies_elements_action.md).
 *
 * Patterns compile once into a small op program; matching walks it with a
 * greedy scan that backtracks only to the last `*` (linear in practice,
 * O(n*m) worst case) and allocates nothing.
 */
import { foldCase } from './case-fold.js';

/** Op codes of a wildcard program. */
export const OP_LIT = 0;
export const OP_ONE = 1;
export const OP_ANY = 2;

export interface WildcardOps {
  readonly ops: Uint8Array;
  /** For OP_LIT the literal; '' for the others. Aligned with `ops`. */
  readonly lits: readonly string[];
}

/** Appends the ops of `text` (wildcards significant) to the builders. */
export function pushWildcardText(text: string, ops: number[], lits: string[]): void {
  // Literal runs are cut out of `text` whole: appending one character at a
  // time would leave each literal as a chain of one-character strings.
  let litStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 42 /* * */ && ch !== 63 /* ? */) continue;
    pushLiteral(text.slice(litStart, i), ops, lits);
    litStart = i + 1;
    if (ch === 42) {
      // Collapse consecutive stars: `**` is the same as `*`.
      if (ops[ops.length - 1] !== OP_ANY) {
        ops.push(OP_ANY);
        lits.push('');
      }
    } else {
      ops.push(OP_ONE);
      lits.push('');
    }
  }
  pushLiteral(text.slice(litStart), ops, lits);
}

/** Appends a literal, merging it with a preceding literal. */
export function pushLiteral(text: string, ops: number[], lits: string[]): void {
  if (text === '') return;
  const last = ops.length - 1;
  if (last >= 0 && ops[last] === OP_LIT) lits[last] += text;
  else {
    ops.push(OP_LIT);
    lits.push(text);
  }
}

export function compileWildcardOps(pattern: string): WildcardOps {
  const ops: number[] = [];
  const lits: string[] = [];
  pushWildcardText(pattern, ops, lits);
  return { ops: Uint8Array.from(ops), lits };
}

/**
 * Matches `s[from, to)` against a program. `lits` may differ from the
 * compiled literals (variable slots resolved at evaluation time).
 */
export function matchOps(ops: Uint8Array, lits: readonly string[], s: string, from: number, to: number): boolean {
  const n = ops.length;
  let p = 0;
  let i = from;
  let starP = -1;
  let starI = 0;
  for (;;) {
    if (p < n) {
      const op = ops[p];
      if (op === OP_ANY) {
        if (p === n - 1) return true; // trailing star takes the rest
        starP = p;
        starI = i;
        p++;
        continue;
      }
      if (op === OP_ONE) {
        if (i < to) {
          i++;
          p++;
          continue;
        }
      } else {
        const lit = lits[p]!;
        const end = i + lit.length;
        if (end <= to && s.startsWith(lit, i)) {
          i = end;
          p++;
          continue;
        }
      }
    } else if (i === to) return true;
    // Mismatch: let the last star absorb one more character.
    if (starP < 0) return false;
    starI++;
    if (starI > to) return false;
    i = starI;
    p = starP + 1;
  }
}

/** A specialised predicate for a constant program (fast paths for common shapes). */
export function specialise(w: WildcardOps): (value: string) => boolean {
  const { ops, lits } = w;
  if (ops.length === 0) return (v) => v === '';
  if (ops.length === 1) {
    if (ops[0] === OP_ANY) return () => true;
    if (ops[0] === OP_LIT) {
      const lit = lits[0]!;
      return (v) => v === lit;
    }
    return (v) => v.length === 1;
  }
  if (ops.length === 2 && ops[1] === OP_ANY && ops[0] === OP_LIT) {
    const prefix = lits[0]!;
    return (v) => v.startsWith(prefix);
  }
  if (ops.length === 2 && ops[0] === OP_ANY && ops[1] === OP_LIT) {
    const suffix = lits[1]!;
    return (v) => v.endsWith(suffix);
  }
  if (ops.length === 3 && ops[0] === OP_LIT && ops[1] === OP_ANY && ops[2] === OP_LIT) {
    const prefix = lits[0]!;
    const suffix = lits[2]!;
    const min = prefix.length + suffix.length;
    return (v) => v.length >= min && v.startsWith(prefix) && v.endsWith(suffix);
  }
  return (v) => matchOps(ops, lits, v, 0, v.length);
}

/**
 * Compiles `pattern` (`*` any run, `?` one character) into a predicate.
 * With `caseInsensitive` both sides are lower-cased (callers on hot paths
 * should lower-case once themselves and pass `false`).
 */
export function compileWildcard(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  if (!caseInsensitive) return compileCaseSensitive(pattern);
  const inner = compileCaseSensitive(pattern.toLowerCase());
  return (v) => inner(v.toLowerCase());
}

function compileCaseSensitive(pattern: string): (value: string) => boolean {
  // A pattern without wildcards is a plain comparison: no program to build.
  if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) return (v) => v === pattern;
  return specialise(compileWildcardOps(pattern));
}

/**
 * A memo of compiled patterns for callers that match many patterns once each
 * (catalog expansion, lint rules). Bounded: cleared when it grows past `limit`.
 */
export class WildcardCache {
  private readonly compiled = new Map<string, (value: string) => boolean>();
  constructor(
    private readonly caseInsensitive: boolean,
    private readonly limit = 10_000,
  ) {}

  /** The predicate for `pattern`, compiled once. */
  get(pattern: string): (value: string) => boolean {
    let m = this.compiled.get(pattern);
    if (m === undefined) {
      if (this.compiled.size >= this.limit) this.compiled.clear();
      m = compileWildcard(pattern, this.caseInsensitive);
      this.compiled.set(pattern, m);
    }
    return m;
  }

  /** Does `pattern` match `value`? */
  matches(pattern: string, value: string): boolean {
    return this.get(pattern)(value);
  }
}

/**
 * Is every string matched by wildcard pattern `inner` also matched by
 * `outer`? Exact when `outer` has no `?` or `inner` has no wildcard: `outer`
 * must match the text of `inner` with each wildcard of `inner` absorbed by a
 * `*` of `outer`. With `?` in `outer` and wildcards in `inner` only equal
 * patterns are decided (conservatively false otherwise). O(|outer| * |inner|).
 */
export function wildcardContains(outer: string, inner: string, caseInsensitive: boolean): boolean {
  const a = caseInsensitive ? outer.toLowerCase() : outer;
  const b = caseInsensitive ? inner.toLowerCase() : inner;
  if (a === b) return true;
  if (!hasWildcards(b)) return matchOps(...programOf(a), b, 0, b.length);
  if (a.includes('?')) return false;
  // reach[j]: a[0, i) can consume b[0, j). Row by row over a.
  let reach = new Uint8Array(b.length + 1);
  reach[0] = 1;
  for (let i = 0; i < a.length; i++) {
    const next = new Uint8Array(b.length + 1);
    const ch = a[i];
    if (ch === '*') {
      let on = 0;
      for (let j = 0; j <= b.length; j++) {
        if (reach[j] === 1) on = 1;
        next[j] = on;
      }
    } else {
      for (let j = 0; j < b.length; j++) {
        if (reach[j] === 1 && b[j] === ch && ch !== undefined && b[j] !== '*' && b[j] !== '?') next[j + 1] = 1;
      }
    }
    reach = next;
  }
  return reach[b.length] === 1;
}

function programOf(pattern: string): [Uint8Array, readonly string[]] {
  const w = compileWildcardOps(pattern);
  return [w.ops, w.lits];
}

/** True when the text contains a wildcard character. */
export function hasWildcards(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/**
 * Case-insensitive equality (case-fold.ts `foldCase`) without allocating for
 * ASCII strings; falls back to folding the whole value when a non-ASCII
 * character is involved. `lower` must already be folded.
 */
export function equalsLowered(lower: string, value: string): boolean {
  const n = lower.length;
  if (n !== value.length) {
    // Folding can change the length of some non-ASCII strings.
    for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 127) return foldCase(value) === lower;
    return false;
  }
  for (let i = 0; i < n; i++) {
    let b = value.charCodeAt(i);
    if (b > 127) return foldCase(value) === lower;
    if (b >= 65 && b <= 90) b += 32;
    if (b !== lower.charCodeAt(i)) return false;
  }
  return true;
}
