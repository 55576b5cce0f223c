/**
 * Access Analyzer's custom policy checks, offline: CheckNoNewAccess and
 * CheckAccessNotGranted, in AWS's response shape (result, message, reasons
 * with statementIndex/statementId) plus iamsim's extensions: result
 * UNKNOWN with `unknownReasons`, and a FAIL's `counterexample` (a request in
 * `iamsim simulate`'s input shape that the evaluator confirmed).
 */
import type { CompiledPolicy, CompiledStatement } from '../eval/compile.js';
import { compileActionPattern } from '../eval/match/action.js';
import { compileResourcePattern } from '../eval/match/resource.js';
import { NO_CONTEXT_REQUEST } from './keys.js';
import { getAction } from '../catalog/catalog.js';
import { EvalMemo } from '../eval/memo.js';
import { Confirmer, counterexampleOf, type Counterexample } from './confirm.js';
import { Reasoner } from './engine.js';
import { and, not } from './formula.js';
import { MAX_ACCESS_ITEMS, ReasonInputError, policyTypeOf, readPolicy, readResourcePolicy, type CheckOptions, type PolicyDocument } from './input.js';
import type { PolicySet } from './problem.js';
import { runQuery, type QueryOutcome } from './run.js';

export type CheckResultValue = 'PASS' | 'FAIL' | 'UNKNOWN';

export interface ReasonSummary {
  readonly description: string;
  readonly statementIndex: number;
  readonly statementId?: string;
}

export interface CheckResult {
  readonly result: CheckResultValue;
  readonly message: string;
  readonly reasons: readonly ReasonSummary[];
  /** iamsim extension: a FAIL's request, confirmed by the evaluator. */
  readonly counterexample?: Counterexample;
  /** iamsim extension: why the answer is UNKNOWN. */
  readonly unknownReasons?: readonly string[];
  /** iamsim extension: warnings about the input (lenient reading, documents AWS accepts but are unusual). */
  readonly warnings?: readonly string[];
  /** iamsim extension: per statement that causes it, one confirmed counterexample per class of actions. */
  readonly counterexampleClasses?: readonly CounterexampleClass[];
}

export interface CounterexampleClass extends ReasonSummary {
  /** The policy the statement is in (its name in the input). */
  readonly policy: string;
  readonly counterexamples: readonly Counterexample[];
}

/** Adds the warnings collected while reading the input (none: the result unchanged). */
export function withWarnings(r: CheckResult, warnings: readonly string[]): CheckResult {
  return warnings.length === 0 ? r : { ...r, warnings };
}

/** Engine state shared by calls (action universe, caches). */
export interface ReasonContext {
  readonly reasoner: Reasoner;
  readonly confirmer: Confirmer;
  /** The evaluator's memo every concrete decision of a check goes through (an engine's: `Iamsim.memo`; the confirmer's too). */
  readonly memo: EvalMemo;
}

/**
 * A new reasoner's state, for a caller without an engine: every call that is
 * given none makes its own (nothing is shared between calls or engines); a
 * long-lived process passes its engine's (engine/iamsim.ts `Iamsim.reason`).
 */
export function newReasonContext(memo: EvalMemo = new EvalMemo()): ReasonContext {
  return { reasoner: new Reasoner(), confirmer: new Confirmer(memo), memo };
}

export function setOf(mode: PolicySet['mode'], p: CompiledPolicy): PolicySet {
  return mode === 'resource' ? { mode, identity: [], boundary: [], scp: [], resource: p } : { mode, identity: [p], boundary: [], scp: [] };
}

export function reasonOf(st: CompiledStatement, description: string): ReasonSummary {
  return { description, statementIndex: st.ref.index, ...(st.ref.sid !== undefined ? { statementId: st.ref.sid } : {}) };
}

export function resultOf(
  out: QueryOutcome,
  mode: PolicySet['mode'],
  texts: { pass: string; fail: string; reason: (st: CompiledStatement) => string },
): CheckResult {
  const reasons = out.blamed.map((st) => reasonOf(st, texts.reason(st)));
  if (out.witness !== undefined) {
    const counterexampleClasses = out.blamed.map((st) => ({
      ...reasonOf(st, texts.reason(st)),
      policy: st.ref.policyName,
      counterexamples: (out.classes.get(st) ?? []).map((w) => counterexampleOf(mode, w)),
    }));
    return {
      result: 'FAIL',
      message: texts.fail,
      reasons,
      counterexample: counterexampleOf(mode, out.witness),
      ...(counterexampleClasses.length > 0 ? { counterexampleClasses } : {}),
    };
  }
  if (out.unknown.length > 0) {
    return {
      result: 'UNKNOWN',
      message: `Not decided: ${out.unknown.length} of ${out.groups} action groups could not be decided.`,
      reasons: [],
      unknownReasons: out.unknown,
    };
  }
  return { result: 'PASS', message: texts.pass, reasons: [] };
}

export interface NoNewAccessInput extends CheckOptions {
  readonly existingPolicyDocument: PolicyDocument;
  readonly newPolicyDocument: PolicyDocument;
  readonly policyType: string;
}

export async function checkNoNewAccess(input: NoNewAccessInput, ctx: ReasonContext = newReasonContext()): Promise<CheckResult> {
  const type = policyTypeOf(input.policyType, '--policy-type');
  const mode = type === 'RESOURCE_POLICY' ? 'resource' : 'identity';
  const ptype = mode === 'resource' ? 'resource' : 'identity';
  const warnings: string[] = [];
  const ro = { lenient: input.lenient === true, warnings };
  const oldSet = setOf(
    mode,
    mode === 'resource'
      ? readResourcePolicy(input.existingPolicyDocument, '--existing-policy-document', 'ExistingPolicy', ro)
      : readPolicy(input.existingPolicyDocument, ptype, '--existing-policy-document', 'ExistingPolicy', ro),
  );
  const newPolicy =
    mode === 'resource'
      ? readResourcePolicy(input.newPolicyDocument, '--new-policy-document', 'NewPolicy', ro)
      : readPolicy(input.newPolicyDocument, ptype, '--new-policy-document', 'NewPolicy', ro);
  const newSet = setOf(mode, newPolicy);
  const { reasoner, confirmer } = ctx;
  const out = runQuery(reasoner, {
    groups: reasoner.groups([oldSet, newSet], resourceTypesOption(input)),
    goal: (p, a) => and([p.allowed(newSet, a), not(p.allowed(oldSet, a))]),
    confirm: (w) => confirmer.allowed(newSet, w) && !confirmer.allowed(oldSet, w),
    blame: { policies: [newPolicy], statementFormula: (p, st, pol) => p.statement(st, pol, mode === 'resource') },
  });
  const r = resultOf(out, mode, {
    pass: 'The new policy grants no access that the existing policy does not grant.',
    fail: 'The new policy grants access that the existing policy does not grant.',
    reason: () => 'This statement grants access that the existing policy does not grant.',
  });
  return withWarnings(r, warnings);
}

/** The `resourceTypes` option, checked (`restricted` or `any`). */
export function resourceTypesOption(o: CheckOptions): { resourceTypes?: 'any' } {
  const t = o.resourceTypes ?? 'restricted';
  if (t !== 'restricted' && t !== 'any') throw new ReasonInputError(`--resource-types: expected restricted or any, got ${JSON.stringify(t)}`);
  return t === 'any' ? { resourceTypes: 'any' } : {};
}

export interface AccessItem {
  readonly actions?: readonly string[];
  readonly resources?: readonly string[];
}

export interface AccessNotGrantedInput extends CheckOptions {
  readonly policyDocument: PolicyDocument;
  readonly access: readonly AccessItem[];
  readonly policyType: string;
}

function checkAccessItems(access: unknown): AccessItem[] {
  if (!Array.isArray(access) || access.length === 0)
    throw new ReasonInputError('--access: expected a non-empty list of {"actions": [...], "resources": [...]}');
  let actions = 0;
  let resources = 0;
  access.forEach((item: unknown, i) => {
    const it = item as AccessItem;
    if (typeof item !== 'object' || item === null || (it.actions === undefined && it.resources === undefined)) {
      throw new ReasonInputError(`--access[${i}]: each entry needs "actions", "resources" or both`);
    }
    for (const [name, list] of [
      ['actions', it.actions],
      ['resources', it.resources],
    ] as const) {
      if (list !== undefined && (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string' || v === ''))) {
        throw new ReasonInputError(`--access[${i}].${name}: expected a non-empty list of strings`);
      }
    }
    for (const a of it.actions ?? []) {
      if (!/[*?]/.test(a) && getAction(a) === undefined)
        throw new ReasonInputError(`--access[${i}].actions: ${JSON.stringify(a)} is not an action in the service catalog`);
    }
    actions += it.actions?.length ?? 0;
    resources += it.resources?.length ?? 0;
  });
  if (actions > MAX_ACCESS_ITEMS) throw new ReasonInputError(`--access: ${actions} actions given; the limit is ${MAX_ACCESS_ITEMS}`);
  if (resources > MAX_ACCESS_ITEMS) throw new ReasonInputError(`--access: ${resources} resources given; the limit is ${MAX_ACCESS_ITEMS}`);
  return access as AccessItem[];
}

export async function checkAccessNotGranted(input: AccessNotGrantedInput, ctx: ReasonContext = newReasonContext()): Promise<CheckResult> {
  const type = policyTypeOf(input.policyType, '--policy-type');
  const mode = type === 'RESOURCE_POLICY' ? 'resource' : 'identity';
  const access = checkAccessItems(input.access);
  const warnings: string[] = [];
  const ro = { lenient: input.lenient === true, warnings };
  const policy =
    mode === 'resource'
      ? readResourcePolicy(input.policyDocument, '--policy-document', 'PolicyDocument', ro)
      : readPolicy(input.policyDocument, 'identity', '--policy-document', 'PolicyDocument', ro);
  const rt = resourceTypesOption(input);
  const set = setOf(mode, policy);
  const { reasoner, confirmer } = ctx;
  const outs: QueryOutcome[] = access.map((item) => {
    const tests = item.actions?.map(compileActionPattern);
    const resources = item.resources;
    const inAccess = (lower: string): boolean => tests === undefined || tests.some((t) => t(lower));
    return runQuery(reasoner, {
      groups: reasoner.groups([set], { actionFilter: inAccess, resourceRestricted: resources !== undefined, ...rt }),
      goal: (p, a) => and([p.allowed(set, a), ...(resources ? [p.resourceIn(resources)] : [])]),
      confirm: (w) => confirmer.allowed(set, w) && inAccess(w.action.toLowerCase()) && (resources === undefined || resourceIn(resources, w.resource)),
      blame: { policies: [policy], statementFormula: (p, st, pol) => p.statement(st, pol, mode === 'resource') },
    });
  });
  const merged: QueryOutcome = {
    witness: outs.find((o) => o.witness !== undefined)?.witness,
    blamed: [...new Set(outs.flatMap((o) => o.blamed))],
    classes: new Map([...new Set(outs.flatMap((o) => [...o.classes.keys()]))].map((st) => [st, outs.flatMap((o) => o.classes.get(st) ?? [])] as const)),
    unknown: outs.flatMap((o) => o.unknown),
    groups: outs.reduce((n, o) => n + o.groups, 0),
  };
  const r = resultOf(merged, mode, {
    pass: 'The policy does not grant any of the listed access.',
    fail: 'The policy grants some of the listed access.',
    reason: () => 'This statement grants some of the listed access.',
  });
  return withWarnings(r, warnings);
}

function resourceIn(patterns: readonly string[], resource: string): boolean {
  return patterns.some((p) => p === '*' || p === resource || compileResource(p)(resource));
}

function compileResource(p: string): (r: string) => boolean {
  const m = compileResourcePattern(p, undefined);
  return (r) => m(r, NO_CONTEXT_REQUEST, undefined);
}
