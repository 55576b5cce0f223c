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
import { ALL_STRINGS, Undecided, accepts, componentSeqs, componentsSeq, explore, formatSeq, literalSeq, type Seq } from './automaton.js';
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

/** Per component: nice candidates first, then one automaton witness per class. */
function componentReps(domain: Seq, atoms: readonly Seq[], nice: readonly string[]): string[] {
  const reps = new Map<string, string>();
  for (const s of [...nice, ...explore([domain], atoms)]) {
    if (!accepts(domain, s)) continue;
    const sig = atoms.map((a) => (accepts(a, s) ? '1' : '0')).join('');
    if (!reps.has(sig)) reps.set(sig, s);
  }
  return [...reps.values()];
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
): string[] {
  // The candidates depend only on the formats, the pattern texts and the fill account.
  const kinds = patterns.map((p) => p.map((c) => c.map((x) => x.kind[0]).join('')).join(':')).join(',');
  const key = `W|${star}|${fillAccount}|${formats.join('\n')}|${literals.join('\n')}|${kinds}`;
  return cache.get(key, () => computeWitnesses(formats, star, patterns, literals, cache, fillAccount));
}

function computeWitnesses(
  formats: readonly string[],
  star: boolean,
  patterns: readonly Components[],
  literals: readonly string[],
  cache: WitnessCache,
  fillAccount: string,
): string[] {
  const keep = patterns.map((p) => !isUniversal(p));
  const relevant = patterns.filter((_, i) => keep[i]);
  const relevantLiterals = literals.filter((_, i) => keep[i]);
  const comps = relevant.map(componentSeqs);
  const out: string[] = star ? ['*'] : [];
  const account = literals.map((l) => /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(l)?.[1]).find((a) => a !== undefined) ?? fillAccount;
  const wholeNeeded = comps.some((c) => c === undefined);
  for (const f of formats) {
    const fparts = splitFive(f);
    if (wholeNeeded || fparts.length < 6) {
      const nice = [niceFill(f, account), ...literals.map((l) => l.replace(/\*/g, 'example').replace(/\?/g, 'x'))];
      const dom = formatSeq(f);
      out.push(...nice.filter((s) => accepts(dom, s)), ...explore([dom], relevant.map(componentsSeq)));
      continue;
    }
    const litParts = relevantLiterals.map(splitFive).filter((l) => l.length === 6);
    const lists = fparts.map((fp, c) =>
      cache.get(`${c}|${account}|${fp}|${litParts.map((l) => l[c]).join('\n')}`, () => {
        const fseq = formatSeq(fp).map((st) => (c === 5 && st.cls.k === 'noColon' ? { ...st, cls: { k: 'any' as const } } : st));
        const nice = [niceFill(fp, account), ...litParts.map((l) => l[c]!.replace(/\*/g, c === 4 ? fillAccount : FILL[c]!).replace(/\?/g, 'x'))];
        return componentReps(
          fseq,
          comps.map((x) => x![c]!),
          nice,
        );
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
