/**
 * Policy variables (`${aws:username}` in a Resource, `${aws:PrincipalAccount}`
 * in a condition value) tie one request value to another. An atom that reads
 * a variable is a *linked* atom: its truth depends on the resource (or the
 * clause's key) and on the variable's key together.
 *
 * Soundness rests on over-approximation. A PASS needs every atom vector some
 * request realizes to be among the cells; a cell that no request realizes
 * only costs a FAIL, and every FAIL is confirmed by the evaluator. So:
 * - a linked Resource atom is bounded by two constant predicates on the
 *   resource: its constant values (they match whatever the variable holds)
 *   below, and the same patterns with each variable replaced by `*` above
 *   (the union over every value the key can take: a value is substituted
 *   literally, eval/match/template.ts, and `*` in the resource segment takes
 *   any string). Between the bounds the atom is free, except for proven
 *   implications between linked atoms (`implications`);
 * - a linked condition clause is free (its own cells: false, true).
 * A solution is then made concrete (`concretize`): values for the keys the
 * links read, drawn from the request's own strings, are tried through the
 * evaluator's predicates until every atom the formula reads has the value the
 * solution chose. A solution no candidate realizes is not a counterexample:
 * the search moves to the next one, and gives up (UNKNOWN) after a few.
 */
import type { ContextValue, RequestContextMap } from '../eval/request.js';
import { parseTemplate, type TemplatePart } from '../eval/variables.js';
import type { ConditionClause } from '../policy/model.js';
import { Undecided, accepts, arnSeq, componentsSeq, explore, literalSeq, wildcardSeq, type Seq, type Step } from './automaton.js';
import type { Formula } from './formula.js';
import type { Components } from './resource.js';

/** A Resource / NotResource atom that reads policy variables. */
export interface ResourceLink {
  /** The evaluator's predicate (the statement's resource matcher) on a resource and a request context. */
  readonly match: (resource: string, context: RequestContextMap) => boolean;
  /** Lower-cased keys the variables read. */
  readonly keys: readonly string[];
  /** NotResource: the atom is the negation of "some value matches". */
  readonly negated: boolean;
  /** "Some value matches" holds whatever the variables hold (a constant value matches). */
  readonly lower: (resource: string) => boolean;
  /** "Some value matches" for some values of the variables (each variable replaced by `*`). */
  readonly upper: (resource: string) => boolean;
  /** The values as split by the evaluator, variables kept (for `implications`). */
  readonly values: readonly Components[];
}

/** A condition clause that compares with a policy variable. */
export interface ClauseLink {
  readonly match: (resource: string, context: RequestContextMap) => boolean;
  /** The clause's own key and the keys its variables read (lower-cased). */
  readonly keys: readonly string[];
  readonly text: string;
}

/** Each variable part replaced by `*` (the union over every value of the key). */
export function shadowOf(comps: Components): TemplatePart[][] {
  return comps.map((c) => c.map((p): TemplatePart => (p.kind === 'variable' ? { kind: 'text', text: '*' } : p)));
}

/** The shadow pattern as text, for readable candidates and cache keys. */
export function shadowText(comps: Components): string {
  return shadowOf(comps)
    .map((c) => c.map((p) => (p.kind === 'variable' ? '*' : p.text)).join(''))
    .join(':');
}

export function hasVariable(comps: Components): boolean {
  return comps.some((c) => c.some((p) => p.kind === 'variable'));
}

/** The variables' keys (lower-cased). */
export function variableKeys(values: readonly Components[]): string[] {
  const out = new Set<string>();
  for (const comps of values) for (const c of comps) for (const p of c) if (p.kind === 'variable') out.add(p.keyLower);
  return [...out];
}

/**
 * Pairs [i, j] (indices into `links`) where "some value of i matches" implies
 * "some value of j matches" for every request. Decided with each variable as
 * one opaque letter (per key and default, so both sides always read the same
 * value) that only the same variable or a `*` of class any can take: a
 * derivation of that form stays one after the letter is replaced by any value.
 * A containment not proved (or too costly) is simply not used.
 */
export function implications(links: readonly ResourceLink[]): [number, number][] {
  if (links.length < 2) return [];
  const letters = new Letters(links.flatMap((l) => l.values.flatMap((c) => c.flat())));
  const seqs = links.map((l) => l.values.map((comps) => componentsSeq(comps.map((c) => c.map(letters.replace)))));
  return pairs(seqs, letters.opaque());
}

/** One opaque letter per variable (key and default), none of them used in the policy text. */
class Letters {
  private readonly used = new Set<string>();
  private readonly map = new Map<string, string>();
  private code = 0xf000;
  constructor(parts: readonly TemplatePart[]) {
    for (const p of parts) if (p.kind === 'text') for (const ch of p.text) this.used.add(ch);
  }
  readonly replace = (p: TemplatePart): TemplatePart => (p.kind === 'variable' ? { kind: 'escape', text: this.letterOf(p) as '*' } : p);
  private letterOf(p: TemplatePart & { kind: 'variable' }): string {
    const id = `${p.keyLower}\u0000${p.defaultValue ?? '\u0001'}`;
    let l = this.map.get(id);
    if (l === undefined) {
      while (this.used.has(String.fromCharCode(this.code))) this.code++;
      l = String.fromCharCode(this.code++);
      this.map.set(id, l);
    }
    return l;
  }
  opaque(): Set<string> {
    return new Set(this.map.values());
  }
}

function pairs(seqs: readonly (readonly Seq[])[], opaque: ReadonlySet<string>): [number, number][] {
  const out: [number, number][] = [];
  seqs.forEach((_, i) => {
    seqs.forEach((_, j) => {
      if (i !== j && contained(seqs[i]!, seqs[j]!, opaque)) out.push([i, j]);
    });
  });
  return out;
}

/**
 * Implications between clauses with variables on one key: clause i implies
 * clause j when both have the same operator kind, qualifier and IfExists and
 * every value i's test accepts is one j's accepts, whatever the variables
 * hold (as for Resource patterns; negated operators: the other way round).
 */
export function keyImplications(links: readonly KeyLink[]): [number, number][] {
  if (links.length < 2) return [];
  const letters = new Letters(links.flatMap((l) => l.clause.values.flatMap((v) => parseTemplate(v))));
  const seqs = links.map((l) => l.clause.values.map((v) => clauseValueSeq(l.clause.baseOperator, parseTemplate(v).map(letters.replace))));
  const shape = (l: KeyLink): string => `${l.clause.baseOperator.startsWith('Arn')}|${l.clause.setQualifier}|${l.clause.ifExists}|${l.negated}`;
  return pairs(seqs, letters.opaque())
    .filter(([i, j]) => shape(links[i]!) === shape(links[j]!))
    .map(([i, j]) => (links[i]!.negated ? [j, i] : [i, j]));
}

function clauseValueSeq(op: string, parts: readonly TemplatePart[]): Step[] {
  if (op.startsWith('Arn')) return arnSeq(parts);
  const like = op.endsWith('Like');
  return parts.flatMap((p) => (p.kind === 'text' && like ? wildcardSeq(p.text) : literalSeq(p.kind === 'variable' ? '' : p.text)));
}

function contained(inner: readonly Seq[], outer: readonly Seq[], opaque: ReadonlySet<string>): boolean {
  try {
    return inner.every((s) => explore([s], outer, 5000, opaque).every((w) => outer.some((o) => accepts(o, w, opaque))));
  } catch (err) {
    if (err instanceof Undecided) return false;
    throw err;
  }
}

/** The largest number of cells the linked atoms of one variable may expand to. */
const MAX_LINKED_CELLS = 4096;

/**
 * Expands cells (atom vectors whose linked places hold a bound) into every
 * assignment of the linked atoms that `optionsOf` allows (per link: the
 * values of its inner predicate) and the implications between inner
 * predicates keep; `atomOf` maps an inner value to the atom's value.
 */
export function expandCells(
  values: readonly unknown[],
  vectors: readonly (readonly boolean[])[],
  width: number,
  linkAt: readonly number[],
  optionsOf: (vec: readonly boolean[], k: number) => readonly boolean[],
  atomOf: (k: number, inner: boolean) => boolean,
  implied: readonly [number, number][] = [],
): { values: unknown[]; atoms: boolean[][] } {
  const outV: unknown[] = [];
  const outA: boolean[][] = [];
  vectors.forEach((vec, c) => {
    const options = linkAt.map((_, k) => optionsOf(vec, k));
    const inner: boolean[] = [];
    const go = (k: number): void => {
      if (k === linkAt.length) {
        if (implied.some(([i, j]) => inner[i] === true && inner[j] === false)) return;
        if (outV.length >= MAX_LINKED_CELLS) throw new Undecided(`the policy variables give more than ${MAX_LINKED_CELLS} classes of values`);
        const atoms = vec.slice(0, width);
        linkAt.forEach((a, i) => {
          atoms[a] = atomOf(i, inner[i]!);
        });
        outV.push(values[c]);
        outA.push(atoms);
        return;
      }
      for (const o of options[k]!) {
        inner[k] = o;
        go(k + 1);
      }
    };
    go(0);
  });
  return { values: outV, atoms: outA };
}

/**
 * Resource cells: vectors over the atoms (a linked atom's place holding its
 * upper bound) and then one lower bound per link.
 */
export function expandResourceCells(
  values: readonly string[],
  vectors: readonly (readonly boolean[])[],
  linkAt: readonly number[],
  links: readonly ResourceLink[],
  implied: readonly [number, number][],
): { values: unknown[]; atoms: boolean[][] } {
  const width = (vectors[0]?.length ?? links.length) - links.length;
  return expandCells(
    values,
    vectors,
    width,
    linkAt,
    (vec, k) => (vec[width + k] ? [true] : vec[linkAt[k]!] ? [false, true] : [false]),
    (k, inner) => (links[k]!.negated ? !inner : inner),
    implied,
  );
}

/** A clause with a policy variable, bounded by a constant clause on the same key (`shadowClause`). */
export interface KeyLink {
  readonly link: ClauseLink;
  /** The clause as written. */
  readonly clause: ConditionClause;
  /** The clause's index among the key's clauses (where its shadow is evaluated). */
  readonly atom: number;
  /** Negated operator: the shadow is a lower bound (it implies the clause); else an upper bound. */
  readonly negated: boolean;
}

/** Key cells: a linked clause's place holds its shadow's value. */
export function expandKeyCells(
  values: readonly unknown[],
  vectors: readonly (readonly boolean[])[],
  links: readonly KeyLink[],
): { values: unknown[]; atoms: boolean[][] } {
  const width = vectors[0]?.length ?? 0;
  return expandCells(
    values,
    vectors,
    width,
    links.map((l) => l.atom),
    (vec, k) => {
      const shadow = vec[links[k]!.atom]!;
      if (links[k]!.negated) return shadow ? [true] : [false, true];
      return shadow ? [false, true] : [false];
    },
    (_, inner) => inner,
    keyImplications(links),
  );
}

/** Operators whose clause with variables is bounded by a wildcard clause (`*` for each variable). */
const SHADOW: Readonly<Record<string, readonly [string, boolean]>> = {
  StringEquals: ['StringLike', false],
  StringLike: ['StringLike', false],
  StringNotEquals: ['StringNotLike', true],
  StringNotLike: ['StringNotLike', true],
  ArnEquals: ['ArnLike', false],
  ArnLike: ['ArnLike', false],
  ArnNotEquals: ['ArnNotLike', true],
  ArnNotLike: ['ArnNotLike', true],
};

/**
 * The constant clause that bounds a clause with policy variables: each
 * variable (and escape) replaced by `*`, the operator made a wildcard one.
 * Its per-value test accepts every string the clause's accepts, whatever the
 * variables hold (a substituted value is literal text; a literal `*` or `?`
 * read as a wildcard only widens), and the evaluator combines per-value
 * tests monotonically (negated operators: antitonically), so a positive
 * clause implies its shadow and a negated clause is implied by its shadow.
 * Undefined for operators without such a bound (…IgnoreCase, numbers, dates…).
 */
export function shadowClause(clause: ConditionClause): { clause: ConditionClause; negated: boolean } | undefined {
  const s = SHADOW[clause.baseOperator];
  if (s === undefined) return undefined;
  const [base, negated] = s;
  const operator = `${clause.setQualifier !== undefined ? `${clause.setQualifier}:` : ''}${base}${clause.ifExists ? 'IfExists' : ''}`;
  const values = clause.values.map((v) =>
    parseTemplate(v)
      .map((p) => (p.kind === 'text' ? p.text : '*'))
      .join(''),
  );
  return { clause: { ...clause, operator, baseOperator: base, values }, negated };
}

/** Atom references `v:a` a formula reads. */
export function atomRefs(f: Formula, out = new Set<string>()): Set<string> {
  if (f.t === 'atom') out.add(`${f.v}:${f.a}`);
  else if (f.t === 'not') atomRefs(f.x, out);
  else if (f.t === 'and' || f.t === 'or') for (const x of f.xs) atomRefs(x, out);
  return out;
}

/** One linked atom a solution chose a value for. */
export interface Wanted {
  readonly match: (resource: string, context: RequestContextMap) => boolean;
  readonly value: boolean;
  readonly keys: readonly string[];
}

/** A key whose value concretization may change, with the states it may take (first: the solution's). */
export interface KeyChoice {
  readonly key: string;
  readonly states: readonly (ContextValue | undefined)[];
}

/** The largest number of (resource, key values) combinations tried per solution. */
const MAX_TRIES = 20_000;

/**
 * Finds a resource among `resources` and states of `keys` under which every
 * wanted atom has its wanted value; `accept` checks that the combination
 * keeps the other variables' cells. Undefined when none does.
 */
export function realizeLinks(
  resources: readonly string[],
  base: readonly ContextValue[],
  keys: readonly KeyChoice[],
  wanted: readonly Wanted[],
  accept: (resource: string, context: RequestContextMap) => boolean,
): { resource: string; context: ContextValue[] } | undefined {
  const fixed = base.filter((cv) => !keys.some((k) => k.key === cv.key.toLowerCase()));
  let tries = 0;
  for (const resource of resources) {
    const chosen: (ContextValue | undefined)[] = [];
    const go = (i: number): ContextValue[] | undefined => {
      if (tries > MAX_TRIES) return undefined;
      if (i === keys.length) {
        tries++;
        const context = [...fixed, ...chosen.filter((cv): cv is ContextValue => cv !== undefined)];
        const map = new Map(context.map((cv) => [cv.key.toLowerCase(), cv] as const));
        if (!wanted.every((w) => w.match(resource, map) === w.value)) return undefined;
        return accept(resource, map) ? context : undefined;
      }
      for (const s of keys[i]!.states) {
        chosen[i] = s;
        const r = go(i + 1);
        if (r !== undefined) return r;
      }
      return undefined;
    };
    const context = go(0);
    if (context !== undefined) return { resource, context };
  }
  return undefined;
}

/** Strings a variable's value may usefully take for `resource`: its substrings (segments first), bounded. */
export function substringsOf(resource: string, limit = 120): string[] {
  const tail = resource.split(':').slice(5).join(':') || resource;
  const out = new Set<string>();
  for (const seg of tail.split(/[/:]/)) if (seg !== '') out.add(seg);
  out.add(tail);
  for (let i = 0; i < tail.length && out.size < limit; i++) for (let j = i + 1; j <= tail.length && out.size < limit; j++) out.add(tail.slice(i, j));
  return [...out];
}
