/**
 * Comments and trailing commas (documentation-style JSON) are reported by the parser one per occurrence, so an
 * editor can mark each. A command line prints one line per document instead: at the first of them, how many
 * there are, that IAM rejects them, and — in strict mode — that --lenient reads such text.
 */
import type { Diagnostic } from './diagnostic.js';

const STRICT = new Set(['JSON_COMMENT', 'JSON_TRAILING_COMMA']);
const LENIENT = new Set(['LENIENT_COMMENT', 'LENIENT_TRAILING_COMMA']);

function counted(group: readonly Diagnostic[]): string {
  const comments = group.filter((d) => d.code.endsWith('COMMENT')).length;
  const commas = group.length - comments;
  const part = (n: number, what: string): string => (n === 0 ? '' : `${n} ${what}${n > 1 ? 's' : ''}`);
  return [part(comments, 'comment'), part(commas, 'trailing comma')].filter(Boolean).join(' and ');
}

/** The diagnostics with each document's comment and trailing-comma diagnostics folded into one, in place of the first. */
export function foldJsonDeviations(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const groups = new Map<string, Diagnostic[]>();
  const keyOf = (d: Diagnostic): string | undefined =>
    STRICT.has(d.code) ? `s\u0000${d.file ?? ''}` : LENIENT.has(d.code) ? `l\u0000${d.file ?? ''}` : undefined;
  for (const d of diagnostics) {
    const key = keyOf(d);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = keyOf(d);
    if (key === undefined) {
      out.push(d);
      continue;
    }
    const group = groups.get(key) ?? [d];
    if (group[0] !== d) continue;
    const what = counted(group);
    const message = STRICT.has(d.code)
      ? `Not strict JSON: ${what} (first here); IAM rejects them — remove them, or use --lenient to read documentation-style JSON`
      : `Accepted ${what} because of --lenient (first here); IAM rejects them, so remove them before using the policy with AWS`;
    out.push({ ...d, message });
  }
  return out;
}
