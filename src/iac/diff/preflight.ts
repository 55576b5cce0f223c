/**
 * Preflight verdicts that change: the notebook workflows `iamsim preflight`
 * knows (src/workflows/defs) that the change's SageMaker workloads make
 * apply, run on the model before and after the change.
 *
 * Which workflows apply (docs/iac.md, "Preflight verdicts"):
 * - a notebook instance or model runs as its execution role: the workflow
 *   `sagemaker-execution-role` with `api` CreateNotebookInstance or
 *   CreateModel and `executionRoleArn` the workload's role;
 * - a notebook (notebook instance, Studio domain or user profile) whose role
 *   has an Allow for iam:PassRole on a role that trusts SageMaker (on either
 *   side): the same workflow with `api` CreateTrainingJob, `callerArn` the
 *   notebook's role and `executionRoleArn` that role.
 * Only the steps whose every parameter the workload determines are run (a
 * placeholder default such as the workflow's example bucket would decide
 * nothing about the change), and in the second case only the caller's steps
 * and SageMaker assuming the role (the execution role's own permissions are
 * its own workload's); a workflow passes when all of them do.
 *
 * Values known only after apply: each side is run on its upper and lower
 * model; a step is decided only when both agree, and a step whose request
 * names a generated name a policy pattern can tell apart is undecided, so an
 * unknown value is never a silent pass.
 */
import type { Universe } from '../../account/query.js';
import { findPrincipal } from '../../account/query.js';
import { NO_CONTEXT_REQUEST } from '../../reason/keys.js';
import { loadWorkflows } from '../../workflows/load.js';
import { planSteps, resolveParameters } from '../../workflows/plan.js';
import { resolveStepPrincipals } from '../../workflows/roles.js';
import { checkStep } from '../../workflows/run.js';
import type { ConcreteStep, WorkflowDef } from '../../workflows/types.js';
import type { ExecutionRoleFact, IacSide, SourceRef } from '../model.js';
import { stringsOf, type SymbolTable } from '../symbols.js';
import type { SetReader } from './sets.js';

export type WorkflowVerdict = 'passed' | 'failed' | 'unknown' | 'absent';

/** Where a finding points (the shape of the report's other entries' `source`). */
export interface EntrySource {
  readonly file?: string;
  readonly line?: number;
  readonly address?: string;
}

export interface PreflightStepChange {
  readonly name: string;
  readonly title: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly expect: 'allowed' | 'denied';
  readonly before: WorkflowVerdict;
  readonly after: WorkflowVerdict;
  /** The evaluator's reason on the after side (or the before side when the step is gone). */
  readonly reason: string;
  /** Why the workflow makes this request (the workflow definition's citation). */
  readonly why: string;
  /** The statement's policy that decides the change (the after side's, else the before side's), else the workload. */
  readonly source: EntrySource;
}

export interface PreflightEntry {
  readonly workflow: string;
  readonly title: string;
  /** The workload that makes the workflow apply (Terraform address, logical id or construct path). */
  readonly workload: string;
  readonly source: EntrySource;
  readonly parameters: Readonly<Record<string, string>>;
  readonly before: WorkflowVerdict;
  readonly after: WorkflowVerdict;
  /** The steps whose verdict changed. */
  readonly steps: readonly PreflightStepChange[];
}

const WORKFLOW = 'sagemaker-execution-role';
const UNBOUND = 'iamsim-unbound-';
/** A setting that is no workflow parameter: the principal whose steps this run leaves out. */
const SKIP = '\u0000skip';

/** Workloads that run as their role, by resource type: the SageMaker API that creates them. */
const OWN_API: Readonly<Record<string, string>> = {
  aws_sagemaker_notebook_instance: 'CreateNotebookInstance',
  'AWS::SageMaker::NotebookInstance': 'CreateNotebookInstance',
  aws_sagemaker_model: 'CreateModel',
  'AWS::SageMaker::Model': 'CreateModel',
};

/** Workloads a person works in (a notebook), whose role starts SageMaker jobs. */
const NOTEBOOKS = new Set([
  'aws_sagemaker_notebook_instance',
  'AWS::SageMaker::NotebookInstance',
  'aws_sagemaker_domain',
  'AWS::SageMaker::Domain',
  'aws_sagemaker_user_profile',
  'AWS::SageMaker::UserProfile',
]);

/** The four models of a change: each side, upper and lower bound. */
export interface SideModels {
  readonly beforeUpper: Universe;
  readonly beforeLower: Universe;
  readonly afterUpper: Universe;
  readonly afterLower: Universe;
}

/** One workflow run a change makes apply, with its settings on each side (absent: the workload is not on that side). */
interface Instance {
  readonly key: string;
  readonly workload: SourceRef;
  readonly before?: ReadonlyMap<string, string>;
  readonly after?: ReadonlyMap<string, string>;
}

function workloads(side: IacSide | undefined): Map<string, ExecutionRoleFact> {
  return new Map((side?.facts ?? []).flatMap((f) => (f.kind === 'execution-role' ? [[f.source.address, f] as const] : [])));
}

function typeOf(f: ExecutionRoleFact): string {
  return f.source.type ?? '';
}

/** The role's ARN as the model spells it (with its path), or undefined when the model has no such role. */
function roleIn(u: Universe, arn: string): string | undefined {
  const p = findPrincipal(u, arn);
  return p?.kind === 'role' ? p.role.arn : undefined;
}

function trustsSageMaker(u: Universe, arn: string): boolean {
  const p = findPrincipal(u, arn);
  return p?.kind === 'role' && p.role.trustPolicy.includes('sagemaker.amazonaws.com');
}

/** Roles of the model that `caller`'s identity policies name in an iam:PassRole Allow (conditions aside). */
function passedRoles(u: Universe, caller: string, reader: SetReader): string[] {
  const set = reader.principal(u, caller);
  if (!set) return [];
  const out: string[] = [];
  for (const a of u.accounts.values()) {
    for (const r of a.roles) {
      const named = set.set.identity.some((p) =>
        p.candidates('iam:passrole').some((st) => st.statement.effect === 'Allow' && st.matchesResource(r.arn, NO_CONTEXT_REQUEST, undefined)),
      );
      if (named && trustsSageMaker(u, r.arn)) out.push(r.arn);
    }
  }
  return out;
}

function instances(before: IacSide | undefined, after: IacSide | undefined, m: SideModels, reader: SetReader, env: Env): Instance[] {
  const b = workloads(before);
  const a = workloads(after);
  const out = new Map<string, { workload: SourceRef; before?: Map<string, string>; after?: Map<string, string> }>();
  const put = (key: string, workload: SourceRef, side: 'before' | 'after', settings: Map<string, string>) => {
    const e = out.get(key) ?? { workload };
    if (side === 'after') e.workload = workload;
    e[side] = settings;
    out.set(key, e);
  };
  const sides = [
    ['before', b, [m.beforeUpper]],
    ['after', a, [m.afterUpper]],
  ] as const;
  // Roles a notebook passes, on either side (a change that removes the grant is what breaks the workflow).
  const passed = new Map<string, Set<string>>();
  for (const [, facts, [u]] of sides) {
    for (const f of facts.values()) {
      if (!NOTEBOOKS.has(typeOf(f))) continue;
      const set = passed.get(f.source.address) ?? new Set<string>();
      for (const r of passedRoles(u, f.roleArn, reader)) set.add(r);
      passed.set(f.source.address, set);
    }
  }
  for (const [side, facts, [u]] of sides) {
    for (const f of facts.values()) {
      const own = OWN_API[typeOf(f)];
      if (own) put(`own\u0000${f.source.address}`, f.source, side, env.settings({ api: own, executionRoleArn: roleIn(u, f.roleArn) ?? f.roleArn }));
      for (const er of passed.get(f.source.address) ?? []) {
        const caller = roleIn(u, f.roleArn) ?? f.roleArn;
        const settings = env.settings({ api: 'CreateTrainingJob', callerArn: caller, executionRoleArn: er });
        if (er !== caller) settings.set(SKIP, er);
        put(`passes\u0000${f.source.address}\u0000${er}`, f.source, side, settings);
      }
    }
  }
  return [...out.entries()].map(([key, e]) => ({ key, ...e }));
}

interface Env {
  settings(bound: Record<string, string>): Map<string, string>;
}

/** Settings for the workflow: the bound values; every parameter with a placeholder default is marked unbound. */
function envFor(wf: WorkflowDef, accountId: string, region: string): Env {
  return {
    settings(bound) {
      const all: Record<string, string> = { accountId, region, ...bound };
      const out = new Map<string, string>();
      for (const p of wf.parameters) {
        const v = all[p.name];
        if (v !== undefined) out.set(p.name, v);
        else if (p.default !== undefined && p.default !== '') out.set(p.name, `${UNBOUND}${p.name}`);
      }
      return out;
    },
  };
}

/** The workflow's steps the settings determine (no unbound parameter in the request). */
function boundSteps(wf: WorkflowDef, settings: ReadonlyMap<string, string>): ConcreteStep[] {
  const skip = settings.get(SKIP);
  const { params, diagnostics } = resolveParameters(wf, new Map([...settings].filter(([k]) => k !== SKIP)));
  if (diagnostics.length > 0) return [];
  const texts = (s: ConcreteStep) => [s.principal, s.resource, s.vpcEndpointId ?? '', ...s.context.flatMap((c) => [c.key, ...c.values])];
  return planSteps(wf, params).filter((s) => s.principal !== skip && !texts(s).some((t) => t.includes(UNBOUND)));
}

interface StepRun {
  readonly verdict: WorkflowVerdict;
  readonly reason: string;
  readonly origin?: { readonly file?: string; readonly line?: number };
}

/** One step on one side: decided when the upper and lower models agree and no generated name in it is told apart. */
function runOn(upper: Universe, lower: Universe, step: ConcreteStep, table: SymbolTable, reader: SetReader): StepRun {
  const resolved = (u: Universe) => {
    const r = resolveStepPrincipals(u, [step]);
    return r.diagnostics.length > 0 ? undefined : r.steps[0]!;
  };
  const su = resolved(upper);
  const sl = resolved(lower);
  if (!su || !sl) return { verdict: 'absent', reason: 'a principal or role of this step is not in the model on this side' };
  const hi = checkStep(upper, su);
  const lo = checkStep(lower, sl);
  // An Allow step passes for sure on the lower model; a step that must be denied, on the upper one.
  const sure = su.expect === 'allowed' ? lo : hi;
  const other = su.expect === 'allowed' ? hi : lo;
  const origin = hi.policyOrigins.find((o) => o.file) ?? lo.policyOrigins.find((o) => o.file);
  const at = origin ? { origin } : {};
  if (sure.passed !== other.passed) return { verdict: 'unknown', reason: `depends on values known only after apply (${hi.reason} / ${lo.reason})`, ...at };
  const told = table
    .discriminating([su.principal, su.resource, ...toldApart(upper, su, reader)])
    .filter((s) => [su.principal, su.resource].some((t) => t.includes(s.token)));
  if (told.length > 0) {
    return { verdict: 'unknown', reason: `a policy pattern can match some generated names of ${told.map((s) => s.address).join(', ')} and not others`, ...at };
  }
  return { verdict: sure.passed ? 'passed' : 'failed', reason: sure.reason, ...at };
}

/** The strings of the policies a step meets: its principal's set, and the trust policy of a role it names. */
function toldApart(u: Universe, step: ConcreteStep, reader: SetReader): string[] {
  const texts = [...(reader.principal(u, step.principal)?.texts ?? [])];
  const role = findPrincipal(u, step.resource);
  if (role?.kind === 'role') texts.push(role.role.trustPolicy);
  return texts.flatMap(stringsOf);
}

function combine(runs: readonly WorkflowVerdict[]): WorkflowVerdict {
  if (runs.length === 0 || runs.includes('absent')) return 'absent';
  if (runs.includes('failed')) return 'failed';
  return runs.includes('unknown') ? 'unknown' : 'passed';
}

function toEntry(s: SourceRef | { file?: string; line?: number }, address?: string): EntrySource {
  const file = 'file' in s ? s.file : undefined;
  return {
    ...(file ? { file } : {}),
    ...(s.line !== undefined ? { line: s.line } : {}),
    ...(address !== undefined ? { address } : 'address' in s ? { address: s.address } : {}),
  };
}

/** Whether a change of verdict is worth reporting: a workload that is gone, or a new one that works, is not. */
function reported(before: WorkflowVerdict, after: WorkflowVerdict): boolean {
  if (before === after || after === 'absent') return false;
  return !(before === 'absent' && after === 'passed');
}

export interface PreflightInput {
  readonly before?: IacSide;
  readonly after?: IacSide;
  readonly models: SideModels;
  readonly table: SymbolTable;
  readonly reader: SetReader;
  readonly account: string;
  readonly region: string;
}

/** The workflows the change makes apply whose verdict differs before and after it. */
export function preflightChanges(input: PreflightInput): PreflightEntry[] {
  const { models: m, table, reader } = input;
  const hasWorkloads = [input.before, input.after].some((s) => s?.facts.some((f) => f.kind === 'execution-role'));
  if (!hasWorkloads) return [];
  const wf = loadWorkflows().workflows.get(WORKFLOW);
  if (!wf) return [];
  const env = envFor(wf, input.account, input.region);
  const out: PreflightEntry[] = [];
  for (const inst of instances(input.before, input.after, m, reader, env)) {
    const stepsB = inst.before ? boundSteps(wf, inst.before) : [];
    const stepsA = inst.after ? boundSteps(wf, inst.after) : [];
    const runsB = new Map(stepsB.map((s) => [s.name, { step: s, run: runOn(m.beforeUpper, m.beforeLower, s, table, reader) }] as const));
    const runsA = new Map(stepsA.map((s) => [s.name, { step: s, run: runOn(m.afterUpper, m.afterLower, s, table, reader) }] as const));
    const before = inst.before ? combine([...runsB.values()].map((x) => x.run.verdict)) : 'absent';
    const after = inst.after ? combine([...runsA.values()].map((x) => x.run.verdict)) : 'absent';
    if (!reported(before, after)) continue;
    const steps: PreflightStepChange[] = [];
    for (const name of new Set([...runsB.keys(), ...runsA.keys()])) {
      const b = runsB.get(name);
      const a = runsA.get(name);
      const vb = b?.run.verdict ?? 'absent';
      const va = a?.run.verdict ?? 'absent';
      if (vb === va) continue;
      const s = (a ?? b)!.step;
      const origin = a?.run.origin ?? b?.run.origin;
      steps.push({
        name,
        title: s.title,
        principal: s.principal,
        action: s.action,
        resource: s.resource,
        expect: s.expect,
        before: vb,
        after: va,
        reason: (a ?? b)!.run.reason,
        why: s.why,
        source: origin?.file ? toEntry(origin) : toEntry(inst.workload),
      });
    }
    const params = inst.after ?? inst.before ?? new Map<string, string>();
    out.push({
      workflow: wf.id,
      title: wf.title,
      workload: inst.workload.address,
      source: toEntry(inst.workload),
      parameters: Object.fromEntries([...params].filter(([k, v]) => k !== SKIP && !v.startsWith(UNBOUND))),
      before,
      after,
      steps,
    });
  }
  return out;
}
