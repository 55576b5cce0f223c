/**
 * Shared state of one policy parse: where positions come from (source.ts),
 * the rules of the policy type, and the diagnostics collected so far. Also
 * holds the small helpers every element parser uses to read plain JSON values
 * (as JSON.parse builds them).
 */
import type { Node as JsonNode } from 'jsonc-parser';
import { formatJsonPath } from '../diagnostics/diagnostic.js';
import type { Diagnostic, JsonPath, Severity, Span } from '../diagnostics/diagnostic.js';
import type { ParseCode } from './codes.js';
import type { PolicyType, ValueList } from './model.js';
import type { PolicyTypeRules } from './rules.js';
import type { PolicySource, SpanPart } from './source.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `object` has its own property `key` (never one inherited from Object.prototype). */
export function has(object: JsonObject, key: string): boolean {
  return Object.hasOwn(object, key);
}

/** The own property `key` of `object`, else undefined. */
export function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** A string list element read by ParseContext.stringList. */
export interface ReadList {
  readonly list: ValueList;
  /** The array index of each value; undefined when the element is a single string. */
  readonly indexes: readonly number[] | undefined;
}

/** The JSON path of the i-th value of a list read at `path`. */
export function listItemPath(path: JsonPath, read: ReadList, i: number): JsonPath {
  const index = read.indexes?.[i];
  return index === undefined ? path : [...path, index];
}

export class ParseContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Version as written when it is a string ('2012-10-17' enables variables). */
  version: string | undefined;

  constructor(
    readonly source: PolicySource,
    readonly type: PolicyType,
    readonly rules: PolicyTypeRules,
    readonly pathPrefix: JsonPath,
    readonly file: string | undefined,
  ) {}

  get variablesSupported(): boolean {
    return this.version === '2012-10-17';
  }

  /** The span of the JSON at `path` (then `last`), looked up when first read. */
  span(path: JsonPath, last?: string | number, part: SpanPart = 'value'): Span {
    return this.source.span(path, last, part);
  }

  /** The span of the property name at `path` (e.g. the `"Effect"` of a statement). */
  keySpan(path: JsonPath): Span {
    return this.source.span(path, undefined, 'key');
  }

  report(code: ParseCode, severity: Severity, message: string, at: Span, path: JsonPath): void {
    const span: Span = { start: at.start, end: at.end };
    this.diagnostics.push({
      code,
      severity,
      message,
      line: span.start.line,
      column: span.start.column,
      span,
      path: [...this.pathPrefix, ...path],
      ...(this.file !== undefined ? { file: this.file } : {}),
    });
  }

  /** Reports every repeated key in every object of the tree (reference_policies_grammar notes). */
  reportDuplicateKeys(node: JsonNode, path: JsonPath): void {
    if (node.type === 'array') {
      (node.children ?? []).forEach((child, i) => {
        this.reportDuplicateKeys(child, [...path, i]);
      });
      return;
    }
    if (node.type !== 'object') return;
    const seen = new Set<string>();
    for (const prop of node.children ?? []) {
      const keyNode = prop.children?.[0];
      const valueNode = prop.children?.[1];
      if (prop.type !== 'property' || !keyNode || typeof keyNode.value !== 'string') continue;
      const key = keyNode.value;
      if (seen.has(key)) {
        const where = path.length === 0 ? 'the policy document' : formatJsonPath(path);
        this.report('DUPLICATE_KEY', 'error', `Duplicate key "${key}" in ${where}`, this.source.spanAt(keyNode.offset, keyNode.length), [...path, key]);
      }
      seen.add(key);
      if (valueNode) this.reportDuplicateKeys(valueNode, [...path, key]);
    }
  }

  /**
   * Reads a string-or-array-of-strings element whose value is `value`, at
   * `path`. Non-string items are reported and skipped; an empty array is
   * reported.
   */
  stringList(value: unknown, path: JsonPath, name: string): ReadList | undefined {
    if (value === undefined) return undefined;
    const span = this.span(path, undefined, 'property');
    if (typeof value === 'string') {
      return { list: { values: [value], spans: [this.span(path)], span }, indexes: undefined };
    }
    if (!Array.isArray(value)) {
      this.report('ELEMENT_TYPE', 'error', `${name} must be a string or an array of strings, found ${describe(value)}`, this.span(path), path);
      return undefined;
    }
    if (value.length === 0) {
      // Grammar conventions: arrays take one or more values (reference_policies_grammar).
      this.report('EMPTY_ARRAY', 'error', `${name} must list at least one value`, this.span(path), path);
    }
    const values: string[] = [];
    const spans: Span[] = [];
    const indexes: number[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        values.push(item);
        spans.push(this.span(path, i));
        indexes.push(i);
      } else {
        this.report('ELEMENT_TYPE', 'error', `${name} values must be strings, found ${describe(item)}`, this.span(path, i), [...path, i]);
      }
    }
    return { list: { values, spans, span }, indexes };
  }
}

/** How messages name a JSON value's type (and, for scalars, the value). */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'number':
      return `the number ${String(value)}`;
    case 'boolean':
      return `the boolean ${String(value)}`;
    default: {
      const text = JSON.stringify(value) ?? 'nothing';
      return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
    }
  }
}
