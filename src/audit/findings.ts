/** The findings of an audit: one per escalating, admin or risky principal, exposure and unreadable policy. */
import { parseArn } from '../primitives/arn.js';
import type { Exposure } from './exposure.js';
import type { AuditedPrincipal } from './join.js';
import { pathEnd } from './paths.js';
import { riskyActions, type Risk, type RiskCategory } from './risks.js';
import type { UnreadablePolicy } from './unreadable.js';

export type Severity = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

export interface AuditFinding {
  readonly code:
    | 'PRIVILEGE_ESCALATION'
    | 'POTENTIAL_PRIVILEGE_ESCALATION'
    | 'ADMIN_PRINCIPAL'
    | 'PUBLIC_ACCESS'
    | 'CROSS_ACCOUNT_ACCESS'
    | 'EXPOSURE_NEEDS_REVIEW'
    | 'UNREADABLE_POLICY'
    | 'RISKY_PERMISSIONS';
  readonly severity: Severity;
  readonly message: string;
  /** The principal or resource the finding is about. */
  readonly subject: string;
  readonly file?: string;
  readonly line?: number;
}

export function allRisks(): Risk[] {
  const by = new Map<RiskCategory, string[]>();
  for (const [a, c] of riskyActions()) {
    const list = by.get(c) ?? [];
    list.push(a);
    by.set(c, list);
  }
  return [...by].map(([category, list]) => ({ category, count: list.length, actions: list.slice(0, 25) }));
}

export function principalFindings(p: AuditedPrincipal): AuditFinding[] {
  const out: AuditFinding[] = [];
  const first = p.paths[0];
  if (p.canEscalate && first) {
    const via = first.steps.map((s) => s.action).join(' → ');
    out.push({
      code: 'PRIVILEGE_ESCALATION',
      severity: 'ERROR',
      subject: p.arn,
      message: `${p.arn} can escalate to admin (${pathEnd(p.arn, first)}) in ${first.length} step(s) via ${via}${first.assumesExistingResource ? ' (if such a resource exists)' : ''}`,
    });
  } else if (p.allowedEverything) {
    out.push({ code: 'ADMIN_PRINCIPAL', severity: 'WARNING', subject: p.arn, message: `${p.arn} is allowed every action on every resource` });
  }
  const maybe = p.risks.find((r) => r.potential !== undefined);
  if (maybe?.potential) {
    out.push({
      code: 'POTENTIAL_PRIVILEGE_ESCALATION',
      severity: 'SECURITY_WARNING',
      subject: p.arn,
      message: `${p.arn}'s policies allow escalation (${maybe.potential.techniques.join(', ')}: ${maybe.actions.join(', ')}) but no path in this model leads from it to a more privileged principal`,
    });
  }
  const risky = p.risks.filter((r) => r.category === 'credentials-exposure' || r.category === 'data-exfiltration' || r.category === 'resource-exposure');
  if (!p.allowedEverything && risky.length > 0) {
    out.push({
      code: 'RISKY_PERMISSIONS',
      severity: 'WARNING',
      subject: p.arn,
      message: `${p.arn} is allowed on every resource: ${risky.map((r) => `${r.category} (${r.count}: ${r.actions.slice(0, 3).join(', ')}${r.count > 3 ? ', …' : ''})`).join('; ')}`,
    });
  }
  return out;
}

function exposureWho(e: Exposure): string {
  switch (e.audience) {
    case 'anonymous':
      return 'anyone, without credentials';
    case 'any-account':
      return 'any AWS account';
    case 'any-identity':
      return `${e.who ?? 'anyone'} (${e.principal})`;
    case 'needs-review':
      return e.principal === '*' ? 'an outsider' : e.principal;
    default: {
      const arn = parseArn(e.principal);
      const account = arn?.account ?? '';
      const named = arn?.resource === 'root' ? `account ${account}` : `${e.principal} (account ${account})`;
      return `${named}${e.audience === 'external-account' ? ', outside the model,' : ''}`;
    }
  }
}

export function exposureFinding(e: Exposure): AuditFinding {
  const what =
    e.policy === 'trust' ? 'can assume the role' : `can call ${e.actions.slice(0, 4).join(', ')}${e.actions.length > 4 ? `, … (${e.actions.length})` : ''}`;
  const pub = e.audience === 'anonymous' || e.audience === 'any-account' || e.audience === 'any-identity';
  const review = e.audience === 'needs-review';
  const severity: Severity = pub ? 'ERROR' : e.audience === 'modelled-account' ? 'SUGGESTION' : 'SECURITY_WARNING';
  const pre = e.preconditions && e.preconditions.length > 0 ? ` if its request meets ${e.preconditions.join(' and ')} (values the caller sets itself)` : '';
  const message = review
    ? `${e.resource}: not decided whether ${exposureWho(e)} ${what}: ${(e.reasons ?? []).join('; ')}`
    : `${e.resource}: ${exposureWho(e)} ${what}${pre}`;
  return {
    code: pub ? 'PUBLIC_ACCESS' : review ? 'EXPOSURE_NEEDS_REVIEW' : 'CROSS_ACCOUNT_ACCESS',
    severity,
    subject: e.resource,
    message,
    ...(e.file !== undefined ? { file: e.file } : {}),
    ...(e.line !== undefined ? { line: e.line } : {}),
  };
}

export function unreadableFinding(p: UnreadablePolicy): AuditFinding {
  return {
    code: 'UNREADABLE_POLICY',
    severity: 'ERROR',
    subject: p.subject,
    message: `${p.name} cannot be read (${p.error}); every request it takes part in is denied here, so what it allows or exposes is not audited`,
    ...(p.file !== undefined ? { file: p.file } : {}),
    ...(p.line !== undefined ? { line: p.line } : {}),
  };
}
