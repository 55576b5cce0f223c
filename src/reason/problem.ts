/**
 * One decision problem: the requests for one group of actions (same matching
 * statements, same resource formats). Variables: the resource ARN, the caller
 * (resource-based policies), one per condition key. Every atom is a
 * predicate the evaluator compiled (resource matcher, principal matcher,
 * condition clause); the automata and value candidates only make sure every
 * distinguishable class of values gets a representative.
 */
import type { CompiledPolicy, CompiledStatement } from '../eval/compile.js';
import { compileClause, type CompiledClause } from '../eval/conditions/index.js';
import { compileResourcePattern } from '../eval/match/resource.js';
import { classifyCaller } from '../eval/principal.js';
import type { ContextValue } from '../eval/request.js';
import { parseTemplate, variablesEnabled, type TemplatePart } from '../eval/variables.js';
import { WitnessCache, anyResourceWitnesses, resourceWitnesses } from './resource.js';
import type { ConditionClause, PrincipalBlock } from '../policy/model.js';
import { Undecided } from './automaton.js';
import { and, not, or, type Formula } from './formula.js';
import { NO_CONTEXT_REQUEST, keyDomain, type KeyDomain } from './keys.js';
import { accountOfCaller, accountsIn, callerCandidates, freshAccount, outsiderCallers } from './principals.js';
import { formatArn, parseArn } from '../primitives/arn.js';
import { publicFederatedCallers } from './federation.js';
import type { ValueMode } from './values.js';

/** A policy set as one principal's request meets it. */
export interface PolicySet {
  readonly mode: 'identity' | 'resource';
  readonly identity: readonly CompiledPolicy[];
  readonly boundary: readonly CompiledPolicy[];
  /** One list per organization level, root first. */
  readonly scp: readonly (readonly CompiledPolicy[])[];
  /** Resource mode: the resource-based policy. */
  readonly resource?: CompiledPolicy;
}

export function layersOf(ps: PolicySet): (readonly CompiledPolicy[])[] {
  if (ps.mode === 'resource') return ps.resource ? [[ps.resource]] : [];
  return [ps.identity, ...(ps.boundary.length > 0 ? [ps.boundary] : []), ...ps.scp];
}

interface ResourceVar {
  readonly kind: 'resource';
  readonly atoms: ((r: string) => boolean)[];
  readonly parts: TemplatePart[][];
  readonly ids: Map<string, number>;
  readonly literals: string[];
}
interface PrincipalVar {
  readonly kind: 'principal';
  readonly atoms: ((c: string) => boolean)[];
  readonly blocks: PrincipalBlock[];
  readonly ids: Map<string, number>;
}
interface KeyVar {
  readonly kind: 'key';
  readonly key: string;
  readonly clauses: CompiledClause[];
  readonly ids: Map<string, number>;
}
type Var = ResourceVar | PrincipalVar | KeyVar;

export type CellValue = string | ContextValue | undefined;

export interface Cells {
  readonly values: readonly CellValue[];
  readonly atoms: readonly (readonly boolean[])[];
}

export class Problem {
  readonly vars: Var[] = [];
  private readonly keyIndex = new Map<string, number>();

  /** `formats`: the ARN formats of the actions' resource types ('any': every string); `star`: `*` is a resource too. */
  constructor(
    readonly formats: readonly string[] | 'any',
    readonly star: boolean,
    readonly keyModes: ReadonlyMap<string, ValueMode> = new Map(),
    /** Only these callers ('outsiders': public-access checks); default: every class the policies distinguish. */
    readonly callers?: readonly string[] | 'outsiders',
    private readonly cache: WitnessCache = new WitnessCache(),
  ) {
    this.vars.push({ kind: 'resource', atoms: [], parts: [], ids: new Map(), literals: [] });
  }

  get resourceVar(): number {
    return 0;
  }

  principalVar(): number {
    let i = this.vars.findIndex((v) => v.kind === 'principal');
    if (i < 0) {
      this.vars.push({ kind: 'principal', atoms: [], blocks: [], ids: new Map() });
      i = this.vars.length - 1;
    }
    return i;
  }

  keyVar(key: string): number {
    const lower = key.toLowerCase();
    let i = this.keyIndex.get(lower);
    if (i === undefined) {
      this.vars.push({ kind: 'key', key, clauses: [], ids: new Map() });
      i = this.vars.length - 1;
      this.keyIndex.set(lower, i);
    }
    return i;
  }

  private resourceAtom(st: CompiledStatement, version: string | undefined): Formula {
    const list = st.statement.resource ?? st.statement.notResource;
    if (list === undefined) return { t: 'const', b: true };
    const rv = this.vars[0] as ResourceVar;
    const id = `${st.statement.resource ? 'R' : 'N'}|${version}|${list.values.join('\n')}`;
    let a = rv.ids.get(id);
    if (a === undefined) {
      const vars = variablesEnabled(version);
      for (const v of list.values) {
        const parts = vars && v.includes('${') ? parseTemplate(v) : [{ kind: 'text' as const, text: v }];
        rv.parts.push(parts);
        rv.literals.push(v);
      }
      a = rv.atoms.length;
      rv.atoms.push((r) => st.matchesResource(r, NO_CONTEXT_REQUEST, undefined));
      rv.ids.set(id, a);
    }
    return { t: 'atom', v: 0, a };
  }

  /** The resource matches one of `patterns` (Resource element semantics, no variables). */
  resourceIn(patterns: readonly string[]): Formula {
    const rv = this.vars[0] as ResourceVar;
    const id = `A|${patterns.join('\n')}`;
    let a = rv.ids.get(id);
    if (a === undefined) {
      const ms = patterns.map((p) => compileResourcePattern(p, undefined));
      for (const p of patterns) {
        rv.parts.push([{ kind: 'text', text: p }]);
        rv.literals.push(p);
      }
      a = rv.atoms.length;
      rv.atoms.push((r) => ms.some((m) => m(r, NO_CONTEXT_REQUEST, undefined)));
      rv.ids.set(id, a);
    }
    return { t: 'atom', v: 0, a };
  }

  private principalAtom(st: CompiledStatement, policyId: string): Formula {
    const block = st.statement.principal ?? st.statement.notPrincipal;
    const match = st.matchPrincipal;
    if (block === undefined || match === undefined) return { t: 'const', b: false };
    const v = this.principalVar();
    const pv = this.vars[v] as PrincipalVar;
    const id = `${policyId}#${st.ref.index}`;
    let a = pv.ids.get(id);
    if (a === undefined) {
      a = pv.atoms.length;
      pv.atoms.push((c) => match(classifyCaller(c)) !== undefined);
      pv.blocks.push(block);
      pv.ids.set(id, a);
    }
    return { t: 'atom', v, a };
  }

  private clauseAtom(clause: ConditionClause, version: string | undefined): Formula {
    const compiled = compileClause(clause, variablesEnabled(version));
    if (compiled.error !== undefined) throw new Undecided(`a condition cannot be evaluated (${compiled.error}); the evaluator denies such requests`);
    if (compiled.variables.length > 0) {
      throw new Undecided(`the condition ${clause.operator} ${clause.key} compares with the policy variable \${${compiled.variables[0]!.key}}`);
    }
    const v = this.keyVar(clause.key);
    const kv = this.vars[v] as KeyVar;
    const id = `${clause.operator}|${variablesEnabled(version)}|${clause.values.join('\n')}`;
    let a = kv.ids.get(id);
    if (a === undefined) {
      a = kv.clauses.length;
      kv.clauses.push(compiled);
      kv.ids.set(id, a);
    }
    return { t: 'atom', v, a };
  }

  statement(st: CompiledStatement, policy: CompiledPolicy, usesPrincipal: boolean): Formula {
    const version = policy.policy.version;
    const parts: Formula[] = [this.resourceAtom(st, version)];
    if (usesPrincipal) parts.push(this.principalAtom(st, policy.id));
    for (const c of st.statement.conditions) parts.push(this.clauseAtom(c, version));
    return and(parts);
  }

  /** Allowed by the set: every layer has an applicable Allow, and no Deny applies anywhere. */
  allowed(ps: PolicySet, actionLower: string): Formula {
    // sts:GetCallerIdentity needs no permission and no Deny blocks it (the evaluator's rule for IAM callers).
    if (actionLower === 'sts:getcalleridentity' && ps.mode === 'identity') return { t: 'const', b: true };
    const usesPrincipal = ps.mode === 'resource';
    const denies: Formula[] = [];
    const layerAllows = layersOf(ps).map((layer) => {
      const allows: Formula[] = [];
      for (const p of layer) {
        for (const st of p.candidates(actionLower)) {
          const f = this.statement(st, p, usesPrincipal);
          (st.isDeny ? denies : allows).push(f);
        }
      }
      return or(allows);
    });
    if (layerAllows.length === 0) return { t: 'const', b: false };
    return and([...layerAllows, not(or(denies))]);
  }

  /** One applicable Allow statement of `p`, and the set allows. */
  grantedBy(ps: PolicySet, st: CompiledStatement, p: CompiledPolicy, actionLower: string): Formula {
    return and([this.statement(st, p, ps.mode === 'resource'), this.allowed(ps, actionLower)]);
  }

  private readonly cellCache = new Map<number, { readonly size: number; readonly cells: Cells }>();

  /** The variable's cells (cached while no atom is added to it). */
  cells(v: number): Cells {
    const x = this.vars[v]!;
    const size = x.kind === 'key' ? x.clauses.length : x.atoms.length;
    const hit = this.cellCache.get(v);
    if (hit !== undefined && hit.size === size) return hit.cells;
    const cells = this.computeCells(v);
    this.cellCache.set(v, { size, cells });
    return cells;
  }

  /** Discovery: keys whose state the request fixes (lower-cased name → state; undefined = absent). */
  readonly fixedKeys = new Map<string, ContextValue | undefined>();
  /** Discovery: the request's literal resource. */
  fixedResource: string | undefined;

  private computeCells(v: number): Cells {
    const x = this.vars[v]!;
    if (x.kind === 'resource') {
      if (this.fixedResource !== undefined) return dedupe([this.fixedResource], x.atoms);
      // The cells depend only on the formats and the atoms' contents (their ids).
      // Resources fill placeholders with an account no policy names and that is not the outsider's.
      const named = this.namedAccounts();
      const fill = freshAccount(named, new Set([freshAccount(named)]));
      const formats = this.formats;
      const id = `RC|${this.star}|${fill}|${formats === 'any' ? 'any' : formats.join('\n')}|${[...x.ids.keys()].join('\u0002')}`;
      const candidates = () =>
        formats === 'any' ? anyResourceWitnesses(x.parts, x.literals, fill) : resourceWitnesses(formats, this.star, x.parts, x.literals, this.cache, fill);
      return this.cache.get(id, () => dedupe(candidates(), x.atoms));
    }
    if (x.kind === 'principal') {
      const named = this.namedAccounts();
      const callers =
        this.callers === 'outsiders' ? [...outsiderCallers(named), ...publicFederatedCallers(x.blocks)] : (this.callers ?? callerCandidates(x.blocks, named));
      return dedupe(callers, x.atoms);
    }
    const evaluators = x.clauses.map((c) => (cv: CellValue) => c.evaluate(cv as ContextValue | undefined, NO_CONTEXT_REQUEST));
    if (this.fixedKeys.has(x.key.toLowerCase())) return dedupe([this.fixedKeys.get(x.key.toLowerCase())], evaluators);
    return dedupe(this.domainOf(x).states, evaluators);
  }

  private domainOf(x: KeyVar): KeyDomain {
    const mode = this.keyModes.get(x.key.toLowerCase()) ?? 'free';
    const id = `K|${mode}|${x.key.toLowerCase()}|${x.clauses.map((c) => `${c.clause.operator}=${c.clause.values.join('\u0001')}`).join('\u0002')}`;
    return this.cache.get(id, () => keyDomain(x.key, x.clauses, mode));
  }

  /** The present states (value classes) of a condition key of the problem; none when no clause names it. */
  keyStates(key: string): ContextValue[] {
    const v = this.keyIndex.get(key.toLowerCase());
    const x = v === undefined ? undefined : this.vars[v];
    if (x?.kind !== 'key' || this.fixedKeys.has(x.key.toLowerCase())) return [];
    return this.domainOf(x).states.filter((s): s is ContextValue => s !== undefined);
  }

  /** True when every principal atom of the problem decides the two callers alike. */
  sameCallerClass(a: string, b: string): boolean {
    const pv = this.vars.find((x): x is PrincipalVar => x.kind === 'principal');
    return pv === undefined || pv.atoms.every((f) => f(a) === f(b));
  }

  /** Every 12-digit account id the problem's principals, resources and condition values name. */
  namedAccounts(): Set<string> {
    const texts: string[] = [];
    for (const x of this.vars) {
      if (x.kind === 'resource') texts.push(...x.literals);
      else if (x.kind === 'key') for (const c of x.clauses) texts.push(...c.clause.values);
      else for (const b of x.blocks) if (!b.wildcard) texts.push(...Object.values(b.values).flatMap((v) => v ?? []));
    }
    if (this.fixedResource !== undefined) texts.push(this.fixedResource);
    return accountsIn(texts);
  }

  /**
   * Where a resource-policy witness's resource lives: the ARN's account when
   * it names one, else an account named nowhere and not the caller's. When
   * the ARN's account is the caller's and another account is in the same
   * class of resources (the evaluator's resource atoms agree), the resource
   * moves to a fresh account so that the request is cross-account.
   */
  placeResource(resource: string, caller: string | undefined): { resource: string; owner: string } {
    const named = this.namedAccounts();
    const callerAcct = caller === undefined ? undefined : accountOfCaller(caller);
    const skip = new Set(callerAcct !== undefined ? [callerAcct] : []);
    const arn = parseArn(resource);
    if (arn === undefined || !/^\d{12}$/.test(arn.account)) return { resource, owner: freshAccount(named, skip) };
    if (arn.account !== callerAcct || this.fixedResource !== undefined) return { resource, owner: arn.account };
    const rv = this.vars[0] as ResourceVar;
    const account = freshAccount(named, skip);
    const moved = formatArn({ ...arn, account });
    return rv.atoms.every((a) => a(moved) === a(resource)) ? { resource: moved, owner: account } : { resource, owner: arn.account };
  }

  /** The clauses on a key variable, as written (for explanations). */
  clausesOf(v: number): readonly ConditionClause[] {
    const x = this.vars[v]!;
    return x.kind === 'key' ? x.clauses.map((c) => c.clause) : [];
  }
}

function dedupe<T>(values: readonly T[], atoms: readonly ((v: T) => boolean)[]): Cells {
  const seen = new Set<string>();
  const outV: T[] = [];
  const outA: boolean[][] = [];
  for (const v of values) {
    const vec = atoms.map((f) => f(v));
    const sig = vec.map((b) => (b ? '1' : '0')).join('');
    if (seen.has(sig)) continue;
    seen.add(sig);
    outV.push(v);
    outA.push(vec);
  }
  return { values: outV as CellValue[], atoms: outA };
}
