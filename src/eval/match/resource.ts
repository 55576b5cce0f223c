/**
 * Resource / NotResource values (IAM User Guide, reference_policies_elements_resource.md):
 * case-sensitive ARN matching with `*` and `?` inside each colon-separated
 * segment (a `*` in the resource segment also spans `/` and `:`); `*` alone
 * matches every resource. Policy variables apply only under Version
 * 2012-10-17 and only in the resource segment, after the fifth colon
 * (reference_policies_variables.md, "Resource element"); `${...}` text before
 * it stays literal. A variable with no value makes the pattern match nothing
 * ("Policy variables with no value").
 */
import type { RequestContext, RequestContextMap } from '../request.js';
import { parseTemplate, variablesEnabled, type TemplatePart, type VariablePart } from '../variables.js';
import { compileArnComponents, splitArnParts } from './arn.js';
import { compileWildcard } from '../../primitives/wildcard.js';

export type ResourceMatcher = (resource: string, req: RequestContext, missing: string[] | undefined) => boolean;

/** A variable outside the resource segment: its source text, kept literal. */
function literalParts(raw: string): TemplatePart[] {
  const out: TemplatePart[] = [];
  let text = '';
  for (const ch of raw) {
    if (ch === '*' || ch === '?') {
      if (text !== '') out.push({ kind: 'text', text });
      text = '';
      out.push({ kind: 'escape', text: ch });
    } else text += ch;
  }
  if (text !== '') out.push({ kind: 'text', text });
  return out;
}

const NO_CONTEXT: RequestContextMap = new Map();

function constantMatcher(pattern: string): ResourceMatcher {
  const comps = splitArnParts([{ kind: 'text', text: pattern }]);
  if (comps.length < 6) {
    const m = compileWildcard(pattern, false);
    return (r) => m(r);
  }
  const m = compileArnComponents(comps);
  return (r) => m(r, NO_CONTEXT);
}

/**
 * The pattern as the matcher reads it: six components (variables only in the
 * sixth; `${...}` before the fifth colon kept as literal text), or one
 * whole-string component for a pattern with fewer than six components or
 * without variables in effect (its text, wildcards significant). The reasoner
 * builds its automata from the same split.
 */
export function resourcePatternComponents(pattern: string, version: string | undefined): TemplatePart[][] {
  const whole = [[{ kind: 'text' as const, text: pattern }]];
  if (!variablesEnabled(version) || !pattern.includes('${')) return splitArnParts(whole[0]!).length < 6 ? whole : splitArnParts(whole[0]!);
  const comps = splitArnParts(parseTemplate(pattern));
  if (comps.length < 6) return whole;
  return comps.map((comp, i) => comp.flatMap((p): TemplatePart[] => (p.kind === 'variable' && i < 5 ? literalParts(p.raw) : [p])));
}

export function compileResourcePattern(pattern: string, version: string | undefined): ResourceMatcher {
  if (!variablesEnabled(version) || !pattern.includes('${')) return constantMatcher(pattern);
  const fixed = resourcePatternComponents(pattern, version);
  if (fixed.length < 6) return constantMatcher(pattern);
  const vars: VariablePart[] = [];
  for (const p of fixed[5]!) if (p.kind === 'variable' && !vars.some((v) => v.keyLower === p.keyLower)) vars.push(p);
  const m = compileArnComponents(fixed);
  if (vars.length === 0) return (r) => m(r, NO_CONTEXT);
  return (resource, req, missing) => {
    if (missing !== undefined) {
      for (const v of vars) {
        if (v.defaultValue === undefined && !req.context.has(v.keyLower) && !missing.includes(v.keyLower)) {
          missing.push(v.keyLower);
        }
      }
    }
    return m(resource, req.context);
  };
}
