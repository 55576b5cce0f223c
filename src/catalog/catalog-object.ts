/**
 * The catalog's answers remembered: one object that owns what a long-lived
 * user of the Service Authorization Reference asks again and again — actions
 * looked up by the caller's spelling (a warm batch asks for every line: about
 * 67 ns remembered against 437 ns afresh), Action patterns expanded (an audit
 * expands the same managed policies' patterns for every principal), Resource
 * patterns compiled for matching against ARN formats (lint). The engine owns
 * one (engine/iamsim.ts `Iamsim.catalog`) and hands it down; a library call
 * takes one as a parameter, so a test can pass its own. The reference itself
 * is the package's data, read once into constant tables (actions.ts, arn.ts);
 * only these answers to callers' input are bounded memos (MemoCache), owned
 * here. Same answers as the functions of actions.ts and arn.ts, which compute
 * each afresh.
 */
import { MemoCache } from '../primitives/memo-cache.js';
import { canonicalActionName, expandActionPattern, getAction, resourceTypeOfArn, resourceTypesForAction } from './actions.js';
import { compiledPatternCanMatchFormat, compileResourcePattern, type CompiledResourcePattern } from './arn.js';
import type { ActionInfo, ResourceTypeInfo } from './types.js';

/** Entries each memo keeps. */
export interface CatalogSizes {
  /** Actions by the spelling asked (default 8,192). */
  readonly actions?: number;
  /** Action patterns expanded (default 4,096). */
  readonly expansions?: number;
  /** Resource patterns compiled (default 8,192). */
  readonly resourcePatterns?: number;
}

export const DEFAULT_CATALOG_SIZES: Required<CatalogSizes> = { actions: 8192, expansions: 4096, resourcePatterns: 8192 };

/** `null`: asked and not an action of the reference (a MemoCache keeps no undefined). */
type Lookup = ActionInfo | null;

export class Catalog {
  readonly #actions: MemoCache<string, Lookup>;
  readonly #expansions: MemoCache<string, readonly string[]>;
  readonly #patterns: MemoCache<string, CompiledResourcePattern>;
  readonly #lookup = (action: string): ActionInfo | undefined => this.getAction(action);
  readonly #canMatch = (pattern: string, arnFormat: string): boolean => this.arnPatternCanMatchFormat(pattern, arnFormat);

  constructor(sizes: CatalogSizes = {}) {
    const s = { ...DEFAULT_CATALOG_SIZES, ...sizes };
    this.#actions = new MemoCache(s.actions);
    this.#expansions = new MemoCache(s.expansions);
    this.#patterns = new MemoCache(s.resourcePatterns);
  }

  /** actions.ts `getAction`, remembered by the exact spelling asked. */
  getAction(action: string): ActionInfo | undefined {
    let known = this.#actions.get(action);
    if (known === undefined) {
      known = getAction(action) ?? null;
      this.#actions.set(action, known);
    }
    return known ?? undefined;
  }

  /** actions.ts `canonicalActionName` through this catalog's lookups. */
  canonicalActionName(action: string): string | undefined {
    return canonicalActionName(action, this.#lookup);
  }

  /** actions.ts `expandActionPattern`, remembered by pattern. */
  expandActionPattern(pattern: string): readonly string[] {
    return this.#expansions.through(pattern, (p) => expandActionPattern(p, this.#lookup));
  }

  /** actions.ts `resourceTypesForAction` through this catalog's lookups. */
  resourceTypesForAction(action: string): readonly (ResourceTypeInfo & { required: boolean })[] {
    return resourceTypesForAction(action, this.#lookup);
  }

  /** actions.ts `resourceTypeOfArn` through this catalog's lookups and compiled patterns. */
  resourceTypeOfArn(action: string, arn: string): ResourceTypeInfo | undefined {
    return resourceTypeOfArn(action, arn, this.resourceTypesForAction(action), this.#canMatch);
  }

  /** arn.ts `arnPatternCanMatchFormat`, the pattern compiled once. */
  arnPatternCanMatchFormat(pattern: string, arnFormat: string): boolean {
    return compiledPatternCanMatchFormat(this.#patterns.through(pattern, compileResourcePattern), arnFormat);
  }

  /** Each memo's fill, for /metrics. */
  cacheStats(): { readonly cache: string; readonly entries: number; readonly capacity: number }[] {
    return [
      { cache: 'catalog-actions', entries: this.#actions.size, capacity: this.#actions.capacity },
      { cache: 'catalog-expansions', entries: this.#expansions.size, capacity: this.#expansions.capacity },
      { cache: 'catalog-resource-patterns', entries: this.#patterns.size, capacity: this.#patterns.capacity },
    ];
  }
}
