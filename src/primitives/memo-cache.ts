/**
 * A bounded memo of answers computed from a key (a caller's ARN classified, an
 * action name lower-cased, a pattern compiled): what an engine keeps so that
 * the warm path is one `Map` lookup. Bounded by `capacity` entries and
 * evicting by approximated least recent use, in two generations: new entries
 * go to the young one; when it is full it becomes the old one (the previous
 * old one is dropped) and a fresh young one starts; a hit in the old
 * generation moves the entry back to the young one. So an entry used at least
 * once per `capacity / 2` new keys stays, and one not used for `capacity` new
 * keys is gone. A hit in the young generation costs one lookup and no write.
 *
 * Never at module level (test/module-state.test.ts): an engine
 * (engine/iamsim.ts) or another object that lives as long as its users owns it.
 */
export class MemoCache<K, V> {
  #young = new Map<K, V>();
  #old = new Map<K, V>();
  readonly #half: number;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`a memo's capacity must be an integer of at least 2, got ${capacity}`);
    this.#half = Math.floor(capacity / 2);
  }

  get(key: K): V | undefined {
    const v = this.#young.get(key);
    if (v !== undefined) return v;
    const old = this.#old.get(key);
    if (old !== undefined) {
      this.#old.delete(key);
      this.set(key, old);
    }
    return old;
  }

  set(key: K, value: V): void {
    if (this.#young.size >= this.#half && !this.#young.has(key)) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
  }

  /** The value for `key`, made by `make` on a miss and kept. */
  through(key: K, make: (key: K) => V): V {
    let v = this.get(key);
    if (v === undefined) {
      v = make(key);
      this.set(key, v);
    }
    return v;
  }

  /** Entries held (at most `capacity`). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
  }
}
