/** An explanation as JSON (the CLI's --format json and POST /v1/explain) and as text. */
import type { Fix } from '../workflows/types.js';
import type { Explained } from './explain.js';
import { LAYER_PHRASE } from './message.js';
import type { ExplainPatch } from './patch.js';
import type { Ask, Denial } from './types.js';

export interface ExplainedReport {
  readonly denial: Denial;
  readonly explained: Explained;
  readonly patch?: ExplainPatch;
}

function change(f: Fix): Record<string, unknown> {
  return {
    layer: f.layer,
    target: f.target,
    policyName: f.policyName,
    kind: f.kind,
    change: f.change,
    statement: f.statement,
    ...(f.patches !== undefined ? { patches: f.patches } : {}),
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.line !== undefined ? { line: f.line } : {}),
  };
}

function fixJson(r: ExplainedReport): unknown {
  const e = r.explained;
  const explicit = e.iamsim.decision === 'explicitDeny';
  if (e.fixes === null && !(explicit && e.agrees)) return null;
  const deny = e.iamsim.statements.find((s) => s.role === 'decided' && s.effect === 'Deny');
  return {
    kind: explicit ? 'narrow-deny' : 'allow',
    ...(explicit && deny !== undefined ? { denyStatement: deny } : {}),
    ...(e.owner !== null ? { owner: e.owner } : {}),
    verified: e.fixVerified,
    changes: (e.fixes ?? []).map(change),
    ...(r.patch !== undefined
      ? {
          patch: {
            policies: r.patch.patch.policies.map((p) => ({
              layer: p.layer,
              target: p.target,
              policyName: p.policyName,
              file: p.file,
              new: p.before === undefined,
              command: p.command,
              document: p.after,
            })),
            diff: r.patch.patch.diff,
          },
          scope: r.patch.scope,
          newSecurityWarnings: r.patch.lint,
        }
      : {}),
  };
}

export function explainedJson(r: ExplainedReport): unknown {
  const e = r.explained;
  return {
    line: r.denial.line,
    message: r.denial.text,
    request: e.request,
    aws: e.aws,
    iamsim: e.iamsim,
    agrees: e.agrees,
    incomplete: e.incomplete,
    verdict: e.verdict,
    modelGaps: e.modelGaps,
    asks: e.asks,
    fix: fixJson(r),
    notes: e.notes,
  };
}

function awsLine(e: Explained): string {
  const layer = e.aws.layer !== null ? LAYER_PHRASE[e.aws.layer] : undefined;
  if (e.aws.kind === 'explicit')
    return `explicit deny${layer ? ` in a ${layer}` : ' (the message names no policy type)'}${e.aws.policyArn ? `: ${e.aws.policyArn}` : ''}`;
  if (e.aws.kind === 'implicit') return `implicit deny: no ${layer ?? 'policy'} allows it`;
  return `denied (the ${e.aws.form} message names no policy type)`;
}

function fixText(r: ExplainedReport, out: string[]): void {
  const e = r.explained;
  if (e.owner !== null) out.push(`  owner      ${e.owner}`);
  if (e.fixes === null) {
    if (e.agrees && e.iamsim.decision !== 'explicitDeny')
      out.push(`  fix        ${e.asks.some((a) => a.what === 'context') ? 'none until the request context above is given' : 'none found by the fix engine'}`);
    return;
  }
  out.push(
    `  fix        ${e.fixVerified ? 'verified: with these changes the model allows the request' : 'NOT verified: the request is still denied with these changes'}`,
  );
  for (const f of e.fixes) out.push(`    - ${f.change}`);
  for (const s of r.patch?.scope ?? []) out.push(`    scope of ${s.file} (check-no-new-access): ${s.result}, ${s.note}`);
  for (const w of r.patch?.lint ?? []) out.push(`    new security warning in ${w.file}: ${w.issueCode} ${w.message}`);
  for (const p of r.patch?.patch.policies ?? []) out.push(`    $ ${p.command}`);
  if (r.patch !== undefined) for (const l of r.patch.patch.diff.trimEnd().split('\n')) out.push(`    ${l}`);
}

/** The text form; `give` words what the user can give (the command line's flags, cli/explain-denied.ts). */
export function explainedText(r: ExplainedReport, give: (asks: readonly Ask[]) => string): string {
  const e = r.explained;
  const out: string[] = [`line ${r.denial.line}: ${r.denial.text.length > 200 ? `${r.denial.text.slice(0, 200)}…` : r.denial.text}`];
  out.push(
    `  request    ${e.request.action} on ${e.request.resource} by ${e.request.principal}${e.request.vpcEndpointId ? ` through ${e.request.vpcEndpointId}` : ''}`,
  );
  out.push(`  AWS        ${awsLine(e)}`);
  out.push(`  iamsim     ${e.iamsim.decision}: ${e.iamsim.reason}`);
  out.push(`  ${(e.incomplete ? 'UNDECIDED' : e.agrees ? 'agrees' : 'DISAGREES').padEnd(10)} ${e.verdict}`);
  for (const g of e.modelGaps.slice(e.agrees ? 0 : 1)) out.push(`  model gap  ${g}`);
  if (e.asks.length > 0) out.push(`  give       ${give(e.asks)}`);
  for (const s of e.iamsim.statements) {
    out.push(
      `  ${s.role === 'decided' ? 'decided by' : 'near miss '} ${s.effect} statement ${s.statement} of ${s.policy} (${s.layer}, ${s.target}), line ${s.line}${s.file ? ` of ${s.file}` : ''}: ${s.why}`,
    );
  }
  for (const c of e.iamsim.conditions) {
    out.push(
      `  condition  ${c.held ? 'held  ' : 'FAILED'} ${c.operator} ${c.key} ${JSON.stringify(c.values)} (${c.effect} statement ${c.statement} of ${c.policy}); request: ${c.request === null ? 'no value' : JSON.stringify(c.request)}`,
    );
  }
  for (const w of e.iamsim.warnings) out.push(`  warning    ${w}`);
  for (const n of e.notes) out.push(`  note       ${n}`);
  fixText(r, out);
  return `${out.join('\n')}\n`;
}
