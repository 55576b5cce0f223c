/**
 * Reuses `assemble` results (a principal's compiled policies with the
 * resource's, its boundary, SCPs and RCPs) across requests with the same
 * `assemblyKey`, and the context keys AWS derives for each (principal,
 * resource). Entries belong to one Universe: asking with another (a
 * reloaded model) starts over. Bounded: past `maxEntries` an entry not used
 * since it was last passed over goes (second chance, the CLOCK approximation
 * of least recently used: a hit only sets a flag, so the warm path stays a
 * lookup). Policies are parsed through `policies` when given
 * (the engine's cache, engine/iamsim.ts).
 */
import type { Universe } from '../account/query.js';
import type { ContextValue } from '../eval/request.js';
import type { PolicyTextCache } from '../policy/policy-cache.js';
import { assemble, assemblyKey, type Assembled, type AuthzRequest } from './assemble.js';
import { derivedKeys } from './context.js';
import { structured } from './request.js';

/** Resources whose derived keys are kept per assembled input. */
const KEYS_PER_ASSEMBLY = 256;

export class AssemblyCache {
  #universe: Universe | undefined;
  readonly #entries = new Map<string, { readonly assembled: Assembled; used: boolean }>();
  #keys = new WeakMap<Assembled, Map<string, ReadonlyMap<string, ContextValue>>>();

  constructor(
    readonly maxEntries = 10_000,
    readonly policies?: PolicyTextCache,
  ) {}

  /** The assembled input for `req` over `u`, computed once per key. */
  get(u: Universe, req: AuthzRequest): Assembled {
    if (u !== this.#universe) {
      this.clear();
      this.#universe = u;
    }
    const key = assemblyKey(u, req);
    if (key === undefined) return assemble(u, req, this.policies);
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      hit.used = true;
      return hit.assembled;
    }
    const a = assemble(u, req, this.policies);
    if (this.#entries.size >= this.maxEntries) this.#evictOne();
    this.#entries.set(key, { assembled: a, used: false });
    return a;
  }

  /** `derivedKeys` for a request whose input is `a` (from `get`), computed once per resource. */
  derivedKeys(u: Universe, req: AuthzRequest, a: Assembled): ReadonlyMap<string, ContextValue> {
    let byResource = this.#keys.get(a);
    if (byResource === undefined) {
      byResource = new Map();
      this.#keys.set(a, byResource);
    }
    let keys = byResource.get(req.resource);
    if (keys === undefined) {
      keys = derivedKeys(u, structured(req), a.resolved, a.input.resourceOwnerAccount);
      if (byResource.size >= KEYS_PER_ASSEMBLY) byResource.clear();
      byResource.set(req.resource, keys);
    }
    return keys;
  }

  /** Drops the oldest entry not used since it was last passed over; used ones go to the back, their flag cleared. */
  #evictOne(): void {
    for (const [key, e] of this.#entries) {
      this.#entries.delete(key);
      if (!e.used) return;
      e.used = false;
      this.#entries.set(key, e);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
    this.#keys = new WeakMap();
    this.#universe = undefined;
  }
}
