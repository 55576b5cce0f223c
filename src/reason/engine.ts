/**
 * The reasoner: the request space is every action of the service catalog,
 * every resource ARN that fits the action's resource-type formats (and `*`
 * for actions without a required resource type), every caller class, every
 * condition-key state. Actions are grouped by which statements' Action /
 * NotAction match them (and, when some Resource is not `*`, by their ARN
 * formats); each group is one Problem whose variables are solved natively.
 * State (the action universe, per-statement match sets) lives in the object.
 */
import { listActions, listServices, resourceTypesForAction } from '../catalog/catalog.js';
import type { CompiledStatement } from '../eval/compile.js';
import type { ContextValue } from '../eval/request.js';
import { Undecided } from './automaton.js';
import { propositionallyUnsat, solutions, solve, varsOf, type Formula } from './formula.js';
import { concretize, linkedKeys, readsLinks } from './concrete.js';
import { compileActionPattern } from '../eval/match/action.js';
import { actionBehaviour } from '../eval/evaluate.js';
import { Problem, layersOf, type Cells, type PolicySet } from './problem.js';
import type { ValueMode } from './values.js';
import { WitnessCache } from './resource.js';

export interface Group {
  /** Canonical action names, sorted. */
  readonly actions: readonly string[];
  /** The ARN formats of the actions' resource types, or 'any' (every string: `--resource-types any`). */
  readonly formats: readonly string[] | 'any';
  readonly star: boolean;
}

export type { Witness } from './witness.js';
import type { Witness } from './witness.js';

export interface GroupOptions {
  /** Only actions for which this holds (lower-cased names). */
  readonly actionFilter?: (actionLower: string) => boolean;
  /** A resource restriction will be added: split groups by ARN formats. */
  readonly resourceRestricted?: boolean;
  /** 'any': every action may act on any resource, as AWS's checks assume (no split by formats). */
  readonly resourceTypes?: ResourceTypes;
}

/** `restricted` (default): each action acts on its resource types' ARNs; `any`: on any resource (AWS's checks). */
export type ResourceTypes = 'restricted' | 'any';

export interface ProblemOptions {
  readonly keyModes?: ReadonlyMap<string, ValueMode>;
  readonly callers?: readonly string[] | 'outsiders';
}

export type Solution =
  | { readonly sat: true; readonly witness: Witness; readonly problem: Problem /** Chosen cell per variable. */; readonly choice: ReadonlyMap<number, number> }
  | { readonly sat: false };

interface Universe {
  readonly names: readonly string[];
  readonly lower: readonly string[];
  readonly ranges: ReadonlyMap<string, readonly [number, number]>;
  readonly index: ReadonlyMap<string, number>;
}

export class Reasoner {
  private readonly u: { names: string[]; lower: string[]; ranges: Map<string, readonly [number, number]>; index: Map<string, number> } = {
    names: [],
    lower: [],
    ranges: new Map(),
    index: new Map(),
  };
  private allLoaded = false;
  private readonly listCache = new WeakMap<CompiledStatement, { size: number; list: number[] }>();
  private readonly contentCache = new Map<string, number[]>();
  private readonly formatCache = new Map<string, { formats: string[]; star: boolean }>();
  private readonly witnessCache = new WitnessCache();

  /**
   * The catalog actions loaded so far, by service. Services load on demand:
   * a query whose Action patterns all name their service loads only those
   * (a one-shot CLI check need not read the whole catalog).
   */
  universe(): Universe {
    return this.u;
  }

  private loadService(svc: string): void {
    const key = svc.toLowerCase();
    if (this.u.ranges.has(key)) return;
    const start = this.u.names.length;
    for (const name of listActions(key)) {
      this.u.index.set(name.toLowerCase(), this.u.names.length);
      this.u.names.push(name);
      this.u.lower.push(name.toLowerCase());
    }
    this.u.ranges.set(key, [start, this.u.names.length]);
  }

  /** Loads the services the statements can name (all of them for NotAction or a wildcard service). */
  private ensureServices(stmts: readonly CompiledStatement[]): void {
    if (this.allLoaded) return;
    const need = new Set<string>();
    for (const st of stmts) {
      const list = st.statement.action?.values;
      if (list === undefined) {
        this.loadAll();
        return;
      }
      for (const p of list) {
        const colon = p.indexOf(':');
        const svc = colon > 0 ? p.slice(0, colon) : '';
        if (svc === '' || /[*?]/.test(svc)) {
          this.loadAll();
          return;
        }
        need.add(svc);
      }
    }
    for (const svc of need) this.loadService(svc);
  }

  private loadAll(): void {
    for (const svc of listServices()) this.loadService(svc);
    this.allLoaded = true;
  }

  /** Catalog actions matching an Action-element pattern (case-insensitive, wildcards). */
  actionsMatching(pattern: string, test: (lower: string) => boolean): number[] {
    const u = this.universe();
    if (!/[*?]/.test(pattern)) {
      const i = u.index.get(pattern.toLowerCase());
      return i !== undefined && test(u.lower[i]!) ? [i] : [];
    }
    const svc = pattern.slice(0, Math.max(0, pattern.indexOf(':'))).toLowerCase();
    const range = svc !== '' && !/[*?]/.test(svc) ? u.ranges.get(svc) : ([0, u.names.length] as const);
    const out: number[] = [];
    if (range === undefined) return out;
    for (let i = range[0]; i < range[1]; i++) if (test(u.lower[i]!)) out.push(i);
    return out;
  }

  /** Catalog actions the statement's Action/NotAction matches (by content, so re-parsed policies reuse it). */
  private matchedList(st: CompiledStatement): number[] {
    const size = this.u.names.length;
    const hit = this.listCache.get(st);
    if (hit !== undefined && hit.size === size) return hit.list;
    const s = st.statement;
    const key = `${size}|${s.action !== undefined ? `A|${s.action.values.join('\n')}` : `N|${s.notAction?.values.join('\n') ?? ''}`}`;
    let l = this.contentCache.get(key);
    if (l === undefined) {
      const u = this.universe();
      const hits = new Set<number>();
      if (s.action !== undefined) {
        for (const p of s.action.values) for (const i of this.actionsMatching(p, compileActionPattern(p))) hits.add(i);
      } else {
        for (let i = 0; i < u.names.length; i++) if (st.matchesAction(u.lower[i]!)) hits.add(i);
      }
      l = [...hits].sort((a, b) => a - b);
      if (this.contentCache.size > 5000) this.contentCache.clear();
      this.contentCache.set(key, l);
    }
    this.listCache.set(st, { size, list: l });
    return l;
  }

  formatsOf(action: string): { formats: string[]; star: boolean } {
    let f = this.formatCache.get(action);
    if (f === undefined) {
      const rts = resourceTypesForAction(action);
      f = { formats: rts.map((r) => r.arnFormat), star: rts.length === 0 };
      this.formatCache.set(action, f);
    }
    return f;
  }

  /** Groups the actions some Allow of the sets matches, by matching statements (and formats). */
  groups(sets: readonly PolicySet[], opts: GroupOptions = {}): Group[] {
    const u = this.universe();
    const stmts = [
      ...new Set(
        sets.flatMap((s) =>
          layersOf(s)
            .flat()
            .flatMap((p) => p.statements),
        ),
      ),
    ];
    this.ensureServices(stmts);
    const lists = stmts.map((s) => this.matchedList(s));
    const sigOf = new Map<number, string>();
    lists.forEach((l, j) => {
      for (const i of l) sigOf.set(i, `${sigOf.get(i) ?? ''}${j},`);
    });
    const interesting = new Set<number>();
    stmts.forEach((st) => {
      if (!st.isDeny) for (const i of this.matchedList(st)) interesting.add(i);
    });
    // A role trust policy applies to requests on the role: actions with a role resource type, role ARNs only.
    const trust = sets.some((s) => s.mode === 'resource' && s.resource?.policy.type === 'trust');
    const fmt = (name: string) => (trust ? roleFormats(this.formatsOf(name)) : this.formatsOf(name));
    // Actions the evaluator treats differently (actionBehaviour) never share a group.
    const resourcePolicy = sets.find((s) => s.resource !== undefined)?.resource;
    const behaviour = (lower: string) => actionBehaviour(lower, { identity: [], ...(resourcePolicy ? { resource: resourcePolicy } : {}) });
    const bySig = new Map<string, number[]>();
    for (const i of [...interesting].sort((a, b) => a - b)) {
      if (opts.actionFilter !== undefined && !opts.actionFilter(u.lower[i]!)) continue;
      if (trust && fmt(u.names[i]!).formats.length === 0) continue;
      const sig = `${sigOf.get(i) ?? ''}#${behaviour(u.lower[i]!)}`;
      const list = bySig.get(sig);
      if (list === undefined) bySig.set(sig, [i]);
      else list.push(i);
    }
    const out: Group[] = [];
    for (const [sig, idx] of bySig) {
      const involved = sig
        .slice(0, sig.indexOf('#'))
        .split(',')
        .filter((s) => s !== '')
        .map((s) => stmts[Number(s)]!);
      const names = idx.map((i) => u.names[i]!);
      if (opts.resourceTypes === 'any' && !trust) {
        out.push({ actions: names, formats: 'any', star: true });
        continue;
      }
      const trivial = !trust && !opts.resourceRestricted && involved.every((s) => isAnyResource(s));
      if (trivial) {
        const f = fmt(names[0]!);
        out.push({ actions: names, formats: f.formats, star: f.star });
        continue;
      }
      const byFormats = new Map<string, string[]>();
      // Formats no Resource pattern of the statements can name (another service) give every atom the same
      // value on every resource of them: one group stands for all of them (not with an added resource restriction).
      const services = trust || opts.resourceRestricted ? undefined : patternServices(involved);
      for (const n of names) {
        const f = fmt(n);
        const k =
          services !== undefined &&
          f.formats.every((x) => {
            const svc = serviceOf(x);
            return svc !== undefined && !services.has(svc);
          })
            ? 'unnamed'
            : `${f.star}|${f.formats.join('\n')}`;
        const list = byFormats.get(k);
        if (list === undefined) byFormats.set(k, [n]);
        else list.push(n);
      }
      for (const list of byFormats.values()) {
        const f = fmt(list[0]!);
        out.push({ actions: list, formats: f.formats, star: f.star });
      }
    }
    return out;
  }

  problem(g: Group, opts: ProblemOptions = {}): Problem {
    return new Problem(g.formats, g.star, opts.keyModes, opts.callers, this.witnessCache);
  }

  /**
   * Solves `f` (built on `p` for the group's first action); throws Undecided.
   * When `f` reads atoms tied by policy variables, solutions are made
   * concrete one after another (concrete.ts); none realized → Undecided.
   */
  solveIn(p: Problem, g: Group, f: Formula): Solution {
    if (f.t === 'const' && !f.b) return { sat: false };
    // No cells needed when the atoms as free Booleans cannot satisfy it (a policy against itself, or a subset of it).
    if (propositionallyUnsat(f)) return { sat: false };
    const order = [...varsOf(f)].sort((a, b) => a - b);
    const cells: Cells[] = p.vars.map((_, v) => (v === 0 || order.includes(v) ? p.cells(v) : { values: [], atoms: [] }));
    if (cells[0]!.values.length === 0) return { sat: false };
    const atoms = cells.map((c) => c.atoms);
    if (!readsLinks(p, f)) {
      const sol = solve(f, order, atoms);
      return sol === undefined ? { sat: false } : { sat: true, problem: p, choice: sol, witness: this.witnessOf(p, g, order, cells, sol) };
    }
    let tried = 0;
    for (const sol of solutions(f, order, atoms)) {
      const w = concretize(p, f, sol, this.witnessOf(p, g, order, cells, sol));
      if (w !== undefined) return { sat: true, problem: p, choice: sol, witness: w };
      if (++tried >= MAX_LINKED_SOLUTIONS) break;
    }
    if (tried === 0) return { sat: false };
    const keys = linkedKeys(p, f).map((k) => `\${${k}}`);
    throw new Undecided(
      `the policy variables ${keys.join(', ')} tie request values together, and no request found for ${tried} candidate solutions realizes one`,
    );
  }

  private witnessOf(p: Problem, g: Group, order: readonly number[], cells: readonly Cells[], sol: ReadonlyMap<number, number>): Witness {
    const context: ContextValue[] = [];
    let caller: string | undefined;
    for (const v of order) {
      const x = p.vars[v]!;
      const value = cells[v]!.values[sol.get(v) ?? 0];
      if (x.kind === 'key' && value !== undefined && typeof value !== 'string') context.push(value);
      if (x.kind === 'principal' && typeof value === 'string') caller = value;
    }
    const chosen = cells[0]!.values[sol.get(0) ?? 0] as string;
    const action = g.actions[0]!;
    const { resource, owner } = p.placeResource(chosen, caller);
    return { action, resource, owner, context, ...(caller !== undefined ? { caller } : {}) };
  }
}

/** Solutions tried for concreteness before a question with policy variables is left undecided. */
const MAX_LINKED_SOLUTIONS = 20;

const ROLE_FORMAT = /^arn:\$\{Partition\}:iam::\$\{Account\}:role\//;

function roleFormats(f: { formats: string[]; star: boolean }): { formats: string[]; star: boolean } {
  return { formats: f.formats.filter((x) => ROLE_FORMAT.test(x)), star: false };
}

/**
 * The service component of an ARN pattern or format, when everything up to it
 * is literal text (a wildcard before it could span colons in a pattern of
 * fewer than six components).
 */
function serviceOf(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 4 || parts.slice(0, 3).some((x) => /[*?$]/.test(x))) return undefined;
  return parts[2] === '' ? undefined : parts[2];
}

/** The services the statements' Resource / NotResource values name literally; undefined when one names none. */
function patternServices(stmts: readonly CompiledStatement[]): Set<string> | undefined {
  const out = new Set<string>();
  for (const st of stmts) {
    for (const v of (st.statement.resource ?? st.statement.notResource)?.values ?? []) {
      const svc = serviceOf(v);
      if (svc === undefined) return undefined;
      out.add(svc);
    }
  }
  return out;
}

function isAnyResource(st: CompiledStatement): boolean {
  const s = st.statement;
  if (s.notResource !== undefined) return false;
  return s.resource === undefined || s.resource.values.includes('*');
}

export { Undecided };
