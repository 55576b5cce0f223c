/**
 * Where the JSON at a path sits in strict JSON text, found by scanning only
 * as far as needed — no tree. For text that the platform's JSON.parse read
 * and readStrictJson accepted (no comments, no byte order mark, no duplicate
 * keys), so the first property of a name is the only one. Offsets and lengths
 * are those of jsonc-parser's tree nodes: a value from its first to its last
 * character, a property from its name through its value.
 */
import type { JsonPath } from '../diagnostics/diagnostic.js';

/** What a span covers at its path: the value, the property name, or the whole property (name through value). */
export type SpanPart = 'value' | 'key' | 'property';

export interface TextRange {
  readonly offset: number;
  readonly length: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;

/** The range of `part` at `path` in strict JSON `text`; undefined when the path is not there. */
export function locateInStrictJson(text: string, path: JsonPath, part: SpanPart): TextRange | undefined {
  let i = skipSpace(text, 0);
  let key: TextRange | undefined;
  for (const segment of path) {
    const at = typeof segment === 'number' ? itemAt(text, i, segment) : memberAt(text, i, segment);
    if (at === undefined) return undefined;
    i = at.value;
    key = at.key;
  }
  const end = valueEnd(text, i);
  if (part === 'value' || key === undefined) return { offset: i, length: end - i };
  return part === 'key' ? key : { offset: key.offset, length: end - key.offset };
}

/** The start of item `index` of the array at `i`. */
function itemAt(text: string, i: number, index: number): { value: number; key: undefined } | undefined {
  if (text.charCodeAt(i) !== OPEN_BRACKET) return undefined;
  let at = skipSpace(text, i + 1);
  if (text.charCodeAt(at) === CLOSE_BRACKET) return undefined;
  for (let k = 0; k < index; k++) {
    at = skipSpace(text, valueEnd(text, at));
    if (text.charCodeAt(at) !== COMMA) return undefined;
    at = skipSpace(text, at + 1);
  }
  return { value: at, key: undefined };
}

/** The name and the value start of member `name` of the object at `i`. */
function memberAt(text: string, i: number, name: string): { value: number; key: TextRange } | undefined {
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  let at = skipSpace(text, i + 1);
  while (text.charCodeAt(at) === QUOTE) {
    const keyEnd = stringEnd(text, at);
    const value = skipSpace(text, skipSpace(text, keyEnd) + 1);
    if (nameIs(text, at, keyEnd, name)) return { value, key: { offset: at, length: keyEnd - at } };
    at = skipSpace(text, valueEnd(text, value));
    if (text.charCodeAt(at) !== COMMA) return undefined;
    at = skipSpace(text, at + 1);
  }
  return undefined;
}

/**
 * The offset of the first comma between the members of the object `text`
 * (strict JSON) at or after `from`; -1 when there is none.
 */
export function topLevelComma(text: string, from: number): number {
  let at = skipSpace(text, 0);
  if (text.charCodeAt(at) !== OPEN_BRACE) return -1;
  at = skipSpace(text, at + 1);
  while (text.charCodeAt(at) === QUOTE) {
    const value = skipSpace(text, skipSpace(text, stringEnd(text, at)) + 1);
    at = skipSpace(text, valueEnd(text, value));
    if (text.charCodeAt(at) !== COMMA) return -1;
    if (at >= from) return at;
    at = skipSpace(text, at + 1);
  }
  return -1;
}

/** Does the string literal text[start, end) denote `name`? */
function nameIs(text: string, start: number, end: number, name: string): boolean {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes('\\') ? JSON.parse(text.slice(start, end)) === name : raw === name;
}

/** The offset just past the number, true, false or null starting at `i`. */
function literalEnd(text: string, i: number): number {
  let at = i;
  for (; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
  }
  return at;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

function skipSpace(text: string, i: number): number {
  let at = i;
  while (isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** The offset just past the string literal starting at `i`. */
function stringEnd(text: string, i: number): number {
  let at = i + 1;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === BACKSLASH) at += 2;
    else if (c === QUOTE) return at + 1;
    else at++;
  }
  return text.length;
}

/** The offset just past the value starting at `i`. */
function valueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return stringEnd(text, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return literalEnd(text, i);
  let depth = 0;
  for (let at = i; at < text.length; ) {
    const c = text.charCodeAt(at);
    if (c === QUOTE) {
      at = stringEnd(text, at);
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return at + 1;
    at++;
  }
  return text.length;
}
