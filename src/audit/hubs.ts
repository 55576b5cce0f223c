/**
 * Group nodes, so that N callers and M roles make about N + M edges, not
 * N × M. A role group is a set of roles of one account that every caller's
 * request treats alike apart from the role's ARN: the roles trusting the
 * same document (for sts:AssumeRole), or the roles one service can assume
 * (for iam:PassRole to it). For one caller, the group splits into the
 * subsets its statements' Resource patterns cannot tell apart (each
 * statement's matches over the group are computed once per group, shared by
 * every caller holding that statement); by share.ts every role of a subset
 * gets the same answer, so the evaluator decides once per subset with its
 * first role, and the caller gets one edge into a node standing for the
 * subset, which has an edge out to each role. Callers whose statements
 * depend on who exactly they are (share.ts) are decided role by role.
 */
import type { AuditDecider } from './decide.js';
import type { CompiledStatement } from '../eval/compile.js';
import type { RequestContext } from '../eval/request.js';
import { callerSpecific, relevantStatements } from './share.js';

export interface RoleGroup {
  readonly id: string;
  readonly roles: readonly string[];
}

export interface Subset {
  /** Identifies the subset (the same roles for every caller that gets this key). */
  readonly key: string;
  readonly roles: readonly string[];
}

interface Mask {
  readonly id: number;
  /** One byte per role of the group: 1 when the statement's Resource matches it. */
  readonly bits: Uint8Array;
}

function resourceKey(st: CompiledStatement): string | undefined {
  const s = st.statement;
  if (s.resource) return `R\u0000${s.resource.values.join('\u0001')}`;
  if (s.notResource) return `N\u0000${s.notResource.values.join('\u0001')}`;
  return undefined;
}

export class RoleSubsets {
  /** Per group and Resource element: its matches over the group, or null when it matches all or none. */
  private readonly masks = new Map<string, Mask | null>();

  constructor(private readonly d: AuditDecider) {}

  private mask(group: RoleGroup, st: CompiledStatement): Mask | null {
    const rk = resourceKey(st);
    if (rk === undefined) return null;
    const key = `${group.id}\u0000${rk}`;
    let m = this.masks.get(key);
    if (m === undefined) {
      const bits = new Uint8Array(group.roles.length);
      let ones = 0;
      group.roles.forEach((role, i) => {
        const req: RequestContext = { action: 'sts:AssumeRole', resource: role, context: new Map() };
        if (st.matchesResource(role, req, undefined)) {
          bits[i] = 1;
          ones++;
        }
      });
      m = ones === 0 || ones === group.roles.length ? null : { id: this.masks.size, bits };
      this.masks.set(key, m);
    }
    return m;
  }

  /**
   * The subsets of the group `principal`'s `action` requests cannot tell
   * apart, or undefined when some statement depends on the exact caller.
   */
  split(principal: string, action: string, group: RoleGroup): Subset[] | undefined {
    if (!this.d.sharing) return undefined;
    const first = group.roles[0];
    if (first === undefined) return [];
    const statements = relevantStatements(this.d.assembly({ principal, action, resource: first }), action);
    if (statements.some(callerSpecific)) return undefined;
    const masks = new Map<number, Mask>();
    for (const st of statements) {
      const m = this.mask(group, st);
      if (m !== null) masks.set(m.id, m);
    }
    if (masks.size === 0) return [{ key: group.id, roles: group.roles }];
    const ids = [...masks.keys()].sort((a, b) => a - b);
    const byVector = new Map<string, string[]>();
    group.roles.forEach((role, i) => {
      let v = '';
      for (const id of ids) v += masks.get(id)?.bits[i] === 1 ? '1' : '0';
      const list = byVector.get(v);
      if (list) list.push(role);
      else byVector.set(v, [role]);
    });
    return [...byVector].map(([v, roles]) => ({ key: `${group.id}|${ids.join(',')}|${v}`, roles }));
  }
}
