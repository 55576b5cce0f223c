/**
 * A wildcard program whose literals may come from policy variables resolved
 * per request. Substituted values are matched literally: a `*` inside a tag
 * value is not a wildcard (the `${*}` escape exists precisely because only
 * policy text carries wildcards; IAM User Guide, reference_policies_variables.md,
 * "Special characters").
 */
import type { RequestContextMap } from '../request.js';
import { resolveVariable, type TemplatePart, type VariablePart } from '../variables.js';
import { OP_ANY, OP_LIT, matchOps, pushLiteral, pushWildcardText, specialise } from '../../primitives/wildcard.js';

export interface TemplateProgram {
  readonly ops: Uint8Array;
  /** Static literals; '' at variable slots. */
  readonly lits: readonly string[];
  /** Variable at each op index (undefined for static ops). */
  readonly slots: readonly (VariablePart | undefined)[];
  readonly hasVariables: boolean;
  /** Reused buffer for resolved literals (evaluation is synchronous). */
  readonly scratch: string[];
  /** Predicate for programs without variables. */
  readonly constant: ((value: string) => boolean) | undefined;
}

/**
 * Compiles template parts. With `wildcards` false, text is literal too
 * (StringEquals, Bool); with true `*`/`?` in text are wildcards.
 */
export function compileTemplateProgram(parts: readonly TemplatePart[], wildcards: boolean): TemplateProgram {
  const fOps: number[] = [];
  const fLits: string[] = [];
  const fSlots: (VariablePart | undefined)[] = [];
  for (const p of parts) {
    if (p.kind === 'variable') {
      fOps.push(OP_LIT);
      fLits.push('');
      fSlots.push(p);
      continue;
    }
    const ops: number[] = [];
    const lits: string[] = [];
    if (p.kind === 'text' && wildcards) pushWildcardText(p.text, ops, lits);
    else pushLiteral(p.text, ops, lits);
    for (let i = 0; i < ops.length; i++) {
      const last = fOps.length - 1;
      const op = ops[i]!;
      if (op === OP_LIT && last >= 0 && fOps[last] === OP_LIT && fSlots[last] === undefined) {
        fLits[last] += lits[i]!;
      } else if (op === OP_ANY && last >= 0 && fOps[last] === OP_ANY) {
        // `**` is the same as `*`.
      } else {
        fOps.push(op);
        fLits.push(lits[i]!);
        fSlots.push(undefined);
      }
    }
  }
  const hasVariables = fSlots.some((s) => s !== undefined);
  const opArr = Uint8Array.from(fOps);
  return {
    ops: opArr,
    lits: fLits,
    slots: fSlots,
    hasVariables,
    scratch: fLits.slice(),
    constant: hasVariables ? undefined : specialise({ ops: opArr, lits: fLits }),
  };
}

/**
 * Fills `prog.scratch` with the request's variable values. Returns false
 * when a variable has no value (the pattern then matches nothing).
 */
export function resolveProgram(prog: TemplateProgram, context: RequestContextMap): boolean {
  const { slots, scratch } = prog;
  for (let i = 0; i < slots.length; i++) {
    const v = slots[i];
    if (v === undefined) continue;
    const r = resolveVariable(v, context);
    if (r === undefined) return false;
    scratch[i] = r;
  }
  return true;
}

/** Matches `s[from, to)`; variables are resolved from `context`. */
export function matchProgram(prog: TemplateProgram, s: string, from: number, to: number, context: RequestContextMap): boolean {
  if (!prog.hasVariables) {
    if (from === 0 && to === s.length && prog.constant !== undefined) return prog.constant(s);
    return matchOps(prog.ops, prog.lits, s, from, to);
  }
  if (!resolveProgram(prog, context)) return false;
  return matchOps(prog.ops, prog.scratch, s, from, to);
}
