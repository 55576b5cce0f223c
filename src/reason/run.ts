/**
 * Runs a relational query over all action groups: find a confirmed request
 * satisfying `goal`, and which statements of `blame` can take part in one.
 * Undecided groups make the answer UNKNOWN unless a confirmed witness exists
 * elsewhere (a confirmed witness is a proof).
 */
import type { CompiledPolicy, CompiledStatement } from '../eval/compile.js';
import { Undecided, type Group, type ProblemOptions, type Reasoner, type Witness } from './engine.js';
import { and, type Formula } from './formula.js';
import type { Problem } from './problem.js';

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

export function runQuery(r: Reasoner, q: Query): QueryOutcome {
  let witness: Witness | undefined;
  const blamed = new Set<CompiledStatement>();
  const unknown: string[] = [];
  for (const g of q.groups) {
    const action = g.actions[0]!;
    try {
      const p = r.problem(g, q.options);
      const goal = q.goal(p, action.toLowerCase());
      const sol = r.solveIn(p, g, goal);
      if (!sol.sat) continue;
      if (!q.confirm(sol.witness)) {
        unknown.push(
          `${action}: the engine's counterexample ${JSON.stringify(sol.witness.resource)} was not confirmed by the evaluator (an iamsim bug; please report it)`,
        );
        continue;
      }
      witness ??= sol.witness;
      if (q.firstOnly) break;
      if (q.blame !== undefined) {
        for (const policy of q.blame.policies) {
          for (const st of policy.candidates(action.toLowerCase())) {
            if (st.isDeny || blamed.has(st)) continue;
            const s = r.solveIn(p, g, and([q.blame.statementFormula(p, st, policy), goal]));
            if (s.sat && q.confirm(s.witness)) blamed.add(st);
          }
        }
      }
    } catch (err) {
      if (!(err instanceof Undecided)) throw err;
      unknown.push(`${action}${g.actions.length > 1 ? ` (and ${g.actions.length - 1} more actions)` : ''}: ${err.message}`);
    }
  }
  const order = q.blame?.policies.flatMap((p) => p.statements) ?? [];
  return { witness, blamed: order.filter((s) => blamed.has(s)), unknown, groups: q.groups.length };
}
