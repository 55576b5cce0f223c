/**
 * Boolean formulas over atoms, each atom a predicate on ONE request variable
 * (the resource, the caller, one condition key). IAM's matching is such a
 * combination: statements AND their element matches and clauses, a policy
 * ORs its Allows and subtracts its Denies. `solve` looks for one cell per
 * variable making the formula true, evaluating three-valued on partial
 * assignments to prune.
 */
export type Formula =
  | { readonly t: 'atom'; readonly v: number; readonly a: number }
  | { readonly t: 'and' | 'or'; readonly xs: readonly Formula[] }
  | { readonly t: 'not'; readonly x: Formula }
  | { readonly t: 'const'; readonly b: boolean };

export const TRUE: Formula = { t: 'const', b: true };
export const FALSE: Formula = { t: 'const', b: false };

export function and(xs: readonly Formula[]): Formula {
  const kept = xs.filter((x) => !(x.t === 'const' && x.b));
  if (kept.some((x) => x.t === 'const' && !x.b)) return FALSE;
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0]! : { t: 'and', xs: kept };
}

export function or(xs: readonly Formula[]): Formula {
  const kept = xs.filter((x) => !(x.t === 'const' && !x.b));
  if (kept.some((x) => x.t === 'const' && x.b)) return TRUE;
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0]! : { t: 'or', xs: kept };
}

export function not(x: Formula): Formula {
  if (x.t === 'const') return x.b ? FALSE : TRUE;
  if (x.t === 'not') return x.x;
  return { t: 'not', x };
}

/** 1 true, 0 false, -1 unknown. `cells[v]` is the chosen cell's atom values, or undefined. */
export function eval3(f: Formula, cells: readonly (readonly boolean[] | undefined)[]): number {
  switch (f.t) {
    case 'const':
      return f.b ? 1 : 0;
    case 'atom': {
      const c = cells[f.v];
      return c === undefined ? -1 : c[f.a] ? 1 : 0;
    }
    case 'not': {
      const r = eval3(f.x, cells);
      return r < 0 ? r : 1 - r;
    }
    case 'and': {
      let unknown = false;
      for (const x of f.xs) {
        const r = eval3(x, cells);
        if (r === 0) return 0;
        if (r < 0) unknown = true;
      }
      return unknown ? -1 : 1;
    }
    case 'or': {
      let unknown = false;
      for (const x of f.xs) {
        const r = eval3(x, cells);
        if (r === 1) return 1;
        if (r < 0) unknown = true;
      }
      return unknown ? -1 : 0;
    }
  }
}

/** The variables a formula mentions. */
export function varsOf(f: Formula, out = new Set<number>()): Set<number> {
  if (f.t === 'atom') out.add(f.v);
  else if (f.t === 'not') varsOf(f.x, out);
  else if (f.t === 'and' || f.t === 'or') for (const x of f.xs) varsOf(x, out);
  return out;
}

/**
 * Finds cell indices (one per variable of `order`) satisfying `f`, or
 * undefined when none does. `cells[v][i]` is the atom vector of cell i.
 */
export function solve(f: Formula, order: readonly number[], cells: readonly (readonly (readonly boolean[])[])[]): Map<number, number> | undefined {
  const assign: (readonly boolean[] | undefined)[] = cells.map(() => undefined);
  const chosen = new Map<number, number>();
  const go = (k: number): boolean => {
    const r = eval3(f, assign);
    if (r === 0) return false;
    if (r === 1 || k === order.length) {
      if (r !== 1) return false;
      for (const v of order.slice(k)) chosen.set(v, 0);
      return true;
    }
    const v = order[k]!;
    const options = cells[v]!;
    for (let i = 0; i < options.length; i++) {
      assign[v] = options[i];
      chosen.set(v, i);
      if (go(k + 1)) return true;
    }
    assign[v] = undefined;
    chosen.delete(v);
    return false;
  };
  return go(0) ? chosen : undefined;
}

/**
 * Every solution in search order (variables the formula no longer depends on
 * at a solution get cell 0). Each yielded map is a fresh copy.
 */
export function* solutions(f: Formula, order: readonly number[], cells: readonly (readonly (readonly boolean[])[])[]): Generator<Map<number, number>> {
  const assign: (readonly boolean[] | undefined)[] = cells.map(() => undefined);
  const chosen = new Map<number, number>();
  function* go(k: number): Generator<Map<number, number>> {
    const r = eval3(f, assign);
    if (r === 0) return;
    if (r === 1 || k === order.length) {
      if (r !== 1) return;
      const out = new Map(chosen);
      for (const v of order.slice(k)) out.set(v, 0);
      yield out;
      return;
    }
    const v = order[k]!;
    const options = cells[v]!;
    for (let i = 0; i < options.length; i++) {
      assign[v] = options[i];
      chosen.set(v, i);
      yield* go(k + 1);
    }
    assign[v] = undefined;
    chosen.delete(v);
  }
  yield* go(0);
}

/** 1 true, 0 false, -1 unknown, with atoms (interned) assigned one by one. */
function evalAtoms(f: Formula, value: ReadonlyMap<Formula, boolean>): number {
  switch (f.t) {
    case 'const':
      return f.b ? 1 : 0;
    case 'atom': {
      const b = value.get(f);
      return b === undefined ? -1 : b ? 1 : 0;
    }
    case 'not': {
      const r = evalAtoms(f.x, value);
      return r < 0 ? r : 1 - r;
    }
    default: {
      const stop = f.t === 'and' ? 0 : 1;
      let unknown = false;
      for (const x of f.xs) {
        const r = evalAtoms(x, value);
        if (r === stop) return stop;
        if (r < 0) unknown = true;
      }
      return unknown ? -1 : 1 - stop;
    }
  }
}

/**
 * True when no assignment of the atoms as free Booleans satisfies `f` — then
 * no request does, whatever the cells (e.g. a policy compared with itself:
 * `X ∧ ¬X`). Found by a bounded search; false when not shown within `budget`.
 */
export function propositionallyUnsat(f: Formula, budget = 20_000): boolean {
  const canon = new Map<string, Formula>();
  const atoms: Formula[] = [];
  const intern = (x: Formula): Formula => {
    if (x.t === 'atom') {
      const k = `${x.v}:${x.a}`;
      let a = canon.get(k);
      if (a === undefined) {
        a = x;
        canon.set(k, a);
        atoms.push(a);
      }
      return a;
    }
    if (x.t === 'not') return { t: 'not', x: intern(x.x) };
    if (x.t === 'and' || x.t === 'or') return { t: x.t, xs: x.xs.map(intern) };
    return x;
  };
  const g = intern(f);
  const value = new Map<Formula, boolean>();
  let nodes = 0;
  const go = (k: number): boolean | undefined => {
    if (++nodes > budget) return undefined;
    const r = evalAtoms(g, value);
    if (r === 0) return false;
    if (r === 1) return true;
    const a = atoms[k];
    if (a === undefined) return false;
    for (const b of [true, false]) {
      value.set(a, b);
      const s = go(k + 1);
      if (s !== false) {
        value.delete(a);
        return s;
      }
    }
    value.delete(a);
    return false;
  };
  return go(0) === false;
}
