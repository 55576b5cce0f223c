/**
 * ARNs: `arn:partition:service:region:account:resource` (the resource part
 * may itself contain colons).
 *
 * ArnEquals/ArnLike compare each of the six colon-delimited components
 * separately, with `*` and `?` wildcards inside a component, case-sensitive
 * (IAM User Guide, reference_policies_elements_condition_operators.md,
 * "Amazon Resource Name (ARN) condition operators"). A pattern that does not
 * have six components (e.g. plain `*`) is matched against the whole string.
 */
import type { RequestContextMap } from '../request.js';
import type { TemplatePart } from '../variables.js';
import { compileTemplateProgram, matchProgram, type TemplateProgram } from './template.js';

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Parses an ARN; undefined when `s` does not start with `arn:` or has fewer than six components. */
export function parseArn(s: string): Arn | undefined {
  if (!s.startsWith('arn:')) return undefined;
  const c1 = 3;
  const c2 = s.indexOf(':', c1 + 1);
  if (c2 < 0) return undefined;
  const c3 = s.indexOf(':', c2 + 1);
  if (c3 < 0) return undefined;
  const c4 = s.indexOf(':', c3 + 1);
  if (c4 < 0) return undefined;
  const c5 = s.indexOf(':', c4 + 1);
  if (c5 < 0) return undefined;
  return {
    partition: s.slice(c1 + 1, c2),
    service: s.slice(c2 + 1, c3),
    region: s.slice(c3 + 1, c4),
    account: s.slice(c4 + 1, c5),
    resource: s.slice(c5 + 1),
  };
}

/** An IAM role ARN (`arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`), optionally under a path prefix such as `aws-service-role/`. */
export function isRoleArn(s: string, pathPrefix = ''): boolean {
  const a = parseArn(s);
  return (
    a !== undefined && a.service === 'iam' && a.region === '' && /^\d{12}$/.test(a.account) && a.resource.startsWith(`role/${pathPrefix}`) && a.partition !== ''
  );
}

/** The partition of an ARN (`aws`, `aws-cn`, ...), or `fallback` when `s` is not an ARN. */
export function partitionOf(s: string, fallback = 'aws'): string {
  const p = parseArn(s)?.partition;
  return p === undefined || p === '' ? fallback : p;
}

/** The ARN text of parsed components (inverse of parseArn). */
export function formatArn(a: Arn): string {
  return `arn:${a.partition}:${a.service}:${a.region}:${a.account}:${a.resource}`;
}

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
