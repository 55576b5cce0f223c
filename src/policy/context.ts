/**
 * Shared state of one policy parse: where positions map to, the rules of the
 * policy type, and the diagnostics collected so far. Also holds the small JSON
 * tree helpers every element parser uses.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import { formatJsonPath } from '../diagnostics/diagnostic.js';
import type { Diagnostic, JsonPath, Severity, Span } from '../diagnostics/diagnostic.js';
import type { ParseCode } from './codes.js';
import type { PolicyType, ValueList } from './model.js';
import { spanOf } from './json-source.js';
import type { OffsetMapper } from './json-source.js';
import type { PolicyTypeRules } from './rules.js';

export class ParseContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Version as written when it is a string ('2012-10-17' enables variables). */
  version: string | undefined;

  constructor(
    readonly mapper: OffsetMapper,
    readonly type: PolicyType,
    readonly rules: PolicyTypeRules,
    readonly pathPrefix: JsonPath,
    readonly file: string | undefined,
  ) {}

  get variablesSupported(): boolean {
    return this.version === '2012-10-17';
  }

  span(node: JsonNode): Span {
    return spanOf(this.mapper, node.offset, node.length);
  }

  spanAt(offset: number, length: number): Span {
    return spanOf(this.mapper, offset, length);
  }

  report(code: ParseCode, severity: Severity, message: string, at: JsonNode | Span, path: JsonPath): void {
    const span = 'type' in at ? this.span(at) : at;
    const d: Diagnostic = {
      code,
      severity,
      message,
      line: span.start.line,
      column: span.start.column,
      span,
      path: [...this.pathPrefix, ...path],
      ...(this.file !== undefined ? { file: this.file } : {}),
    };
    this.diagnostics.push(d);
  }

  /**
   * The properties of an object node by key; the last duplicate wins (as in
   * JSON.parse). Duplicates are reported once for the whole tree by
   * reportDuplicateKeys, so shadowed objects are checked too.
   */
  properties(node: JsonNode): Map<string, JsonNode> {
    const props = new Map<string, JsonNode>();
    for (const prop of node.children ?? []) {
      const keyNode = prop.children?.[0];
      if (prop.type !== 'property' || !keyNode || typeof keyNode.value !== 'string') continue;
      props.set(keyNode.value, prop);
    }
    return props;
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
        this.report('DUPLICATE_KEY', 'error', `Duplicate key "${key}" in ${where}`, keyNode, [...path, key]);
      }
      seen.add(key);
      if (valueNode) this.reportDuplicateKeys(valueNode, [...path, key]);
    }
  }

  /**
   * Reads a string-or-array-of-strings element. Non-string items are
   * reported and skipped; an empty array is reported. `paths[i]` is the JSON
   * path of `list.values[i]`.
   */
  stringList(prop: JsonNode, path: JsonPath, name: string): { list: ValueList; paths: JsonPath[] } | undefined {
    const value = prop.children?.[1];
    if (!value) return undefined;
    const values: string[] = [];
    const spans: Span[] = [];
    const paths: JsonPath[] = [];
    if (value.type === 'string') {
      values.push(value.value as string);
      spans.push(this.span(value));
      paths.push(path);
    } else if (value.type === 'array') {
      const items = value.children ?? [];
      if (items.length === 0) {
        // Grammar conventions: arrays take one or more values (reference_policies_grammar).
        this.report('EMPTY_ARRAY', 'error', `${name} must list at least one value`, value, path);
      }
      items.forEach((item, i) => {
        if (item.type === 'string') {
          values.push(item.value as string);
          spans.push(this.span(item));
          paths.push([...path, i]);
        } else {
          this.report('ELEMENT_TYPE', 'error', `${name} values must be strings, found ${describe(item)}`, item, [...path, i]);
        }
      });
    } else {
      this.report('ELEMENT_TYPE', 'error', `${name} must be a string or an array of strings, found ${describe(value)}`, value, path);
      return undefined;
    }
    return { list: { values, spans, span: this.span(prop) }, paths };
  }
}

export function propValue(prop: JsonNode | undefined): JsonNode | undefined {
  return prop?.children?.[1];
}

export function propKey(prop: JsonNode): JsonNode {
  return prop.children?.[0] ?? prop;
}

export function describe(node: JsonNode): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'null':
      return 'null';
    case 'number':
      return `the number ${String(node.value)}`;
    case 'boolean':
      return `the boolean ${String(node.value)}`;
    default: {
      const text = JSON.stringify(node.value);
      return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
    }
  }
}
