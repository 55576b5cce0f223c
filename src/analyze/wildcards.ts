/**
 * Broad grants: Allow with NotAction or NotResource
 * (reference_policies_elements_notaction / _notresource: they allow
 * everything not listed, including actions and resources added later), a
 * service-wide wildcard on a sensitive service or "*" on all resources in an
 * identity-based policy (best-practices: grant least privilege), and an empty Sid.
 */
import type { PolicyType } from '../policy/model.js';
import type { LintContext } from './context.js';

/** Services whose every action is powerful enough that "svc:*" on "*" needs a second look. */
export const SENSITIVE_SERVICES: ReadonlySet<string> = new Set([
  'iam',
  'sts',
  'organizations',
  'account',
  'kms',
  'secretsmanager',
  'ssm',
  'cloudtrail',
  's3',
  'lambda',
  'ec2',
  'sso',
  'identitystore',
]);

/** Types whose Allow statements grant access (SCPs, RCPs, boundaries and session policies only limit it). */
const GRANTING: ReadonlySet<PolicyType> = new Set<PolicyType>(['identity', 'resource', 'vpc-endpoint', 'trust']);

export function checkWildcards(ctx: LintContext): void {
  for (const s of ctx.policy.statements) {
    const base = ctx.statementPath(s);
    if (s.sid === '') {
      const path = [...base, 'Sid'];
      const node = ctx.node(path);
      ctx.report('EMPTY_SID_VALUE', 'The Sid is empty; remove it or give the statement a name', node ? ctx.span(node) : s.span, path);
    }
    if (s.effect !== 'Allow' || !GRANTING.has(ctx.type)) continue;
    if (s.notAction) {
      const path = [...base, 'NotAction'];
      ctx.report(
        'ALLOW_WITH_NOT_ACTION',
        'Allow with NotAction grants every action not listed, in every service, including actions added later; list the allowed actions instead',
        ctx.keySpan(path, s.notAction.span),
        path,
      );
    }
    if (s.notResource) {
      const path = [...base, 'NotResource'];
      ctx.report(
        'ALLOW_WITH_NOT_RESOURCE',
        'Allow with NotResource grants access to every resource not listed, including ones created later; list the allowed resources instead',
        ctx.keySpan(path, s.notResource.span),
        path,
      );
    }
    if (ctx.type !== 'identity' || !s.action || !(s.resource?.values.includes('*') || s.notResource)) continue;
    s.action.values.forEach((value, i) => {
      const lower = value.toLowerCase();
      const service = lower.endsWith(':*') ? lower.slice(0, -2) : undefined;
      if (lower !== '*' && (service === undefined || !SENSITIVE_SERVICES.has(service))) return;
      const message =
        lower === '*'
          ? '"*" on all resources grants every action of every service (full administrator access); list the actions needed'
          : `"${value}" on all resources grants every ${service} action, including ones that change permissions, keys or data; list the actions needed`;
      ctx.report('SENSITIVE_SERVICE_WILDCARD', message, s.action?.spans[i] ?? s.span, s.action ? ctx.valuePath(s, 'Action', s.action, i) : base);
    });
  }
}
