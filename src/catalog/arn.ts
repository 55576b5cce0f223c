/**
 * Matching policy Resource values (ARNs or ARN patterns with `*` and `?`)
 * against the resource types' ARN formats from the Service Authorization
 * Reference (`arn:${Partition}:sagemaker:${Region}:${Account}:endpoint/${EndpointName}`).
 *
 * Both sides are compiled to a sequence of character classes, each taken once
 * or any number of times; a pattern "can match some ARN of the type" exactly
 * when the two sequences accept a common string, decided by a search over
 * pairs of positions (the product automaton).
 */
import type { ResourceTypeInfo } from './types.js';
import { lazyTable } from '../primitives/lazy.js';

type CharClass =
  /** A literal character; `sep` numbers the first five colons (the segment separators), else 0. */
  | { readonly kind: 'lit'; readonly ch: string; readonly sep: number }
  /** Any character except a segment separator. */
  | { readonly kind: 'any' }
  /** Any character at all (a pattern `*` allowed to run past colons). */
  | { readonly kind: 'anyCross' }
  /** Any character except `:`. */
  | { readonly kind: 'noColon' };

interface Item {
  readonly cls: CharClass;
  /** `one`: exactly one character; `star`: zero or more. */
  readonly rep: 'one' | 'star';
}

const ANY: CharClass = { kind: 'any' };
const ANY_CROSS: CharClass = { kind: 'anyCross' };
const NO_COLON: CharClass = { kind: 'noColon' };

/** Number of colons before the resource segment: arn:partition:service:region:account:resource. */
const RESOURCE_SEGMENT = 5;

function literal(ch: string, segment: number): CharClass {
  return { kind: 'lit', ch, sep: ch === ':' && segment < RESOURCE_SEGMENT ? segment + 1 : 0 };
}

/**
 * Compiles an ARN format. A `${Placeholder}` stands for one or more
 * characters: within the first five segments it cannot contain a colon; in the
 * resource segment it may contain anything (object keys and log-group names
 * contain `/` and `:`). A literal `*` in a format (some formats end in `:*`)
 * stands for any run of characters. (IAM User Guide: reference-arns.)
 */
function compileFormat(format: string): Item[] {
  const items: Item[] = [];
  let segment = 0;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    const cls = segment < RESOURCE_SEGMENT ? NO_COLON : ANY;
    if (ch === '$' && format[i + 1] === '{') {
      const end = format.indexOf('}', i + 2);
      if (end !== -1) {
        items.push({ cls, rep: 'one' }, { cls, rep: 'star' });
        i = end;
        continue;
      }
    }
    if (ch === '*') items.push({ cls, rep: 'star' });
    else if (ch === '?') items.push({ cls, rep: 'one' });
    else {
      items.push({ cls: literal(ch, segment), rep: 'one' });
      if (ch === ':') segment++;
    }
  }
  return items;
}

/** The special policy variables that stand for a literal character (IAM User Guide: policy variables). */
const LITERAL_VARIABLES: Readonly<Record<string, string>> = { '${*}': '*', '${?}': '?', '${$}': '$' };

/**
 * Compiles a policy Resource value. Wildcards work within the colon-separated
 * segments: `?` is one character and `*` any run of them, except that a `*`
 * ending one of the first five segments may run past colons (IAM User Guide:
 * IAM JSON policy elements: Resource, "Using wildcards in resource ARNs").
 * A policy variable such as `${aws:username}` may be any run of characters
 * (its value is unknown here); `${*}`, `${?}`, `${$}` are literal characters.
 */
function compilePattern(pattern: string): Item[] {
  const items: Item[] = [];
  let segment = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    const inResource = segment >= RESOURCE_SEGMENT;
    if (ch === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end !== -1) {
        const lit = LITERAL_VARIABLES[pattern.slice(i, end + 1)];
        if (lit !== undefined) items.push({ cls: literal(lit, segment), rep: 'one' });
        else items.push({ cls: inResource ? ANY : NO_COLON, rep: 'star' });
        i = end;
        continue;
      }
    }
    if (ch === '*') {
      const next = pattern[i + 1];
      const crosses = !inResource && (next === undefined || next === ':');
      items.push({ cls: inResource ? ANY : crosses ? ANY_CROSS : NO_COLON, rep: 'star' });
    } else if (ch === '?') items.push({ cls: inResource ? ANY : NO_COLON, rep: 'one' });
    else {
      items.push({ cls: literal(ch, segment), rep: 'one' });
      if (ch === ':') segment++;
    }
  }
  return items;
}

/**
 * Can one character satisfy both classes? Separator colons only meet the
 * separator with the same number, so both sides agree on where the ARN's
 * segments are; only a segment-crossing `*` may swallow one.
 */
function classesMeet(a: CharClass, b: CharClass): boolean {
  if (a.kind === 'lit' && b.kind === 'lit') return a.ch === b.ch && a.sep === b.sep;
  if (a.kind === 'lit' || b.kind === 'lit') {
    const lit = (a.kind === 'lit' ? a : b) as { ch: string; sep: number };
    const other = a.kind === 'lit' ? b : a;
    if (other.kind === 'anyCross') return true;
    if (lit.sep > 0) return false;
    return other.kind === 'any' || lit.ch !== ':';
  }
  return true;
}

/** Do the two compiled sequences accept at least one common string? */
function intersects(p: readonly Item[], f: readonly Item[]): boolean {
  const m = p.length;
  const n = f.length;
  const width = n + 1;
  const seen = new Uint8Array((m + 1) * width);
  const stack: number[] = [0];
  seen[0] = 1;
  const push = (i: number, j: number): void => {
    const k = i * width + j;
    if (seen[k] === 0) {
      seen[k] = 1;
      stack.push(k);
    }
  };
  while (stack.length > 0) {
    const k = stack.pop() as number;
    const i = Math.floor(k / width);
    const j = k % width;
    if (i === m && j === n) return true;
    const pi = p[i];
    const fj = f[j];
    if (pi?.rep === 'star') push(i + 1, j);
    if (fj?.rep === 'star') push(i, j + 1);
    if (pi !== undefined && fj !== undefined && classesMeet(pi.cls, fj.cls)) {
      const ni = pi.rep === 'one' ? i + 1 : i;
      const nj = fj.rep === 'one' ? j + 1 : j;
      if (ni !== i || nj !== j) push(ni, nj);
    }
  }
  return false;
}

/** The catalog's ARN formats compiled (a constant table: formats come from the catalog only). */
const formatItems = lazyTable(compileFormat);

/** A policy Resource value compiled for `compiledPatternCanMatchFormat` (what a `Catalog` remembers by pattern). */
export interface CompiledResourcePattern {
  readonly items: readonly Item[];
}

export function compileResourcePattern(pattern: string): CompiledResourcePattern {
  return { items: compilePattern(pattern) };
}

/** `arnPatternCanMatchFormat` on a pattern compiled once. */
export function compiledPatternCanMatchFormat(pattern: CompiledResourcePattern, arnFormat: string): boolean {
  return intersects(pattern.items, formatItems(arnFormat));
}

/**
 * Can the ARN or ARN pattern (a policy Resource value, with `*`, `?` and
 * policy variables) match SOME ARN of the given ARN format? Each call compiles
 * the pattern afresh; a `Catalog` remembers compiled patterns.
 */
export function arnPatternCanMatchFormat(pattern: string, arnFormat: string): boolean {
  return intersects(compilePattern(pattern), formatItems(arnFormat));
}

/**
 * Can a policy Resource value match some ARN of this resource type?
 * `arn:aws:sagemaker:*:*:endpoint-config/*` fits sagemaker's endpoint-config
 * type but no bedrock type.
 */
export function arnPatternCanMatchResourceType(pattern: string, rt: ResourceTypeInfo): boolean {
  return arnPatternCanMatchFormat(pattern, rt.arnFormat);
}

/**
 * How specific a format is (its count of literal characters); used to prefer
 * `bucket/${ObjectName}` over `${BucketName}` when an ARN fits both.
 */
export function formatSpecificity(arnFormat: string): number {
  let n = 0;
  for (const item of formatItems(arnFormat)) if (item.cls.kind === 'lit') n++;
  return n;
}

/** One step of a compiled ARN format: a character class taken once or any number of times. */
export interface FormatStep {
  /** A literal character, any character, or any character except `:`. */
  readonly cls: { readonly kind: 'lit'; readonly ch: string } | { readonly kind: 'any' } | { readonly kind: 'noColon' };
  readonly star: boolean;
}

/**
 * The ARN format as a sequence of steps (the same compilation
 * `arnPatternCanMatchFormat` uses): placeholders are one or more characters,
 * without `:` before the resource segment. For the policy reasoner (src/reason).
 */
export function arnFormatSteps(arnFormat: string): readonly FormatStep[] {
  return formatItems(arnFormat).map((it): FormatStep => {
    const c = it.cls;
    const cls: FormatStep['cls'] = c.kind === 'lit' ? { kind: 'lit', ch: c.ch } : c.kind === 'noColon' ? { kind: 'noColon' } : { kind: 'any' };
    return { cls, star: it.rep === 'star' };
  });
}
