/**
 * Representative resource ARNs. ARN matching is component-wise (the first
 * five colon-separated components, then the rest; eval/match/arn.ts), and so
 * are the formats of the Service Authorization Reference, so the classes of
 * ARNs a set of six-component patterns distinguishes are products of
 * per-component classes: each component is explored alone (small automata)
 * and the representatives are combined. Patterns with fewer components
 * (`*`, `arn:aws:s3:*`) are whole-string patterns: then the product of all
 * automata is explored at once.
 */
import { ALL_STRINGS, Undecided, accepts, componentSeqs, componentsSeq, explore, exploreUnions, formatSeq, literalSeq, type Seq } from './automaton.js';
import type { TemplatePart } from '../eval/variables.js';

const MAX_COMBINATIONS = 20_000;
const NICE: Readonly<Record<string, string>> = { Partition: 'aws', Region: 'us-east-1' };

/** Splits text at its first five colons (fewer parts when it has fewer). */
function splitFive(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (out.length < 5) {
    const i = rest.indexOf(':');
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  out.push(rest);
  return out;
}

/** A Resource pattern as the evaluator splits it (eval/match/resource.ts `resourcePatternComponents`). */
export type Components = readonly (readonly TemplatePart[])[];

function isUniversal(comps: Components): boolean {
  const parts = comps.length === 1 ? comps[0]! : [];
  return parts.length > 0 && parts.every((p) => p.kind === 'text' && /^\*+$/.test(p.text));
}

function niceFill(formatPart: string, account: string): string {
  return formatPart.replace(/\$\{([^}]*)\}/g, (_, name: string) => (name === 'Account' ? account : (NICE[name] ?? 'example')));
}

/** One readable ARN per format (placeholders filled, `${Account}` with `account`). */
export function formatExamples(formats: readonly string[], account: string): string[] {
  return formats.map((f) => niceFill(f, account));
}

/** Remembers per-component representatives (the same formats and patterns recur across action groups). */
export class WitnessCache {
  private readonly map = new Map<string, unknown>();
  get<T>(key: string, compute: () => T): T {
    let hit = this.map.get(key) as T | undefined;
    if (hit === undefined) {
      hit = compute();
      if (this.map.size > 20_000) this.map.clear();
      this.map.set(key, hit);
    }
    return hit;
  }
}

/** Wildcards in a pattern's component, replaced for a readable representative (the account: see `fillAccount`). */
const FILL = ['example', 'aws', 'example', 'us-west-2', '', 'example'];

const acceptsAny = (union: readonly Seq[], s: string): boolean => union.some((a) => accepts(a, s));

/**
 * Per component: nice candidates first, then one automaton witness per class.
 * A union that is constant on the domain (contains it, or misses it) splits
 * nothing and is left out of the product, which is where long Resource lists
 * would otherwise multiply states.
 */
function componentReps(domain: Seq, unions: readonly (readonly Seq[])[], nice: readonly string[]): string[] {
  const head = literalPrefix(domain);
  // Cheaper than automata: members whose literal prefix contradicts the domain's match none of it.
  const lives = unions.map((u) =>
    u.filter((a) => {
      const p = literalPrefix(a);
      return p.startsWith(head) || head.startsWith(p);
    }),
  );
  const split = lives.filter((u) => {
    if (u.length === 0) return false;
    try {
      return exploreUnions([domain], [u], 20_000).length > 1;
    } catch (err) {
      if (err instanceof Undecided) return true;
      throw err;
    }
  });
  const reps = new Map<string, string>();
  for (const s of [...nice, ...exploreUnions([domain], split)]) {
    if (!accepts(domain, s)) continue;
    const sig = split.map((a) => (acceptsAny(a, s) ? '1' : '0')).join('');
    if (!reps.has(sig)) reps.set(sig, s);
  }
  return [...reps.values()];
}

/** The literal text every string of `seq` starts with. */
function literalPrefix(seq: Seq): string {
  let out = '';
  for (const st of seq) {
    if (st.star || st.cls.k !== 'chars' || [...st.cls.chars].length !== 1) break;
    out += st.cls.chars;
  }
  return out;
}

/** Indices grouped by key, in first-seen order. */
function groupBy(keys: readonly string[]): number[][] {
  const m = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const l = m.get(k);
    if (l === undefined) m.set(k, [i]);
    else l.push(i);
  });
  return [...m.values()];
}

function product(lists: readonly string[][]): string[] {
  let n = 1;
  for (const l of lists) n *= l.length;
  if (n > MAX_COMBINATIONS) throw new Undecided(`the resource patterns split the ARN space into more than ${MAX_COMBINATIONS} classes`);
  let out = [''];
  lists.forEach((l, i) => {
    out = out.flatMap((prefix) => l.map((s) => (i === 0 ? s : `${prefix}:${s}`)));
  });
  return out;
}

/** Candidate resources for `formats` (plus `*` when `star`), covering every class of `patterns`. */
export function resourceWitnesses(
  formats: readonly string[],
  star: boolean,
  patterns: readonly Components[],
  literals: readonly string[],
  cache: WitnessCache,
  /** The account for `${Account}` placeholders and wildcards: one no policy of the problem names. */
  fillAccount: string,
  /**
   * Per pattern the atom it belongs to: patterns of one atom are explored as
   * one union (only the atoms' values need representatives). Default: each
   * pattern its own atom.
   */
  units: readonly string[] = patterns.map((_, i) => String(i)),
): string[] {
  // The candidates depend only on the formats, the pattern texts, their atoms and the fill account.
  const kinds = patterns.map((p) => p.map((c) => c.map((x) => x.kind[0]).join('')).join(':')).join(',');
  const key = `W|${star}|${fillAccount}|${formats.join('\n')}|${literals.join('\n')}|${kinds}|${units.join(',')}`;
  return cache.get(key, () => computeWitnesses(formats, star, patterns, literals, cache, fillAccount, units));
}

function computeWitnesses(
  formats: readonly string[],
  star: boolean,
  patterns: readonly Components[],
  literals: readonly string[],
  cache: WitnessCache,
  fillAccount: string,
  units: readonly string[],
): string[] {
  const keep = patterns.map((p) => !isUniversal(p));
  const relevant = patterns.filter((_, i) => keep[i]);
  const relevantLiterals = literals.filter((_, i) => keep[i]);
  const relevantUnits = units.filter((_, i) => keep[i]);
  const comps = relevant.map(componentSeqs);
  // Whole-string exploration: one union per atom. Per component: patterns of one atom whose first five
  // components are the same are one union of their sixth components (they match together or not at all).
  const wholeGroups = groupBy(relevantUnits);
  const compGroups = groupBy(relevant.map((p, i) => `${relevantUnits[i]}|${JSON.stringify(p.length < 6 ? i : p.slice(0, 5))}`));
  const out: string[] = star ? ['*'] : [];
  const account = literals.map((l) => /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(l)?.[1]).find((a) => a !== undefined) ?? fillAccount;
  const wholeNeeded = comps.some((c) => c === undefined);
  for (const f of formats) {
    const fparts = splitFive(f);
    if (wholeNeeded || fparts.length < 6) {
      const nice = [niceFill(f, account), ...literals.map((l) => l.replace(/\*/g, 'example').replace(/\?/g, 'x'))];
      const dom = formatSeq(f);
      const seqs = relevant.map(componentsSeq);
      out.push(
        ...nice.filter((s) => accepts(dom, s)),
        ...exploreUnions(
          [dom],
          wholeGroups.map((g) => g.map((i) => seqs[i]!)),
        ),
      );
      continue;
    }
    const litParts = relevantLiterals.map(splitFive).filter((l) => l.length === 6);
    const lists = fparts.map((fp, c) =>
      cache.get(`${c}|${account}|${fp}|${litParts.map((l) => l[c]).join('\n')}|${compGroups.map((g) => g.join('.')).join(',')}`, () => {
        const fseq = formatSeq(fp).map((st) => (c === 5 && st.cls.k === 'noColon' ? { ...st, cls: { k: 'any' as const } } : st));
        const nice = [niceFill(fp, account), ...litParts.map((l) => l[c]!.replace(/\*/g, c === 4 ? fillAccount : FILL[c]!).replace(/\?/g, 'x'))];
        // Components 0-4 are the same within a group: its first member stands for it.
        const unions = compGroups.map((g) => (c < 5 ? [comps[g[0]!]![c]!] : g.map((i) => comps[i]![c]!)));
        return componentReps(fseq, unions, nice);
      }),
    );
    out.push(...product(lists));
  }
  if (star && formats.length === 0) out.push(...explore([literalSeq('*')], []));
  return out;
}

/**
 * `--resource-types any`: every string is a resource (AWS's checks do not
 * know which resource types an action acts on). Readable candidates first
 * (the patterns with wildcards filled), then one automaton witness per class.
 */
export function anyResourceWitnesses(patterns: readonly Components[], literals: readonly string[], fillAccount: string): string[] {
  const nice = literals.map((l) => {
    const parts = splitFive(l);
    return parts.map((c, i) => c.replace(/\*/g, i === 4 ? fillAccount : (FILL[i] ?? 'example')).replace(/\?/g, 'x')).join(':');
  });
  return ['*', ...nice, ...explore([ALL_STRINGS], patterns.filter((p) => !isUniversal(p)).map(componentsSeq))];
}
