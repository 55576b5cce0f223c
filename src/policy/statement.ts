/**
 * Parses and validates one policy statement (reference_policies_grammar and
 * the reference_policies_elements_* pages), applying the policy-type table
 * from rules.ts. Reads the statement as a plain JSON value.
 */
import type { JsonPath } from '../diagnostics/diagnostic.js';
import type { ConditionClause, Effect, PrincipalBlock, Statement, ValueList } from './model.js';
import { parseCondition } from './condition.js';
import { describe, has, isObject, listItemPath, own } from './context.js';
import type { JsonObject, ParseContext } from './context.js';
import { parsePrincipal } from './principal.js';
import { cap, withArticle } from './rules.js';
import { checkAction, checkResource, isAlphanumericSid, scanVariables } from './values.js';

export const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;

export interface ParsedStatement {
  /** Undefined when the Effect is missing or unusable. */
  readonly statement: Statement | undefined;
  /** The Sid as written, for the policy-wide uniqueness check. */
  readonly sid?: string;
}

export function parseStatement(ctx: ParseContext, value: unknown, index: number, path: JsonPath): ParsedStatement {
  if (!isObject(value)) {
    ctx.report('ELEMENT_TYPE', 'error', `A statement must be an object, found ${describe(value)}`, ctx.span(path), path);
    return { statement: undefined };
  }
  reportUnknownElements(ctx, value, path);
  const sid = parseSid(ctx, value, path);
  const effect = parseEffect(ctx, value, path);

  // Principal / NotPrincipal
  const principal = has(value, 'Principal') ? parsePrincipal(ctx, value['Principal'], [...path, 'Principal'], 'Principal') : undefined;
  const notPrincipal = has(value, 'NotPrincipal') ? parsePrincipal(ctx, value['NotPrincipal'], [...path, 'NotPrincipal'], 'NotPrincipal') : undefined;
  checkPrincipalRules(ctx, value, path, effect, principal);

  // Action / NotAction
  const action = parseActions(ctx, value, path, 'Action');
  const notAction = parseActions(ctx, value, path, 'NotAction');
  checkActionPair(ctx, value, path);

  // Resource / NotResource
  const resource = parseResources(ctx, value, path, 'Resource');
  const notResource = parseResources(ctx, value, path, 'NotResource');
  checkResourcePair(ctx, value, path);

  const conditions: ConditionClause[] = has(value, 'Condition') ? parseCondition(ctx, value['Condition'], [...path, 'Condition']) : [];
  if (effect !== undefined) checkEffectRules(ctx, value, path, { effect, principal, action, resource });

  if (effect === undefined) return { statement: undefined, ...(sid !== undefined ? { sid } : {}) };
  const statement: Statement = {
    index,
    effect,
    conditions,
    span: ctx.span(path),
    ...(sid !== undefined ? { sid } : {}),
    ...(principal ? { principal } : {}),
    ...(notPrincipal ? { notPrincipal } : {}),
    ...(action ? { action } : {}),
    ...(notAction ? { notAction } : {}),
    ...(resource ? { resource } : {}),
    ...(notResource ? { notResource } : {}),
  };
  return { statement, ...(sid !== undefined ? { sid } : {}) };
}

function reportUnknownElements(ctx: ParseContext, statement: JsonObject, path: JsonPath): void {
  for (const key of Object.keys(statement)) {
    if ((STATEMENT_ELEMENTS as readonly string[]).includes(key)) continue;
    const hint = STATEMENT_ELEMENTS.find((k) => k.toLowerCase() === key.toLowerCase());
    const keyPath = [...path, key];
    ctx.report(
      'UNKNOWN_ELEMENT',
      'error',
      `Unknown statement element "${key}"${hint ? ` (element names are case-sensitive: "${hint}")` : ''}`,
      ctx.keySpan(keyPath),
      keyPath,
    );
  }
}

interface EffectFacts {
  readonly effect: Effect;
  readonly principal: PrincipalBlock | undefined;
  readonly action: ValueList | undefined;
  readonly resource: ValueList | undefined;
}

/** The policy type's limits on Effect, and on "Action": "*" outside the full-access statement. */
function checkEffectRules(ctx: ParseContext, statement: JsonObject, path: JsonPath, facts: EffectFacts): void {
  const { effect, principal, action, resource } = facts;
  const fullAccess =
    principal?.wildcard === true &&
    action?.values.length === 1 &&
    action.values[0] === '*' &&
    resource?.values.length === 1 &&
    resource.values[0] === '*' &&
    !has(statement, 'Condition');
  if (!ctx.rules.effects.includes(effect) && !(ctx.rules.fullAccessAllowException && fullAccess)) {
    const at = own(statement, 'Effect') !== undefined ? ctx.span(path, 'Effect') : ctx.span(path);
    ctx.report('EFFECT_NOT_ALLOWED', 'error', `"Effect": "${effect}" is not supported in ${withArticle(ctx.rules)}`, at, [...path, 'Effect']);
  }
  if (ctx.rules.actionWildcardOnlyInFullAccess && !(fullAccess && effect === 'Allow') && action !== undefined) {
    const i = action.values.indexOf('*');
    if (i >= 0) {
      ctx.report(
        'ACTION_WILDCARD_NOT_ALLOWED',
        'error',
        `"Action": "*" is only allowed in the RCPFullAWSAccess policy; ${withArticle(ctx.rules)} must name the service actions it restricts (e.g. "s3:*")`,
        action.spans[i] ?? action.span,
        [...path, 'Action'],
      );
    }
  }
}

function parseSid(ctx: ParseContext, statement: JsonObject, path: JsonPath): string | undefined {
  const value = own(statement, 'Sid');
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    ctx.report('ELEMENT_TYPE', 'error', `Sid must be a string, found ${describe(value)}`, ctx.span(path, 'Sid'), [...path, 'Sid']);
    return undefined;
  }
  const severity = ctx.rules.sidFormat;
  if (severity && !isAlphanumericSid(value)) {
    ctx.report('SID_FORMAT', severity, `Sid "${value}" may only contain A-Z, a-z and 0-9 in ${withArticle(ctx.rules)}`, ctx.span(path, 'Sid'), [
      ...path,
      'Sid',
    ]);
  }
  return value;
}

function parseEffect(ctx: ParseContext, statement: JsonObject, path: JsonPath): Effect | undefined {
  const value = own(statement, 'Effect');
  if (value === undefined) {
    ctx.report('MISSING_EFFECT', 'error', 'The statement has no Effect; add "Effect": "Allow" or "Effect": "Deny"', ctx.span(path), [...path, 'Effect']);
    return undefined;
  }
  if (value === 'Allow' || value === 'Deny') return value;
  const lower = typeof value === 'string' ? value.toLowerCase() : '';
  const intended: Effect | undefined = lower === 'allow' ? 'Allow' : lower === 'deny' ? 'Deny' : undefined;
  ctx.report(
    'EFFECT_INVALID',
    'error',
    `Effect must be exactly "Allow" or "Deny", found ${describe(value)}${intended ? ' (the value is case-sensitive)' : ''}`,
    ctx.span(path, 'Effect'),
    [...path, 'Effect'],
  );
  // Best effort: keep the statement when the intent is unambiguous.
  return intended;
}

/** Action and NotAction: not both, at least one, NotAction only where the policy type allows it. */
function checkActionPair(ctx: ParseContext, statement: JsonObject, path: JsonPath): void {
  const plain = has(statement, 'Action');
  const negated = has(statement, 'NotAction');
  const notActionPath = [...path, 'NotAction'];
  if (plain && negated) {
    ctx.report('ACTION_CONFLICT', 'error', 'A statement cannot have both Action and NotAction', ctx.keySpan(notActionPath), notActionPath);
  }
  if (!plain && !negated) {
    ctx.report('MISSING_ACTION', 'error', 'The statement needs an Action or NotAction element', ctx.span(path), [...path, 'Action']);
  }
  if (negated && ctx.rules.notAction === 'forbidden') {
    ctx.report('ELEMENT_NOT_ALLOWED', 'error', `NotAction is not supported in ${withArticle(ctx.rules)}`, ctx.keySpan(notActionPath), notActionPath);
  }
}

/** Resource and NotResource: not both, present where required, absent where forbidden. */
function checkResourcePair(ctx: ParseContext, statement: JsonObject, path: JsonPath): void {
  const plain = has(statement, 'Resource');
  const negated = has(statement, 'NotResource');
  if (plain && negated) {
    const at = [...path, 'NotResource'];
    ctx.report('RESOURCE_CONFLICT', 'error', 'A statement cannot have both Resource and NotResource', ctx.keySpan(at), at);
  }
  if (!plain && !negated && ctx.rules.resource === 'required') {
    ctx.report('MISSING_RESOURCE', 'error', `A statement in ${withArticle(ctx.rules)} needs a Resource or NotResource element`, ctx.span(path), [
      ...path,
      'Resource',
    ]);
  }
  if (ctx.rules.resource === 'forbidden') {
    for (const key of ['Resource', 'NotResource'] as const) {
      if (!has(statement, key)) continue;
      const at = [...path, key];
      ctx.report('TRUST_POLICY_RESOURCE', 'error', `${key} is not allowed in ${withArticle(ctx.rules)} (the role itself is the resource)`, ctx.keySpan(at), at);
    }
  }
  if (negated && ctx.rules.notResource === 'forbidden') {
    const at = [...path, 'NotResource'];
    ctx.report('ELEMENT_NOT_ALLOWED', 'error', `NotResource is not supported in ${withArticle(ctx.rules)}`, ctx.keySpan(at), at);
  }
}

function checkPrincipalRules(
  ctx: ParseContext,
  statement: JsonObject,
  path: JsonPath,
  effect: Effect | undefined,
  principal: PrincipalBlock | undefined,
): void {
  const { rules } = ctx;
  const hasPrincipal = has(statement, 'Principal');
  const hasNotPrincipal = has(statement, 'NotPrincipal');
  const principalPath = [...path, 'Principal'];
  const notPrincipalPath = [...path, 'NotPrincipal'];
  if (hasPrincipal && rules.principal === 'forbidden') {
    ctx.report('ELEMENT_NOT_ALLOWED', 'error', `Principal is not allowed in ${withArticle(rules)}`, ctx.keySpan(principalPath), principalPath);
  }
  if (hasNotPrincipal && (rules.notPrincipal === 'forbidden' || rules.principal === 'forbidden')) {
    ctx.report('ELEMENT_NOT_ALLOWED', 'error', `NotPrincipal is not allowed in ${withArticle(rules)}`, ctx.keySpan(notPrincipalPath), notPrincipalPath);
  } else if (hasNotPrincipal && effect === 'Allow') {
    ctx.report(
      'NOTPRINCIPAL_WITH_ALLOW',
      'error',
      'NotPrincipal cannot be combined with "Effect": "Allow"; use Principal with a condition instead',
      ctx.keySpan(notPrincipalPath),
      notPrincipalPath,
    );
  }
  if (hasPrincipal && hasNotPrincipal) {
    ctx.report('PRINCIPAL_CONFLICT', 'error', 'A statement cannot have both Principal and NotPrincipal', ctx.keySpan(notPrincipalPath), notPrincipalPath);
  }
  // A forbidden NotPrincipal does not satisfy a required Principal.
  const usableNotPrincipal = hasNotPrincipal && rules.notPrincipal === 'allowed';
  if (rules.principal === 'required' && !hasPrincipal && !usableNotPrincipal) {
    ctx.report('MISSING_PRINCIPAL', 'error', `A statement in ${withArticle(rules)} needs a Principal element`, ctx.span(path), principalPath);
  }
  if (rules.principalWildcardOnly && principal && !principal.wildcard) {
    ctx.report(
      'PRINCIPAL_MUST_BE_WILDCARD',
      'error',
      `${cap(withArticle(rules))} only accepts "Principal": "*"; narrow it with conditions`,
      hasPrincipal ? ctx.span(principalPath, undefined, 'property') : ctx.span(path),
      principalPath,
    );
  }
}

function parseActions(ctx: ParseContext, statement: JsonObject, path: JsonPath, name: 'Action' | 'NotAction'): ValueList | undefined {
  if (!has(statement, name)) return undefined;
  const elementPath = [...path, name];
  const read = ctx.stringList(statement[name], elementPath, name);
  if (!read) return undefined;
  const { list } = read;
  for (let i = 0; i < list.values.length; i++) {
    for (const issue of checkAction(list.values[i] ?? '')) {
      ctx.report(issue.code, issue.severity, issue.message, list.spans[i] ?? list.span, listItemPath(elementPath, read, i));
    }
  }
  return list;
}

function parseResources(ctx: ParseContext, statement: JsonObject, path: JsonPath, name: 'Resource' | 'NotResource'): ValueList | undefined {
  if (!has(statement, name)) return undefined;
  const elementPath = [...path, name];
  const read = ctx.stringList(statement[name], elementPath, name);
  if (!read) return undefined;
  const { list } = read;
  for (let i = 0; i < list.values.length; i++) {
    const value = list.values[i] ?? '';
    const span = list.spans[i] ?? list.span;
    for (const issue of checkResource(value, ctx.variablesSupported)) {
      ctx.report(issue.code, issue.severity, issue.message, span, listItemPath(elementPath, read, i));
    }
    if (!value.includes('${')) continue;
    if (!ctx.variablesSupported) {
      ctx.report(
        'VARIABLE_UNSUPPORTED_VERSION',
        'warning',
        `"${value}" uses a policy variable but Version is not 2012-10-17, so it is literal text`,
        span,
        listItemPath(elementPath, read, i),
      );
    } else if (scanVariables(value).malformed) {
      ctx.report('VARIABLE_MALFORMED', 'warning', `"${value}" contains an unterminated or empty \${...} variable`, span, listItemPath(elementPath, read, i));
    }
  }
  return list;
}
