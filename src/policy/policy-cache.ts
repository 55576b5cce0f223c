/**
 * Parsed-policy cache keyed by the policy text, then by (type, lenient, name,
 * file). Batches repeat the same policies on many lines; parsing each once
 * keeps the CLI batch fast. Keying by the text string itself (not a
 * concatenation) lets V8 reuse the string's cached hash. Parsed Policy objects
 * are immutable and their compilation is kept with them (eval/compile.ts), so
 * a hit also skips compilation.
 *
 * Two generations: a text seen once waits in a small first generation and
 * moves to the large one when it comes again. A batch whose every line brings
 * new policy text therefore lets each parsed policy die young, instead of
 * filling the large generation with policies that never recur, which the
 * garbage collector would promote and trace again and again.
 */
import type { PolicyType } from './model.js';
import { parsePolicy, type ParseResult } from './parse.js';

type ByOptions = Map<string, ParseResult>;

/** The default sizes (the engine's and each batch thread's): texts seen once, and texts seen again. */
export const DEFAULT_YOUNG_TEXTS = 32;
// The old generation holds every policy text of an account of a few thousand principals (iamsim audit).
export const DEFAULT_OLD_TEXTS = 8192;

/** Names one text is kept under (a trust policy shared by hundreds of roles of an audited account). */
const MAX_NAMES = 4096;
/** Texts compared whole before a lookup: the few policies that the lines of a batch repeat. */
const RECENT = 4;

export class PolicyTextCache {
  private young = new Map<string, ByOptions>();
  private readonly old = new Map<string, ByOptions>();
  /** The texts asked for last, newest first, and their entries: compared whole, they spare hashing a long text. */
  private readonly recentTexts: string[] = [];
  private readonly recentEntries: ByOptions[] = [];

  constructor(
    private readonly youngTexts = DEFAULT_YOUNG_TEXTS,
    private readonly oldTexts = DEFAULT_OLD_TEXTS,
  ) {}

  /** Texts held (both generations). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The most texts held at once. */
  get capacity(): number {
    return this.youngTexts + this.oldTexts;
  }

  parse(text: string, type: PolicyType, name: string, lenient: boolean, file?: string): ParseResult {
    const byOptions = this.entry(text);
    // Strict identity text read for no file (a batch line's PolicyInputList) is keyed by its name alone: no key to build.
    const key = !lenient && file === undefined && type === 'identity' ? name : `\u0001${type}|${lenient ? 1 : 0}|${name}|${file ?? ''}`;
    const hit = byOptions.get(key);
    if (hit !== undefined) return hit;
    // The same text under another name (a batch's lines list their policies in any order, so a text is
    // PolicyInputList.2 on one line and .7 on the next): the name is only the policy's label, so the first
    // parse is relabelled instead of parsing the text again. Compilations stay per name (eval/compile.ts).
    const unnamed = `\u0000${type}|${lenient ? 1 : 0}|${file ?? ''}`;
    const first = byOptions.get(unnamed);
    const res =
      first === undefined
        ? parsePolicy(text, { type, name, lenient, ...(file !== undefined ? { file } : {}) })
        : first.policy === undefined
          ? first
          : { ...first, policy: { ...first.policy, name } };
    if (byOptions.size >= MAX_NAMES) byOptions.clear();
    if (first === undefined) byOptions.set(unnamed, res);
    byOptions.set(key, res);
    return res;
  }

  /** The text's entry: a recent one (equal text), else from the generations. */
  private entry(text: string): ByOptions {
    const recent = this.recentTexts;
    for (let i = 0; i < recent.length; i++) if (recent[i] === text) return this.recentEntries[i] as ByOptions;
    const found = this.lookup(text);
    recent.unshift(text);
    this.recentEntries.unshift(found);
    if (recent.length > RECENT) {
      recent.pop();
      this.recentEntries.pop();
    }
    return found;
  }

  /** From the old generation, promoted from the young one, or new in the young one. */
  private lookup(text: string): ByOptions {
    const old = this.old.get(text);
    if (old !== undefined) return old;
    const young = this.young.get(text);
    if (young !== undefined) {
      this.young.delete(text);
      if (this.old.size >= this.oldTexts) this.old.clear();
      this.old.set(text, young);
      return young;
    }
    // A new map rather than clear(): a cleared map that has grown old keeps pointing at young
    // policies until the next full collection, and the scavenger would copy and promote them all.
    if (this.young.size >= this.youngTexts) this.young = new Map();
    const fresh: ByOptions = new Map();
    this.young.set(text, fresh);
    return fresh;
  }
}
