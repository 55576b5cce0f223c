/**
 * A parsed input file (JSON or YAML) that can report the position of any
 * value by its JSON path, so importers can emit Diagnostics with line and
 * column, and can extract embedded policy documents as JSON text.
 */
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { Diagnostic, JsonPath, Position, Severity } from '../../diagnostics/diagnostic.js';
import { textMapper } from '../../diagnostics/position.js';
import { checkJsonBounds, isStackOverflow, MAX_IMPORT_CHARS, MAX_NESTING_DEPTH, stripBom } from '../../diagnostics/input-text.js';
import type { DocumentOrigin } from '../model.js';

export interface InputSource {
  readonly file: string;
  readonly text: string;
  /** The parsed value (undefined when the file did not parse). */
  readonly value: unknown;
  readonly format: 'json' | 'yaml';
  /** Position of the value at `path`, or of its nearest existing ancestor. */
  position(path: JsonPath): Position;
  /** Exact source text of the value at `path` (JSON sources only). */
  sourceText(path: JsonPath): string | undefined;
}

export interface SourceResult {
  readonly source?: InputSource;
  readonly diagnostics: Diagnostic[];
}

export function makeDiagnostic(
  source: InputSource | { readonly file: string },
  code: string,
  severity: Severity,
  message: string,
  path: JsonPath = [],
): Diagnostic {
  const pos = 'position' in source ? source.position(path) : { line: 1, column: 1 };
  return { code, severity, message, file: source.file, line: pos.line, column: pos.column, path };
}

/** Parses strict JSON (AWS CLI output, JSON bundles) with positions. */
export function jsonSource(text: string, file: string): SourceResult {
  const errors: ParseError[] = [];
  const body = stripBom(text);
  const bounded = boundsProblem(body, file);
  if (bounded !== undefined) return { diagnostics: [bounded] };
  const tree = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false });
  const at = textMapper(body);
  if (errors.length > 0 || tree === undefined) {
    const first = errors[0];
    const pos = at(first?.offset ?? 0);
    const what = first ? printParseErrorCode(first.error) : 'empty input';
    return {
      diagnostics: [
        {
          code: 'JSON_SYNTAX',
          severity: 'error',
          message: `invalid JSON: ${what}`,
          file,
          line: pos.line,
          column: pos.column,
          path: [],
        },
      ],
    };
  }
  const nodeAt = (path: JsonPath): JsonNode => {
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(tree, path.slice(0, n) as (string | number)[]);
      if (node) return node;
    }
    return tree;
  };
  const source: InputSource = {
    file,
    text: body,
    value: getNodeValue(tree) as unknown,
    format: 'json',
    position: (path) => at(nodeAt(path).offset),
    sourceText: (path) => {
      const node = findNodeAtLocation(tree, path as (string | number)[]);
      return node ? body.slice(node.offset, node.offset + node.length) : undefined;
    },
  };
  return { source, diagnostics: [] };
}

/** Parses YAML (bundles) with positions. */
export function yamlSource(raw: string, file: string): SourceResult {
  const text = stripBom(raw);
  const bounded = boundsProblem(text, file);
  if (bounded !== undefined) return { diagnostics: [bounded] };
  try {
    return yamlDocument(text, file);
  } catch (err) {
    // Block-style nesting (indentation, "- - -") is not bracketed: the recursive reader is the last guard.
    if (!isStackOverflow(err)) throw err;
    return {
      diagnostics: [
        { code: 'INPUT_TOO_DEEP', severity: 'error', message: `the input nests deeper than ${MAX_NESTING_DEPTH} levels`, file, line: 1, column: 1, path: [] },
      ],
    };
  }
}

/**
 * Bounds every import file is held to: nesting depth (brackets of JSON and
 * YAML flow collections) and size; an error diagnostic naming the place.
 */
function boundsProblem(text: string, file: string): Diagnostic | undefined {
  const p = checkJsonBounds(text, MAX_NESTING_DEPTH, MAX_IMPORT_CHARS);
  if (p === undefined) return undefined;
  const pos = textMapper(text)(p.offset);
  return { code: p.code, severity: 'error', message: p.message, file, line: pos.line, column: pos.column, path: [] };
}

function yamlDocument(text: string, file: string): SourceResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const diagnostics = doc.errors.map((e): Diagnostic => {
      const lp = lineCounter.linePos(e.pos[0]);
      return {
        code: 'YAML_SYNTAX',
        severity: 'error',
        message: `invalid YAML: ${e.message.split('\n')[0] ?? ''}`,
        file,
        line: lp.line,
        column: lp.col,
        path: [],
      };
    });
    return { diagnostics };
  }
  const position = (path: JsonPath): Position => {
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const lp = lineCounter.linePos(node.range[0]);
        return { line: lp.line, column: lp.col, offset: node.range[0] };
      }
    }
    return { line: 1, column: 1, offset: 0 };
  };
  const source: InputSource = {
    file,
    text,
    value: doc.toJS({ maxAliasCount: 100 }) as unknown,
    format: 'yaml',
    position,
    sourceText: () => undefined,
  };
  return { source, diagnostics: [] };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function originOf(src: InputSource, path: JsonPath): DocumentOrigin {
  const p = src.position(path);
  if (src.format !== 'yaml') return { file: src.file, line: p.line, column: p.column };
  return { file: src.file, line: p.line, column: p.column, path: [...path], statements: statementPositions(src, path) };
}

/** Where each statement of the document at `path` is (one entry when Statement is a single object). */
function statementPositions(src: InputSource, path: JsonPath): { line: number; column: number }[] {
  let node: unknown = src.value;
  for (const part of [...path, 'Statement']) node = isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[part] : undefined;
  const count = Array.isArray(node) ? node.length : node === undefined ? 0 : 1;
  return Array.from({ length: count }, (_, i) => {
    const p = src.position(Array.isArray(node) ? [...path, 'Statement', i] : [...path, 'Statement']);
    return { line: p.line, column: p.column };
  });
}

export interface DocumentText {
  readonly text: string;
  readonly origin: DocumentOrigin;
}

/**
 * Reads a policy document at `path`: an embedded object (as the AWS CLI
 * prints it), a JSON string, or a URL-encoded JSON string (as the raw IAM
 * API returns it; IAM User Guide: access_policies_manage-edit / API docs).
 */
export function readDocument(src: InputSource, path: JsonPath, label: string, out: Diagnostic[]): DocumentText | undefined {
  let node: unknown = src.value;
  for (const part of path) {
    if (typeof part === 'number') node = Array.isArray(node) ? node[part] : undefined;
    else node = isRecord(node) ? node[part] : undefined;
  }
  const origin = originOf(src, path);
  if (isRecord(node)) {
    const text = src.sourceText(path) ?? JSON.stringify(node, null, 2);
    return { text, origin };
  }
  if (typeof node !== 'string') {
    out.push(makeDiagnostic(src, 'DOCUMENT_MISSING', 'error', `${label}: policy document is missing or not an object or string`, path));
    return undefined;
  }
  let text = node.trim();
  if (!text.startsWith('{') && /%[0-9a-fA-F]{2}/.test(text)) {
    try {
      text = decodeURIComponent(text).trim();
    } catch {
      out.push(makeDiagnostic(src, 'DOCUMENT_URL_DECODE', 'error', `${label}: policy document is not valid URL-encoded text`, path));
      return undefined;
    }
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isRecord(parsed)) throw new Error('not an object');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    out.push(makeDiagnostic(src, 'DOCUMENT_JSON', 'error', `${label}: policy document is not a JSON object (${why})`, path));
    return undefined;
  }
  return { text, origin };
}

/** Reads an optional string property; a non-string value is reported. */
export function readString(
  src: InputSource,
  obj: Record<string, unknown>,
  key: string,
  path: JsonPath,
  out: Diagnostic[],
  required = false,
): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) out.push(makeDiagnostic(src, 'MISSING_FIELD', 'error', `missing required field ${key}`, path));
    return undefined;
  }
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') {
    out.push(makeDiagnostic(src, 'FIELD_TYPE', 'error', `${key} must be a string`, [...path, key]));
    return undefined;
  }
  return v;
}

/** Reads an optional array property; a non-array is reported and treated as empty. */
export function readArray(src: InputSource, obj: Record<string, unknown>, key: string, path: JsonPath, out: Diagnostic[]): unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    out.push(makeDiagnostic(src, 'FIELD_TYPE', 'error', `${key} must be a list`, [...path, key]));
    return [];
  }
  return v;
}
