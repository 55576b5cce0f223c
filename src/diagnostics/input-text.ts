/**
 * What every reader checks before parsing: the encoding (UTF-8, with or
 * without a byte order mark; UTF-16 is named, not misread) and bounds on
 * nesting depth and size, so that no input can exhaust the stack or the heap
 * of a recursive parser. One implementation for the policy parser, simulate's
 * request reader and JSON Lines batches, and the account importers.
 */

import { readFileSync } from 'node:fs';

/** Deeper than any real policy, request, bundle or AWS CLI output (they nest about 10 levels). */
export const MAX_NESTING_DEPTH = 64;
/** A policy document: far above every AWS policy size quota (the largest are tens of kilobytes). */
export const MAX_POLICY_CHARS = 1 << 20;
/** One simulate request (a file or one batch line). */
export const MAX_REQUEST_CHARS = 32 << 20;
/** One account import file (AWS CLI outputs of large accounts run to tens of megabytes). */
export const MAX_IMPORT_CHARS = 256 << 20;

export interface InputProblem {
  readonly code: 'INPUT_TOO_DEEP' | 'INPUT_TOO_LARGE' | 'INPUT_UTF16';
  /** Character offset the problem is reported at. */
  readonly offset: number;
  readonly message: string;
}

/** The text without a leading UTF-8 byte order mark (U+FEFF). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * True when the bytes are UTF-16: a UTF-16 byte order mark, or (without one)
 * the NUL bytes every other byte that ASCII text in UTF-16 has.
 */
export function isUtf16(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return true;
  if (bytes.length < 4) return false;
  const n = Math.min(bytes.length, 64) & ~1;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  return evenNul * 2 >= n / 2 || oddNul * 2 >= n / 2;
}

export const UTF16_MESSAGE = 'this file is UTF-16; save it as UTF-8';

/** Decodes file bytes as UTF-8 (dropping a byte order mark); a problem for UTF-16. */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { problem: InputProblem } {
  if (isUtf16(bytes)) return { problem: { code: 'INPUT_UTF16', offset: 0, message: UTF16_MESSAGE } };
  return { text: stripBom(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) };
}

/**
 * The first place where JSON text nests deeper than `maxDepth`, or is longer
 * than `maxChars`. One pass, no recursion; strings (with escapes) and, for
 * documentation-style JSON, // and /* *\/ comments are skipped.
 */
export function checkJsonBounds(text: string, maxDepth = MAX_NESTING_DEPTH, maxChars = MAX_REQUEST_CHARS): InputProblem | undefined {
  if (text.length > maxChars) {
    return { code: 'INPUT_TOO_LARGE', offset: 0, message: `the input is ${text.length} characters, over the limit of ${maxChars}` };
  }
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) {
        return { code: 'INPUT_TOO_DEEP', offset: i, message: `the input nests deeper than ${maxDepth} levels of objects and arrays` };
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}

/** True when `value` (as JSON.parse builds it) has objects or arrays nested deeper than `maxDepth`. */
export function nestsDeeper(value: unknown, maxDepth: number, depth = 1): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > maxDepth) return true;
  const items: readonly unknown[] = Array.isArray(value) ? value : Object.values(value);
  for (const item of items) if (nestsDeeper(item, maxDepth, depth + 1)) return true;
  return false;
}

export type BoundedJson = { readonly value: unknown } | { readonly problem: InputProblem } | { readonly syntaxError: SyntaxError };

/**
 * Reads JSON text with the platform's JSON.parse (which does not recurse, so
 * any nesting parses) under the bounds of checkJsonBounds, with the same
 * answer: a problem when checkJsonBounds has one, else the value or the
 * syntax error. The common case — the text parses and nests within bounds —
 * costs a walk of the parsed value instead of a pass over every character.
 */
export function parseJsonBounded(text: string, maxDepth: number, maxChars: number): BoundedJson {
  if (text.length > maxChars) return { problem: checkJsonBounds(text, maxDepth, maxChars) as InputProblem };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const problem = checkJsonBounds(text, maxDepth, maxChars);
    return problem !== undefined ? { problem } : { syntaxError: err as SyntaxError };
  }
  if (!nestsDeeper(value, maxDepth)) return { value };
  // Strict JSON has no comments: its brackets nest exactly as its value does.
  const problem = checkJsonBounds(text, maxDepth, maxChars);
  return problem !== undefined ? { problem } : { value };
}

/** True for the error a recursive parser throws when input nests too deeply for the stack. */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

/** Reads a file as UTF-8 text (byte order mark dropped); an error message when it cannot. */
export function readUtf8File(path: string): { text: string } | { error: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: 'no such file' };
    if (code === 'EISDIR') return { error: 'is a directory, not a file' };
    return { error: code ?? String(err) };
  }
  const decoded = decodeUtf8(bytes);
  return 'text' in decoded ? decoded : { error: decoded.problem.message };
}
