/**
 * iam:PassRole on every role without iam:PassedToService
 * (access-analyzer-reference-policy-checks, "Pass role with star in
 * resource" and its NotAction/NotResource variants; id_roles_use_passrole).
 * Identity-based policies only: that is where PassRole is granted.
 */
import type { Statement } from '../policy/model.js';
import type { LintContext } from './context.js';
import { anyCovers, patternCovers } from './expand.js';
import type { IssueCode } from './registry.js';

const PASS_ROLE = 'iam:PassRole';

/** "*", or an IAM ARN whose resource part is "*" or "role/*" (every role of the account(s)). */
export function isEveryRole(resource: string): boolean {
  return resource === '*' || /^arn:[^:]*:iam::[^:]*:(\*|role\/\*|role\*)$/.test(resource);
}

export function hasPassedToService(s: Statement): boolean {
  return s.conditions.some((c) => c.key.toLowerCase() === 'iam:passedtoservice');
}

export function grantsPassRole(s: Statement): boolean {
  if (s.action) return anyCovers(s.action.values, PASS_ROLE);
  if (s.notAction) return !anyCovers(s.notAction.values, PASS_ROLE);
  return false;
}

export function checkPassRole(ctx: LintContext): void {
  if (ctx.type !== 'identity') return;
  for (const s of ctx.policy.statements) {
    if (s.effect !== 'Allow' || !grantsPassRole(s) || hasPassedToService(s)) continue;
    const exact = s.action?.values.some((v) => v.toLowerCase() === PASS_ROLE.toLowerCase()) ?? false;
    const starAction = !exact && (s.action?.values.some((v) => patternCovers(v, PASS_ROLE)) ?? false);
    const advice = 'name the roles in Resource or add an iam:PassedToService condition';
    if (s.notResource) {
      const code: IssueCode = s.notAction ? 'PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE' : 'PASS_ROLE_WITH_NOT_RESOURCE';
      const path = [...ctx.statementPath(s), 'NotResource'];
      ctx.report(code, `iam:PassRole is allowed on every role not listed in NotResource; ${advice}`, ctx.keySpan(path, s.notResource.span), path);
      continue;
    }
    const list = s.resource;
    if (!list) continue;
    const i = list.values.findIndex(isEveryRole);
    if (i < 0) continue;
    const value = list.values[i] ?? '*';
    let code: IssueCode = 'PASS_ROLE_WITH_STAR_IN_RESOURCE';
    let what = 'iam:PassRole';
    if (s.notAction) {
      code = 'PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION';
      what = 'NotAction (which does not exclude iam:PassRole)';
    } else if (starAction) {
      code = 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE';
      what = `"${s.action?.values.find((v) => patternCovers(v, PASS_ROLE)) ?? '*'}" (which includes iam:PassRole)`;
    }
    ctx.report(
      code,
      `${what} on "${value}" lets the principal pass any role to any service; ${advice}`,
      list.spans[i] ?? list.span,
      ctx.valuePath(s, 'Resource', list, i),
    );
  }
}
