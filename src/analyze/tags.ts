/**
 * Tag-enforcement logic. All keys of one operator block, and all operator
 * blocks of a Condition, must match for the statement to apply — they AND
 * together (reference_policies_elements_condition_logic-multiple-context-keys-or-values).
 * So a Deny meant to reject requests that lack any of several tags, written as
 * one statement with `Null: {tagA: "true", tagB: "true"}`, fires only when
 * every listed tag is missing (and every other condition holds too). The fix
 * is one Deny per key. An Allow with `Null: "true"` on tag keys is the
 * reverse: it grants only requests/resources without those tags.
 */
import type { ConditionClause, Statement } from '../policy/model.js';
import type { LintContext } from './context.js';
import { listForMessage } from './context.js';
import { isTagKey } from './keys.js';

const NEGATED_STRING = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike']);

const isNullTrue = (c: ConditionClause): boolean =>
  c.baseOperator === 'Null' && !c.setQualifier && c.values.length > 0 && c.values.every((v) => v.toLowerCase() === 'true');

const isNegatedTagValue = (c: ConditionClause): boolean => NEGATED_STRING.has(c.baseOperator) && !c.setQualifier && isTagKey(c.key);

function describe(c: ConditionClause): string {
  if (isNullTrue(c)) return `${c.key} is absent`;
  const values = c.values.length === 1 ? `"${c.values[0] ?? ''}"` : `one of ${c.values.map((v) => `"${v}"`).join(', ')}`;
  return `${c.key} is not ${values}`;
}

export function checkTagLogic(ctx: LintContext): void {
  for (const s of ctx.policy.statements) {
    if (s.effect === 'Deny') checkDeny(ctx, s);
    else checkAllow(ctx, s);
  }
}

function checkDeny(ctx: LintContext, s: Statement): void {
  const enforcing = s.conditions.filter((c) => isNullTrue(c) || isNegatedTagValue(c));
  const keys = new Set(enforcing.map((c) => c.key.toLowerCase()));
  if (keys.size < 2 || !enforcing.some((c) => isNullTrue(c) && isTagKey(c.key))) return;
  const missing = enforcing.filter(isNullTrue).map((c) => c.key);
  const example =
    missing.length > 1 ? `a request with ${missing[1] ?? ''} but no ${missing[0] ?? ''}` : `a request without ${missing[0] ?? ''} whose other tags are right`;
  ctx.report(
    'TAG_ENFORCEMENT_DENY_AND',
    `This Deny applies only when all of these hold together: ${listForMessage(enforcing.map(describe), 6)}; ${example} is not denied — use one Deny statement per condition`,
    ctx.conditionSpan(s),
    [...ctx.statementPath(s), 'Condition'],
  );
}

function checkAllow(ctx: LintContext, s: Statement): void {
  const absent = s.conditions.filter((c) => isNullTrue(c) && isTagKey(c.key));
  const negated = s.conditions.filter((c) => isNegatedTagValue(c) && c.values.some((v) => v !== ''));
  // Requiring some tags to be absent and others present (Null "false",
  // StringEquals) is deliberate scoping; so is one absent tag on its own.
  // The inverted form is the tag-enforcing Deny pasted into an Allow: tags
  // absent plus a tag value that must NOT match.
  const requiresTags = s.conditions.some((c) => isTagKey(c.key) && (c.baseOperator === 'Null' ? !isNullTrue(c) : !NEGATED_STRING.has(c.baseOperator)));
  if (absent.length === 0 || negated.length === 0 || requiresTags) return;
  ctx.report(
    'ALLOW_ONLY_WHEN_TAGS_ABSENT',
    `This Allow applies only when ${listForMessage(
      absent.map((c) => c.key),
      3,
    )} ${absent.length > 1 ? 'are' : 'is'} absent and ${listForMessage(negated.map(describe), 2)} — the reverse of requiring tags; use Null "false" and StringEquals to require them`,
    ctx.conditionSpan(s),
    [...ctx.statementPath(s), 'Condition'],
  );
}
