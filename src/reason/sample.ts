/**
 * Before a group is answered UNKNOWN: plain concrete requests, drawn from
 * the values the policies themselves name (their resources with wildcards
 * filled, the formats' examples, condition values, absent keys, substrings
 * of the resource for keys policy variables read), are tried through the
 * evaluator. A confirmed one is a counterexample like any other (FAIL); none
 * leaves the group undecided. Deterministic: the same question draws the
 * same requests.
 */
import type { ContextValue } from '../eval/request.js';
import { Undecided, accepts, formatSeq } from './automaton.js';
import type { Group, Witness } from './engine.js';
import { substringsOf } from './link.js';
import { formatExamples } from './resource.js';
import { callerCandidates, freshAccount } from './principals.js';
import type { CellValue, Problem } from './problem.js';

/** Requests tried per undecided group. */
const SAMPLES = 400;
/** Actions of the group tried (its first ones). */
const ACTIONS = 4;

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    if (err instanceof Undecided) return undefined;
    throw err;
  }
}

function tryValues(p: Problem, v: number): CellValue[] | undefined {
  return attempt(() => [...p.cells(v).values]);
}

function fillWildcards(s: string): string[] {
  return [s.replace(/\*/g, 'example').replace(/\?/g, 'x'), s.replace(/\*/g, '').replace(/\?/g, 'x')];
}

function resourceCandidates(p: Problem): string[] {
  const rv = p.vars[0]!;
  const out = new Set<string>();
  for (const v of tryValues(p, 0) ?? []) if (typeof v === 'string') out.add(v);
  if (rv.kind === 'resource') for (const l of rv.literals) for (const s of fillWildcards(l)) out.add(s);
  if (p.formats !== 'any') for (const s of formatExamples(p.formats, freshAccount(p.namedAccounts()))) out.add(s);
  if (p.star || p.formats === 'any') out.add('*');
  if (p.formats === 'any') return [...out];
  // Only resources of the actions' resource types (the request space, docs/reason.md).
  const domains = p.formats.map(formatSeq);
  return [...out].filter((s) => (s === '*' ? p.star : domains.some((d) => accepts(d, s))));
}

function keyCandidates(p: Problem, v: number): (ContextValue | undefined)[] {
  const x = p.vars[v]!;
  if (x.kind !== 'key') return [undefined];
  const cells = tryValues(p, v);
  if (cells !== undefined) return cells as (ContextValue | undefined)[];
  const values = new Set<string>(['example']);
  for (const c of x.clauses) for (const val of c.clause.values) for (const s of fillWildcards(val)) values.add(s);
  return [undefined, ...[...values].map((val): ContextValue => ({ key: x.key, type: 'string', values: [val], multivalued: false }))];
}

/** Keys policy variables read that the problem has no variable for (their values come from the request). */
function variableKeys(p: Problem): string[] {
  const out = new Set<string>();
  for (const x of p.vars) {
    if (x.kind === 'resource') for (const l of x.links) for (const k of l.keys) out.add(k);
    if (x.kind === 'linked') for (const k of x.link.keys) out.add(k);
    if (x.kind === 'key') for (const l of x.links) for (const k of l.link.keys) out.add(k);
  }
  for (const k of [...out]) if (p.keyVarOf(k) !== undefined) out.delete(k);
  return [...out];
}

/** A small deterministic generator (the same question, the same requests). */
function* lcg(seed: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    yield x;
  }
}

export function sampleWitness(p: Problem, g: Group, confirm: (w: Witness) => boolean): Witness | undefined {
  const resources = resourceCandidates(p);
  if (resources.length === 0) return undefined;
  const keyVars = p.vars.map((x, v) => (x.kind === 'key' ? v : -1)).filter((v) => v >= 0);
  const keyStates = keyVars.map((v) => keyCandidates(p, v));
  const pv = p.vars.findIndex((x) => x.kind === 'principal');
  const pvar = pv < 0 ? undefined : p.vars[pv];
  let callers: (string | undefined)[] = [undefined];
  if (pvar?.kind === 'principal') {
    const blocks = pvar.blocks;
    const cells = tryValues(p, pv) ?? attempt(() => callerCandidates(blocks, p.namedAccounts()));
    callers = (cells ?? []).filter((c): c is string => typeof c === 'string');
    if (callers.length === 0) return undefined;
  }
  const free = variableKeys(p);
  const rnd = lcg(17 + resources.length * 31 + keyVars.length);
  const pick = <T>(xs: readonly T[]): T => xs[rnd.next().value % xs.length]!;
  const actions = g.actions.slice(0, ACTIONS);
  for (let i = 0; i < SAMPLES; i++) {
    const chosen = pick(resources);
    const caller = pick(callers);
    const context: ContextValue[] = [];
    for (const states of keyStates) {
      const s = pick(states);
      if (s !== undefined) context.push(s);
    }
    const strings = [...substringsOf(chosen, 20), 'example', ...context.flatMap((cv) => cv.values)];
    for (const k of free) {
      if (rnd.next().value % 3 === 0) continue;
      context.push({ key: k, type: 'string', values: [pick(strings)], multivalued: false });
    }
    const { resource, owner } = p.placeResource(chosen, caller);
    const w: Witness = { action: pick(actions), resource, owner, context, ...(caller !== undefined ? { caller } : {}) };
    if (confirm(w)) return w;
  }
  return undefined;
}
