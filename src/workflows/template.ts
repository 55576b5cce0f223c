/**
 * The small interpreter behind workflow definitions: `${name}` templates and
 * `when` conditions over the workflow's parameters.
 */
import type { WhenDef } from './types.js';

const REF = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Replaces each `${name}` with the parameter's value ('' when unset). */
export function expand(template: string, params: ReadonlyMap<string, string>): string {
  return template.replace(REF, (_m, name: string) => params.get(name) ?? '');
}

/** The parameter names a template refers to. */
export function references(template: string): string[] {
  return [...template.matchAll(REF)].map((m) => m[1] ?? '');
}

/** Characters left after removing `${…}` references that still contain `$` or `{`: a malformed reference. */
export function malformed(template: string): boolean {
  return /\$\{/.test(template.replace(REF, ''));
}

export interface ParsedWhen {
  readonly negate: boolean;
  readonly left: string;
  readonly op?: '==' | '!=';
  readonly right?: string;
}

/** Parses one condition: "${p}", "!${p}", "A == B", "A != B". Undefined when malformed. */
export function parseWhen(text: string): ParsedWhen | undefined {
  const t = text.trim();
  const m = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(t);
  if (m) {
    const left = m[1] ?? '';
    const right = m[3] ?? '';
    if (left === '' || malformed(left) || malformed(right)) return undefined;
    return { negate: false, left, op: m[2] as '==' | '!=', right };
  }
  const negate = t.startsWith('!');
  const left = negate ? t.slice(1).trim() : t;
  if (left === '' || malformed(left)) return undefined;
  return { negate, left };
}

function truthy(v: string): boolean {
  return v !== '' && v.toLowerCase() !== 'false';
}

/** Evaluates a `when` (a list ANDs its conditions); an absent `when` is true. */
export function evalWhen(when: WhenDef | undefined, params: ReadonlyMap<string, string>): boolean {
  if (when === undefined) return true;
  const list = typeof when === 'string' ? [when] : when;
  for (const text of list) {
    const w = parseWhen(text);
    if (w === undefined) return false;
    const left = expand(w.left, params);
    let ok: boolean;
    if (w.op === undefined) ok = truthy(left);
    else {
      const right = expand(w.right ?? '', params);
      ok = w.op === '==' ? left === right : left !== right;
    }
    if (w.negate) ok = !ok;
    if (!ok) return false;
  }
  return true;
}

export function whenList(when: WhenDef | undefined): readonly string[] {
  return when === undefined ? [] : typeof when === 'string' ? [when] : when;
}
