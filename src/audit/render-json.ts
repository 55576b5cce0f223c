/**
 * `--format json` written in pieces: the same text as
 * `JSON.stringify(toJson(report), null, 2)` (render.ts), with the principals
 * written one by one as they are audited and every other list element by
 * element, so that no string holds the whole report (V8 caps a string's length).
 */
import type { AuditReport } from './index.js';

const indent = (json: string, spaces: number): string => json.replaceAll('\n', `\n${' '.repeat(spaces)}`);
const pretty = (value: unknown, spaces: number): string => indent(JSON.stringify(value, null, 2), spaces);

/** Up to the opening of the principals' list. */
export function jsonHead(generatedAt: string, accounts: readonly string[]): string {
  return `{\n  "generatedAt": ${JSON.stringify(generatedAt)},\n  "accounts": ${pretty(accounts, 2)},\n  "principals": [`;
}

/** One element of a top-level list (`first`: no comma before it). */
export function jsonElement(value: unknown, first: boolean): string {
  return `${first ? '' : ','}\n    ${pretty(value, 4)}`;
}

function* member(key: string, value: unknown): Generator<string> {
  if (!Array.isArray(value) || value.length === 0) {
    yield `,\n  ${JSON.stringify(key)}: ${pretty(value, 2)}`;
    return;
  }
  yield `,\n  ${JSON.stringify(key)}: [`;
  for (const [i, x] of value.entries()) yield jsonElement(x, i === 0);
  yield '\n  ]';
}

/** The rest, after `count` principals were written. */
export function* jsonTail(r: AuditReport, count: number): Generator<string> {
  yield count === 0 ? ']' : '\n  ]';
  yield* member('exposures', r.exposures);
  yield* member('unreadable', r.unreadable);
  yield* member('findings', r.findings);
  yield* member('stats', r.stats);
  yield '\n}\n';
}
