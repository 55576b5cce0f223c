/** `iamsim preflight WORKFLOW`: checks a workflow's requests against imported accounts and suggests fixes. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { citeSources, docSources } from '../workflows/sources.js';
import { loadWorkflows } from '../workflows/load.js';
import { preflight } from '../workflows/run.js';
import { describePolicy } from '../workflows/describe.js';
import type { Fix, PreflightResult, StepResult, WorkflowDef } from '../workflows/types.js';
import { checkKnown, flag, has, parseArgs, UsageError, type ParsedArgs } from './args.js';
import type { Universe } from '../account/query.js';
import { isRoleArn } from '../primitives/arn.js';
import { bareUniverse } from '../workflows/bare.js';
import { planSteps, resolveParameters } from '../workflows/plan.js';
import { type FixOutput, fixOutput, fixOutputJson } from '../workflows/fix-output.js';
import { writeFixOutput } from './fix-files.js';
import { EXIT, guarded, readText, reportDiagnostics, type Io } from './io.js';
import { loadModel } from './account.js';
import { cliContext, type CliContext } from './context.js';

export { describePolicy };

export const PREFLIGHT_HELP = `Usage: iamsim preflight WORKFLOW (--account FILE… | --db DB) [--set NAME=VALUE…] [--format text|json] [--fix-out DIR]
       iamsim preflight WORKFLOW --policy FILE… [--trust-policy FILE] [--set NAME=VALUE…]
       iamsim preflight WORKFLOW --help      the workflow's steps, parameters and options
       iamsim preflight --list               the workflows

Runs every request a workflow makes (who calls which action on which resource, with which
context) against the loaded accounts, and prints a checklist: each step allowed or denied,
the statements that decided it, and for each failed step the smallest fix (the statement to
add, or the change to an existing statement, and in which policy). See docs/preflight.md.

Options:
  --account FILE…      account files, as for 'iamsim account import' (authorization details,
                       bundles, organization and resource-policy outputs)
  --db DB              an iamsim database written by 'iamsim account import'
  --policy FILE…       no account export: FILE is the (inline) policy of the workflow's role —
                       executionRoleArn, jobRoleArn, … (--policy-role NAME picks another) — in an
                       account of its own; that role trusts the services the workflow has assume it
                       (or --trust-policy FILE), and every other role gets exactly its steps, so
                       the checklist is about FILE
  --set NAME=VALUE…    workflow parameters (repeatable); see 'iamsim preflight WORKFLOW --help'
  --format text|json   output (default text); json prints {"workflow","passed","fixes","steps":[…],"patch"}
  --fix-out DIR        write the fixes as files: corrected policies (policies/), corrected copies of
                       the account files (accounts/), a unified diff (fixes.diff) and the AWS CLI
                       commands that apply them (apply.sh)
Exit codes: 0 every step as expected, 1 some step failed, 2 bad input.
`;

function workflowHelp(wf: WorkflowDef): string {
  const params = wf.parameters.map((p) => {
    const d = p.default !== undefined ? ` (default ${p.default})` : p.required ? ' (required)' : '';
    const c = p.choices ? ` [${p.choices.join('|')}]` : '';
    return `  ${p.name.padEnd(20)} ${p.description}${c}${d}`;
  });
  const steps = wf.steps.map((s) => {
    const when = s.when !== undefined ? `   when ${typeof s.when === 'string' ? s.when : s.when.join(' and ')}` : '';
    return `  ${s.name}${s.expect === 'denied' ? ' (must be denied)' : ''}${when}\n      ${s.principal} ${s.action} ${s.resource}`;
  });
  return `Usage: iamsim preflight ${wf.id} (--account FILE… | --db DB) [--set NAME=VALUE…] [--format text|json]

${wf.title}
${wf.description}
From: ${citeSources(wf.seeds)}

Parameters (--set NAME=VALUE):
${params.join('\n')}

Steps:
${steps.join('\n')}
`;
}

function parseSettings(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes NAME=VALUE, not ${JSON.stringify(v)}`);
    out.set(v.slice(0, eq), v.slice(eq + 1));
  }
  return out;
}

function where(file: string | undefined, line: number | undefined): string {
  if (line === undefined) return '';
  return file !== undefined ? ` at ${file}:${line}` : ` (line ${line} of the policy JSON)`;
}

/** The part of the statement a patch changed, as it reads after the change. */
function changedFragment(f: Fix): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of f.patches ?? []) {
    let src: unknown = f.statement;
    let dst = out;
    p.path.forEach((part, i) => {
      src = typeof src === 'object' && src !== null ? (src as Record<string, unknown>)[part] : undefined;
      if (i === p.path.length - 1) dst[part] = src;
      else {
        dst[part] ??= {};
        dst = dst[part] as Record<string, unknown>;
      }
    });
  }
  return out;
}

function indent(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .split('\n')
    .map((l) => `          ${l}`)
    .join('\n');
}

function formatFix(f: Fix): string {
  if (f.kind === 'add-statement') {
    return `      ${f.change}\n        add to ${describePolicy(f)}:\n${indent(f.statement)}`;
  }
  const st = f.sid !== undefined ? `statement ${JSON.stringify(f.sid)}` : `statement #${(f.statementIndex ?? 0) + 1}`;
  return `      ${f.change}\n        in ${st} of ${describePolicy(f)}${where(f.file, f.line)}, set:\n${indent(changedFragment(f))}`;
}

function formatStep(s: StepResult, edits: PreflightResult['fixes']): string {
  const mark = s.passed ? 'PASS' : 'FAIL';
  const expect = s.expect === 'denied' ? ' (must be denied)' : '';
  const lines = [`  ${mark} ${s.name}${expect}: ${s.title}`, `      ${s.principal} ${s.action} ${s.resource} -> ${s.decision}`];
  for (const d of s.decidedBy) {
    const st = d.sid !== undefined ? `statement ${JSON.stringify(d.sid)}` : `statement #${d.index + 1}`;
    lines.push(
      `      ${d.effect === 'Deny' ? 'denied' : 'allowed'} by ${st} of ${d.layer} policy ${d.policy}${d.target && !d.policy.includes(d.target) ? ` (${d.target})` : ''}${where(d.file, d.line)}`,
    );
  }
  for (const w of s.warnings) lines.push(`      warning: ${w}`);
  if (!s.passed) {
    lines.push(`      ${s.reason}`);
    lines.push(`      needed because: ${s.why}`);
    if (s.fix.length === 0) lines.push('      fix: none found; see the reason above');
    const numbers = edits.flatMap((e, i) => (e.steps.includes(s.name) ? [`edit ${i + 1}`] : []));
    if (numbers.length > 0) lines.push(`      fix: ${numbers.join(', ')} below`);
  }
  return lines.join('\n');
}

function formatEdits(r: PreflightResult, checks: Pick<FixOutput, 'lint' | 'scope'> | undefined): string {
  if (r.fixes.length === 0) return '';
  const failing = r.steps.filter((s) => !s.passed).length;
  const inPlace = r.fixes.filter((e) => e.fix.kind === 'modify-statement').length;
  const rerun = r.fixesVerified ? 'PASSED' : `still failing: ${r.unresolved.join(', ')}`;
  const head = [
    `Fixes: ${r.fixes.length} edit${r.fixes.length === 1 ? '' : 's'} (${inPlace} to existing statements) for the ${failing} failing step${failing === 1 ? '' : 's'}; the preflight rerun with every edit applied: ${rerun}.`,
  ];
  if (checks !== undefined) {
    const { lint, scope } = checks;
    head.push(
      lint.length === 0
        ? 'iamsim lint finds no new security warning in the changed policies.'
        : `iamsim lint finds new security warnings in the changed policies: ${lint.map((l) => `${l.file}: ${l.issueCode}`).join('; ')}.`,
    );
    for (const c of scope) head.push(`Scope of ${c.file} (check-no-new-access against the failing steps' needs): ${c.result}, ${c.note}.`);
  }
  const body = r.fixes.map((e, i) => `  edit ${i + 1}, for ${e.steps.join(', ')}:\n${formatFix(e.fix)}`);
  return `\n${head.join('\n')}\n${body.join('\n')}\n`;
}

export function formatPreflightText(r: PreflightResult, wf: WorkflowDef, checks?: Pick<FixOutput, 'lint' | 'scope'>): string {
  const failed = r.steps.filter((s) => !s.passed).length;
  const head = `Preflight ${r.workflow}: ${wf.title}\nFrom: ${citeSources(wf.seeds)}`;
  const implied = r.impliedParameters ?? {};
  const params = Object.entries(r.parameters)
    .filter(([k, v]) => v !== '' || implied[k] !== undefined)
    .map(([k, v]) => (v === '' ? `  ${k}: ${implied[k]} (--set ${k}=…)` : `  ${k}=${v}${implied[k] !== undefined ? ` (${implied[k]})` : ''}`))
    .join('\n');
  const summary = failed === 0 ? `PASSED: all ${r.steps.length} steps as expected.` : `FAILED: ${failed} of ${r.steps.length} steps not as expected.`;
  return `${head}\nParameters:\n${params}\n\n${r.steps.map((s) => formatStep(s, r.fixes)).join('\n')}\n\n${summary}\n${formatEdits(r, checks)}`;
}

export function preflightJson(r: PreflightResult, patch?: unknown): unknown {
  return {
    workflow: r.workflow,
    passed: r.passed,
    parameters: r.parameters,
    ...(r.impliedParameters ? { impliedParameters: r.impliedParameters } : {}),
    fixes: r.fixes.map((e) => ({ ...e.fix, steps: e.steps })),
    fixesVerified: r.fixesVerified,
    unresolved: r.unresolved,
    ...(patch !== undefined ? { patch } : {}),
    steps: r.steps.map((s) => ({
      name: s.name,
      title: s.title,
      principal: s.principal,
      action: s.action,
      resource: s.resource,
      expect: s.expect,
      decision: s.decision,
      passed: s.passed,
      reason: s.reason,
      decidedBy: s.decidedBy,
      fix: s.passed ? null : s.fix,
      why: s.why,
      ...(s.warnings.length > 0 ? { warnings: s.warnings } : {}),
    })),
  };
}

async function run(argv: readonly string[], io: Io, cli: CliContext): Promise<number> {
  const args = parseArgs(argv, new Set(['help', 'list']));
  const { workflows, diagnostics } = loadWorkflows();
  if (reportDiagnostics(io, diagnostics)) return EXIT.BAD_INPUT;
  const id = args.positionals[0];
  if (has(args, 'list')) {
    for (const wf of workflows.values())
      io.stdout.write(
        `${wf.id.padEnd(28)} ${wf.title} (${docSources(wf.seeds)
          .map((d) => d.name)
          .join(', ')})\n`,
      );
    return EXIT.OK;
  }
  if (id === undefined) {
    io.stdout.write(PREFLIGHT_HELP);
    return has(args, 'help') ? EXIT.OK : EXIT.BAD_INPUT;
  }
  const wf = workflows.get(id);
  if (wf === undefined) throw new UsageError(`unknown workflow ${JSON.stringify(id)}; one of: ${[...workflows.keys()].join(', ')}`);
  if (has(args, 'help')) {
    io.stdout.write(workflowHelp(wf));
    return EXIT.OK;
  }
  checkKnown(args, new Set(['account', 'db', 'set', 'format', 'output', 'fix-out', 'policy', 'trust-policy', 'policy-role']), 'preflight');
  if (args.positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[1])}`);
  const format = flag(args, 'format') ?? flag(args, 'output') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not ${JSON.stringify(format)}`);
  const accountFiles = args.flags.get('account') ?? [];
  const db = flag(args, 'db');
  const policyFiles = args.flags.get('policy') ?? [];
  if (policyFiles.length > 0 && (accountFiles.length > 0 || db !== undefined)) throw new UsageError('give --policy FILE or --account/--db, not both');
  if (accountFiles.length === 0 && db === undefined && policyFiles.length === 0)
    throw new UsageError('preflight needs --account FILE…, --db DB or --policy FILE');
  const settings = parseSettings(args.flags.get('set') ?? []);
  const universe = policyFiles.length > 0 ? barePolicyModel(wf, settings, args) : await loadModel(args, io);
  if (universe === undefined) return EXIT.BAD_INPUT;
  const outcome = preflight(universe, wf, settings);
  if (reportDiagnostics(io, withFlagHints(outcome.diagnostics, wf)) || outcome.result === undefined) return EXIT.BAD_INPUT;
  const r = outcome.result;
  const fixOut = flag(args, 'fix-out');
  const texts = new Map(accountFiles.map((f) => [f, readText(f)] as const));
  const out = r.fixes.length > 0 ? await fixOutput(universe, r, texts, await (await cli.engine()).reasoning()) : undefined;
  if (fixOut !== undefined && out !== undefined) {
    const written = writeFixOutput(fixOut, out);
    io.stderr.write(`iamsim preflight: wrote ${written.length} files to ${fixOut} (policies/, accounts/, fixes.diff, apply.sh)\n`);
  } else if (fixOut !== undefined) io.stderr.write(`iamsim preflight: nothing to fix; ${fixOut} not written\n`);
  io.stdout.write(
    format === 'json'
      ? `${JSON.stringify(preflightJson(r, out !== undefined ? fixOutputJson(out, fixOut) : undefined), null, 2)}\n`
      : formatPreflightText(r, wf, out),
  );
  return r.passed ? EXIT.OK : EXIT.DENIED;
}

/**
 * The library's preflight messages name no flag (the console shows them too); the command line says,
 * by code, which of its flags gives what is missing.
 */
function withFlagHints(diagnostics: readonly Diagnostic[], wf: WorkflowDef): Diagnostic[] {
  return diagnostics.map((d) => {
    const name = typeof d.path[0] === 'string' ? d.path[0] : '…';
    switch (d.code) {
      case 'PREFLIGHT_UNKNOWN_PRINCIPAL':
        return { ...d, message: `${d.message} (check --set and --account)` };
      case 'PREFLIGHT_MISSING_PARAMETER':
        return { ...d, message: `${d.message}: give it with --set ${name}=…` };
      case 'PREFLIGHT_UNKNOWN_PARAMETER':
        return { ...d, message: `${d.message} (see 'iamsim preflight ${wf.id} --help')` };
      default:
        return d;
    }
  });
}

/** The parameter naming the role a bare --policy belongs to: --policy-role, else the workflow's execution/job role. */
function subjectParameter(wf: WorkflowDef, given: string | undefined): string {
  const names = wf.parameters.map((p) => p.name);
  if (given !== undefined) {
    if (!names.includes(given)) throw new UsageError(`--policy-role: workflow ${wf.id} has no parameter ${JSON.stringify(given)}`);
    return given;
  }
  const found = ['executionRoleArn', 'jobRoleArn', 'containerRoleArn'].find((n) => names.includes(n)) ?? names.find((n) => /RoleArn$/.test(n));
  if (found === undefined) throw new UsageError(`workflow ${wf.id} names no role for --policy; use --account`);
  return found;
}

/** `--policy FILE…`: the policy of the workflow's subject role in an account of its own (workflows/bare.ts). */
function barePolicyModel(wf: WorkflowDef, settings: ReadonlyMap<string, string>, args: ParsedArgs): Universe | undefined {
  const { params, diagnostics } = resolveParameters(wf, settings);
  if (diagnostics.length > 0) return undefined;
  const subject = params.get(subjectParameter(wf, flag(args, 'policy-role'))) ?? '';
  if (!isRoleArn(subject)) throw new UsageError(`--policy belongs to ${JSON.stringify(subject)}, which is not a role ARN (--set it)`);
  const read = (file: string): { file: string; text: string } => ({ file, text: readText(file) });
  const trust = flag(args, 'trust-policy');
  return bareUniverse({
    subject,
    policies: (args.flags.get('policy') ?? []).map(read),
    ...(trust !== undefined ? { trustPolicy: read(trust) } : {}),
    steps: planSteps(wf, params),
  });
}

export async function preflightCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded('preflight', io, () => run(argv, io, cli));
}
