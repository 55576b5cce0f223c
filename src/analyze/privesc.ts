/**
 * Privilege escalation across the identity-based policies of one principal:
 * the techniques of src/audit/techniques.ts (the list the account audit
 * uses too), each needed action decided by the evaluator with the
 * principal's permissions boundaries (src/audit/policies.ts). Reported once
 * per granting statement, at the grant of the technique's first action
 * other than iam:PassRole.
 */
import { formatJsonPath } from '../diagnostics/diagnostic.js';
import type { JsonPath, Span } from '../diagnostics/diagnostic.js';
import type { Statement } from '../policy/model.js';
import { escalationRisks, type EscalationGrant } from '../audit/policies.js';
import type { LintContext } from './context.js';
import { listForMessage } from './context.js';
import { patternCovers } from './expand.js';

interface Site {
  readonly ctx: LintContext;
  readonly s: Statement;
  readonly path: JsonPath;
  readonly span: Span;
}

function siteOf(ctxs: readonly LintContext[], g: EscalationGrant): Site | undefined {
  const ctx = ctxs[Number(g.statement.policyId)];
  const s = ctx?.policy.statements.find((x) => x.index === g.statement.index);
  if (!ctx || !s) return undefined;
  const list = s.action ?? s.notAction;
  const element = s.action ? 'Action' : 'NotAction';
  const index = s.action ? s.action.values.findIndex((v) => patternCovers(v, g.action)) : -1;
  const base = [...ctx.statementPath(s), element];
  if (index >= 0 && list) return { ctx, s, path: ctx.valuePath(s, 'Action', list, index), span: list.spans[index] ?? list.span };
  return { ctx, s, path: base, span: ctx.keySpan(base, s.span) };
}

function where(site: Site, from: Site): string {
  const stmt = formatJsonPath(site.ctx.statementPath(site.s));
  return site.ctx === from.ctx ? stmt : `${site.ctx.policy.name} ${stmt}`;
}

/**
 * `grants`: identity-based policies of one principal; `boundaries`: its
 * permissions boundaries. `at`: the time conditions are judged at.
 */
export function checkPrivilegeEscalation(grants: readonly LintContext[], boundaries: readonly LintContext[] = [], at: Date = new Date()): void {
  const risks = escalationRisks(
    grants.map((c) => c.policy),
    boundaries.map((c) => c.policy),
    at,
    ...(grants[0] !== undefined ? [grants[0].catalog] : []),
  );
  const bySite = new Map<string, { site: Site; parts: string[]; effects: string[] }>();
  for (const risk of risks) {
    const main = risk.grants.filter((g) => g.action !== 'iam:PassRole');
    const pass = risk.grants.find((g) => g.action === 'iam:PassRole');
    const anchor = main[0] ? siteOf(grants, main[0]) : undefined;
    if (!anchor) continue;
    const with_: string[] = [];
    const passSite = pass ? siteOf(grants, pass) : undefined;
    if (passSite) with_.push(`iam:PassRole (${where(passSite, anchor)})`);
    for (const g of main.slice(1)) {
      const site = siteOf(grants, g);
      if (site) with_.push(site.ctx === anchor.ctx && site.s === anchor.s ? g.action : `${g.action} (${where(site, anchor)})`);
    }
    const part = [main[0]?.action ?? '', ...with_].join(' + ');
    const key = `${anchor.ctx.file ?? anchor.ctx.policy.name}|${formatJsonPath(anchor.path)}`;
    const entry = bySite.get(key) ?? { site: anchor, parts: [], effects: [] };
    entry.parts.push(part);
    entry.effects.push(risk.technique.summary);
    bySite.set(key, entry);
  }
  for (const { site, parts, effects } of bySite.values()) {
    site.ctx.report(
      'PRIVILEGE_ESCALATION',
      `Privilege escalation via ${listForMessage(parts, 2)}: the principal can ${effects[0] ?? ''}; scope the resources (for iam:PassRole, name the roles) or drop these permissions`,
      site.span,
      site.path,
    );
  }
}
