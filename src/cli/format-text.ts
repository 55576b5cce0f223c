/** Person-readable rendering of a SimulateResponse: decision, deciding statements, why others did not apply. */
import { whyNot } from '../eval/why-not.js';
import type { StatementRef } from '../eval/compile.js';
import type { LayerResult } from '../eval/types.js';
import type { EvaluationResult, MatchedStatement, SimulateResponse } from '../simulate/run.js';

const LABEL = { allowed: 'ALLOWED', explicitDeny: 'DENIED (explicit deny)', implicitDeny: 'DENIED (implicit deny)' } as const;

function where(policyName: string, line: number, column: number): string {
  return `${policyName}:${line}:${column}`;
}

function stmtName(ref: StatementRef | MatchedStatement): string {
  if ('SourcePolicyId' in ref) return ref.Sid !== undefined && ref.Sid !== '' ? `Sid ${JSON.stringify(ref.Sid)}` : `statement #${ref.StatementIndex + 1}`;
  return ref.sid !== undefined && ref.sid !== '' ? `Sid ${JSON.stringify(ref.sid)}` : `statement #${ref.index + 1}`;
}

function layerLines(l: LayerResult): string[] {
  const out = [`    ${l.layer.padEnd(8)} ${l.applies ? l.outcome : 'skipped'}: ${l.note}`];
  for (const t of l.statements ?? []) {
    if (t.outcome === 'applied' || t.outcome === 'action') continue;
    out.push(
      `        ${stmtName(t.ref)} (${where(t.ref.policyName, t.ref.span.start.line, t.ref.span.start.column)}, ${t.ref.policyId}) ${t.ref.effect}: ${whyNot(t)}`,
    );
  }
  return out;
}

function renderResult(r: EvaluationResult): string[] {
  const out: string[] = [];
  out.push(`${r.EvalActionName} on ${r.EvalResourceName}: ${LABEL[r.EvalDecision]}`);
  for (const ex of r.Explanation ?? []) {
    if ((r.Explanation?.length ?? 0) > 1) out.push(` resource ${ex.Resource}:`);
    out.push(`  ${ex.Summary}`);
  }
  if (r.MatchedStatements.length > 0) {
    out.push('  Deciding statements:');
    for (const m of r.MatchedStatements) {
      out.push(`    ${m.Effect.padEnd(5)} ${stmtName(m)} in ${m.SourcePolicyId} (${where(m.PolicyName, m.StartPosition.Line, m.StartPosition.Column)})`);
    }
  }
  if (r.MissingContextValues.length > 0) out.push(`  Missing context values: ${r.MissingContextValues.join(', ')}`);
  if (r.OrganizationsDecisionDetail) out.push(`  Allowed by organizations (SCPs): ${r.OrganizationsDecisionDetail.AllowedByOrganizations}`);
  if (r.PermissionsBoundaryDecisionDetail) out.push(`  Allowed by permissions boundary: ${r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary}`);
  for (const ex of r.Explanation ?? []) {
    const layers = ex.Layers ?? [];
    if (layers.length === 0) continue;
    out.push(`  Layers${(r.Explanation?.length ?? 0) > 1 ? ` for ${ex.Resource}` : ''}:`);
    for (const l of layers) out.push(...layerLines(l));
    for (const e of ex.Errors ?? []) out.push(`  error: ${e}`);
  }
  return out;
}

export function formatResponseText(resp: SimulateResponse): string {
  return `${resp.EvaluationResults.map((r) => renderResult(r).join('\n')).join('\n\n')}\n`;
}
