/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`
 * and the escapes `${*}`, `${?}`, `${$}`.
 *
 * Rules (IAM User Guide, reference_policies_variables.md):
 * - Variables exist only under `"Version": "2012-10-17"`; under 2008-10-17
 *   or with no Version the text is literal.
 * - Key names are case-insensitive.
 * - A default is written `${key, 'value'}`.
 * - `${*}`, `${?}` and `${$}` stand for the literal characters, never for
 *   wildcards.
 * - Only single-valued keys can be used as variables
 *   (reference_policies_single-vs-multi-valued-condition-keys.md); a
 *   multivalued key is treated as unresolvable (its default applies, if any).
 * - A variable with no value makes the containing value match nothing
 *   ("Policy variables with no value").
 */
import type { RequestContextMap } from './request.js';

/** The policy language version that introduced variables. */
export const VARIABLES_VERSION = '2012-10-17';

export function variablesEnabled(version: string | undefined): boolean {
  return version === VARIABLES_VERSION;
}

export interface TextPart {
  readonly kind: 'text';
  /** Policy text; `*` and `?` in it are wildcards where the consumer supports them. */
  readonly text: string;
}

export interface EscapePart {
  readonly kind: 'escape';
  /** The literal character produced by `${*}`, `${?}` or `${$}` (never a wildcard). */
  readonly text: '*' | '?' | '$';
}

export interface VariablePart {
  readonly kind: 'variable';
  /** The key as written inside `${...}`. */
  readonly key: string;
  readonly keyLower: string;
  readonly defaultValue?: string;
  /** The whole `${...}` source text. */
  readonly raw: string;
}

export type TemplatePart = TextPart | EscapePart | VariablePart;

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Parses `${...}` at `start` (which points at `$`). Returns the part and the
 * index after `}`, or undefined when the text is not a well-formed variable
 * (it then stays literal text).
 */
function parseVariableAt(s: string, start: number): { part: EscapePart | VariablePart; end: number } | undefined {
  let i = start + 2;
  const n = s.length;
  // Special escapes first.
  if (i + 1 < n && s.charCodeAt(i + 1) === 125 /* } */) {
    const ch = s[i];
    if (ch === '*' || ch === '?' || ch === '$') return { part: { kind: 'escape', text: ch }, end: i + 2 };
  }
  const keyStart = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 125 /* } */ || c === 44 /* , */) break;
    if (c === 36 /* $ */ || c === 123 /* { */ || c === 39 /* ' */) return undefined;
    i++;
  }
  if (i >= n) return undefined;
  const key = s.slice(keyStart, i).trim();
  if (key === '') return undefined;
  let defaultValue: string | undefined;
  if (s.charCodeAt(i) === 44) {
    i++;
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 39 /* ' */) return undefined;
    const close = s.indexOf("'", i + 1);
    if (close < 0) return undefined;
    defaultValue = s.slice(i + 1, close);
    i = close + 1;
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 125) return undefined;
  }
  const end = i + 1;
  const part: VariablePart = {
    kind: 'variable',
    key,
    keyLower: key.toLowerCase(),
    raw: s.slice(start, end),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
  };
  return { part, end };
}

/**
 * Splits a policy string into text, escape and variable parts. Adjacent text
 * is merged; malformed `${` sequences stay text. Always substitutes: callers
 * decide (by Version) whether to call this at all.
 */
export function parseTemplate(s: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf('${', i);
    if (dollar < 0) {
      text += s.slice(i);
      break;
    }
    const parsed = parseVariableAt(s, dollar);
    if (parsed === undefined) {
      text += s.slice(i, dollar + 2);
      i = dollar + 2;
      continue;
    }
    text += s.slice(i, dollar);
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push(parsed.part);
    i = parsed.end;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return parts;
}

/** True when `s` contains at least one variable or escape (`${...}`). */
export function hasPolicyVariables(s: string): boolean {
  if (!s.includes('${')) return false;
  for (const p of parseTemplate(s)) if (p.kind !== 'text') return true;
  return false;
}

/** The variable parts of a template (deduplicated by lower-cased key). */
export function variablesOf(parts: readonly TemplatePart[]): VariablePart[] {
  const out: VariablePart[] = [];
  for (const p of parts) {
    if (p.kind === 'variable' && !out.some((o) => o.keyLower === p.keyLower)) out.push(p);
  }
  return out;
}

/**
 * The value of a variable in a request, or undefined when it has no value
 * (key absent, no values, or a multivalued key) and no default.
 */
export function resolveVariable(part: VariablePart, context: RequestContextMap): string | undefined {
  const cv = context.get(part.keyLower);
  if (cv !== undefined && !cv.multivalued && cv.values.length > 0) return cv.values[0];
  return part.defaultValue;
}

/** True when a variable has no value and no default (the "missing" case). */
export function isVariableMissing(part: VariablePart, context: RequestContextMap): boolean {
  return part.defaultValue === undefined && !context.has(part.keyLower);
}

/** Substitutes all parts into one string; undefined when a variable is unresolvable. */
export function resolveTemplate(parts: readonly TemplatePart[], context: RequestContextMap): string | undefined {
  let out = '';
  for (const p of parts) {
    if (p.kind === 'variable') {
      const v = resolveVariable(p, context);
      if (v === undefined) return undefined;
      out += v;
    } else out += p.text;
  }
  return out;
}
