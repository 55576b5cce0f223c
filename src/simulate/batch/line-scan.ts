/**
 * Reading a batch line without making JavaScript strings of its policies
 * anew. Most of a line's bytes are its policy documents, as JSON strings in
 * `PolicyInputList` (and `PermissionsBoundaryPolicyInputList`, `ResourcePolicy`),
 * and the lines of a batch repeat the same few texts in any order and position.
 *
 * The scanner walks the line's top level. Each policy string is looked up by
 * its raw text, escapes and all, in a table of raw texts seen before
 * (`PolicySpans`): by its first characters, then compared whole, so a hit is
 * exact, never a look-alike. A hit gives the very string decoded the first
 * time (the same string, so the policy cache downstream finds it by identity
 * and its cached hash). The rest of the line, with each policy string replaced
 * by a number, is parsed by JSON.parse, and the numbers are then replaced by
 * the decoded texts. That is the value JSON.parse(line) makes:
 *   - a replaced token is a whole JSON string token at a value position (its
 *     raw text parsed as JSON when first seen), so the line is valid JSON
 *     exactly when the rest is, with the same structure;
 *   - the scanner cuts tokens as JSON does (a string ends at a quote not
 *     escaped; other values end where JSON's would in a valid text), and keeps
 *     every byte it does not replace, so JSON.parse judges them;
 *   - anything else — a key with an escape, a policy list named twice or
 *     holding a non-string, a bound exceeded, a syntax error — returns
 *     undefined and the line takes the full path, which gives its error line
 *     exactly as before.
 */
import { nestsDeeper } from '../../diagnostics/input-text.js';

/** Fields whose value is a list of policy strings, and the one whose value is a policy string. */
const LISTS = new Set(['PolicyInputList', 'PermissionsBoundaryPolicyInputList']);
const SINGLE = 'ResourcePolicy';

/** Raw texts are found by their first KEY characters; shorter strings are simply parsed. */
const KEY = 96;
/** Raw texts kept per first characters (most recent first), and first-character groups kept (seen again / once). */
const PER_KEY = 8;
const MAX_KEYS = 4096;
const YOUNG_KEYS = 64;

interface Span {
  readonly raw: string;
  readonly text: string;
}

const QUOTE = 34;
const BACKSLASH = 92;

/** The index of the quote closing the JSON string token that opens at `at`, or -1. */
export function stringEnd(line: string, at: number): number {
  let from = at + 1;
  for (;;) {
    const q = line.indexOf('"', from);
    if (q < 0) return -1;
    let k = q - 1;
    while (line.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q;
    from = q + 1;
  }
}

/** A copy of `s` that shares no memory with the string it was cut from (a slice keeps its whole line alive). */
function detached(s: string): string {
  return ` ${s}`.slice(1);
}

type Table = Map<string, Span[]>;

/** The span of `table` under `key` that the line holds at `at` (moved to the front of its group), if any. */
function find(table: Table, key: string, line: string, at: number): Span | undefined {
  const group = table.get(key);
  if (group === undefined) return undefined;
  for (let i = 0; i < group.length; i++) {
    const s = group[i] as Span;
    const end = at + s.raw.length;
    if (end <= line.length && line.slice(at, end) === s.raw) {
      if (i > 0) {
        group.splice(i, 1);
        group.unshift(s);
      }
      return s;
    }
  }
  return undefined;
}

function add(table: Table, key: string, span: Span): void {
  const group = table.get(key);
  if (group === undefined) table.set(key, [span]);
  else {
    group.unshift(span);
    if (group.length > PER_KEY) group.pop();
  }
}

/**
 * Raw policy strings seen before, and their decoded text. One per thread (a `LineState`); never shared.
 * Two generations, as the policy cache has: a raw text seen once waits in a small table and moves to the
 * large one when it comes again, so a batch whose every line brings new policy text lets them die young.
 */
export class PolicySpans {
  private young: Table = new Map();
  private old: Table = new Map();
  /** A JSON string token (sticky): about twice as fast as looking for each quote when a policy is new. */
  private readonly token = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"/y;

  /** The decoded string token at `at` (a quote) and where it ends, or undefined when it is not a valid JSON string. */
  read(line: string, at: number): { readonly text: string; readonly end: number } | undefined {
    const key = line.length - at >= KEY ? line.slice(at, at + KEY) : undefined;
    if (key !== undefined) {
      const hit = find(this.old, key, line, at);
      if (hit !== undefined) return { text: hit.text, end: at + hit.raw.length };
      const again = find(this.young, key, line, at);
      if (again !== undefined) {
        if (this.old.size >= MAX_KEYS) this.old = new Map();
        add(this.old, detached(key), { raw: detached(again.raw), text: again.text });
        return { text: again.text, end: at + again.raw.length };
      }
    }
    this.token.lastIndex = at;
    if (!this.token.test(line)) return undefined;
    const end = this.token.lastIndex;
    const raw = line.slice(at, end);
    let text: unknown;
    try {
      text = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (typeof text !== 'string') return undefined;
    if (key !== undefined) {
      if (this.young.size >= YOUNG_KEYS) this.young = new Map();
      add(this.young, key, { raw, text });
    }
    return { text, end };
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipSpace(line: string, at: number): number {
  while (isSpace(line.charCodeAt(at))) at++;
  return at;
}

/** Where the value at `at` ends, cut as JSON would cut a valid one (its bytes are judged by JSON.parse later), or -1. */
function valueEnd(line: string, at: number): number {
  const c = line.charCodeAt(at);
  if (c === QUOTE) {
    const q = stringEnd(line, at);
    return q < 0 ? -1 : q + 1;
  }
  if (c === 123 /* { */ || c === 91 /* [ */) {
    let depth = 0;
    for (let i = at; i < line.length; i++) {
      const d = line.charCodeAt(i);
      if (d === QUOTE) {
        i = stringEnd(line, i);
        if (i < 0) return -1;
      } else if (d === 123 || d === 91) depth++;
      else if (d === 125 /* } */ || d === 93 /* ] */) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }
  let i = at;
  for (; i < line.length; i++) {
    const d = line.charCodeAt(i);
    if (d === 44 || d === 125 || d === 93 || d === QUOTE || d === 123 || d === 91 || d === 58 || isSpace(d)) break;
  }
  return i > at ? i : -1;
}

/** The line being scanned: the pieces of the rest of the line and the texts the placeholders stand for. */
interface Scan {
  readonly line: string;
  readonly spans: PolicySpans;
  readonly texts: string[];
  rest: string;
  /** The end of the last piece copied into `rest`. */
  copied: number;
  /** The placeholder of the ResourcePolicy string, or -1 when it was not replaced. */
  single: number;
}

/** Replaces the policy string at `at` with its placeholder; returns where the token ends, or -1. */
function replace(s: Scan, at: number): number {
  const r = s.spans.read(s.line, at);
  if (r === undefined) return -1;
  s.rest += `${s.line.slice(s.copied, at)}${s.texts.length}`;
  s.copied = r.end;
  s.texts.push(r.text);
  return r.end;
}

/** A list of policy strings at `at`; returns where it ends, or -1 (anything but strings takes the full path). */
function policyList(s: Scan, at: number): number {
  const line = s.line;
  if (line.charCodeAt(at) !== 91 /* [ */) return -1;
  let i = skipSpace(line, at + 1);
  if (line.charCodeAt(i) === 93) return i + 1;
  for (;;) {
    if (line.charCodeAt(i) !== QUOTE) return -1;
    i = replace(s, i);
    if (i < 0) return -1;
    i = skipSpace(line, i);
    const c = line.charCodeAt(i);
    if (c === 93 /* ] */) return i + 1;
    if (c !== 44 /* , */) return -1;
    i = skipSpace(line, i + 1);
  }
}

/** One top-level member at `at` (its key's opening quote); returns where its value ends, or -1. */
function member(s: Scan, at: number, seen: Set<string>): number {
  const line = s.line;
  const close = line.indexOf('"', at + 1);
  if (close < 0) return -1;
  const key = line.slice(at + 1, close);
  if (key.includes('\\')) return -1;
  let i = skipSpace(line, close + 1);
  if (line.charCodeAt(i) !== 58 /* : */) return -1;
  i = skipSpace(line, i + 1);
  if (LISTS.has(key) || key === SINGLE) {
    if (seen.has(key)) return -1;
    seen.add(key);
    if (LISTS.has(key)) return policyList(s, i);
    if (line.charCodeAt(i) === QUOTE) {
      s.single = s.texts.length;
      return replace(s, i);
    }
  }
  return valueEnd(line, i);
}

/** Puts the decoded texts where their placeholders are; false when a field is not as the scan left it. */
function restore(value: Record<string, unknown>, s: Scan): boolean {
  for (const field of LISTS) {
    const v = value[field];
    if (!Array.isArray(v)) continue;
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number') return false;
      v[i] = s.texts[v[i] as number];
    }
  }
  if (s.single < 0) return true;
  const v = value[SINGLE];
  if (v !== s.single) return false;
  value[SINGLE] = s.texts[v];
  return true;
}

/**
 * JSON.parse(line) for a line whose policies are strings, reading each policy string through `spans`; undefined
 * when the line has no policy string or anything is unusual (the caller then parses it as before).
 */
export function scanLine(line: string, spans: PolicySpans, maxDepth: number, maxChars: number): Record<string, unknown> | undefined {
  if (line.length > maxChars) return undefined;
  let i = skipSpace(line, 0);
  if (line.charCodeAt(i) !== 123 /* { */) return undefined;
  const s: Scan = { line, spans, texts: [], rest: '', copied: 0, single: -1 };
  const seen = new Set<string>();
  i = skipSpace(line, i + 1);
  for (;;) {
    if (line.charCodeAt(i) !== QUOTE) return undefined;
    i = member(s, i, seen);
    if (i < 0) return undefined;
    i = skipSpace(line, i);
    const c = line.charCodeAt(i);
    if (c === 125 /* } */) break;
    if (c !== 44 /* , */) return undefined;
    i = skipSpace(line, i + 1);
  }
  if (s.texts.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(s.rest + line.slice(s.copied));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (nestsDeeper(value, maxDepth)) return undefined;
  return restore(value as Record<string, unknown>, s) ? (value as Record<string, unknown>) : undefined;
}
