/**
 * The one case folding of the evaluator (…IgnoreCase condition operators,
 * Bool values): a string's Unicode default lower-case mapping
 * (`String.prototype.toLowerCase`, locale-independent, SpecialCasing
 * included), compared whole. `KELVIN SIGN` (U+212A) folds to `k`, `İ`
 * (U+0130) to `i` + U+0307, `Σ` to `σ` or, at the end of a word, `ς`.
 *
 * The reasoner needs the inverse: for a folded character, every character
 * that folds to it. `foldTable()` derives it from `foldCase` over every code
 * point (once per process, ~0.1 s), and lists the irregular characters whose
 * fold is several code points or depends on the neighbours.
 */
import { lazy } from './lazy.js';

/** Folds a whole string (what `…IgnoreCase` operators compare). */
export function foldCase(s: string): string {
  return s.toLowerCase();
}

export interface FoldTable {
  /** Every character whose fold alone is `ch` (ch itself included when it folds to itself), as one string. */
  preimages(ch: string): string;
  /** Characters whose fold is several code points or depends on context → every fold they can take. */
  readonly irregular: ReadonlyMap<string, readonly string[]>;
}

const CHUNK = 1024;

function build(): FoldTable {
  const inverse = new Map<string, string>();
  const irregular = new Map<string, string[]>();
  for (let base = 0; base <= 0x10ffff; base += CHUNK) {
    const cps: number[] = [];
    for (let c = base; c < base + CHUNK && c <= 0x10ffff; c++) if (c < 0xd800 || c > 0xdfff) cps.push(c);
    if (cps.length === 0) continue;
    const block = String.fromCodePoint(...cps);
    // A block that folds to itself as a whole has no character that changes (nor any that depends on context).
    if (foldCase(block) === block) continue;
    for (const c of cps) {
      const ch = String.fromCodePoint(c);
      const f = foldCase(ch);
      const inContext = [foldCase(`a${ch}`).slice(1), foldCase(`${ch}a`).slice(0, -1), foldCase(`a${ch}a`).slice(1, -1)];
      if ([...f].length !== 1 || inContext.some((x) => x !== f)) {
        irregular.set(ch, [...new Set([f, ...inContext])]);
        continue;
      }
      if (f !== ch) inverse.set(f, (inverse.get(f) ?? '') + ch);
    }
  }
  return {
    irregular,
    preimages: (ch) => (foldCase(ch) === ch ? ch : '') + (inverse.get(ch) ?? ''),
  };
}

/** The inverse of `foldCase` per character (a constant: a pure function of the runtime's Unicode data). */
export const foldTable: () => FoldTable = lazy(build);
