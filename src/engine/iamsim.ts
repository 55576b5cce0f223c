/**
 * The engine object: one value that owns what iamsim keeps between requests —
 * the parsed-and-compiled policy cache (by policy text), the cache of
 * principals' assembled policies (by request shape, for one account model at
 * a time), the evaluator's memo (callers classified, actions lower-cased:
 * `evaluate` on a warm path costs about four times as much without it), and
 * the reasoner's state (Access Analyzer-style checks: action
 * universe, automata, confirmations), and the service catalog's remembered
 * answers (`catalog`: actions by spelling, pattern expansions). Two engines share none of it, so two
 * servers in one process, or a test and the code it runs, never see each
 * other's entries; sizes come from the options and every cache reports its
 * size (`cacheStats`, shown by the server's /metrics).
 *
 * A server keeps one Iamsim (server/engine.ts) and hands it to everything it
 * answers with: the IAM API, /v1/authorize, the Access Analyzer checks and the
 * web console's API.
 */
import { AssemblyCache } from '../authz/assembly-cache.js';
import { Catalog, type CatalogSizes } from '../catalog/catalog-object.js';
import { evaluate } from '../eval/evaluate.js';
import { DEFAULT_EVAL_MEMO_SIZES, EvalMemo } from '../eval/memo.js';
import type { RequestContext } from '../eval/request.js';
import type { Decision, EvaluateOptions, EvaluationInput } from '../eval/types.js';
import { DEFAULT_OLD_TEXTS, DEFAULT_YOUNG_TEXTS, PolicyTextCache } from '../policy/policy-cache.js';
import type { PolicyType } from '../policy/model.js';
import type { ParseResult } from '../policy/parse.js';
import type { ReasonContext } from '../reason/index.js';

/** Cache sizes (entries). */
export interface CacheSizes {
  /** Policy texts kept parsed and compiled once seen twice (default 8,192). */
  readonly policyTexts?: number;
  /** Policy texts seen once, waiting for a second use (default 32). */
  readonly policyTextsYoung?: number;
  /** Principals' assembled policies; past the size, an entry unused since it was last passed over goes (CLOCK; default 10,000). */
  readonly assemblies?: number;
  /** Callers' ARNs the evaluator keeps classified (default 1,024; eval/memo.ts). */
  readonly callers?: number;
  /** Action names the evaluator keeps lower-cased (default 4,096). */
  readonly actions?: number;
}

export interface IamsimOptions {
  readonly caches?: CacheSizes;
  /** The catalog's memos (catalog/catalog-object.ts), or a catalog to use (a test's). */
  readonly catalog?: Catalog | CatalogSizes;
}

/** One cache's fill: entries now and the most it keeps. */
export interface CacheStat {
  readonly cache: string;
  readonly entries: number;
  readonly capacity: number;
}

export const DEFAULT_CACHE_SIZES: Required<CacheSizes> = {
  policyTexts: DEFAULT_OLD_TEXTS,
  policyTextsYoung: DEFAULT_YOUNG_TEXTS,
  assemblies: 10_000,
  callers: DEFAULT_EVAL_MEMO_SIZES.callers,
  actions: DEFAULT_EVAL_MEMO_SIZES.actions,
};

function positive(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`cache size ${name} must be a positive integer, got ${n}`);
  return n;
}

function atLeast2(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`cache size ${name} must be an integer of at least 2, got ${n}`);
  return n;
}

export class Iamsim {
  readonly policies: PolicyTextCache;
  readonly assemblies: AssemblyCache;
  /** What the evaluator remembers between decisions (callers classified, actions lower-cased): pass it to `evaluate`. */
  readonly memo: EvalMemo;
  /** The service catalog's remembered answers (actions by spelling, pattern expansions, compiled Resource patterns): hand it down. */
  readonly catalog: Catalog;
  #reasoning: Promise<ReasonContext> | undefined;
  #reason: ReasonContext | undefined;
  readonly #withMemo: EvaluateOptions;

  constructor(options: IamsimOptions = {}) {
    const sizes = { ...DEFAULT_CACHE_SIZES, ...options.caches };
    this.policies = new PolicyTextCache(positive('policyTextsYoung', sizes.policyTextsYoung), positive('policyTexts', sizes.policyTexts));
    this.memo = new EvalMemo({ callers: atLeast2('callers', sizes.callers), actions: atLeast2('actions', sizes.actions) });
    this.#withMemo = { memo: this.memo };
    this.assemblies = new AssemblyCache(positive('assemblies', sizes.assemblies), this.policies);
    this.catalog = options.catalog instanceof Catalog ? options.catalog : new Catalog(options.catalog);
  }

  /** Decides one request with this engine's memo (eval/evaluate.ts `evaluate`). */
  evaluate(input: EvaluationInput, req: RequestContext, options?: Omit<EvaluateOptions, 'memo'>): Decision {
    return evaluate(input, req, options === undefined ? this.#withMemo : { ...options, memo: this.memo });
  }

  /**
   * The reasoner's state, loaded and made on first use: the reasoner's code is imported then (a dynamic import), so
   * an engine that never reasons — most commands, most servers — never loads it. Its decisions go through this
   * engine's memo.
   */
  reasoning(): Promise<ReasonContext> {
    this.#reasoning ??= import('../reason/index.js').then((m) => {
      this.#reason = m.newReasonContext(this.memo);
      return this.#reason;
    });
    return this.#reasoning;
  }

  /** The reasoner's state once `reasoning()` has made it (a server awaits that when it opens); an error before. */
  get reason(): ReasonContext {
    if (this.#reason === undefined) throw new Error('the reasoner is not loaded yet: await engine.reasoning() first');
    return this.#reason;
  }

  /** Parses (and, on first evaluation, compiles) a policy through this engine's cache. */
  parsePolicy(text: string, type: PolicyType, name: string, lenient: boolean, file?: string): ParseResult {
    return this.policies.parse(text, type, name, lenient, file);
  }

  /** Every cache's fill, for /metrics. */
  cacheStats(): CacheStat[] {
    return [
      { cache: 'policy-texts', entries: this.policies.size, capacity: this.policies.capacity },
      { cache: 'assemblies', entries: this.assemblies.size, capacity: this.assemblies.maxEntries },
      { cache: 'callers', entries: this.memo.callers.size, capacity: this.memo.callers.capacity },
      { cache: 'actions', entries: this.memo.actions.size, capacity: this.memo.actions.capacity },
      ...this.catalog.cacheStats(),
    ];
  }
}
