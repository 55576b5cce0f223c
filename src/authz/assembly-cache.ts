/**
 * Reuses `assemble` results (a principal's compiled policies with the
 * resource's, its boundary, SCPs and RCPs) across requests with the same
 * `assemblyKey`. Entries belong to one Universe: asking with another (a
 * reloaded model) starts over. Bounded: past `maxEntries` the oldest entry
 * goes first.
 */
import type { Universe } from '../account/query.js';
import { assemble, assemblyKey, type Assembled, type AuthzRequest } from './assemble.js';

export class AssemblyCache {
  #universe: Universe | undefined;
  readonly #entries = new Map<string, Assembled>();

  constructor(readonly maxEntries = 10_000) {}

  /** The assembled input for `req` over `u`, computed once per key. */
  get(u: Universe, req: AuthzRequest): Assembled {
    if (u !== this.#universe) {
      this.clear();
      this.#universe = u;
    }
    const key = assemblyKey(u, req);
    if (key === undefined) return assemble(u, req);
    let a = this.#entries.get(key);
    if (a === undefined) {
      a = assemble(u, req);
      if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(key, a);
    }
    return a;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
    this.#universe = undefined;
  }
}
