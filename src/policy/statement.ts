/**
 * Parses and validates one policy statement (reference_policies_grammar and
 * the reference_policies_elements_* pages), applying the policy-type table
 * from rules.ts.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import type { JsonPath } from '../diagnostics/diagnostic.js';
import type { ConditionClause, Effect, PrincipalBlock, Statement, ValueList } from './model.js';
import { parseCondition } from './condition.js';
import { describe, propKey, propValue } from './context.js';
import type { ParseContext } from './context.js';
import { parsePrincipal } from './principal.js';
import { cap, withArticle } from './rules.js';
import { checkAction, checkResource, isAlphanumericSid, scanVariables } from './values.js';

export const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;

export interface ParsedStatement {
  /** Undefined when the Effect is missing or unusable. */
  readonly statement: Statement | undefined;
  /** The Sid and its value node, for the policy-wide uniqueness check. */
  readonly sid?: { readonly value: string; readonly node: JsonNode };
}

export function parseStatement(ctx: ParseContext, node: JsonNode, index: number, path: JsonPath): ParsedStatement {
  if (node.type !== 'object') {
    ctx.report('ELEMENT_TYPE', 'error', `A statement must be an object, found ${describe(node)}`, node, path);
    return { statement: undefined };
  }
  const props = ctx.properties(node);
  for (const [key, prop] of props) {
    if ((STATEMENT_ELEMENTS as readonly string[]).includes(key)) continue;
    const hint = STATEMENT_ELEMENTS.find((k) => k.toLowerCase() === key.toLowerCase());
    ctx.report('UNKNOWN_ELEMENT', 'error', `Unknown statement element "${key}"${hint ? ` (element names are case-sensitive: "${hint}")` : ''}`, propKey(prop), [
      ...path,
      key,
    ]);
  }
  const sid = parseSid(ctx, props.get('Sid'), [...path, 'Sid']);
  const effect = parseEffect(ctx, node, props.get('Effect'), [...path, 'Effect']);

  // Principal / NotPrincipal
  const principalProp = props.get('Principal');
  const notPrincipalProp = props.get('NotPrincipal');
  const principal = principalProp ? parsePrincipal(ctx, principalProp, [...path, 'Principal'], 'Principal') : undefined;
  const notPrincipal = notPrincipalProp ? parsePrincipal(ctx, notPrincipalProp, [...path, 'NotPrincipal'], 'NotPrincipal') : undefined;
  checkPrincipalRules(ctx, node, path, effect, principalProp, notPrincipalProp, principal);

  // Action / NotAction
  const action = parseActions(ctx, props.get('Action'), [...path, 'Action'], 'Action');
  const notAction = parseActions(ctx, props.get('NotAction'), [...path, 'NotAction'], 'NotAction');
  checkPair(ctx, node, path, props.get('Action'), props.get('NotAction'), 'Action');

  // Resource / NotResource
  const resource = parseResources(ctx, props.get('Resource'), [...path, 'Resource'], 'Resource');
  const notResource = parseResources(ctx, props.get('NotResource'), [...path, 'NotResource'], 'NotResource');
  checkPair(ctx, node, path, props.get('Resource'), props.get('NotResource'), 'Resource');

  const conditionProp = props.get('Condition');
  const conditions: ConditionClause[] = conditionProp ? parseCondition(ctx, conditionProp, [...path, 'Condition']) : [];

  if (effect !== undefined) {
    const fullAccess =
      principal?.wildcard === true &&
      action?.values.length === 1 &&
      action.values[0] === '*' &&
      resource?.values.length === 1 &&
      resource.values[0] === '*' &&
      conditionProp === undefined;
    if (!ctx.rules.effects.includes(effect) && !(ctx.rules.fullAccessAllowException && fullAccess)) {
      const at = propValue(props.get('Effect')) ?? node;
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

  if (effect === undefined) return { statement: undefined, ...(sid ? { sid } : {}) };
  const statement: Statement = {
    index,
    effect,
    conditions,
    span: ctx.span(node),
    ...(sid ? { sid: sid.value } : {}),
    ...(principal ? { principal } : {}),
    ...(notPrincipal ? { notPrincipal } : {}),
    ...(action ? { action } : {}),
    ...(notAction ? { notAction } : {}),
    ...(resource ? { resource } : {}),
    ...(notResource ? { notResource } : {}),
  };
  return { statement, ...(sid ? { sid } : {}) };
}

function parseSid(ctx: ParseContext, prop: JsonNode | undefined, path: JsonPath): { value: string; node: JsonNode } | undefined {
  const node = propValue(prop);
  if (!node) return undefined;
  if (node.type !== 'string') {
    ctx.report('ELEMENT_TYPE', 'error', `Sid must be a string, found ${describe(node)}`, node, path);
    return undefined;
  }
  const value = node.value as string;
  const severity = ctx.rules.sidFormat;
  if (severity && !isAlphanumericSid(value)) {
    ctx.report('SID_FORMAT', severity, `Sid "${value}" may only contain A-Z, a-z and 0-9 in ${withArticle(ctx.rules)}`, node, path);
  }
  return { value, node };
}

function parseEffect(ctx: ParseContext, statement: JsonNode, prop: JsonNode | undefined, path: JsonPath): Effect | undefined {
  const node = propValue(prop);
  if (!prop || !node) {
    ctx.report('EFFECT_MISSING', 'error', 'The statement has no Effect; add "Effect": "Allow" or "Effect": "Deny"', statement, path);
    return undefined;
  }
  if (node.type === 'string' && (node.value === 'Allow' || node.value === 'Deny')) return node.value;
  const lower = typeof node.value === 'string' ? node.value.toLowerCase() : '';
  const intended: Effect | undefined = lower === 'allow' ? 'Allow' : lower === 'deny' ? 'Deny' : undefined;
  ctx.report(
    'EFFECT_INVALID',
    'error',
    `Effect must be exactly "Allow" or "Deny", found ${describe(node)}${intended ? ' (the value is case-sensitive)' : ''}`,
    node,
    path,
  );
  // Best effort: keep the statement when the intent is unambiguous.
  return intended;
}

/** Reports a pair element that is both present (X and NotX) or, when required, absent. */
function checkPair(
  ctx: ParseContext,
  statement: JsonNode,
  path: JsonPath,
  plain: JsonNode | undefined,
  negated: JsonNode | undefined,
  name: 'Action' | 'Resource',
): void {
  if (plain && negated) {
    const code = name === 'Action' ? 'ACTION_CONFLICT' : 'RESOURCE_CONFLICT';
    ctx.report(code, 'error', `A statement cannot have both ${name} and Not${name}`, propKey(negated), [...path, `Not${name}`]);
  }
  if (name === 'Action') {
    if (!plain && !negated) {
      ctx.report('ACTION_MISSING', 'error', 'The statement needs an Action or NotAction element', statement, [...path, 'Action']);
    }
    if (negated && ctx.rules.notAction === 'forbidden') {
      ctx.report('ELEMENT_NOT_ALLOWED', 'error', `NotAction is not supported in ${withArticle(ctx.rules)}`, propKey(negated), [...path, 'NotAction']);
    }
    return;
  }
  if (!plain && !negated && ctx.rules.resource === 'required') {
    ctx.report('RESOURCE_MISSING', 'error', `A statement in ${withArticle(ctx.rules)} needs a Resource or NotResource element`, statement, [
      ...path,
      'Resource',
    ]);
  }
  if (ctx.rules.resource === 'forbidden') {
    for (const [prop, key] of [
      [plain, 'Resource'],
      [negated, 'NotResource'],
    ] as const) {
      if (prop) {
        ctx.report('TRUST_POLICY_RESOURCE', 'error', `${key} is not allowed in ${withArticle(ctx.rules)} (the role itself is the resource)`, propKey(prop), [
          ...path,
          key,
        ]);
      }
    }
  }
  if (negated && ctx.rules.notResource === 'forbidden') {
    ctx.report('ELEMENT_NOT_ALLOWED', 'error', `NotResource is not supported in ${withArticle(ctx.rules)}`, propKey(negated), [...path, 'NotResource']);
  }
}

function checkPrincipalRules(
  ctx: ParseContext,
  statement: JsonNode,
  path: JsonPath,
  effect: Effect | undefined,
  principalProp: JsonNode | undefined,
  notPrincipalProp: JsonNode | undefined,
  principal: PrincipalBlock | undefined,
): void {
  const { rules } = ctx;
  if (principalProp && rules.principal === 'forbidden') {
    ctx.report('ELEMENT_NOT_ALLOWED', 'error', `Principal is not allowed in ${withArticle(rules)}`, propKey(principalProp), [...path, 'Principal']);
  }
  if (notPrincipalProp && (rules.notPrincipal === 'forbidden' || rules.principal === 'forbidden')) {
    ctx.report('ELEMENT_NOT_ALLOWED', 'error', `NotPrincipal is not allowed in ${withArticle(rules)}`, propKey(notPrincipalProp), [...path, 'NotPrincipal']);
  } else if (notPrincipalProp && effect === 'Allow') {
    ctx.report(
      'NOTPRINCIPAL_WITH_ALLOW',
      'error',
      'NotPrincipal cannot be combined with "Effect": "Allow"; use Principal with a condition instead',
      propKey(notPrincipalProp),
      [...path, 'NotPrincipal'],
    );
  }
  if (principalProp && notPrincipalProp) {
    ctx.report('PRINCIPAL_CONFLICT', 'error', 'A statement cannot have both Principal and NotPrincipal', propKey(notPrincipalProp), [...path, 'NotPrincipal']);
  }
  // A forbidden NotPrincipal does not satisfy a required Principal.
  const usableNotPrincipal = notPrincipalProp !== undefined && rules.notPrincipal === 'allowed';
  if (rules.principal === 'required' && !principalProp && !usableNotPrincipal) {
    ctx.report('PRINCIPAL_MISSING', 'error', `A statement in ${withArticle(rules)} needs a Principal element`, statement, [...path, 'Principal']);
  }
  if (rules.principalWildcardOnly && principal && !principal.wildcard) {
    ctx.report(
      'PRINCIPAL_MUST_BE_WILDCARD',
      'error',
      `${cap(withArticle(rules))} only accepts "Principal": "*"; narrow it with conditions`,
      principalProp ?? statement,
      [...path, 'Principal'],
    );
  }
}

function parseActions(ctx: ParseContext, prop: JsonNode | undefined, path: JsonPath, name: string): ValueList | undefined {
  if (!prop) return undefined;
  const read = ctx.stringList(prop, path, name);
  if (!read) return undefined;
  read.list.values.forEach((value, i) => {
    for (const issue of checkAction(value)) {
      ctx.report(issue.code, issue.severity, issue.message, read.list.spans[i] ?? read.list.span, read.paths[i] ?? path);
    }
  });
  return read.list;
}

function parseResources(ctx: ParseContext, prop: JsonNode | undefined, path: JsonPath, name: string): ValueList | undefined {
  if (!prop) return undefined;
  const read = ctx.stringList(prop, path, name);
  if (!read) return undefined;
  read.list.values.forEach((value, i) => {
    const span = read.list.spans[i] ?? read.list.span;
    const valuePath = read.paths[i] ?? path;
    for (const issue of checkResource(value, ctx.variablesSupported)) {
      ctx.report(issue.code, issue.severity, issue.message, span, valuePath);
    }
    if (!value.includes('${')) return;
    if (!ctx.variablesSupported) {
      ctx.report(
        'VARIABLE_UNSUPPORTED_VERSION',
        'warning',
        `"${value}" uses a policy variable but Version is not 2012-10-17, so it is literal text`,
        span,
        valuePath,
      );
    } else if (scanVariables(value).malformed) {
      ctx.report('VARIABLE_MALFORMED', 'warning', `"${value}" contains an unterminated or empty \${...} variable`, span, valuePath);
    }
  });
  return read.list;
}
