/**
 * JSON text handling for the policy parser: offset → line/column mapping
 * (re-exported from diagnostics/position),
 * detection of documentation-style deviations (comments, trailing commas)
 * and the jsonc-parser tree with syntax errors.
 */
import { createScanner, getLocation, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node as JsonNode, ParseError, ParseErrorCode } from 'jsonc-parser';
import type { JsonPath, Position, Span } from '../diagnostics/diagnostic.js';
import type { OffsetMapper } from '../diagnostics/position.js';

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

/** The JSON path of the value around `offset` (best effort, for syntax diagnostics). */
export function jsonPathAt(text: string, offset: number): JsonPath {
  return getLocation(text, offset).path.filter((p) => p !== '');
}
