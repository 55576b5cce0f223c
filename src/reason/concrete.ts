/**
 * Turns a solution that chose values for linked atoms (policy variables,
 * link.ts) into a request: values for the keys the links read, and if need
 * be another resource of the same class, such that every atom the formula
 * reads has the chosen value — decided by the evaluator's own predicates.
 */
import type { ContextValue, RequestContextMap } from '../eval/request.js';
import type { Witness } from './witness.js';
import type { Formula } from './formula.js';
import { atomRefs, realizeLinks, substringsOf, type KeyChoice, type Wanted } from './link.js';
import { NO_CONTEXT_REQUEST } from './keys.js';
import type { KeyVar, Problem, ResourceVar } from './problem.js';

/** True when the formula reads a linked atom of `p`. */
export function readsLinks(p: Problem, f: Formula): boolean {
  const refs = atomRefs(f);
  const rv = p.vars[0] as ResourceVar;
  return (
    rv.linkAt.some((a) => refs.has(`0:${a}`)) ||
    p.vars.some((x, v) => (x.kind === 'linked' && refs.has(`${v}:0`)) || (x.kind === 'key' && x.links.some((l) => refs.has(`${v}:${l.atom}`))))
  );
}

/** The keys the variables of the formula's linked atoms read (for messages). */
export function linkedKeys(p: Problem, f: Formula): string[] {
  const refs = atomRefs(f);
  const rv = p.vars[0] as ResourceVar;
  const keys = new Set<string>();
  rv.links.forEach((l, k) => {
    if (refs.has(`0:${rv.linkAt[k]}`)) for (const key of l.keys) keys.add(key);
  });
  p.vars.forEach((x, v) => {
    if (x.kind === 'linked' && refs.has(`${v}:0`)) for (const key of x.link.keys.slice(1)) keys.add(key);
    if (x.kind === 'key') for (const l of x.links) if (refs.has(`${v}:${l.atom}`)) for (const key of l.link.keys.slice(1)) keys.add(key);
  });
  return [...keys];
}

export function concretize(p: Problem, f: Formula, choice: ReadonlyMap<number, number>, w: Witness): Witness | undefined {
  const refs = atomRefs(f);
  const rv = p.vars[0] as ResourceVar;
  const vec0 = p.cells(0).atoms[choice.get(0) ?? 0] ?? [];
  const wanted: Wanted[] = [];
  rv.links.forEach((l, k) => {
    const a = rv.linkAt[k]!;
    if (refs.has(`0:${a}`)) wanted.push({ match: l.match, value: vec0[a]!, keys: l.keys });
  });
  p.vars.forEach((x, v) => {
    if (x.kind === 'linked' && refs.has(`${v}:0`)) wanted.push({ match: x.link.match, value: p.cells(v).atoms[choice.get(v) ?? 0]![0]!, keys: x.link.keys });
    if (x.kind !== 'key') return;
    for (const l of x.links) {
      if (refs.has(`${v}:${l.atom}`)) wanted.push({ match: l.link.match, value: p.cells(v).atoms[choice.get(v) ?? 0]![l.atom]!, keys: l.link.keys });
    }
  });
  if (wanted.length === 0) return w;
  const keys = [...new Set(wanted.flatMap((x) => x.keys))];
  const strings = candidateStrings(w, keys);
  const choices = keys.map((k) => keyChoice(p, k, w, strings));
  const keyVars = keys.map((k) => p.keyVarOf(k)).filter((v): v is number => v !== undefined && choice.has(v));
  const accept = (resource: string, context: RequestContextMap): boolean => {
    for (const v of keyVars) {
      const x = p.vars[v] as KeyVar;
      const want = p.cells(v).atoms[choice.get(v)!]!;
      const cv = context.get(x.key.toLowerCase());
      if (!x.clauses.every((c, a) => x.links.some((l) => l.atom === a) || c.evaluate(cv, NO_CONTEXT_REQUEST) === want[a])) return false;
    }
    if (resource === w.resource) return true;
    return rv.atoms.every((m, a) => rv.linkAt.includes(a) || !refs.has(`0:${a}`) || m(resource) === vec0[a]);
  };
  const found = realizeLinks([w.resource, ...instances(rv, refs, vec0, w.resource)], w.context, choices, wanted, accept);
  return found === undefined ? undefined : { ...w, resource: found.resource, context: found.context };
}

/**
 * Resources a wanted Resource link matches: each of its patterns with the
 * variables given their default (or `example`) and wildcards filled.
 */
function instances(rv: ResourceVar, refs: ReadonlySet<string>, vec0: readonly boolean[], resource: string): string[] {
  const account = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? '123456789012';
  const out: string[] = [];
  rv.links.forEach((l, k) => {
    const a = rv.linkAt[k]!;
    if (!refs.has(`0:${a}`) || vec0[a] === l.negated) return;
    for (const comps of l.values) {
      const text = comps.map((c, i) =>
        c
          .map((p) =>
            p.kind === 'variable'
              ? (p.defaultValue ?? 'example')
              : p.kind === 'escape'
                ? p.text
                : p.text.replace(/\*/g, i === 4 ? account : 'example').replace(/\?/g, 'x'),
          )
          .join(''),
      );
      out.push(text.join(':'));
    }
  });
  return out.filter((r) => r !== resource);
}

/** Strings a key may take: the resource's substrings, the request's other values, `example`. */
function candidateStrings(w: Witness, keys: readonly string[]): string[] {
  const out = new Set<string>();
  for (const cv of w.context) for (const v of cv.values) out.add(v);
  for (const s of substringsOf(w.resource)) out.add(s);
  out.add('example');
  out.add(w.resource);
  if (w.caller !== undefined) out.add(w.caller);
  for (const k of keys) out.delete(k);
  return [...out].slice(0, 150);
}

function keyChoice(p: Problem, key: string, w: Witness, strings: readonly string[]): KeyChoice {
  if (p.fixedKeys.has(key)) return { key, states: [p.fixedKeys.get(key)] };
  const current = w.context.find((cv) => cv.key.toLowerCase() === key);
  const known = p.keyStates(key);
  const proto: ContextValue = current ?? known[0] ?? { key, type: 'string', values: [], multivalued: false };
  const single = (v: string): ContextValue => ({ ...proto, values: [v] });
  const states: (ContextValue | undefined)[] = [current, undefined, ...known, ...strings.map(single)];
  return { key, states: states.filter((s, i) => i === 0 || s !== current) };
}
