/**
 * Wildcard languages as automata. Every string constraint IAM uses — a
 * Resource value, a StringLike/StringEquals(IgnoreCase) value, an ArnLike
 * value, an ARN format of the Service Authorization Reference — is a
 * *sequence of steps*, each a character class taken once or any number of
 * times. `explore` runs the product of several sequences (subset
 * construction, breadth first) and returns, for every combination of
 * "which sequences accept" that some string realizes, the shortest such
 * string. That decides emptiness and containment between patterns exactly.
 *
 * The sequences are built from the evaluator's own compiled programs
 * (primitives/wildcard ops, eval/match/arn component split), so the
 * languages are the evaluator's matching rules, not a second reading of them.
 */
import { arnFormatSteps } from '../catalog/arn.js';
import { splitArnParts } from '../eval/match/arn.js';
import { OP_ANY, OP_LIT, compileWildcardOps } from '../primitives/wildcard.js';
import type { TemplatePart } from '../eval/variables.js';
import { foldCase, foldTable } from '../primitives/case-fold.js';

export type Cls = { readonly k: 'chars'; readonly chars: string } | { readonly k: 'any' } | { readonly k: 'noColon' };
export interface Step {
  readonly cls: Cls;
  readonly star: boolean;
}
export type Seq = readonly Step[];

/** A question the native procedure does not decide; the check answers UNKNOWN with `message`. */
export class Undecided extends Error {}

const ANY: Cls = { k: 'any' };
const NO_COLON: Cls = { k: 'noColon' };

function lit(ch: string): Step {
  return { cls: { k: 'chars', chars: ch }, star: false };
}

/** Exactly `text`. */
export function literalSeq(text: string): Step[] {
  return [...text].map(lit);
}

/**
 * Every string whose fold (primitives/case-fold.ts, the evaluator's own) is
 * the fold of `text` (StringEqualsIgnoreCase): per folded character, the class
 * of all characters that fold to it. Characters whose fold is several code
 * points or depends on context (U+0130, Σ) cannot be expressed one character
 * at a time: when the folded text contains what they fold to, the question is
 * not decided.
 */
export function ignoreCaseSeq(text: string): Step[] {
  const folded = foldCase(text);
  const table = foldTable();
  for (const [ch, folds] of table.irregular) {
    const hit = folds.find((f) => folded.includes(f));
    if (hit !== undefined) {
      throw new Undecided(
        `case-insensitive comparison of ${JSON.stringify(text)}: ${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) also folds to ${JSON.stringify(hit)}, which is not decided`,
      );
    }
  }
  return [...folded].map((ch) => {
    const cls = table.preimages(ch);
    return cls === ch ? lit(ch) : { cls: { k: 'chars', chars: cls }, star: false };
  });
}

/** `*` any run, `?` one character, both of class `cls`; other characters literal. */
export function wildcardSeq(text: string, cls: Cls = ANY): Step[] {
  const w = compileWildcardOps(text);
  const out: Step[] = [];
  w.ops.forEach((op, i) => {
    if (op === OP_LIT) out.push(...literalSeq(w.lits[i] ?? ''));
    else out.push({ cls, star: op === OP_ANY });
  });
  return out;
}

function partsSeq(parts: readonly TemplatePart[], cls: Cls): Step[] {
  const out: Step[] = [];
  for (const p of parts) {
    if (p.kind === 'text') out.push(...wildcardSeq(p.text, cls));
    else if (p.kind === 'escape') out.push(lit(p.text));
    else throw new Undecided(`the policy variable ${p.raw} ties this value to another request value`);
  }
  return out;
}

/**
 * ARN matching (Resource values, ArnLike): with six components, each of the
 * first five matches a colon-free run and the sixth anything; with fewer the
 * whole string is one wildcard pattern (eval/match/arn.ts).
 */
export function arnSeq(parts: readonly TemplatePart[]): Step[] {
  const comps = splitArnParts(parts);
  if (comps.length < 6) return partsSeq(parts, ANY);
  const out: Step[] = [];
  comps.forEach((comp, i) => {
    if (i > 0) out.push(lit(':'));
    out.push(...partsSeq(comp, i < 5 ? NO_COLON : ANY));
  });
  return out;
}

/**
 * A Resource pattern split as the evaluator reads it (eval/match/resource.ts
 * `resourcePatternComponents`): one whole-string component, or six.
 */
export function componentsSeq(comps: readonly (readonly TemplatePart[])[]): Step[] {
  if (comps.length < 6) return partsSeq(comps[0] ?? [], ANY);
  const out: Step[] = [];
  comps.forEach((comp, i) => {
    if (i > 0) out.push(lit(':'));
    out.push(...partsSeq(comp, i < 5 ? NO_COLON : ANY));
  });
  return out;
}

/** The six component sequences of a split Resource pattern, or undefined when it is a whole-string pattern. */
export function componentSeqs(comps: readonly (readonly TemplatePart[])[]): Step[][] | undefined {
  if (comps.length < 6) return undefined;
  return comps.map((comp, i) => partsSeq(comp, i < 5 ? NO_COLON : ANY));
}

/** The language of an ARN format (catalog/arn.ts compilation). */
export function formatSeq(format: string): Step[] {
  return arnFormatSteps(format).map((s) => ({
    cls: s.cls.kind === 'lit' ? { k: 'chars', chars: s.cls.ch } : s.cls.kind === 'noColon' ? NO_COLON : ANY,
    star: s.star,
  }));
}

/** Every string. */
export const ALL_STRINGS: Seq = [{ cls: ANY, star: true }];

/**
 * `opaque`: characters that stand for a whole policy-variable value (any
 * string): only a `*` of class any, or the same character named by a step,
 * can take them (reason/link.ts).
 */
function matches(st: Step, ch: string, opaque: ReadonlySet<string> | undefined): boolean {
  const cls = st.cls;
  if (opaque?.has(ch) === true) return (cls.k === 'any' && st.star) || (cls.k === 'chars' && cls.chars.includes(ch));
  if (cls.k === 'any') return true;
  if (cls.k === 'noColon') return ch !== ':';
  return cls.chars.includes(ch);
}

function closure(seq: Seq, positions: readonly number[]): number[] {
  const set = new Set(positions);
  const stack = [...positions];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seq[i]?.star === true && !set.has(i + 1)) {
      set.add(i + 1);
      stack.push(i + 1);
    }
  }
  return [...set].sort((a, b) => a - b);
}

function advance(seq: Seq, positions: readonly number[], ch: string, opaque?: ReadonlySet<string>): number[] {
  const next: number[] = [];
  for (const i of positions) {
    const st = seq[i];
    if (st === undefined || !matches(st, ch, opaque)) continue;
    next.push(st.star ? i : i + 1);
  }
  return next.length === 0 ? next : closure(seq, next);
}

/** A character that no step names, standing for every such character. */
function freshChar(used: ReadonlySet<string>): string {
  for (const ch of 'xqzjkvwy0123456789XQZJKVWY') if (!used.has(ch)) return ch;
  for (let c = 0xe000; ; c++) if (!used.has(String.fromCodePoint(c))) return String.fromCodePoint(c);
}

interface Node {
  /** Per domain its positions, then per union per alternative (`TOP` for a union that accepts every continuation). */
  readonly sets: (number[] | typeof TOP)[];
  readonly parent: number;
  readonly ch: string;
}

const TOP = 'T' as const;

function witnessOf(nodes: readonly Node[], idx: number): string {
  let s = '';
  for (let i = idx; i > 0; i = nodes[i]!.parent) s = nodes[i]!.ch + s;
  return s;
}

/** From these positions every continuation is accepted: a `*` of class any followed only by starred steps. */
function universal(seq: Seq, positions: readonly number[]): boolean {
  for (const i of positions) {
    const st = seq[i];
    if (st === undefined || !st.star || st.cls.k !== 'any') continue;
    let rest = true;
    for (let k = i + 1; k < seq.length && rest; k++) rest = seq[k]!.star;
    if (rest) return true;
  }
  return false;
}

/**
 * For strings in the union of `domains`, one shortest witness per distinct
 * vector of "atom i accepts". Throws Undecided past `budget` product states.
 */
export function explore(domains: readonly Seq[], atoms: readonly Seq[], budget = 50_000, opaque?: ReadonlySet<string>): string[] {
  return exploreUnions(
    domains,
    atoms.map((a) => [a]),
    budget,
    opaque,
  );
}

/**
 * `explore` where each atom is a union of sequences (a Resource list, the
 * values of one clause): a union that reached a state accepting every
 * continuation collapses to one state, so a long list of `prefix/*` patterns
 * costs states per list, not per combination of its members.
 */
export function exploreUnions(domains: readonly Seq[], unions: readonly (readonly Seq[])[], budget = 50_000, opaque?: ReadonlySet<string>): string[] {
  const flat = [...domains, ...unions.flat()];
  const used = new Set<string>([':']);
  for (const s of flat) for (const st of s) if (st.cls.k === 'chars') for (const c of st.cls.chars) used.add(c);
  const fresh = freshChar(used);
  const owner: number[] = [...domains.map(() => -1), ...unions.flatMap((u, j) => u.map(() => j))];
  const D = domains.length;
  const collapse = (sets: (number[] | typeof TOP)[]): (number[] | typeof TOP)[] => {
    for (let i = D; i < flat.length; i++) {
      const set = sets[i]!;
      if (set === TOP || !universal(flat[i]!, set)) continue;
      for (let k = D; k < flat.length; k++) if (owner[k] === owner[i]) sets[k] = TOP;
    }
    return sets;
  };
  const nodes: Node[] = [{ sets: collapse(flat.map((s) => closure(s, [0]))), parent: -1, ch: '' }];
  const seen = new Set<string>([key(nodes[0]!.sets)]);
  const found = new Map<string, number>();
  const all = 2 ** Math.min(unions.length, 30);
  for (let n = 0; n < nodes.length && found.size < all; n++) {
    const { sets } = nodes[n]!;
    let alive = false;
    for (let d = 0; d < D; d++) {
      const set = sets[d] as number[];
      if (set.length > 0) alive = true;
      if (set.includes(domains[d]!.length)) {
        const acc = unions.map(() => '0');
        for (let i = D; i < flat.length; i++) {
          const set2 = sets[i]!;
          if (set2 === TOP || set2.includes(flat[i]!.length)) acc[owner[i]!] = '1';
        }
        const val = acc.join('');
        if (!found.has(val)) found.set(val, n);
        break;
      }
    }
    if (!alive) continue;
    for (const ch of relevantChars(flat, sets, fresh)) {
      const next = collapse(sets.map((set, i) => (set === TOP ? TOP : advance(flat[i]!, set, ch, opaque))));
      const k = key(next);
      if (seen.has(k)) continue;
      seen.add(k);
      if (nodes.length >= budget) throw new Undecided(`the string constraints need more than ${budget} automaton states`);
      nodes.push({ sets: next, parent: n, ch });
    }
  }
  return [...found.values()].map((i) => witnessOf(nodes, i));
}

function key(sets: readonly (readonly number[] | typeof TOP)[]): string {
  return sets.map((s) => (s === TOP ? TOP : s.join('.'))).join('|');
}

/** Characters that distinguish states from here: those named by live steps, `:`, and one fresh one. */
function relevantChars(seqs: readonly Seq[], sets: readonly (readonly number[] | typeof TOP)[], fresh: string): string[] {
  const out = new Set<string>([fresh, ':']);
  seqs.forEach((s, i) => {
    const set = sets[i]!;
    if (set === TOP) return;
    for (const p of set) {
      const st = s[p];
      if (st?.cls.k === 'chars') for (const c of st.cls.chars) out.add(c);
    }
  });
  return [...out];
}

/** Does `seq` accept `s`? */
export function accepts(seq: Seq, s: string, opaque?: ReadonlySet<string>): boolean {
  let set = closure(seq, [0]);
  for (const ch of s) {
    set = advance(seq, set, ch, opaque);
    if (set.length === 0) return false;
  }
  return set.includes(seq.length);
}
