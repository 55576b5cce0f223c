/**
 * Why discovery found no context that allows a request: which layer can never
 * allow it (no Allow names the action, or none can apply to the resource with
 * the keys the request fixes), or which Deny applies to every request the
 * Allows would allow (unconditionally, when it has no condition). Each answer
 * is a satisfiability question on the same problem discovery solved, so the
 * reasons are as exact as the "never allowed" itself.
 */
import type { CompiledPolicy, CompiledStatement } from '../eval/compile.js';
import type { Reasoner, Group } from './engine.js';
import { and, not, or, TRUE, type Formula } from './formula.js';
import type { PolicySet, Problem } from './problem.js';

export interface CitedStatement {
  /** The policy's name (file name, policy name or `PolicyInputList.1`) and its input id. */
  readonly policy: string;
  readonly policyId: string;
  /** 0-based, as AWS's MatchedStatements count them (text output says "#index+1"). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly line: number;
  readonly column: number;
}

export interface NeverReason {
  /**
   * `no-allow`: no Allow of the layer names the action; `allow-never-applies`: some do, but none can apply to the
   * resource with the keys the request fixes; `denied`: one Deny applies to every request the Allows would
   * allow; `denied-together`: the Denies listed do so together; `conflicting-layers`: each layer can allow,
   * never all at once.
   */
  readonly kind: 'no-allow' | 'allow-never-applies' | 'denied' | 'denied-together' | 'conflicting-layers';
  /** The layer: `identity policies`, `permissions boundary`, `SCPs at organization level N of M (root first)`. */
  readonly layer?: string;
  readonly message: string;
  readonly statements: readonly CitedStatement[];
}

interface Layer {
  readonly name: string;
  readonly policies: readonly CompiledPolicy[];
}

function layers(set: PolicySet): Layer[] {
  const out: Layer[] = [{ name: 'identity policies', policies: set.identity }];
  if (set.boundary.length > 0) out.push({ name: 'permissions boundary', policies: set.boundary });
  set.scp.forEach((level, i) => {
    out.push({ name: `SCPs at organization level ${i + 1} of ${set.scp.length} (root first)`, policies: level });
  });
  return out;
}

function cite(p: CompiledPolicy, st: CompiledStatement): CitedStatement {
  return {
    policy: p.policy.name,
    policyId: p.id,
    index: st.ref.index,
    ...(st.ref.sid !== undefined ? { sid: st.ref.sid } : {}),
    effect: st.ref.effect,
    line: st.ref.span.start.line,
    column: st.ref.span.start.column,
  };
}

/** "statement #2 (Sid "DenyAll") of deny.json, line 7". */
export function statementText(s: CitedStatement): string {
  return `statement #${s.index + 1}${s.sid !== undefined ? ` (Sid ${JSON.stringify(s.sid)})` : ''} of ${s.policy}, line ${s.line}`;
}

interface Candidate {
  readonly policy: CompiledPolicy;
  readonly st: CompiledStatement;
}

function candidates(policies: readonly CompiledPolicy[], actionLower: string): Candidate[] {
  return policies.flatMap((policy) => policy.candidates(actionLower).map((st) => ({ policy, st })));
}

/** A Deny that applies in every context of `where` (TRUE: every context at all). */
function denied(d: Candidate, action: string, where: Formula): NeverReason {
  const s = cite(d.policy, d.st);
  const when = where === TRUE ? (d.st.statement.conditions.length === 0 ? 'unconditionally' : 'in every context') : 'in every context an Allow applies in';
  return { kind: 'denied', message: `${statementText(s)} denies ${action} ${when}`, statements: [s] };
}

/**
 * The reasons no context allows `action` on the resource (`scope`: the request's resource constraint, true for a
 * literal one the problem fixes). Throws Undecided as the solver does.
 */
export function whyNever(reasoner: Reasoner, p: Problem, g: Group, set: PolicySet, action: string, scope: Formula): NeverReason[] {
  const lower = action.toLowerCase();
  const sat = (f: Formula): boolean => reasoner.solveIn(p, g, and([scope, f])).sat;
  const formula = (c: Candidate): Formula => p.statement(c.st, c.policy, false);
  const out: NeverReason[] = [];
  const allows: Formula[] = [];
  for (const layer of layers(set)) {
    const granting = candidates(layer.policies, lower).filter((c) => !c.st.isDeny);
    const any = or(granting.map(formula));
    allows.push(any);
    if (granting.length === 0) {
      out.push({ kind: 'no-allow', layer: layer.name, message: `no Allow statement in the ${layer.name} names ${action}`, statements: [] });
    } else if (!sat(any)) {
      out.push({
        kind: 'allow-never-applies',
        layer: layer.name,
        message: `the Allow statements of the ${layer.name} that name ${action} never apply to this resource with the context the request sends`,
        statements: granting.map((c) => cite(c.policy, c.st)),
      });
    }
  }
  const denies = layers(set).flatMap((l) => candidates(l.policies, lower).filter((c) => c.st.isDeny));
  // Whatever else is missing, a Deny that applies in every context is a reason of its own.
  if (out.length > 0) return [...out, ...denies.filter((d) => !sat(not(formula(d)))).map((d) => denied(d, action, TRUE))];
  const allowed = and(allows);
  if (!sat(allowed)) {
    return [
      {
        kind: 'conflicting-layers',
        message: `each layer has an Allow that can apply, but their conditions or resources never hold together for ${action}`,
        statements: [],
      },
    ];
  }
  for (const d of denies) if (!sat(and([allowed, not(formula(d))]))) out.push(denied(d, action, sat(not(formula(d))) ? allowed : TRUE));
  if (out.length > 0) return out;
  const together = denies.filter((d) => sat(and([allowed, formula(d)])));
  return [
    {
      kind: 'denied-together',
      message: `every context an Allow applies in is denied by one of ${together.length} Deny statement${together.length === 1 ? '' : 's'}`,
      statements: together.map((d) => cite(d.policy, d.st)),
    },
  ];
}
