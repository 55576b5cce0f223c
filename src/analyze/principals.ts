/**
 * Trust-policy principal/action fit (access-analyzer-reference-policy-checks:
 * "Error – Mismatched action for principal"; id_roles_create_for-idp_saml,
 * id_roles_create_for-idp_oidc): a SAML provider is trusted only through
 * sts:AssumeRoleWithSAML, a web identity (OIDC) provider — an OIDC provider
 * ARN or a provider host name such as cognito-identity.amazonaws.com — only
 * through sts:AssumeRoleWithWebIdentity. A Federated principal with any other
 * assume-role action never matches a request.
 */
import type { Statement } from '../policy/model.js';
import type { LintContext } from './context.js';

type Federation = 'saml' | 'web';

const ASSUME_ACTIONS: Readonly<Record<string, Federation | 'aws'>> = {
  'sts:assumerole': 'aws',
  'sts:assumerolewithsaml': 'saml',
  'sts:assumerolewithwebidentity': 'web',
};

/** SAML provider ARN → saml; anything else a Federated principal names is a web identity provider. */
export function federationOf(principal: string): Federation {
  return /^arn:[^:]+:iam::\d{12}:saml-provider\//.test(principal) ? 'saml' : 'web';
}

const EXPECTED: Readonly<Record<Federation, string>> = { saml: 'sts:AssumeRoleWithSAML', web: 'sts:AssumeRoleWithWebIdentity' };

const ASSUME_NAMES: Readonly<Record<Federation | 'aws', string>> = {
  aws: 'sts:AssumeRole',
  saml: 'sts:AssumeRoleWithSAML',
  web: 'sts:AssumeRoleWithWebIdentity',
};

/**
 * The assume-role calls a statement can match: the ones it names (all three when it names none) that fit
 * its principal — a Federated principal only through its provider's call, any other principal (or none,
 * or "*") through sts:AssumeRole, "*" through any.
 */
export function assumeCallsOf(s: Statement): readonly string[] {
  const named = (s.action?.values ?? []).map((a) => ASSUME_ACTIONS[a.toLowerCase()]).filter((k) => k !== undefined);
  const kinds = new Set<Federation | 'aws'>(named.length > 0 ? named : ['aws', 'saml', 'web']);
  const p = s.principal;
  const fits = new Set<Federation | 'aws'>();
  if (!p || p.wildcard) for (const k of kinds) fits.add(k);
  else {
    for (const [type, values] of Object.entries(p.values)) {
      for (const v of values ?? []) {
        const k = type === 'Federated' ? federationOf(v) : 'aws';
        if (kinds.has(k)) fits.add(k);
      }
    }
  }
  return [...fits].map((k) => ASSUME_NAMES[k]);
}

export function checkPrincipalActions(ctx: LintContext): void {
  if (ctx.type !== 'trust' && ctx.type !== 'resource') return;
  for (const s of ctx.policy.statements) {
    const federated = s.principal && !s.principal.wildcard ? s.principal.values['Federated'] : undefined;
    if (!s.action || !federated || federated.length === 0) continue;
    s.action.values.forEach((action, i) => {
      const kind = ASSUME_ACTIONS[action.toLowerCase()];
      if (kind === undefined) return;
      const wrong = federated.filter((p) => federationOf(p) !== kind);
      if (wrong.length === 0) return;
      const want = [...new Set(wrong.map((p) => EXPECTED[federationOf(p)]))].join(' or ');
      ctx.report(
        'MISMATCHED_ACTION_FOR_PRINCIPAL',
        `${action} never matches the federated principal(s) ${wrong.join(', ')}: a SAML provider needs sts:AssumeRoleWithSAML and an OIDC provider sts:AssumeRoleWithWebIdentity; use ${want}`,
        s.action?.spans[i] ?? s.span,
        s.action ? ctx.valuePath(s, 'Action', s.action, i) : [...ctx.statementPath(s), 'Action'],
      );
    });
  }
}
