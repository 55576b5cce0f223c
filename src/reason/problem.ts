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
import { compileResourcePattern, resourcePatternComponents } from '../eval/match/resource.js';
import { compileArnComponents } from '../eval/match/arn.js';
import { classifyCaller } from '../eval/principal.js';
import type { ContextValue, RequestContextMap } from '../eval/request.js';
import { variablesEnabled } from '../eval/variables.js';
import { WitnessCache, anyResourceWitnesses, resourceWitnesses, type Components } from './resource.js';
import {
  expandKeyCells,
  expandResourceCells,
  hasVariable,
  implications,
  shadowClause,
  shadowOf,
  shadowText,
  variableKeys,
  type ClauseLink,
  type KeyLink,
  type ResourceLink,
} from './link.js';
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

export interface ResourceVar {
  readonly kind: 'resource';
  /** Per atom: its predicate; for a linked atom (policy variables) its upper bound (link.ts). */
  readonly atoms: ((r: string) => boolean)[];
  /** Every pattern as the evaluator splits it, variables replaced by `*` (link.ts `shadowOf`). */
  readonly parts: Components[];
  readonly ids: Map<string, number>;
  readonly literals: string[];
  /** Per pattern its atom (and, for a linked atom, whether it is a constant value): explored as one union. */
  readonly units: string[];
  readonly links: ResourceLink[];
  /** The atom index of each link. */
  readonly linkAt: number[];
}
/** A condition clause that compares with a policy variable: a free Boolean (link.ts). */
export interface LinkedVar {
  readonly kind: 'linked';
  readonly link: ClauseLink;
  readonly id: string;
}
export interface PrincipalVar {
  readonly kind: 'principal';
  readonly atoms: ((c: string) => boolean)[];
  readonly blocks: PrincipalBlock[];
  readonly ids: Map<string, number>;
}
export interface KeyVar {
  readonly kind: 'key';
  readonly key: string;
  /** The clauses on the key; a clause with policy variables is represented by its shadow (link.ts). */
  readonly clauses: CompiledClause[];
  readonly links: KeyLink[];
  readonly ids: Map<string, number>;
}
export type Var = ResourceVar | PrincipalVar | KeyVar | LinkedVar;

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
    this.vars.push({ kind: 'resource', atoms: [], parts: [], ids: new Map(), literals: [], units: [], links: [], linkAt: [] });
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
      this.vars.push({ kind: 'key', key, clauses: [], links: [], ids: new Map() });
      i = this.vars.length - 1;
      this.keyIndex.set(lower, i);
    }
    return i;
  }

  /** The variable of a condition key (lower-cased), if the problem has one. */
  keyVarOf(keyLower: string): number | undefined {
    return this.keyIndex.get(keyLower);
  }

  private resourceAtom(st: CompiledStatement, version: string | undefined): Formula {
    const list = st.statement.resource ?? st.statement.notResource;
    if (list === undefined) return { t: 'const', b: true };
    const rv = this.vars[0] as ResourceVar;
    const id = `${st.statement.resource ? 'R' : 'N'}|${version}|${list.values.join('\n')}`;
    let a = rv.ids.get(id);
    if (a === undefined) {
      a = rv.atoms.length;
      const comps = list.values.map((v) => resourcePatternComponents(v, version));
      comps.forEach((c, i) => {
        rv.parts.push(shadowOf(c));
        rv.literals.push(hasVariable(c) ? shadowText(c) : list.values[i]!);
        rv.units.push(`${a}${hasVariable(c) ? 'v' : ''}`);
      });
      const match = (r: string, context: RequestContextMap): boolean => st.matchesResource(r, { action: '', resource: r, context }, undefined);
      if (comps.some(hasVariable)) {
        const constant = list.values.filter((_, i) => !hasVariable(comps[i]!)).map((v) => compileResourcePattern(v, version));
        const shadows = comps.map((c) => compileArnComponents(shadowOf(c)));
        const lower = (r: string): boolean => constant.some((m) => m(r, NO_CONTEXT_REQUEST, undefined));
        const upper = (r: string): boolean => shadows.some((m) => m(r, NO_CONTEXT_MAP));
        rv.links.push({ match, keys: variableKeys(comps), negated: st.statement.resource === undefined, lower, upper, values: comps });
        rv.linkAt.push(a);
        rv.atoms.push(upper);
      } else rv.atoms.push((r) => match(r, NO_CONTEXT_MAP));
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
        rv.parts.push(resourcePatternComponents(p, undefined));
        rv.literals.push(p);
        rv.units.push(String(rv.atoms.length));
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
    if (compiled.variables.length > 0) return this.boundedAtom(clause, compiled);
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

  /**
   * A clause that compares with a policy variable: an atom of its key's
   * variable bounded by its shadow clause, or (operators without a shadow)
   * one free Boolean variable per distinct clause (link.ts).
   */
  private boundedAtom(clause: ConditionClause, compiled: CompiledClause): Formula {
    const link: ClauseLink = {
      match: (r, context) => compiled.evaluate(context.get(compiled.keyLower), { action: '', resource: r, context }),
      keys: [compiled.keyLower, ...compiled.variables.map((x) => x.keyLower)],
      text: `${clause.operator} ${clause.key} ${clause.values.join(', ')}`,
    };
    const id = `V|${clause.operator}|${clause.values.join('\n')}`;
    const shadow = shadowClause(clause);
    const bound = shadow === undefined ? undefined : compileClause(shadow.clause, false);
    if (shadow === undefined || bound === undefined || bound.error !== undefined) {
      const lid = `${id}|${clause.key.toLowerCase()}`;
      let v = this.vars.findIndex((x) => x.kind === 'linked' && x.id === lid);
      if (v < 0) {
        this.vars.push({ kind: 'linked', link, id: lid });
        v = this.vars.length - 1;
      }
      return { t: 'atom', v, a: 0 };
    }
    const v = this.keyVar(clause.key);
    const kv = this.vars[v] as KeyVar;
    let a = kv.ids.get(id);
    if (a === undefined) {
      a = kv.clauses.length;
      kv.clauses.push(bound);
      kv.links.push({ link, clause, atom: a, negated: shadow.negated });
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
    const size = x.kind === 'key' ? x.clauses.length : x.kind === 'linked' ? 1 : x.atoms.length;
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
  /**
   * Discovery: keys never absent from a request (catalog/request-keys.ts, e.g. aws:SecureTransport): their
   * absent state is left out, so no answer rests on a request AWS never sends. Lower-cased names.
   */
  presentKeys: ReadonlySet<string> = new Set();

  private computeCells(v: number): Cells {
    const x = this.vars[v]!;
    if (x.kind === 'linked') return { values: [undefined, undefined], atoms: [[false], [true]] };
    if (x.kind === 'resource') {
      if (this.fixedResource !== undefined) return resourceCells([this.fixedResource], x);
      // The cells depend only on the formats and the atoms' contents (their ids).
      // Resources fill placeholders with an account no policy names and that is not the outsider's.
      const named = this.namedAccounts();
      const fill = freshAccount(named, new Set([freshAccount(named)]));
      const formats = this.formats;
      const id = `RC|${this.star}|${fill}|${formats === 'any' ? 'any' : formats.join('\n')}|${[...x.ids.keys()].join('\u0002')}`;
      const candidates = () =>
        formats === 'any'
          ? anyResourceWitnesses(x.parts, x.literals, fill)
          : resourceWitnesses(formats, this.star, x.parts, x.literals, this.cache, fill, x.units);
      return this.cache.get(id, () => resourceCells(candidates(), x));
    }
    if (x.kind === 'principal') {
      const named = this.namedAccounts();
      const callers =
        this.callers === 'outsiders' ? [...outsiderCallers(named), ...publicFederatedCallers(x.blocks)] : (this.callers ?? callerCandidates(x.blocks, named));
      return dedupe(callers, x.atoms);
    }
    const evaluators = x.clauses.map((c) => (cv: CellValue) => c.evaluate(cv as ContextValue | undefined, NO_CONTEXT_REQUEST));
    const fixed = this.fixedKeys.has(x.key.toLowerCase());
    const cells = dedupe(fixed ? [this.fixedKeys.get(x.key.toLowerCase())] : this.domainOf(x).states, evaluators);
    return x.links.length === 0 ? cells : (expandKeyCells(cells.values, cells.atoms, x.links) as Cells);
  }

  private domainOf(x: KeyVar): KeyDomain {
    const mode = this.keyModes.get(x.key.toLowerCase()) ?? 'free';
    const present = this.presentKeys.has(x.key.toLowerCase());
    const id = `K|${mode}|${present ? 'present' : ''}|${x.key.toLowerCase()}|${x.clauses.map((c) => `${c.clause.operator}=${c.clause.values.join('\u0001')}`).join('\u0002')}`;
    return this.cache.get(id, () => keyDomain(x.key, x.clauses, mode, present));
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
      else if (x.kind === 'linked') texts.push(x.link.text);
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

const NO_CONTEXT_MAP: RequestContextMap = new Map();

/** Resource cells: deduplicated on the atoms and the links' lower bounds, then the links expanded (link.ts). */
function resourceCells(candidates: readonly string[], x: ResourceVar): Cells {
  if (x.links.length === 0) return dedupe(candidates, x.atoms);
  const base = dedupe(candidates, [...x.atoms, ...x.links.map((l) => l.lower)]);
  return expandResourceCells(base.values as string[], base.atoms, x.linkAt, x.links, implications(x.links)) as Cells;
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
