/**
 * Constants computed on first use. iamsim keeps no module-level mutable state
 * (test/module-state.test.ts): what a module may keep is a constant. Some
 * constants are costly to build and not always needed — the package's
 * location, the case-folding table of the runtime's Unicode data, tables
 * derived from the service catalog shipped with the package — so they are
 * built on first read instead of at load. A value made here is derived only
 * from immutable inputs, is made at most once, and never changes afterwards:
 * every reader, in any engine, sees the same value it would have seen had it
 * been built at load. Caches of answers to callers' input (bounded, evicting)
 * are not constants and belong to an object (the engine, engine/iamsim.ts).
 */

/** A constant built by `make` on the first call, then returned as is. `make` must be pure over immutable inputs. */
export function lazy<T>(make: () => T): () => T {
  let state: { readonly value: T } | undefined;
  return () => {
    state ??= { value: make() };
    return state.value;
  };
}

/**
 * A constant table over a finite domain fixed by immutable data (the catalog's
 * services, the package's files): `get(key)` builds the entry on first read
 * and returns the same value afterwards. Only keys of that domain may be
 * asked (callers check membership first), so the table never outgrows it.
 */
export function lazyTable<K, V>(make: (key: K) => V): (key: K) => V {
  const made = new Map<K, V>();
  return (key) => {
    const known = made.get(key);
    if (known !== undefined || made.has(key)) return known as V;
    const value = make(key);
    made.set(key, value);
    return value;
  };
}

/**
 * A value derived from an object, made once per object on first read and
 * kept only while the object lives: a lazy property its type does not
 * declare (a compiled statement's caller-dependence, a graph's index, a
 * statement's AWS-shaped reference). The object must not change in a way
 * that would change the value, and `make` must depend on the object alone.
 */
export function derived<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    const known = made.get(key);
    if (known !== undefined || made.has(key)) return known as V;
    const value = make(key);
    made.set(key, value);
    return value;
  };
}
