/**
 * IAM JSON policy parser and grammar validator. Turns policy text (or a
 * policy embedded in a larger JSON document) into the model in model.ts and
 * reports every problem found as Diagnostic values.
 *
 * The text is read into a plain value — by the platform's JSON.parse when it
 * is strict JSON, else through jsonc-parser's tree (comments, trailing commas,
 * syntax errors, duplicate keys: json-source.ts) — and the one grammar below
 * runs over that value. Positions are looked up only when a diagnostic or a
 * citation reads one (source.ts).
 *
 * Grammar: reference_policies_grammar and reference_policies_elements_*;
 * per-type rules: rules.ts.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import type { Diagnostic, JsonPath, Span } from '../diagnostics/diagnostic.js';
import { checkJsonBounds, MAX_NESTING_DEPTH, MAX_POLICY_CHARS } from '../diagnostics/input-text.js';
import type { OffsetMapper } from '../diagnostics/position.js';
import type { Policy, PolicyType, Statement } from './model.js';
import { ParseContext, describe, isObject, own } from './context.js';
import type { JsonObject } from './context.js';
import { findDeviations, jsonPathAt, parseJson, readStrictJson, stringLiteralMapper, textMapper, valueOfNode } from './json-source.js';
import type { JsonDeviation } from './json-source.js';
import { cap, rulesFor, withArticle } from './rules.js';
import { PolicySource } from './source.js';
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

const ROOT: JsonPath = [];

export function parsePolicy(text: string, options: ParseOptions): ParseResult {
  return parseText(text, undefined, options);
}

/**
 * Parses a policy embedded in a larger JSON document: an object node, or a
 * string node whose value is policy JSON text. Positions refer to `outerText`.
 */
export function parsePolicyNode(node: JsonNode, outerText: string, options: ParseOptions): ParseResult {
  if (node.type === 'string') {
    return parseText(String(node.value), () => stringLiteralMapper(node, outerText, textMapper(outerText)), options);
  }
  const ctx = newContext(new PolicySource(outerText, undefined, node), options);
  if (node.type !== 'object') {
    ctx.report('NOT_AN_OBJECT', 'error', `A policy document must be a JSON object, found ${describe(valueOfNode(node))}`, ctx.span(ROOT), ROOT);
    return { policy: undefined, diagnostics: sorted(ctx.diagnostics) };
  }
  reportDeviations(ctx, findDeviations(outerText, node.offset, node.offset + node.length), options.lenient === true);
  ctx.reportDuplicateKeys(node, ROOT);
  const policy = buildPolicy(ctx, valueOfNode(node), policyName(options));
  return { policy, diagnostics: sorted(ctx.diagnostics) };
}

function newContext(source: PolicySource, options: ParseOptions): ParseContext {
  return new ParseContext(source, options.type, rulesFor(options.type), options.pathPrefix ?? ROOT, options.file);
}

/** Diagnostics in document order (stable for equal positions). */
function sorted(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.span?.start.offset ?? 0) - (b.span?.start.offset ?? 0));
}

function policyName(options: ParseOptions): string {
  return options.name ?? options.file ?? 'policy';
}

function parseText(text: string, mapper: (() => OffsetMapper) | undefined, options: ParseOptions): ParseResult {
  const source = new PolicySource(text, mapper);
  const ctx = newContext(source, options);
  // The common case: strict JSON that JSON.parse reads with nothing to report at the JSON layer.
  const strict = readStrictJson(text, MAX_NESTING_DEPTH, MAX_POLICY_CHARS);
  if (strict !== undefined) {
    source.markStrict();
    const policy = buildPolicy(ctx, strict.value, policyName(options));
    return { policy, diagnostics: sorted(ctx.diagnostics) };
  }
  return parseTolerant(ctx, text, options);
}

/** Documentation-style JSON, syntax errors, duplicate keys, bounds: read through jsonc-parser's tree. */
function parseTolerant(ctx: ParseContext, text: string, options: ParseOptions): ParseResult {
  const bounds = checkJsonBounds(text, MAX_NESTING_DEPTH, MAX_POLICY_CHARS);
  if (bounds !== undefined) {
    const code = bounds.code === 'INPUT_TOO_DEEP' ? 'INPUT_TOO_DEEP' : 'INPUT_TOO_LARGE';
    ctx.report(code, 'error', `Policy not read: ${bounds.message}`, ctx.source.spanAt(bounds.offset, 1), ROOT);
    return { policy: undefined, diagnostics: ctx.diagnostics };
  }
  reportDeviations(ctx, findDeviations(text), options.lenient === true, (offset) => jsonPathAt(text, offset));
  const { root, errors } = parseJson(text);
  for (const e of errors) {
    ctx.report('JSON_SYNTAX', 'error', `Invalid JSON: ${e.message}`, ctx.source.spanAt(e.offset, e.length), jsonPathAt(text, e.offset));
  }
  if (!root) return { policy: undefined, diagnostics: sorted(ctx.diagnostics) };
  ctx.source.adoptTree(root);
  if (errors.length > 0) {
    // The tree after a syntax error is a guess: build the policy for
    // inspection but do not report grammar problems that may be artifacts.
    const scratch = newContext(ctx.source, options);
    const policy = buildPolicy(scratch, valueOfNode(root), policyName(options));
    return { policy, diagnostics: sorted(ctx.diagnostics) };
  }
  if (root.type === 'object') ctx.reportDuplicateKeys(root, ROOT);
  const policy = buildPolicy(ctx, valueOfNode(root), policyName(options));
  return { policy, diagnostics: sorted(ctx.diagnostics) };
}

function reportDeviations(ctx: ParseContext, deviations: readonly JsonDeviation[], lenient: boolean, pathAt: (offset: number) => JsonPath = () => []): void {
  for (const d of deviations) {
    const span = ctx.source.spanAt(d.offset, d.length);
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

function buildPolicy(ctx: ParseContext, root: unknown, name: string): Policy | undefined {
  if (!isObject(root)) {
    ctx.report('NOT_AN_OBJECT', 'error', `A policy document must be a JSON object, found ${describe(root)}`, ctx.span(ROOT), ROOT);
    return undefined;
  }
  for (const key of Object.keys(root)) {
    if ((POLICY_ELEMENTS as readonly string[]).includes(key)) continue;
    const hint = POLICY_ELEMENTS.find((k) => k.toLowerCase() === key.toLowerCase());
    const where = hint ? ` (element names are case-sensitive: "${hint}")` : ' (only Version, Id and Statement are allowed here)';
    ctx.report('UNKNOWN_ELEMENT', 'error', `Unknown policy element "${key}"${where}`, ctx.keySpan([key]), [key]);
  }
  const version = parseVersion(ctx, root);
  ctx.version = version;
  const id = parseId(ctx, root);
  const statements = parseStatements(ctx, root);
  return {
    name,
    type: ctx.type,
    statements,
    span: ctx.span(ROOT),
    ...(version !== undefined ? { version } : {}),
    ...(id !== undefined ? { id } : {}),
  };
}

/** An empty span where the policy document starts (for elements that are missing). */
function atStart(ctx: ParseContext): Span {
  const start = ctx.span(ROOT).start;
  return { start, end: start };
}

/** reference_policies_elements_version; RCPs must use 2012-10-17 (orgs_manage_policies_rcps_syntax). */
function parseVersion(ctx: ParseContext, root: JsonObject): string | undefined {
  const required = ctx.rules.version === 'required';
  const value = own(root, 'Version');
  if (value === undefined) {
    const message = required
      ? `${cap(withArticle(ctx.rules))} must include "Version": "2012-10-17"`
      : 'No Version element: the policy is processed as 2008-10-17 and policy variables are treated as literal text; add "Version": "2012-10-17"';
    ctx.report('MISSING_VERSION', required ? 'error' : 'warning', message, atStart(ctx), ['Version']);
    return undefined;
  }
  if (typeof value !== 'string' || !(POLICY_VERSIONS as readonly string[]).includes(value)) {
    ctx.report('VERSION_INVALID', 'error', `Version must be "2012-10-17" or "2008-10-17", found ${describe(value)}`, ctx.span(ROOT, 'Version'), ['Version']);
    return undefined;
  }
  if (required && value !== '2012-10-17') {
    ctx.report('VERSION_INVALID', 'error', `${cap(withArticle(ctx.rules))} must use "Version": "2012-10-17"`, ctx.span(ROOT, 'Version'), ['Version']);
  }
  return value;
}

/** reference_policies_grammar: the Id block must not be included in identity-based policies. */
function parseId(ctx: ParseContext, root: JsonObject): string | undefined {
  const value = own(root, 'Id');
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    ctx.report('ELEMENT_TYPE', 'error', `Id must be a string, found ${describe(value)}`, ctx.span(ROOT, 'Id'), ['Id']);
    return undefined;
  }
  if (ctx.rules.id === 'discouraged') {
    ctx.report('ELEMENT_DISCOURAGED', 'warning', `The Id element is not meant for ${withArticle(ctx.rules)}`, ctx.keySpan(['Id']), ['Id']);
  }
  return value;
}

/** The statements as (value, path) pairs: one object, or the items of an array. */
function statementItems(ctx: ParseContext, root: JsonObject): { value: unknown; path: JsonPath }[] | undefined {
  const value = own(root, 'Statement');
  if (value === undefined) {
    ctx.report('MISSING_STATEMENT', 'error', 'The policy has no Statement element', atStart(ctx), ['Statement']);
    return undefined;
  }
  if (isObject(value)) return [{ value, path: ['Statement'] }];
  if (!Array.isArray(value)) {
    ctx.report('ELEMENT_TYPE', 'error', `Statement must be an object or an array of objects, found ${describe(value)}`, ctx.span(ROOT, 'Statement'), [
      'Statement',
    ]);
    return undefined;
  }
  if (value.length === 0) {
    // Grammar conventions: arrays take one or more values (reference_policies_grammar).
    ctx.report('STATEMENT_EMPTY', 'error', 'The Statement array is empty', ctx.span(ROOT, 'Statement'), ['Statement']);
  }
  return value.map((item: unknown, i) => ({ value: item, path: ['Statement', i] }));
}

function parseStatements(ctx: ParseContext, root: JsonObject): Statement[] {
  const items = statementItems(ctx, root);
  if (items === undefined) return [];
  const statements: Statement[] = [];
  const sids = new Map<string, number>();
  items.forEach((item, index) => {
    const parsed = parseStatement(ctx, item.value, index, item.path);
    if (parsed.statement) statements.push(parsed.statement);
    const sid = parsed.sid;
    if (sid === undefined || sid === '') return;
    // reference_policies_elements_sid: the Sid value must be unique within a policy.
    const first = sids.get(sid);
    if (first !== undefined) {
      const at = [...item.path, 'Sid'];
      ctx.report('SID_DUPLICATE', 'error', `Sid "${sid}" is already used by statement #${first + 1}`, ctx.span(at), at);
    } else {
      sids.set(sid, index);
    }
  });
  return statements;
}
