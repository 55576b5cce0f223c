/**
 * `iamsim audit`: the whole model at once — every principal's effective
 * permissions decided by the evaluator, the escalation graph and its paths
 * to admin, cloudsplaining's risk categories, and the exposure of resource
 * and trust policies to the public and to other accounts.
 */
import type { Universe } from '../account/query.js';
import { AuditDecider } from './decide.js';
import { exposures, type Exposure } from './exposure.js';
import { buildGraph, type Edge, type Step } from './graph.js';
import { auditModel, policySignature, type AuditNode } from './nodes.js';

const isServiceLinkedArn = (arn: string): boolean => isRoleArn(arn, 'aws-service-role/');
import { AdminCheck, confirmed, escalationPaths, grantsItself, pathEnd, type EscalationPath } from './paths.js';
import { potentialEscalation } from './potential.js';
import { risksOf, riskyActions, type Risk, type RiskCategory } from './risks.js';
import { isRoleArn, parseArn } from '../primitives/arn.js';

export { TECHNIQUES, techniqueById, type Technique, type TechniqueKind } from './techniques.js';
export { escalationRisks, type EscalationRisk } from './policies.js';
export type { Exposure, Edge, Step, EscalationPath, Risk, RiskCategory };

export type Severity = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

export interface AuditFinding {
  readonly code:
    | 'PRIVILEGE_ESCALATION'
    | 'POTENTIAL_PRIVILEGE_ESCALATION'
    | 'ADMIN_PRINCIPAL'
    | 'PUBLIC_ACCESS'
    | 'CROSS_ACCOUNT_ACCESS'
    | 'EXPOSURE_NEEDS_REVIEW'
    | 'RISKY_PERMISSIONS';
  readonly severity: Severity;
  readonly message: string;
  /** The principal or resource the finding is about. */
  readonly subject: string;
  readonly file?: string;
  readonly line?: number;
}

export interface AuditedPrincipal {
  readonly arn: string;
  readonly type: 'user' | 'role';
  readonly account: string;
  /** Allowed every action on every resource, or able to grant itself that. */
  readonly isAdmin: boolean;
  /** Allowed everything outright (no step needed). */
  readonly allowedEverything: boolean;
  /** Not allowed everything, but a path leads to admin. */
  readonly canEscalate: boolean;
  readonly paths: readonly (EscalationPath & { readonly technique: string })[];
  readonly risks: readonly Risk[];
}

export interface AuditReport {
  readonly generatedAt: string;
  readonly accounts: readonly string[];
  readonly principals: readonly AuditedPrincipal[];
  readonly exposures: readonly Exposure[];
  readonly findings: readonly AuditFinding[];
  /** Group stand-ins and edges, for drawing the graph. */
  readonly graph: { readonly nodes: readonly AuditNode[]; readonly edges: readonly Edge[] };
  readonly stats: { readonly principals: number; readonly edges: number; readonly evaluations: number; readonly milliseconds: number };
}

export interface AuditOptions {
  /** The time requests are made at (aws:CurrentTime, aws:TokenIssueTime); default now. */
  readonly at?: Date;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
}

function allRisks(): Risk[] {
  const by = new Map<RiskCategory, string[]>();
  for (const [a, c] of riskyActions()) {
    const list = by.get(c) ?? [];
    list.push(a);
    by.set(c, list);
  }
  return [...by].map(([category, list]) => ({ category, count: list.length, actions: list.slice(0, 25) }));
}

function principalFindings(p: AuditedPrincipal): AuditFinding[] {
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

function exposureFinding(e: Exposure): AuditFinding {
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

export async function runAudit(u: Universe, opts: AuditOptions = {}): Promise<AuditReport> {
  const started = Date.now();
  const at = opts.at ?? new Date();
  const model = auditModel(u);
  const signatures = new Map<string, string | undefined>();
  const signature = (arn: string): string | undefined => {
    if (!signatures.has(arn)) signatures.set(arn, policySignature(model.universe, arn));
    return signatures.get(arn);
  };
  const d = new AuditDecider(model.universe, at);
  const graph = buildGraph(model, d, (done, total) => opts.onProgress?.('graph', done, total));
  const admin = new AdminCheck(d, signature);
  /** Results that depend only on a principal's policies: computed once per policy signature. */
  const bySignature = <T>(compute: (arn: string) => T): ((arn: string) => T) => {
    const cache = new Map<string, T>();
    return (arn) => {
      const sig = signature(arn);
      if (sig !== undefined && cache.has(sig)) return cache.get(sig) as T;
      const v = compute(arn);
      if (sig !== undefined) cache.set(sig, v);
      return v;
    };
  };
  const risks = bySignature((arn) => risksOf(model.universe, d, arn, model.patterns));
  const potential = bySignature((arn): Risk[] => {
    const found = potentialEscalation(model.universe, arn, at);
    if (found === undefined) return [];
    return [
      { category: 'privilege-escalation', count: found.techniques.length, actions: found.actions.slice(0, 25), potential: { techniques: found.techniques } },
    ];
  });
  const real = model.nodes.filter((n) => n.kind === 'user' || n.kind === 'role');
  const everything = allRisks();
  const principals: AuditedPrincipal[] = real.map((n, i) => {
    opts.onProgress?.('principals', i + 1, real.length);
    const allowedEverything = admin.allowedEverything(n.arn);
    // A service-linked role is used only by its service, with policies AWS maintains: no attacker starts from it.
    const paths = allowedEverything || isServiceLinkedArn(n.arn) ? [] : confirmed(d, escalationPaths(graph, admin, n.arn));
    // Admin by its own permissions: it can grant itself anything, every step its own (a grant made by another
    // principal it reaches is an escalation, not admin; reaching an admin allows that for anyone).
    const selfGrant = paths.length > 0 && grantsItself(graph, n.arn, admin);
    return {
      arn: n.arn,
      type: n.kind === 'role' ? 'role' : 'user',
      account: n.account,
      isAdmin: allowedEverything || selfGrant,
      allowedEverything,
      canEscalate: !allowedEverything && paths.length > 0,
      paths: paths.map((p) => ({ technique: p.techniques.join(' → '), ...p })),
      risks: allowedEverything
        ? everything
        : [
            ...(paths.length > 0
              ? [
                  {
                    category: 'privilege-escalation' as const,
                    count: paths.length,
                    actions: [...new Set(paths.flatMap((p) => p.steps.map((s) => s.action)))].slice(0, 25),
                  },
                ]
              : potential(n.arn)),
            ...risks(n.arn),
          ],
    };
  });
  opts.onProgress?.('exposure', 0, 1);
  const exposed = await exposures(u);
  const findings = [...principals.flatMap(principalFindings), ...exposed.map(exposureFinding)];
  const edges = [...graph.edges.values()].flat();
  return {
    generatedAt: at.toISOString(),
    accounts: [...u.accounts.keys()],
    principals,
    exposures: exposed,
    findings,
    graph: { nodes: model.nodes, edges },
    stats: { principals: principals.length, edges: edges.length, evaluations: d.evaluations, milliseconds: Date.now() - started },
  };
}
