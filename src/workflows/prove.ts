/**
 * Proof that the fixes grant no more than the failing steps need. Each changed
 * document is compared, with the semantic engine's check-no-new-access (src/reason),
 * against the original document plus an Allow for exactly each failing step's
 * action on its resource (or the workflow's fixResource pattern) for its
 * principal. PASS proves that the edit adds nothing beyond the steps; FAIL comes
 * with a request the edit allows beyond them — the evaluator confirms it — such
 * as a statement's other actions on a widened resource, for the reviewer to weigh.
 */
import { checkNoNewAccess } from '../reason/index.js';
import type { Counterexample, ReasonContext } from '../reason/index.js';
import type { PolicyPatch, PreflightPatch } from './patch.js';
import type { Fix, PreflightResult, StepResult } from './types.js';

export interface ScopeCheck {
  readonly file: string;
  /** PASS: nothing beyond the failing steps; FAIL: see `beyond`; UNKNOWN: the engine could not decide; NOT_CHECKED: an SCP or RCP. */
  readonly result: 'PASS' | 'FAIL' | 'UNKNOWN' | 'NOT_CHECKED';
  readonly beyond?: Counterexample;
  readonly note: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function groupsOf(r: PreflightResult, p: PolicyPatch): PreflightResult['fixes'] {
  return r.fixes.filter((g) => g.fix.target === p.target && g.fix.layer === p.layer && (p.layer === 'trust' || g.fix.policyName === p.policyName));
}

/** The principal a resource-side fix names (the statement it adds, or the value it adds to a Principal list). */
function principalOf(fix: Fix, step: StepResult): unknown {
  if (fix.kind === 'add-statement' && fix.statement['Principal'] !== undefined) return fix.statement['Principal'];
  const patch = fix.patches?.find((x) => x.path[0] === 'Principal');
  if (patch !== undefined && patch.path[1] !== undefined) return { [patch.path[1]]: patch.value };
  return step.principal.endsWith('.amazonaws.com') ? { Service: step.principal } : { AWS: step.principal };
}

/**
 * What the step needs from this document. A permissions boundary only caps the identity policies (it grants
 * nothing), so it needs the action on any resource; a key policy's `*` is the key itself.
 */
function allowance(p: PolicyPatch, g: PreflightResult['fixes'][number], step: StepResult): Obj {
  const resource = p.layer === 'boundary' || /^arn:[^:]+:kms:/.test(p.target) ? '*' : (step.fixResource ?? step.resource);
  if (p.layer === 'identity' || p.layer === 'boundary') return { Effect: 'Allow', Action: step.action, Resource: resource };
  const principal = principalOf(g.fix, step);
  if (p.layer === 'trust') return { Effect: 'Allow', Principal: principal, Action: step.action };
  return { Effect: 'Allow', Principal: principal, Action: step.action, Resource: resource };
}

function statementsOf(text: string | undefined): unknown[] {
  if (text === undefined) return [];
  const doc: unknown = JSON.parse(text);
  const st = isObj(doc) ? doc['Statement'] : undefined;
  return Array.isArray(st) ? st : st === undefined ? [] : [st];
}

async function checkOne(r: PreflightResult, p: PolicyPatch, reason: ReasonContext | undefined): Promise<ScopeCheck> {
  if (p.layer === 'scp' || p.layer === 'rcp') {
    return { file: p.file, result: 'NOT_CHECKED', note: 'an SCP or RCP grants nothing by itself: not compared' };
  }
  const extra: Obj[] = [];
  for (const g of groupsOf(r, p)) {
    for (const name of g.steps) {
      const step = r.steps.find((s) => s.name === name);
      if (step !== undefined) extra.push(allowance(p, g, step));
    }
  }
  const existing = { Version: '2012-10-17', Statement: [...statementsOf(p.before), ...extra] };
  const policyType = p.layer === 'identity' || p.layer === 'boundary' ? 'IDENTITY_POLICY' : 'RESOURCE_POLICY';
  const res = await checkNoNewAccess({ existingPolicyDocument: existing, newPolicyDocument: p.after, policyType }, reason);
  if (res.result === 'PASS') return { file: p.file, result: 'PASS', note: 'grants nothing beyond the failing steps' };
  if (res.result === 'UNKNOWN') return { file: p.file, result: 'UNKNOWN', note: (res.unknownReasons ?? [res.message]).join('; ') };
  const ce = res.counterexample;
  const what = ce ? `${ce.ActionNames.join(', ')} on ${ce.ResourceArns.join(', ')}${ce.CallerArn !== undefined ? ` for ${ce.CallerArn}` : ''}` : res.message;
  return { file: p.file, result: 'FAIL', ...(ce ? { beyond: ce } : {}), note: `also allows ${what}, which no failing step needs` };
}

/** One scope check per changed document, in the patch's order (`reason`: the engine's reasoner; default: reason/'s own). */
export async function checkFixScope(r: PreflightResult, patch: PreflightPatch, reason?: ReasonContext): Promise<ScopeCheck[]> {
  const out: ScopeCheck[] = [];
  for (const p of patch.policies) out.push(await checkOne(r, p, reason));
  return out;
}
