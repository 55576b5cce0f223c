/**
 * Person-readable rendering of a SimulateResponse: the decision per resource, the statements that decided it and,
 * for each of their conditions, whether it held and with which request value; then why the others did not apply.
 * Statements are numbered from 1 in text ("statement #13"), as in IAM's console; the JSON keeps AWS's 0-based
 * StatementIndex (docs/simulate.md, "Statement numbers").
 */
import { whyNot } from '../eval/why-not.js';
import type { StatementRef } from '../eval/compile.js';
import type { LayerResult, StatementTrace } from '../eval/types.js';
import type { EvaluationResult, Explanation, MatchedStatement, SimulateResponse } from '../simulate/run.js';

const LABEL = { allowed: 'ALLOWED', explicitDeny: 'DENIED (explicit deny)', implicitDeny: 'DENIED (implicit deny)' } as const;

function where(policyName: string, line: number, column: number): string {
  return `${policyName}:${line}:${column}`;
}

function stmtName(ref: StatementRef | MatchedStatement): string {
  if ('SourcePolicyId' in ref) return ref.Sid !== undefined && ref.Sid !== '' ? `Sid ${JSON.stringify(ref.Sid)}` : `statement #${ref.StatementIndex + 1}`;
  return ref.sid !== undefined && ref.sid !== '' ? `Sid ${JSON.stringify(ref.sid)}` : `statement #${ref.index + 1}`;
}

function layerLines(l: LayerResult, indent: string): string[] {
  const out = [`${indent}  ${l.layer.padEnd(8)} ${l.applies ? l.outcome : 'skipped'}: ${l.note}`];
  for (const t of l.statements ?? []) {
    if (t.outcome === 'applied' || t.outcome === 'action') continue;
    out.push(
      `${indent}      ${stmtName(t.ref)} (${where(t.ref.policyName, t.ref.span.start.line, t.ref.span.start.column)}, ${t.ref.policyId}) ${t.ref.effect}: ${whyNot(t)}`,
    );
  }
  return out;
}

/** The trace of a deciding statement in the explanation's layers (same policy, same statement). */
function traceOf(m: MatchedStatement, ex: Explanation | undefined): StatementTrace | undefined {
  for (const l of ex?.Layers ?? []) {
    const t = l.statements?.find((s) => s.outcome === 'applied' && s.ref.policyId === m.SourcePolicyId && s.ref.index === m.StatementIndex);
    if (t) return t;
  }
  return undefined;
}

/**
 * A deciding statement, then each of its conditions (they are AND-ed: all held, or the statement would not have
 * applied) with the request value that made it true: `held: StringLike iam:PassedToService: request "…" … → match`.
 */
function decidingLines(matched: readonly MatchedStatement[], ex: Explanation | undefined, indent: string): string[] {
  if (matched.length === 0) return [];
  const out = [`${indent}Deciding statements:`];
  for (const m of matched) {
    out.push(`${indent}  ${m.Effect.padEnd(5)} ${stmtName(m)} in ${m.SourcePolicyId} (${where(m.PolicyName, m.StartPosition.Line, m.StartPosition.Column)})`);
    const clauses = traceOf(m, ex)?.clauses ?? [];
    if (clauses.length > 1) out.push(`${indent}        its ${clauses.length} conditions are AND-ed; all held:`);
    for (const c of clauses) {
      const at = where(m.PolicyName, c.clause.span.start.line, c.clause.span.start.column);
      out.push(`${indent}        ${c.matched ? 'held' : 'did not hold'}: ${c.explanation ?? `${c.clause.operator} ${c.clause.key}`} (${at})`);
    }
  }
  return out;
}

function explanationFor(r: EvaluationResult, resource: string): Explanation | undefined {
  return r.Explanation?.find((e) => e.Resource === resource) ?? (r.Explanation?.length === 1 ? r.Explanation[0] : undefined);
}

function tailLines(ex: Explanation | undefined, missing: readonly string[], indent: string): string[] {
  const out: string[] = [];
  if (missing.length > 0) out.push(`${indent}Missing context values: ${missing.join(', ')}`);
  const layers = ex?.Layers ?? [];
  if (layers.length > 0) {
    out.push(`${indent}Layers:`);
    for (const l of layers) out.push(...layerLines(l, indent));
  }
  for (const e of ex?.Errors ?? []) out.push(`${indent}error: ${e}`);
  return out;
}

/** One resource (the only one, or the action was simulated without ResourceArns). */
function renderSingle(r: EvaluationResult): string[] {
  const ex = r.Explanation?.[0];
  const out = [`${r.EvalActionName} on ${r.EvalResourceName}: ${LABEL[r.EvalDecision]}`];
  if (ex) out.push(`  ${ex.Summary}`);
  out.push(...decidingLines(r.MatchedStatements, ex, '  '));
  if (r.OrganizationsDecisionDetail) out.push(`  Allowed by organizations (SCPs): ${r.OrganizationsDecisionDetail.AllowedByOrganizations}`);
  if (r.PermissionsBoundaryDecisionDetail) out.push(`  Allowed by permissions boundary: ${r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary}`);
  out.push(...tailLines(ex, r.MissingContextValues, '  '));
  return out;
}

/**
 * Several resources: AWS's top-level EvalDecision is the most restrictive one, so the header says how many
 * resources are allowed, and each resource has its own decision with its deciding statements next to it.
 */
function renderPerResource(r: EvaluationResult): string[] {
  const per = r.ResourceSpecificResults ?? [];
  const allowed = per.filter((p) => p.EvalResourceDecision === 'allowed').length;
  const out = [`${r.EvalActionName} on ${per.length} resources: ${allowed} of ${per.length} ALLOWED (EvalDecision ${r.EvalDecision}: the most restrictive)`];
  for (const p of per) {
    const ex = explanationFor(r, p.EvalResourceName);
    out.push(`  ${p.EvalResourceName}: ${LABEL[p.EvalResourceDecision]}`);
    if (ex) out.push(`    ${ex.Summary}`);
    out.push(...decidingLines(p.MatchedStatements, ex, '    '));
    if (p.PermissionsBoundaryDecisionDetail)
      out.push(`    Allowed by permissions boundary: ${p.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary}`);
    out.push(...tailLines(ex, p.MissingContextValues, '    '));
  }
  if (r.OrganizationsDecisionDetail) out.push(`  Allowed by organizations (SCPs): ${r.OrganizationsDecisionDetail.AllowedByOrganizations}`);
  return out;
}

function renderResult(r: EvaluationResult): string[] {
  const out = (r.ResourceSpecificResults?.length ?? 0) > 1 ? renderPerResource(r) : renderSingle(r);
  for (const w of r.Warnings ?? []) out.push(`  warning: ${w}`);
  return out;
}

export function formatResponseText(resp: SimulateResponse): string {
  return `${resp.EvaluationResults.map((r) => renderResult(r).join('\n')).join('\n\n')}\n`;
}
