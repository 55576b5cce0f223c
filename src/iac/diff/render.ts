/**
 * `iamsim diff` output: JSON (the report), text, Markdown (a pull-request
 * comment a reviewer reads in one screen) and SARIF 2.1.0 whose locations
 * are the IaC sources (.tf file, template line; a CDK construct path as the
 * logical location), never the generated JSON.
 */
import { sarifLog } from '../../diagnostics/sarif.js';
import type { Counterexample } from '../../reason/confirm.js';
import type { DiffReport, EntrySource, PreflightEntry, PrincipalEntry, ResourceEntry, WorkloadEntry } from './index.js';

type Entry = (PrincipalEntry | ResourceEntry | WorkloadEntry) & { readonly kind: 'principal' | 'resource' | 'workload' };

function entries(r: DiffReport): Entry[] {
  return [
    ...r.principals.map((e) => ({ ...e, kind: 'principal' as const })),
    ...r.resources.map((e) => ({ ...e, kind: 'resource' as const })),
    ...r.workloads.map((e) => ({ ...e, kind: 'workload' as const })),
  ];
}

function nameOf(e: Entry): string {
  if (e.kind === 'workload') return `${(e as WorkloadEntry).address} (execution role ${(e as WorkloadEntry).from} → ${(e as WorkloadEntry).to})`;
  if (e.kind === 'resource') return `${(e as ResourceEntry).policy === 'trust' ? 'trust policy of' : 'resource policy of'} ${(e as ResourceEntry).arn}`;
  return (e as PrincipalEntry).arn;
}

function where(s: EntrySource): string {
  const at = s.file ? `${s.file}${s.line ? `:${s.line}` : ''}` : '';
  return [at, s.address && s.address !== at ? s.address : ''].filter((x) => x !== '').join(' ');
}

function request(c: Counterexample): string {
  const ctx = c.ContextEntries.map((x) => `${x.ContextKeyName}=${x.ContextKeyValues.join('|')}`).join(', ');
  return `${c.CallerArn ? `${c.CallerArn} → ` : ''}${c.ActionNames.join(', ')} on ${c.ResourceArns.join(', ')}${ctx ? ` with ${ctx}` : ''}`;
}

function escalation(e: Entry): readonly PrincipalEntry['newEscalation'][number][] {
  return 'newEscalation' in e ? e.newEscalation : [];
}

function exposure(e: Entry): readonly PrincipalEntry['newExposure'][number][] {
  return 'newExposure' in e ? e.newExposure : [];
}

function interesting(e: Entry): boolean {
  return e.newAccess.result !== 'PASS' || escalation(e).length > 0 || exposure(e).length > 0;
}

/** `breaks` (now fails), `fixed` (now passes) or `undecided`. */
function workflowChange(p: PreflightEntry): 'breaks' | 'fixed' | 'undecided' {
  return p.after === 'failed' ? 'breaks' : p.after === 'passed' ? 'fixed' : 'undecided';
}

function workflowName(p: PreflightEntry): string {
  return `workflow ${p.workflow} for ${p.workload}`;
}

function stepLine(s: PreflightEntry['steps'][number]): string {
  return `${s.principal} ${s.action} ${s.resource}${s.expect === 'denied' ? ' (must be denied)' : ''}`;
}

function preflightText(r: DiffReport): string[] {
  const lines: string[] = [];
  const head = { breaks: 'WORKFLOW FAILS', fixed: 'WORKFLOW PASSES', undecided: 'WORKFLOW UNKNOWN' } as const;
  for (const p of r.preflight) {
    lines.push(`${head[workflowChange(p)]}  ${workflowName(p)}: ${p.before} → ${p.after}${where(p.source) ? `  (${where(p.source)})` : ''}`);
    for (const s of p.steps) {
      lines.push(`    step ${s.name}: ${s.before} → ${s.after}: ${stepLine(s)}${where(s.source) ? `  (${where(s.source)})` : ''}`);
      lines.push(`      ${s.reason}`);
      if (s.after === 'failed') lines.push(`      needed because: ${s.why}`);
    }
  }
  return lines;
}

export function toText(r: DiffReport): string {
  const lines: string[] = [];
  const all = entries(r);
  for (const e of all) {
    const head = `${e.newAccess.result === 'FAIL' ? 'NEW ACCESS' : e.newAccess.result === 'UNKNOWN' ? 'UNKNOWN   ' : 'no new access'}  ${nameOf(e)}`;
    lines.push(`${head}${'change' in e ? ` [${e.change}]` : ''}${where(e.source) ? `  (${where(e.source)})` : ''}`);
    for (const c of e.newAccess.counterexamples) lines.push(`    e.g. ${request(c)}`);
    for (const n of e.newAccess.notes) lines.push(`    (${n})`);
    for (const s of e.newAccess.statements)
      lines.push(
        `    granted by ${s.statementId ? `Sid "${s.statementId}"` : `statement #${s.statementIndex + 1}`} in ${s.policy}${s.file ? ` (${s.file}${s.line ? `:${s.line}` : ''})` : ''}`,
      );
    for (const u of e.newAccess.unknownReasons) lines.push(`    undecided: ${u}`);
    for (const u of e.newAccess.unknowns) lines.push(`    unknown: ${u.address} ${u.attribute}: ${u.reason}`);
    for (const x of escalation(e)) lines.push(`    NEW ESCALATION to ${x.target}: ${x.techniques.join(' → ')} (${x.via.join(', ')})`);
    for (const x of exposure(e))
      lines.push(`    NEW EXPOSURE to ${x.audience} (${x.principal}): ${x.actions.slice(0, 6).join(', ')}${x.actions.length > 6 ? ', …' : ''}`);
  }
  lines.push(...preflightText(r));
  if (all.length === 0) lines.push('The change touches no principal, resource policy or trust policy.');
  for (const u of r.unknowns) lines.push(`UNKNOWN  ${u.address} ${u.attribute}: ${u.reason}`);
  for (const d of r.diagnostics) lines.push(`INVALID  ${d.file ?? ''}:${d.line}:${d.column}: ${d.code}: ${d.message}`);
  for (const n of r.notes) lines.push(`Note: ${n}`);
  lines.push(`Result: ${r.result} (fail on: ${r.failOn.join(', ')})`);
  return `${lines.join('\n')}\n`;
}

function md(s: string): string {
  return s.replace(/[|`*_<>]/g, (c) => `\\${c}`);
}

/** A pull-request comment: the verdict, then one row per finding, details folded. */
export function toMarkdown(r: DiffReport): string {
  const icon = r.result === 'PASS' ? '✅' : r.result === 'FAIL' ? '❌' : '⚠️';
  const shown = entries(r).filter(interesting);
  const out = [`### ${icon} iamsim diff: ${r.result}`, ''];
  if (shown.length === 0 && r.preflight.length === 0 && r.unknowns.length === 0 && r.diagnostics.length === 0) {
    out.push(`No new access, escalation or exposure (${entries(r).length} changed principals and policies checked).`);
    return `${out.join('\n')}\n`;
  }
  out.push('| | what | where | example |', '|---|---|---|---|');
  for (const e of shown.slice(0, 15)) {
    const kind = escalation(e).length > 0 ? 'escalation' : exposure(e).length > 0 ? 'exposure' : e.newAccess.result === 'FAIL' ? 'new access' : 'undecided';
    const ex = e.newAccess.counterexamples[0];
    const esc = escalation(e)[0];
    const exp = exposure(e)[0];
    const example = ex
      ? request(ex)
      : esc
        ? `${esc.techniques.join(' → ')} → ${esc.target}`
        : exp
          ? `${exp.audience}: ${exp.actions.slice(0, 3).join(', ')}`
          : (e.newAccess.unknownReasons[0] ?? '');
    out.push(`| ${kind} | \`${md(nameOf(e))}\` | ${md(where(e.source))} | ${md(example)} |`);
  }
  if (shown.length > 15) out.push(`| | … ${shown.length - 15} more | | |`);
  for (const p of r.preflight.slice(0, 10)) {
    const s = p.steps.find((x) => x.after === p.after) ?? p.steps[0];
    const kind = { breaks: 'workflow fails', fixed: 'workflow passes', undecided: 'workflow undecided' }[workflowChange(p)];
    const example = s ? `${s.name}: ${stepLine(s)} → ${s.after}` : `${p.before} → ${p.after}`;
    out.push(`| ${kind} | \`${md(workflowName(p))}\` | ${md(where(s?.source ?? p.source))} | ${md(example)} |`);
  }
  if (r.unknowns.length > 0 || r.diagnostics.length > 0) {
    out.push('', `<details><summary>${r.unknowns.length + r.diagnostics.length} value(s) not decided</summary>`, '');
    for (const u of r.unknowns.slice(0, 20)) out.push(`- \`${md(u.address)}\` ${md(u.attribute)}: ${md(u.reason)}`);
    for (const d of r.diagnostics.slice(0, 10)) out.push(`- ${md(`${d.file ?? ''}:${d.line}`)}: ${md(d.message)}`);
    out.push('', '</details>');
  }
  for (const n of r.notes) out.push('', `_${md(n)}_`);
  out.push('', `Fail on: ${r.failOn.join(', ')}. Counterexamples are requests the evaluator confirmed; replay one with \`iamsim simulate\`.`);
  return `${out.join('\n')}\n`;
}

const RULES = [
  { id: 'NEW_ACCESS', shortDescription: { text: 'The change grants access the account did not grant before' } },
  { id: 'NEW_ESCALATION', shortDescription: { text: 'The change opens a privilege escalation path to admin' } },
  { id: 'NEW_EXPOSURE', shortDescription: { text: 'The change exposes a resource to the public or to other accounts' } },
  { id: 'UNDECIDED', shortDescription: { text: 'What the change grants depends on values known only after apply' } },
  { id: 'PREFLIGHT_FAILS', shortDescription: { text: 'A notebook workflow (iamsim preflight) that the change touches no longer passes' } },
  { id: 'PREFLIGHT_PASSES', shortDescription: { text: 'A notebook workflow (iamsim preflight) that failed passes after the change' } },
];

function location(s: EntrySource, file?: string, line?: number): object[] {
  const f = file ?? s.file;
  const l = line ?? s.line;
  if (!f && !s.address) return [];
  return [
    {
      ...(f ? { physicalLocation: { artifactLocation: { uri: f.replace(/\\/g, '/') }, ...(l ? { region: { startLine: l } } : {}) } } : {}),
      ...(s.address ? { logicalLocations: [{ fullyQualifiedName: s.address }] } : {}),
    },
  ];
}

export function toSarif(r: DiffReport, version?: string): object {
  const results: object[] = [];
  for (const e of entries(r)) {
    const n = nameOf(e);
    if (e.newAccess.result === 'FAIL') {
      const s = e.newAccess.statements[0];
      const ex = e.newAccess.counterexamples[0];
      results.push({
        ruleId: 'NEW_ACCESS',
        level: 'error',
        message: { text: `${n}: new access${ex ? `, e.g. ${request(ex)}` : ''}` },
        locations: location(e.source, s?.file, s?.line),
      });
    } else if (e.newAccess.result === 'UNKNOWN') {
      results.push({
        ruleId: 'UNDECIDED',
        level: 'warning',
        message: { text: `${n}: ${e.newAccess.unknownReasons.join('; ') || 'not decided'}` },
        locations: location(e.source),
      });
    }
    for (const x of escalation(e)) {
      results.push({
        ruleId: 'NEW_ESCALATION',
        level: 'error',
        message: { text: `${n} can escalate to ${x.target}: ${x.techniques.join(' → ')}` },
        locations: location(e.source),
      });
    }
    for (const x of exposure(e)) {
      results.push({
        ruleId: 'NEW_EXPOSURE',
        level: 'error',
        message: { text: `${x.resource}: ${x.audience} (${x.principal}) can ${x.actions.slice(0, 5).join(', ')}` },
        locations: location(e.source, x.file, x.line),
      });
    }
  }
  for (const p of r.preflight) {
    const change = workflowChange(p);
    const s = p.steps.find((x) => x.after === p.after) ?? p.steps[0];
    results.push({
      ruleId: change === 'breaks' ? 'PREFLIGHT_FAILS' : change === 'fixed' ? 'PREFLIGHT_PASSES' : 'UNDECIDED',
      level: change === 'breaks' ? 'error' : change === 'fixed' ? 'note' : 'warning',
      message: { text: `${workflowName(p)}: ${p.before} → ${p.after}${s ? `; step ${s.name} (${stepLine(s)}): ${s.reason}` : ''}` },
      locations: location(s?.source ?? p.source),
    });
  }
  for (const u of r.unknowns) {
    const src = u.source ? { file: u.source.file, ...(u.source.line ? { line: u.source.line } : {}), address: u.address } : { address: u.address };
    results.push({ ruleId: 'UNDECIDED', level: 'warning', message: { text: `${u.address} ${u.attribute}: ${u.reason}` }, locations: location(src) });
  }
  return sarifLog({ name: 'iamsim', ...(version ? { version } : {}), rules: RULES }, results);
}

/** The JSON report: the issue's shape (result, principals with source/newAccess/newEscalation/newExposure, unknowns) plus resources and workloads. */
export function toJson(r: DiffReport): object {
  const access = (a: PrincipalEntry['newAccess']) => ({
    result: a.result,
    counterexamples: a.counterexamples,
    ...(a.notes.length > 0 ? { notes: a.notes } : {}),
    statements: a.statements,
    ...(a.unknownReasons.length > 0 ? { unknownReasons: a.unknownReasons } : {}),
    ...(a.unknowns.length > 0 ? { unknowns: a.unknowns.map((u) => ({ address: u.address, attribute: u.attribute, reason: u.reason })) } : {}),
  });
  return {
    result: r.result,
    failOn: r.failOn,
    principals: r.principals.map((p) => ({
      arn: p.arn,
      change: p.change,
      source: p.source,
      newAccess: access(p.newAccess),
      newEscalation: p.newEscalation,
      newExposure: p.newExposure,
    })),
    resources: r.resources.map((p) => ({
      arn: p.arn,
      policy: p.policy,
      change: p.change,
      source: p.source,
      newAccess: access(p.newAccess),
      newExposure: p.newExposure,
    })),
    workloads: r.workloads.map((w) => ({ address: w.address, source: w.source, from: w.from, to: w.to, newAccess: access(w.newAccess) })),
    preflight: r.preflight,
    unknowns: r.unknowns.map((u) => ({
      address: u.address,
      attribute: u.attribute,
      reason: u.reason,
      ...(u.source?.file ? { file: u.source.file } : {}),
      ...(u.source?.line ? { line: u.source.line } : {}),
    })),
    diagnostics: r.diagnostics,
    notes: r.notes,
  };
}
