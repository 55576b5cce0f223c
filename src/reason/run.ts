/**
 * Runs a relational query over all action groups: find a confirmed request
 * satisfying `goal`, and which statements of `blame` can take part in one.
 * Undecided groups make the answer UNKNOWN unless a confirmed witness exists
 * elsewhere (a confirmed witness is a proof).
 */
import type { CompiledPolicy, CompiledStatement } from '../eval/compile.js';
import { classifyCaller } from '../eval/principal.js';
import { Undecided, type Group, type ProblemOptions, type Reasoner, type Witness } from './engine.js';
import { and, type Formula } from './formula.js';
import type { Problem } from './problem.js';
import { realize } from './realize.js';
import { sampleWitness } from './sample.js';

export interface Blame {
  readonly policies: readonly CompiledPolicy[];
  /** Formula for "this statement applies" in the problem. */
  readonly statementFormula: (p: Problem, st: CompiledStatement, policy: CompiledPolicy) => Formula;
}

export interface QueryOutcome {
  /** First confirmed witness. */
  readonly witness: Witness | undefined;
  /** Statements of `blame` that take part in some witness (in order). */
  readonly blamed: readonly CompiledStatement[];
  /** Per blamed statement: one confirmed witness per action group it takes part in (at most MAX_CLASSES). */
  readonly classes: ReadonlyMap<CompiledStatement, readonly Witness[]>;
  /** Why groups were not decided (empty when all were). */
  readonly unknown: readonly string[];
  readonly groups: number;
}

export interface Query {
  readonly groups: readonly Group[];
  readonly goal: (p: Problem, actionLower: string) => Formula;
  readonly confirm: (w: Witness) => boolean;
  readonly blame?: Blame;
  readonly options?: ProblemOptions;
  /** Stop at the first witness (no blame). */
  readonly firstOnly?: boolean;
}

/** Counterexample classes listed per statement (one per action group). */
const MAX_CLASSES = 20;

export function runQuery(r: Reasoner, q: Query): QueryOutcome {
  let witness: Witness | undefined;
  const blamed = new Set<CompiledStatement>();
  const classes = new Map<CompiledStatement, Witness[]>();
  const unknown: string[] = [];
  for (const g of q.groups) {
    const action = g.actions[0]!;
    const p = r.problem(g, q.options);
    try {
      const goal = q.goal(p, action.toLowerCase());
      const sol = r.solveIn(p, g, goal);
      if (!sol.sat) continue;
      const w = confirmed(p, sol.witness, q.confirm);
      if (w === undefined) {
        unknown.push(`${action}: ${unconfirmedReason(sol.witness)}`);
        continue;
      }
      witness ??= realize(p, w, q.confirm);
      if (q.firstOnly) break;
      if (q.blame !== undefined) {
        for (const policy of q.blame.policies) {
          for (const st of policy.candidates(action.toLowerCase())) {
            const list = classes.get(st) ?? [];
            if (st.isDeny || list.length >= MAX_CLASSES) continue;
            const s = r.solveIn(p, g, and([q.blame.statementFormula(p, st, policy), goal]));
            const sw = s.sat ? confirmed(p, s.witness, q.confirm) : undefined;
            if (sw === undefined) continue;
            blamed.add(st);
            classes.set(st, [...list, realize(p, sw, q.confirm)]);
          }
        }
      }
    } catch (err) {
      if (!(err instanceof Undecided)) throw err;
      // Search harder before UNKNOWN: plain requests drawn from the policies' own values.
      const sampled = sampleWitness(p, g, q.confirm);
      if (sampled !== undefined) {
        const w = realizeIfDecided(p, sampled, q.confirm);
        witness ??= w;
        if (q.firstOnly) break;
        for (const st of q.blame?.policies.flatMap((pol) => pol.candidates(w.action.toLowerCase())) ?? []) {
          const list = classes.get(st) ?? [];
          if (st.isDeny || list.length >= MAX_CLASSES || !applies(st, w)) continue;
          blamed.add(st);
          classes.set(st, [...list, w]);
        }
        continue;
      }
      unknown.push(`${action}${g.actions.length > 1 ? ` (and ${g.actions.length - 1} more actions)` : ''}: ${err.message}`);
    }
  }
  const order = q.blame?.policies.flatMap((p) => p.statements) ?? [];
  return { witness, blamed: order.filter((s) => blamed.has(s)), classes, unknown, groups: q.groups.length };
}

/**
 * The witness, or — when a caller of the resource's own account is granted
 * through its account (which in the same account delegates to identity
 * policies) — the same request by that account's root user, which the
 * policies cannot tell apart from the caller; undefined when neither is
 * confirmed.
 */
function confirmed(p: Problem, w: Witness, confirm: (w: Witness) => boolean): Witness | undefined {
  if (confirm(w)) return w;
  const m = w.caller === undefined ? null : /^arn:([^:]+):(?:iam|sts)::(\d{12}):/.exec(w.caller);
  if (m === null || m[2] !== w.owner) return undefined;
  const root = `arn:${m[1]}:iam::${m[2]}:root`;
  if (root === w.caller || !p.sameCallerClass(root, w.caller!)) return undefined;
  const alt = { ...w, caller: root };
  return confirm(alt) ? alt : undefined;
}

/** `realize`, or the witness as it is when the problem cannot list a key's classes. */
function realizeIfDecided(p: Problem, w: Witness, confirm: (w: Witness) => boolean): Witness {
  try {
    return realize(p, w, confirm);
  } catch (err) {
    if (err instanceof Undecided) return w;
    throw err;
  }
}

/** The statement applies to the witness (the evaluator's own matchers: action, resource, principal, conditions). */
function applies(st: CompiledStatement, w: Witness): boolean {
  const context = new Map(w.context.map((cv) => [cv.key.toLowerCase(), cv] as const));
  const req = { action: w.action, resource: w.resource, context, ...(w.caller !== undefined ? { principal: w.caller } : {}) };
  if (!st.matchesAction(w.action.toLowerCase()) || !st.matchesResource(w.resource, req, undefined)) return false;
  if (st.matchPrincipal !== undefined && (w.caller === undefined || st.matchPrincipal(classifyCaller(w.caller)) === undefined)) return false;
  return st.conditions === undefined || st.conditions(req, false).matched;
}

function unconfirmedReason(w: Witness): string {
  const acct = w.caller === undefined ? undefined : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(w.caller)?.[1];
  if (acct !== undefined && acct === w.owner) {
    return `the caller ${w.caller} is in the account that owns ${w.resource}; there a grant to the account delegates to the caller's identity-based policies, so whether the resource policy grants it is not decided`;
  }
  return `the engine's counterexample ${JSON.stringify(w.resource)} was not confirmed by the evaluator (an iamsim bug; please report it)`;
}
