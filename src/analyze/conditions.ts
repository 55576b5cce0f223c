/**
 * Condition checks (reference_policies_elements_condition,
 * reference_policies_elements_condition_operators,
 * reference_policies_condition-single-vs-multi-valued,
 * access-analyzer-reference-policy-checks): unknown keys, operators that do
 * not fit the key's type, set operators on single-valued keys, Null with a
 * qualifier, wildcards with literal operators, malformed typed values, and
 * request-tag keys required for actions that never carry request tags.
 */
import {
  actionSupportsConditionKey,
  conditionKeysForAction,
  getConditionKey,
  listConditionKeys,
  serviceExists,
  suggestConditionKeys,
} from '../catalog/catalog.js';
import { parseBool } from '../eval/conditions/bool.js';
import { parseDate } from '../eval/conditions/date.js';
import { newIpBuffer, parseIp } from '../eval/conditions/ip.js';
import { parseDecimal } from '../eval/conditions/numeric.js';
import type { ConditionClause, Statement } from '../policy/model.js';
import { CONDITION_OPERATORS } from '../policy/operators.js';
import type { OperatorFamily } from '../policy/operators.js';
import type { LintContext } from './context.js';
import { listForMessage } from './context.js';
import { actionListsKey, isNegated, isRequestTagKey } from './keys.js';
import { assumeCallsOf } from './principals.js';
import type { IssueCode } from './registry.js';

export function checkConditions(ctx: LintContext): void {
  for (const s of ctx.policy.statements) {
    const firstAction = s.action?.values.find((v) => v !== '*' && !/[*?]/.test(v.split(':')[0] ?? ''));
    for (const c of s.conditions) checkClause(ctx, s, c, firstAction);
    checkDuplicateKeys(ctx, s);
    checkRequestTagKeys(ctx, s);
    checkKeysApply(ctx, s);
  }
}

/** Key types (as the reference spells them) each operator family accepts. */
const FAMILY_TYPES: Readonly<Record<OperatorFamily, readonly string[] | undefined>> = {
  String: ['String', 'ArrayOfString', 'ARN', 'ArrayOfARN'],
  Arn: ['ARN', 'ArrayOfARN', 'String', 'ArrayOfString'],
  Numeric: ['Numeric', 'ArrayOfNumeric'],
  Date: ['Date', 'ArrayOfDate'],
  Bool: ['Bool', 'ArrayOfBool'],
  IpAddress: ['IPAddress', 'ArrayOfIPAddress'],
  Binary: undefined,
  Null: undefined,
};

const SUGGESTED: Readonly<Record<string, string>> = {
  String: 'String',
  ArrayOfString: 'String',
  ARN: 'Arn',
  ArrayOfARN: 'Arn',
  Numeric: 'Numeric',
  Date: 'Date',
  Bool: 'Bool',
  ArrayOfBool: 'Bool',
  IPAddress: 'IpAddress',
};

function checkClause(ctx: LintContext, s: Statement, c: ConditionClause, firstAction: string | undefined): void {
  const path = ctx.clausePath(s, c.operator, c.key);
  const family = CONDITION_OPERATORS[c.baseOperator];
  if (c.baseOperator === 'Null' && c.setQualifier) {
    ctx.report(
      'NULL_WITH_QUALIFIER',
      `${c.operator}: Null tests whether the key is present; with ${c.setQualifier} the result no longer depends on it — drop the qualifier`,
      c.span,
      path,
    );
  }
  checkValues(ctx, c, family, path);
  const colon = c.key.indexOf(':');
  if (colon <= 0) return; // the parser reports malformed keys
  const info = getConditionKey(c.key, firstAction);
  if (!info) {
    reportUnknownKey(ctx, c, path);
    return;
  }
  const accepted = family ? FAMILY_TYPES[family] : undefined;
  if (accepted && !accepted.includes(info.type)) {
    const want = SUGGESTED[info.type];
    ctx.report(
      'TYPE_MISMATCH',
      `${c.key} is of type ${info.type}, which the ${c.baseOperator} operator does not compare correctly${want ? `; use a ${want} operator` : ''}`,
      c.span,
      path,
    );
  }
  if (c.baseOperator === 'Null') return;
  const multivalued = info.type.startsWith('ArrayOf');
  if (c.setQualifier === 'ForAllValues' && !multivalued) {
    ctx.report(
      'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
      `${c.key} is single-valued: ForAllValues is also true when the key is absent, so this condition can match requests without it; remove ForAllValues:`,
      c.span,
      path,
    );
  } else if (c.setQualifier === 'ForAnyValue' && !multivalued) {
    ctx.report('FORANYVALUE_WITH_SINGLE_VALUED_KEY', `${c.key} is single-valued; ForAnyValue: has no effect here, remove it`, c.span, path);
  } else if (!c.setQualifier && multivalued) {
    ctx.report(
      'MISSING_QUALIFIER',
      `${c.key} can have several values (${info.type}); say how to compare them with ForAnyValue: or ForAllValues:`,
      c.span,
      path,
    );
  }
}

function reportUnknownKey(ctx: LintContext, c: ConditionClause, path: readonly (string | number)[]): void {
  const prefix = c.key.slice(0, c.key.indexOf(':'));
  // Identity-provider keys (accounts.google.com:aud, oidc.eks...:sub) are not in the reference.
  if (/[./]/.test(prefix)) return;
  // Some services write their tag keys as `svc:ResourceTag/tag-key` in the reference.
  const slash = c.key.indexOf('/');
  if (slash > 0 && listConditionKeys(prefix).some((k) => k.toLowerCase().startsWith(`${c.key.slice(0, slash + 1).toLowerCase()}`))) return;
  const hints = suggestConditionKeys(c.key);
  const hint = hints.length ? `; did you mean ${hints.map((h) => `"${h}"`).join(' or ')}?` : '';
  let code: IssueCode;
  let message: string;
  if (prefix.toLowerCase() === 'aws') {
    code = 'INVALID_GLOBAL_CONDITION_KEY';
    message = `"${c.key}" is not a global condition key${hint}`;
  } else if (serviceExists(prefix)) {
    code = 'INVALID_SERVICE_CONDITION_KEY';
    message = `${prefix.toLowerCase()} defines no condition key "${c.key}"${hint}`;
  } else {
    code = 'INVALID_SERVICE';
    message = `"${c.key}": no AWS service has the prefix "${prefix}"${hint}`;
  }
  ctx.report(code, message, c.span, path);
}

const ip = newIpBuffer();
const LITERAL_STRING_OPERATORS = new Set(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase']);

function checkValues(ctx: LintContext, c: ConditionClause, family: OperatorFamily | undefined, path: readonly (string | number)[]): void {
  const values = c.values.filter((v) => !v.includes('${'));
  const bad = (test: (v: string) => boolean): string | undefined => values.find((v) => !test(v));
  let problem: [IssueCode, string] | undefined;
  if (family === 'Bool' || family === 'Null') {
    const v = bad((x) => parseBool(x) >= 0);
    if (v !== undefined) problem = ['TYPE_MISMATCH_BOOLEAN', `${c.operator} compares with "true" or "false", not "${v}"`];
  } else if (family === 'Numeric') {
    const v = bad((x) => parseDecimal(x) !== undefined);
    if (v !== undefined) problem = ['TYPE_MISMATCH_NUMBER', `${c.operator}: "${v}" is not a number`];
  } else if (family === 'Date') {
    const v = bad((x) => !Number.isNaN(parseDate(x)));
    if (v !== undefined) problem = ['TYPE_MISMATCH_DATE', `${c.operator}: "${v}" is neither an ISO 8601 date nor epoch seconds`];
  } else if (family === 'IpAddress') {
    const v = bad((x) => parseIp(x, ip));
    if (v !== undefined) problem = ['TYPE_MISMATCH_IP_RANGE', `${c.operator}: "${v}" is not an IPv4/IPv6 address or CIDR range`];
  } else if (LITERAL_STRING_OPERATORS.has(c.baseOperator)) {
    const v = values.find((x) => /[*?]/.test(x));
    if (v !== undefined) {
      const like = c.baseOperator.startsWith('StringNot') ? 'StringNotLike' : 'StringLike';
      problem = ['WILDCARD_WITHOUT_LIKE_OPERATOR', `${c.operator} compares "${v}" literally, * and ? included; use ${like} if they are meant as wildcards`];
    }
  }
  if (problem) ctx.report(problem[0], problem[1], c.span, path);
}

/** Condition key names are case-insensitive (reference_policies_elements_condition). */
function checkDuplicateKeys(ctx: LintContext, s: Statement): void {
  const seen = new Map<string, ConditionClause>();
  for (const c of s.conditions) {
    const id = `${c.operator}\u0000${c.key.toLowerCase()}`;
    const first = seen.get(id);
    if (first && first.key !== c.key) {
      ctx.report(
        'DUPLICATE_KEYS_WITH_DIFFERENT_CASE',
        `"${c.key}" repeats "${first.key}" under ${c.operator} (key names ignore case); merge their values into one entry`,
        c.span,
        ctx.clausePath(s, c.operator, c.key),
      );
    } else if (!first) {
      seen.set(id, c);
    }
  }
}

/** Does the clause only match when the key is present in the request? */
function requiresPresence(c: ConditionClause): boolean {
  if (c.baseOperator === 'Null') return !c.setQualifier && c.values.length > 0 && c.values.every((v) => v.toLowerCase() === 'false');
  return !c.ifExists && !isNegated(c.baseOperator) && c.setQualifier !== 'ForAllValues';
}

/**
 * An Allow that requires a request-tag key grants nothing for actions whose
 * requests never carry tags: the reference lists no aws:RequestTag /
 * aws:TagKeys key for them (reference_policies_tags: request tags exist only
 * for actions that create or tag resources).
 */
function checkRequestTagKeys(ctx: LintContext, s: Statement): void {
  if (s.effect !== 'Allow' || !s.action) return;
  const required = s.conditions.filter((c) => isRequestTagKey(c.key) && requiresPresence(c));
  const first = required[0];
  if (!first) return;
  const actions = s.action.values.filter((v) => !/[*?]/.test(v) && v.includes(':'));
  const unsupported = actions.filter((a) => ctx.catalog.getAction(a) !== undefined && required.some((c) => !actionListsKey(a, c.key)));
  if (unsupported.length === 0) return;
  const keys = [...new Set(required.map((c) => c.key))];
  const all = unsupported.length === actions.length && actions.length === s.action.values.length;
  const action = s.action;
  const at = action.values.indexOf(unsupported[0] as string);
  ctx.report(
    'UNSUPPORTED_ACTION_FOR_CONDITION_KEY',
    `${listForMessage(unsupported)} never carr${unsupported.length > 1 ? 'y' : 'ies'} ${listForMessage(keys)} (no request tags), so this Allow ${all ? 'grants nothing' : 'never grants them'}; ` +
      'use aws:ResourceTag/… for existing resources or move them to a statement without this condition',
    // At the first such action, as Access Analyzer reports this code.
    action.spans[at] ?? first.span,
    at >= 0 ? ctx.valuePath(s, 'Action', action, at) : ctx.clausePath(s, first.operator, first.key),
  );
}

/**
 * A service (or identity-provider) condition key that the reference does not
 * list for an action of the statement is never in that action's request
 * context, so the condition cannot be evaluated as written for it
 * (access-analyzer-reference-policy-checks: "Error – Unsupported action for
 * condition key"; the Service Authorization Reference's condition-keys
 * columns). Like Access Analyzer, actions with wildcards are not judged;
 * keys the reference does not know are reported by the unknown-key check;
 * request-tag keys by checkRequestTagKeys. An …IfExists operator says the key
 * may be absent, so it is not reported.
 */
/**
 * actionSupportsConditionKey, plus the reference's spelling of some tag keys
 * as a literal `svc:resourceTag/tag-key` instead of a template: a key with the
 * same `prefix:name/` part counts (as for unknown keys above).
 */
function supportsKey(action: string, key: string, assumeActions: readonly string[]): boolean {
  if (actionSupportsConditionKey(action, key)) return true;
  if (SESSION_COMPANION.test(action) && assumeActions.some((a) => actionSupportsConditionKey(a, key))) return true;
  const slash = key.indexOf('/');
  if (slash <= 0) return false;
  const stem = key.slice(0, slash + 1).toLowerCase();
  return conditionKeysForAction(action).some((k) => k.toLowerCase().startsWith(stem));
}

/**
 * sts:TagSession, sts:SetSourceIdentity and sts:SetContext are authorized as part of an AssumeRole,
 * AssumeRoleWithSAML or AssumeRoleWithWebIdentity call, against the same trust policy and request context
 * (IAM User Guide, id_session-tags: "the role trust policy must allow sts:TagSession"; Amazon Cognito Developer
 * Guide, attributes-for-access-control: the trust policy allows sts:AssumeRoleWithWebIdentity and sts:TagSession
 * under the identity pool's aud and amr conditions): the assume call's keys are in their context too — of the
 * calls the statement can match (assumeCallsOf: those it names that fit its principal). With sts:AssumeRole
 * and a Federated principal there is no such call, and the key is reported as Access Analyzer does
 * (AWS CLI reference, accessanalyzer validate-policy, its example).
 */
const SESSION_COMPANION = /^sts:(TagSession|SetSourceIdentity|SetContext)$/i;

function checkKeysApply(ctx: LintContext, s: Statement): void {
  if (!s.action) return;
  const action = s.action;
  const literal = action.values.map((v, i) => ({ v, i })).filter(({ v }) => !/[*?]/.test(v) && ctx.catalog.getAction(v) !== undefined);
  if (literal.length === 0) return;
  const reported = new Set<string>();
  const assumeActions = assumeCallsOf(s);
  for (const c of s.conditions) {
    const lower = c.key.toLowerCase();
    if (c.ifExists || lower.startsWith('aws:') || isRequestTagKey(c.key) || reported.has(lower)) continue;
    if (c.key.indexOf(':') <= 0 || !getConditionKey(c.key)) continue;
    const unsupported = literal.filter(({ v }) => !supportsKey(v, c.key, assumeActions));
    const first = unsupported[0];
    if (!first) continue;
    reported.add(lower);
    ctx.report(
      'UNSUPPORTED_ACTION_FOR_CONDITION_KEY',
      `${listForMessage(
        unsupported.map((u) => u.v),
        5,
      )} ${unsupported.length > 1 ? 'do' : 'does'} not support the condition key ${c.key}: ` +
        `it is never in ${unsupported.length > 1 ? 'their' : 'its'} request context, so this condition cannot hold as intended there; move ${unsupported.length > 1 ? 'them' : 'it'} to a statement without this key`,
      action.spans[first.i] ?? s.span,
      ctx.valuePath(s, 'Action', action, first.i),
    );
  }
}
