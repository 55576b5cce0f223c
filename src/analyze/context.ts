/**
 * State shared by the rule families while one policy is linted: the source
 * text and JSON tree (for positions), the parsed policy, and the findings.
 */
import { findNodeAtLocation } from 'jsonc-parser';
import type { Node as JsonNode } from 'jsonc-parser';
import type { JsonPath, Span } from '../diagnostics/diagnostic.js';
import type { Policy, PolicyType, Statement, ValueList } from '../policy/model.js';
import { spanOf, textMapper } from '../policy/json-source.js';
import type { OffsetMapper } from '../policy/json-source.js';
import { learnMoreLink, toFindingSpan } from './finding.js';
import type { Finding, FindingType } from './finding.js';
import { RULES } from './registry.js';
import type { Catalog } from '../catalog/catalog-object.js';
import type { IssueCode } from './registry.js';

export type ListElement = 'Action' | 'NotAction' | 'Resource' | 'NotResource';

export class LintContext {
  readonly findings: Finding[] = [];
  readonly mapper: OffsetMapper;
  private readonly statementIsArray: boolean;

  constructor(
    readonly text: string,
    readonly root: JsonNode,
    readonly policy: Policy,
    readonly type: PolicyType,
    readonly file: string | undefined,
    /** The catalog the rules ask (remembered lookups, expansions and compiled patterns). */
    readonly catalog: Catalog,
  ) {
    this.mapper = textMapper(text);
    this.statementIsArray = findNodeAtLocation(root, ['Statement'])?.type === 'array';
  }

  /** ['Statement', i], or ['Statement'] when Statement is a single object. */
  statementPath(s: Statement): JsonPath {
    return this.statementIsArray ? ['Statement', s.index] : ['Statement'];
  }

  node(path: JsonPath): JsonNode | undefined {
    return findNodeAtLocation(this.root, [...path]);
  }

  span(node: JsonNode): Span {
    return spanOf(this.mapper, node.offset, node.length);
  }

  /** The span of the property name at `path` (e.g. the `"Condition"` key), else the statement's. */
  keySpan(path: JsonPath, fallback: Span): Span {
    const key = this.node(path)?.parent?.children?.[0];
    return key ? this.span(key) : fallback;
  }

  /** JSON path of the i-th value of a string list element of a statement. */
  valuePath(s: Statement, element: ListElement, list: ValueList, i: number): JsonPath {
    const base = [...this.statementPath(s), element];
    const node = this.node(base);
    if (node?.type !== 'array') return base;
    const offset = list.spans[i]?.start.offset;
    const idx = (node.children ?? []).findIndex((c) => c.offset === offset);
    return idx >= 0 ? [...base, idx] : base;
  }

  /** JSON path of a condition clause: Statement[i].Condition.<operator>.<key>. */
  clausePath(s: Statement, operator: string, key: string): JsonPath {
    return [...this.statementPath(s), 'Condition', operator, key];
  }

  /** Span of the statement's `"Condition"` key. */
  conditionSpan(s: Statement): Span {
    return this.keySpan([...this.statementPath(s), 'Condition'], s.span);
  }

  report(code: IssueCode, message: string, span: Span, path: JsonPath, findingType?: FindingType): void {
    this.findings.push({
      findingType: findingType ?? RULES[code].findingType,
      issueCode: code,
      message,
      path,
      span: toFindingSpan(span),
      learnMoreLink: learnMoreLink(code),
      ...(this.file !== undefined ? { file: this.file } : {}),
    });
  }
}

/** Short quoted list for messages: "a", "b" and 3 more. */
export function listForMessage(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
