/**
 * JSON text handling for the policy parser: the two roads from text to a
 * plain value — the platform's JSON.parse for strict JSON (readStrictJson),
 * jsonc-parser's tree for everything else (parseJson, valueOfNode) — plus
 * detection of documentation-style deviations (comments, trailing commas) and
 * offset → line/column mapping (re-exported from diagnostics/position).
 */
import { createScanner, getLocation, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node as JsonNode, ParseError, ParseErrorCode } from 'jsonc-parser';
import type { JsonPath, Position, Span } from '../diagnostics/diagnostic.js';
import type { OffsetMapper } from '../diagnostics/position.js';
import { parseJsonBounded } from '../diagnostics/input-text.js';

export { lineStarts, textMapper, type OffsetMapper } from '../diagnostics/position.js';

/**
 * For a JSON string literal at `node` in `outerText`, returns a mapper from
 * offsets in the decoded string value to positions in the outer text, so
 * diagnostics for an embedded policy point into the file the user edits.
 */
export function stringLiteralMapper(node: JsonNode, outerText: string, outer: OffsetMapper): OffsetMapper {
  const rawStart = node.offset + 1;
  const raw = outerText.slice(rawStart, node.offset + node.length - 1);
  const map: number[] = [];
  let decodedLength = 0;
  for (let i = 0; i < raw.length; ) {
    map.push(i);
    decodedLength++;
    if (raw[i] === '\\') i += raw[i + 1] === 'u' ? 6 : 2;
    else i++;
  }
  map.push(raw.length);
  const value: unknown = node.value;
  const consistent = typeof value === 'string' && value.length === decodedLength;
  return (offset: number): Position => {
    if (!consistent) return outer(node.offset);
    const idx = Math.max(0, Math.min(offset, map.length - 1));
    return outer(rawStart + (map[idx] ?? 0));
  };
}

export function spanOf(mapper: OffsetMapper, offset: number, length: number): Span {
  return { start: mapper(offset), end: mapper(offset + length) };
}

/** A deviation from strict JSON that lenient mode accepts. */
export interface JsonDeviation {
  readonly kind: 'comment' | 'trailing-comma';
  readonly offset: number;
  readonly length: number;
}

// jsonc-parser's SyntaxKind is a const enum, unusable under isolatedModules.
const TOKEN = {
  closeBrace: 2,
  closeBracket: 4,
  comma: 5,
  lineComment: 12,
  blockComment: 13,
  lineBreak: 14,
  trivia: 15,
  eof: 17,
} as const;

/**
 * Finds every comment and trailing comma in text[start, end). Text that the
 * platform's strict JSON.parse accepts has neither, so it skips the scan
 * (most policies: the scan is a large share of parsing a policy).
 */
export function findDeviations(text: string, start = 0, end = text.length): JsonDeviation[] {
  if (start === 0 && end === text.length && isStrictJson(text)) return [];
  return scanDeviations(text, start, end);
}

function isStrictJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function scanDeviations(text: string, start: number, end: number): JsonDeviation[] {
  const scanner = createScanner(text.slice(start, end), false);
  const out: JsonDeviation[] = [];
  let pendingComma: { offset: number; length: number } | undefined;
  for (;;) {
    const kind = scanner.scan() as number;
    if (kind === TOKEN.eof) break;
    if (kind === TOKEN.lineBreak || kind === TOKEN.trivia) continue;
    const offset = start + scanner.getTokenOffset();
    const length = scanner.getTokenLength();
    if (kind === TOKEN.lineComment || kind === TOKEN.blockComment) {
      out.push({ kind: 'comment', offset, length });
      continue;
    }
    if ((kind === TOKEN.closeBrace || kind === TOKEN.closeBracket) && pendingComma) {
      out.push({ kind: 'trailing-comma', offset: pendingComma.offset, length: pendingComma.length });
    }
    pendingComma = kind === TOKEN.comma ? { offset, length } : undefined;
  }
  return out;
}

export interface JsonSyntaxError {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
}

const SYNTAX_MESSAGES: Readonly<Record<string, string>> = {
  InvalidSymbol: 'invalid symbol (JSON strings need double quotes; bare words are not allowed)',
  InvalidNumberFormat: 'invalid number format',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: "':' expected",
  CommaExpected: "',' expected",
  CloseBraceExpected: "'}' expected",
  CloseBracketExpected: "']' expected",
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed',
  UnexpectedEndOfComment: 'unterminated block comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unexpected end of number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character in string',
  InvalidCharacter: 'invalid character in string (control characters must be escaped)',
};

export interface ParsedJson {
  readonly root: JsonNode | undefined;
  readonly errors: readonly JsonSyntaxError[];
}

/**
 * The value of `text` when the platform's JSON.parse reads it exactly as the
 * tree parser below would, with nothing to report at the JSON layer: strict
 * JSON, no byte order mark, nesting within `maxDepth`, no duplicate keys.
 * Undefined otherwise: then read the text with parseJson.
 *
 * JSON.parse keeps the last of duplicate keys without a word, so they are
 * found by counting. Every ':' of strict JSON text is either the separator of
 * one member as written or a character inside a string; without \u escapes
 * (such text is left to parseJson) every ':' of a decoded string or key is
 * one of the text. So the text's ':' count equals the parsed value's members
 * plus the ':' in its strings and keys exactly when no member was dropped.
 */
export function readStrictJson(text: string, maxDepth: number, maxChars: number): { readonly value: unknown } | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.includes('\\u')) return undefined;
  const read = parseJsonBounded(text, maxDepth, maxChars);
  if (!('value' in read)) return undefined;
  return membersAndColons(read.value) === colonsIn(text) ? read : undefined;
}

function colonsIn(s: string): number {
  let n = 0;
  for (let i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) n++;
  return n;
}

/** Members of every object in `value` plus the ':' characters of its strings and keys. */
function membersAndColons(value: unknown): number {
  if (typeof value === 'string') return colonsIn(value);
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) n += membersAndColons(item);
    return n;
  }
  const object = value as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(object)) n += 1 + colonsIn(key) + membersAndColons(object[key]);
  return n;
}

/**
 * Parses `text` tolerating comments and trailing commas (they are reported
 * separately by findDeviations), so the remaining errors are real syntax errors.
 * A leading byte-order mark is treated as white space.
 */
export function parseJson(text: string): ParsedJson {
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  return {
    root,
    errors: errors.map((e) => {
      const name = printParseErrorCode(e.error as ParseErrorCode);
      return { offset: e.offset, length: e.length, message: SYNTAX_MESSAGES[name] ?? name };
    }),
  };
}

/**
 * The plain value of a tree node, as JSON.parse would build it: of duplicate
 * keys the last value wins at the first one's place, and a "__proto__" key is
 * an own property (never the object's prototype). A property whose value is
 * missing after a syntax error reads as undefined.
 */
export function valueOfNode(node: JsonNode | undefined): unknown {
  if (node === undefined) return undefined;
  if (node.type === 'array') return (node.children ?? []).map(valueOfNode);
  if (node.type !== 'object') return node.value;
  const out: Record<string, unknown> = {};
  for (const prop of node.children ?? []) {
    const key: unknown = prop.children?.[0]?.value;
    if (prop.type !== 'property' || typeof key !== 'string') continue;
    const value = valueOfNode(prop.children?.[1]);
    if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

/** The JSON path of the value around `offset` (best effort, for syntax diagnostics). */
export function jsonPathAt(text: string, offset: number): JsonPath {
  return getLocation(text, offset).path.filter((p) => p !== '');
}
