/**
 * ARNs: `arn:partition:service:region:account:resource` (the resource part
 * may itself contain colons).
 *
 * ArnEquals/ArnLike compare each of the six colon-delimited components
 * separately, with `*` and `?` wildcards inside a component, case-sensitive
 * (IAM User Guide, reference_policies_elements_condition_operators.md,
 * "Amazon Resource Name (ARN) condition operators"). A pattern that does not
 * have six components (e.g. plain `*`) is matched against the whole string.
 * Parsing and printing ARNs is primitives/arn.ts.
 */
import type { RequestContextMap } from '../request.js';
import type { TemplatePart } from '../variables.js';
import { compileTemplateProgram, matchProgram, type TemplateProgram } from './template.js';

/** Splits template parts into ARN components at the first five colons of policy text. */
export function splitArnParts(parts: readonly TemplatePart[]): TemplatePart[][] {
  const comps: TemplatePart[][] = [[]];
  for (const p of parts) {
    if (p.kind !== 'text') {
      comps[comps.length - 1]!.push(p);
      continue;
    }
    let rest = p.text;
    for (;;) {
      const idx = comps.length < 6 ? rest.indexOf(':') : -1;
      if (idx < 0) {
        if (rest !== '') comps[comps.length - 1]!.push({ kind: 'text', text: rest });
        break;
      }
      if (idx > 0) comps[comps.length - 1]!.push({ kind: 'text', text: rest.slice(0, idx) });
      comps.push([]);
      rest = rest.slice(idx + 1);
    }
  }
  return comps;
}

const NO_CONTEXT: RequestContextMap = new Map();

export type ArnTemplateMatcher = (value: string, context: RequestContextMap) => boolean;

/** Matches six component programs against `value`, without allocating. */
function matchComponents(progs: readonly TemplateProgram[], value: string, context: RequestContextMap): boolean {
  let start = 0;
  for (let c = 0; c < 5; c++) {
    const idx = value.indexOf(':', start);
    if (idx < 0) return false;
    if (!matchProgram(progs[c]!, value, start, idx, context)) return false;
    start = idx + 1;
  }
  return matchProgram(progs[5]!, value, start, value.length, context);
}

/**
 * Compiles ARN template parts (text with wildcards, escapes, variables) into a
 * component-wise matcher. Variables resolve per request; an unresolvable
 * variable makes the pattern match nothing.
 */
export function compileArnTemplate(parts: readonly TemplatePart[]): ArnTemplateMatcher {
  const comps = splitArnParts(parts);
  if (comps.length < 6) {
    const whole = compileTemplateProgram(parts, true);
    return (value, context) => matchProgram(whole, value, 0, value.length, context);
  }
  return compileArnComponents(comps);
}

/** Compiles six already split components (see splitArnParts). */
export function compileArnComponents(comps: readonly (readonly TemplatePart[])[]): ArnTemplateMatcher {
  const progs = comps.map((c) => compileTemplateProgram(c, true));
  if (!progs.some((p) => p.hasVariables)) {
    // Constant pattern: skip the context entirely.
    return (value) => matchComponents(progs, value, NO_CONTEXT);
  }
  return (value, context) => matchComponents(progs, value, context);
}

/** ArnLike semantics for a constant pattern (no policy variables). */
export function compileArnPattern(pattern: string): (value: string) => boolean {
  const m = compileArnTemplate([{ kind: 'text', text: pattern }]);
  return (value) => m(value, NO_CONTEXT);
}
