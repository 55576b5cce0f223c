/**
 * Discovery: for a request in `iamsim simulate`'s input shape, the context
 * under which it would be allowed. Keys the request sends stay fixed; every
 * other key is free. Each alternative lists, per condition key, which of the
 * policies' clauses on it must hold or fail (or that it must be absent),
 * with an example the evaluator confirmed. A resource with wildcards asks
 * whether SOME matching resource is allowed, and whether EVERY one is
 * (under the first alternative's context).
 */
import { compilePolicy, type CompiledPolicy } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { getAction } from '../catalog/catalog.js';
import { ALWAYS_PRESENT_KEYS } from '../catalog/request-keys.js';
import type { ContextValue } from '../eval/request.js';
import type { EvalDecision } from '../eval/types.js';
import type { Policy } from '../policy/model.js';
import type { SimulateRequest } from '../simulate/request.js';
import { newReasonContext, type ReasonContext } from './checks.js';
import { counterexampleOf, type Counterexample } from './confirm.js';
import { Undecided, type Group } from './engine.js';
import { whyNever, type NeverReason } from './discover-why.js';
import { and, eval3, not, TRUE, type Formula } from './formula.js';
import type { PolicySet, Problem } from './problem.js';

const MAX_ALTERNATIVES = 8;

export interface Alternative {
  /** One line per condition key that matters: its state or the clauses that must hold / fail. */
  readonly conditions: readonly string[];
  /** The same, structured: per key that matters, absent or which clauses hold. Keys whose value does not matter are left out. */
  readonly requirements: readonly KeyRequirement[];
  readonly example: Counterexample;
}

export interface KeyRequirement {
  readonly key: string;
  /** The key must be absent from the request. */
  readonly absent?: true;
  /** Present: each clause on the key (operator as written, policy values) and whether it must hold. */
  readonly clauses?: readonly { readonly operator: string; readonly values: readonly string[]; readonly holds: boolean }[];
  /** Present: values that satisfy this (the confirmed example's). */
  readonly example?: readonly string[];
}

export interface DiscoveryResult {
  readonly action: string;
  readonly resource: string;
  /** The evaluator's decision for the request as given (literal resources). */
  readonly decisionAsGiven?: EvalDecision;
  readonly allowedWhen: readonly Alternative[];
  /** Resource with wildcards: some matching resource can be allowed. */
  readonly someResource?: boolean;
  /** Resource with wildcards: every matching resource is allowed under the first alternative. */
  readonly everyResource?: boolean;
  /** More alternatives exist than listed. */
  readonly truncated?: boolean;
  /** No alternative: why no context can allow the request (the layer that never allows it, or the Deny that always applies). */
  readonly neverAllowedBecause?: readonly NeverReason[];
  readonly unknown?: string;
}

function setOfRequest(req: SimulateRequest): PolicySet {
  const compile = (list: readonly Policy[], prefix: string): CompiledPolicy[] => list.map((p, i) => compilePolicy(p, `${prefix}.${i + 1}`));
  return {
    mode: 'identity',
    identity: compile(req.policyInputList, 'PolicyInputList'),
    boundary: compile(req.permissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList'),
    scp: req.serviceControlPolicyInputList.map((l, i) => compile(l, `ServiceControlPolicyInputList.${i + 1}`)),
  };
}

function literalOf(v: number, a: number, value: boolean): Formula {
  const atom: Formula = { t: 'atom', v, a };
  return value ? atom : not(atom);
}

function requirement(p: Problem, v: number, atoms: readonly boolean[], state: ContextValue | undefined): KeyRequirement {
  const clauses = p.clausesOf(v);
  const key = clauses[0]?.key ?? '?';
  if (state === undefined) return { key, absent: true };
  return { key, clauses: clauses.map((c, i) => ({ operator: c.operator, values: c.values, holds: atoms[i] === true })), example: state.values };
}

function describe(p: Problem, v: number, atoms: readonly boolean[], state: ContextValue | undefined): string {
  const clauses = p.clausesOf(v);
  const key = clauses[0]?.key ?? '?';
  if (state === undefined) return `${key}: absent`;
  const parts = clauses.map((c, i) => `${c.operator} ${JSON.stringify(c.values.length === 1 ? c.values[0] : c.values)} ${atoms[i] ? 'holds' : 'fails'}`);
  return `${key}: ${parts.join('; ')} (e.g. ${state.values.map((x) => JSON.stringify(x)).join(', ')})`;
}

function discoverOne(ctx: ReasonContext, set: PolicySet, req: SimulateRequest, action: string, resource: string): DiscoveryResult {
  const { reasoner, confirmer } = ctx;
  const info = getAction(action);
  const name = info ? `${info.service}:${info.name}` : action;
  const f = reasoner.formatsOf(name);
  const g: Group = { actions: [name], formats: f.formats, star: f.star };
  const wild = /[*?]/.test(resource);
  const p = reasoner.problem(g);
  for (const [k, cv] of req.context) p.fixedKeys.set(k, cv);
  // AWS sends these in every request: "absent" is no way to be allowed (reference_policies_condition-keys, Availability).
  p.presentKeys = ALWAYS_PRESENT_KEYS;
  if (!wild) p.fixedResource = resource;
  const lower = name.toLowerCase();
  const base = and([p.allowed(set, lower), ...(wild ? [p.resourceIn([resource])] : [])]);
  const keyVars = p.vars.map((x, i) => (x.kind === 'key' && !p.fixedKeys.has(x.key.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
  const alternatives: Alternative[] = [];
  const blocks: Formula[] = [];
  let firstChoice: ReadonlyMap<number, number> | undefined;
  let truncated = false;
  for (;;) {
    const sol = reasoner.solveIn(p, g, and([base, ...blocks]));
    if (!sol.sat) break;
    if (alternatives.length >= MAX_ALTERNATIVES) {
      truncated = true;
      break;
    }
    if (!confirmer.allowed(set, sol.witness))
      throw new Undecided(`the example ${JSON.stringify(sol.witness)} was not confirmed by the evaluator (an iamsim bug)`);
    firstChoice ??= sol.choice;
    const conditions: string[] = [];
    const requirements: KeyRequirement[] = [];
    const fixed: Formula[] = [];
    const chosen = p.vars.map((_, i) => {
      const idx = sol.choice.get(i);
      return idx === undefined ? undefined : p.cells(i).atoms[idx];
    });
    for (const v of keyVars) {
      // A key whose value does not matter (the request is allowed whatever its state) is left out.
      if (
        eval3(
          base,
          chosen.map((c, i) => (i === v ? undefined : c)),
        ) === 1
      )
        continue;
      const cells = p.cells(v);
      const idx = sol.choice.get(v) ?? 0;
      const atoms = cells.atoms[idx] ?? [];
      const state = cells.values[idx] as ContextValue | undefined;
      conditions.push(describe(p, v, atoms, state));
      requirements.push(requirement(p, v, atoms, state));
      atoms.forEach((val, a) => {
        fixed.push(literalOf(v, a, val));
      });
    }
    alternatives.push({ conditions, requirements, example: counterexampleOf('identity', sol.witness) });
    if (fixed.length === 0) break;
    blocks.push(not(and(fixed)));
  }
  const why = alternatives.length === 0 ? { neverAllowedBecause: whyNever(reasoner, p, g, set, name, wild ? p.resourceIn([resource]) : TRUE) } : {};
  const out: DiscoveryResult = { action: name, resource, allowedWhen: alternatives, ...(truncated ? { truncated } : {}), ...why };
  if (!wild) {
    const decision = evaluate(
      { identity: set.identity, boundary: set.boundary, ...(set.scp.length > 0 ? { scp: set.scp } : {}) },
      { action: name, resource, context: req.context },
      { memo: ctx.memo },
    ).decision;
    return { ...out, decisionAsGiven: decision };
  }
  let every = false;
  if (firstChoice !== undefined) {
    const pinned = keyVars.map((v) => and((p.cells(v).atoms[firstChoice.get(v) ?? 0] ?? []).map((val, a) => literalOf(v, a, val))));
    every = !reasoner.solveIn(p, g, and([p.resourceIn([resource]), not(p.allowed(set, lower)), ...pinned])).sat;
  }
  return { ...out, someResource: alternatives.length > 0, everyResource: every };
}

/** Discovery for every action and resource of the request. */
export function discover(req: SimulateRequest, ctx: ReasonContext = newReasonContext()): DiscoveryResult[] {
  const set = setOfRequest(req);
  const outside = [
    req.resourcePolicy && 'a resource policy',
    req.sessionPolicyInputList.length > 0 && 'session policies',
    req.vpcEndpointPolicy && 'a VPC endpoint policy',
    req.resourceControlPolicyInputList.length > 0 && 'RCPs',
  ].filter((x) => typeof x === 'string');
  const resources = req.resourceArns.length > 0 ? req.resourceArns : ['*'];
  const out: DiscoveryResult[] = [];
  for (const action of req.actionNames) {
    for (const resource of resources) {
      if (outside.length > 0) {
        out.push({
          action,
          resource,
          allowedWhen: [],
          unknown: `discovery covers identity policies, permissions boundaries and SCPs; the request also has ${outside.join(', ')}`,
        });
        continue;
      }
      try {
        out.push(discoverOne(ctx, set, req, action, resource));
      } catch (err) {
        if (!(err instanceof Undecided)) throw err;
        out.push({ action, resource, allowedWhen: [], unknown: err.message });
      }
    }
  }
  return out;
}
