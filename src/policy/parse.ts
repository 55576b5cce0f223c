/**
 * IAM JSON policy parser and grammar validator. Turns policy text (or a
 * policy embedded in a larger JSON document) into the model in model.ts and
 * reports every problem found as Diagnostic values.
 *
 * Grammar: reference_policies_grammar and reference_policies_elements_*;
 * per-type rules: rules.ts.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import type { Diagnostic, JsonPath } from '../diagnostics/diagnostic.js';
import { checkJsonBounds, MAX_NESTING_DEPTH, MAX_POLICY_CHARS } from '../diagnostics/input-text.js';
import type { Policy, PolicyType, Statement } from './model.js';
import { ParseContext, describe, propKey, propValue } from './context.js';
import { findDeviations, jsonPathAt, parseJson, stringLiteralMapper, textMapper } from './json-source.js';
import type { JsonDeviation, OffsetMapper } from './json-source.js';
import { cap, rulesFor, withArticle } from './rules.js';
import { parseStatement } from './statement.js';

export interface ParseOptions {
  readonly type: PolicyType;
  /** Name used to cite the policy; default: file ?? 'policy'. */
  readonly name?: string;
  /** File name for diagnostics. */
  readonly file?: string;
  /** Accept documentation-style JSON (comments, trailing commas) with one warning per deviation. */
  readonly lenient?: boolean;
  /** Prepended to every diagnostic path (e.g. ['PolicyInputList', 0] for an embedded policy). */
  readonly pathPrefix?: JsonPath;
}

export interface ParseResult {
  readonly policy: Policy | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export const POLICY_ELEMENTS = ['Version', 'Id', 'Statement'] as const;
export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;

export function parsePolicy(text: string, options: ParseOptions): ParseResult {
  return parseText(text, textMapper(text), options);
}

/**
 * Parses a policy embedded in a larger JSON document: an object node, or a
 * string node whose value is policy JSON text. Positions refer to `outerText`.
 */
export function parsePolicyNode(node: JsonNode, outerText: string, options: ParseOptions): ParseResult {
  const outer = textMapper(outerText);
  if (node.type === 'string') {
    return parseText(String(node.value), stringLiteralMapper(node, outerText, outer), options);
  }
  const ctx = newContext(outer, options);
  if (node.type !== 'object') {
    ctx.report('NOT_AN_OBJECT', 'error', `A policy document must be a JSON object, found ${describe(node)}`, node, []);
    return { policy: undefined, diagnostics: sorted(ctx.diagnostics) };
  }
  reportDeviations(ctx, findDeviations(outerText, node.offset, node.offset + node.length), options.lenient === true);
  const policy = buildPolicy(ctx, node, policyName(options));
  return { policy, diagnostics: sorted(ctx.diagnostics) };
}

function newContext(mapper: OffsetMapper, options: ParseOptions): ParseContext {
  return new ParseContext(mapper, options.type, rulesFor(options.type), options.pathPrefix ?? [], options.file);
}

/** Diagnostics in document order (stable for equal positions). */
function sorted(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.span?.start.offset ?? 0) - (b.span?.start.offset ?? 0));
}

function policyName(options: ParseOptions): string {
  return options.name ?? options.file ?? 'policy';
}

function parseText(text: string, mapper: OffsetMapper, options: ParseOptions): ParseResult {
  const ctx = newContext(mapper, options);
  const bounds = checkJsonBounds(text, MAX_NESTING_DEPTH, MAX_POLICY_CHARS);
  if (bounds !== undefined) {
    ctx.report(
      bounds.code === 'INPUT_TOO_DEEP' ? 'INPUT_TOO_DEEP' : 'INPUT_TOO_LARGE',
      'error',
      `Policy not read: ${bounds.message}`,
      ctx.spanAt(bounds.offset, 1),
      [],
    );
    return { policy: undefined, diagnostics: ctx.diagnostics };
  }
  reportDeviations(ctx, findDeviations(text), options.lenient === true, (offset) => jsonPathAt(text, offset));
  const { root, errors } = parseJson(text);
  for (const e of errors) {
    ctx.report('JSON_SYNTAX', 'error', `Invalid JSON: ${e.message}`, ctx.spanAt(e.offset, e.length), jsonPathAt(text, e.offset));
  }
  if (!root) return { policy: undefined, diagnostics: sorted(ctx.diagnostics) };
  if (errors.length > 0) {
    // The tree after a syntax error is a guess: build the policy for
    // inspection but do not report grammar problems that may be artifacts.
    const scratch = newContext(mapper, options);
    const policy = buildPolicy(scratch, root, policyName(options));
    return { policy, diagnostics: sorted(ctx.diagnostics) };
  }
  const policy = buildPolicy(ctx, root, policyName(options));
  return { policy, diagnostics: sorted(ctx.diagnostics) };
}

function reportDeviations(ctx: ParseContext, deviations: readonly JsonDeviation[], lenient: boolean, pathAt: (offset: number) => JsonPath = () => []): void {
  for (const d of deviations) {
    const span = ctx.spanAt(d.offset, d.length);
    const path = pathAt(d.offset);
    if (d.kind === 'comment') {
      if (lenient) ctx.report('LENIENT_COMMENT', 'warning', 'Comment accepted in lenient mode; IAM rejects comments', span, path);
      else ctx.report('JSON_COMMENT', 'error', 'Comments are not allowed in JSON policies', span, path);
    } else if (lenient) {
      ctx.report('LENIENT_TRAILING_COMMA', 'warning', 'Trailing comma accepted in lenient mode; IAM rejects trailing commas', span, path);
    } else {
      ctx.report('JSON_TRAILING_COMMA', 'error', 'Trailing commas are not allowed in JSON policies', span, path);
    }
  }
}

function buildPolicy(ctx: ParseContext, root: JsonNode, name: string): Policy | undefined {
  if (root.type !== 'object') {
    ctx.report('NOT_AN_OBJECT', 'error', `A policy document must be a JSON object, found ${describe(root)}`, root, []);
    return undefined;
  }
  ctx.reportDuplicateKeys(root, []);
  const props = ctx.properties(root);
  for (const [key, prop] of props) {
    if ((POLICY_ELEMENTS as readonly string[]).includes(key)) continue;
    const hint = POLICY_ELEMENTS.find((k) => k.toLowerCase() === key.toLowerCase());
    const where = hint ? ` (element names are case-sensitive: "${hint}")` : ' (only Version, Id and Statement are allowed here)';
    ctx.report('UNKNOWN_ELEMENT', 'error', `Unknown policy element "${key}"${where}`, propKey(prop), [key]);
  }
  const version = parseVersion(ctx, root, props.get('Version'));
  ctx.version = version;
  const id = parseId(ctx, props.get('Id'));
  const statements = parseStatements(ctx, root, props.get('Statement'));
  return {
    name,
    type: ctx.type,
    statements,
    span: ctx.span(root),
    ...(version !== undefined ? { version } : {}),
    ...(id !== undefined ? { id } : {}),
  };
}

/** reference_policies_elements_version; RCPs must use 2012-10-17 (orgs_manage_policies_rcps_syntax). */
function parseVersion(ctx: ParseContext, root: JsonNode, prop: JsonNode | undefined): string | undefined {
  const required = ctx.rules.version === 'required';
  const node = propValue(prop);
  if (!node) {
    const message = required
      ? `${cap(withArticle(ctx.rules))} must include "Version": "2012-10-17"`
      : 'No Version element: the policy is processed as 2008-10-17 and policy variables are treated as literal text; add "Version": "2012-10-17"';
    ctx.report('VERSION_MISSING', required ? 'error' : 'warning', message, { start: ctx.span(root).start, end: ctx.span(root).start }, ['Version']);
    return undefined;
  }
  const value: unknown = node.value;
  if (node.type !== 'string' || !(POLICY_VERSIONS as readonly unknown[]).includes(value)) {
    ctx.report('VERSION_INVALID', 'error', `Version must be "2012-10-17" or "2008-10-17", found ${describe(node)}`, node, ['Version']);
    return undefined;
  }
  if (required && value !== '2012-10-17') {
    ctx.report('VERSION_INVALID', 'error', `${cap(withArticle(ctx.rules))} must use "Version": "2012-10-17"`, node, ['Version']);
  }
  return value as string;
}

/** reference_policies_grammar: the Id block must not be included in identity-based policies. */
function parseId(ctx: ParseContext, prop: JsonNode | undefined): string | undefined {
  const node = propValue(prop);
  if (!prop || !node) return undefined;
  if (node.type !== 'string') {
    ctx.report('ELEMENT_TYPE', 'error', `Id must be a string, found ${describe(node)}`, node, ['Id']);
    return undefined;
  }
  if (ctx.rules.id === 'discouraged') {
    ctx.report('ELEMENT_DISCOURAGED', 'warning', `The Id element is not meant for ${withArticle(ctx.rules)}`, propKey(prop), ['Id']);
  }
  return node.value as string;
}

function parseStatements(ctx: ParseContext, root: JsonNode, prop: JsonNode | undefined): Statement[] {
  const node = propValue(prop);
  if (!node) {
    ctx.report('STATEMENT_MISSING', 'error', 'The policy has no Statement element', { start: ctx.span(root).start, end: ctx.span(root).start }, ['Statement']);
    return [];
  }
  let items: { node: JsonNode; path: JsonPath }[];
  if (node.type === 'object') {
    items = [{ node, path: ['Statement'] }];
  } else if (node.type === 'array') {
    items = (node.children ?? []).map((child, i) => ({ node: child, path: ['Statement', i] }));
    if (items.length === 0) {
      // Grammar conventions: arrays take one or more values (reference_policies_grammar).
      ctx.report('STATEMENT_EMPTY', 'error', 'The Statement array is empty', node, ['Statement']);
    }
  } else {
    ctx.report('ELEMENT_TYPE', 'error', `Statement must be an object or an array of objects, found ${describe(node)}`, node, ['Statement']);
    return [];
  }
  const statements: Statement[] = [];
  const sids = new Map<string, number>();
  items.forEach((item, index) => {
    const parsed = parseStatement(ctx, item.node, index, item.path);
    if (parsed.statement) statements.push(parsed.statement);
    const sid = parsed.sid;
    if (!sid || sid.value === '') return;
    // reference_policies_elements_sid: the Sid value must be unique within a policy.
    const first = sids.get(sid.value);
    if (first !== undefined) {
      ctx.report('SID_DUPLICATE', 'error', `Sid "${sid.value}" is already used by statement #${first + 1}`, sid.node, [...item.path, 'Sid']);
    } else {
      sids.set(sid.value, index);
    }
  });
  return statements;
}
