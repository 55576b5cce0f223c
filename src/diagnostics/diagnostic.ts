/**
 * Diagnostics are values, never thrown strings. Every module that reads user
 * input reports problems as Diagnostic objects with a stable `code`.
 */
import type { MessageParams } from './message.js';

export type Severity = 'error' | 'warning' | 'info';

/** 1-based line and column, 0-based character offset into the source text. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Span {
  readonly start: Position;
  readonly end: Position;
}

/** A JSON path from the document root, e.g. ['Statement', 2, 'Condition']. */
export type JsonPath = readonly (string | number)[];

export interface Diagnostic {
  /** Stable machine-readable code, e.g. 'JSON_SYNTAX', 'UNKNOWN_VERSION'. */
  readonly code: string;
  readonly severity: Severity;
  /** One line, no trailing period required. */
  readonly message: string;
  /** Name of the file or input the diagnostic refers to, when known. */
  readonly file?: string;
  readonly line: number;
  readonly column: number;
  readonly span?: Span;
  readonly path: JsonPath;
  /** The message as a value (diagnostics/message.ts): its template and parameters, which each surface words; `message` is AWS's wording. */
  readonly template?: string;
  readonly params?: MessageParams;
}

export const NO_POSITION: Position = { line: 1, column: 1, offset: 0 };

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:column: severity code: message` — the one-line form used by the CLI. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file ?? '<input>'}:${d.line}:${d.column}`;
  return `${where}: ${d.severity} ${d.code}: ${d.message}`;
}

/** Builds a path string like `Statement[2].Condition` for messages. */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '$' : out;
}
