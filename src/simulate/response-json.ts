/**
 * A simulate response as JSON text: exactly `JSON.stringify(response)`, in
 * about half its time for a batch line. Most of a result's text is its
 * MatchedStatements entries, and those are objects shared by every line that
 * cites the same statement (run.ts `toMatchedStatement`); the text of each is
 * written once and kept with the object (a non-enumerable symbol slot, which
 * JSON, spreads and comparisons do not see). Everything else is written member
 * by member in the objects' own order, each value by JSON.stringify, so the
 * text is JSON.stringify's byte for byte (a differential test compares them).
 */
import type { EvaluationResult, MatchedStatement, ResourceSpecificResult, SimulateResponse } from './run.js';

const TEXT = Symbol('iamsim.json');

/** The JSON text of a matched statement, made once per object (objects that cannot be extended: each time). */
function matchedText(m: MatchedStatement): string {
  if (typeof m !== 'object' || m === null) return JSON.stringify(m) ?? 'null';
  const kept = (m as { readonly [TEXT]?: string })[TEXT];
  if (kept !== undefined) return kept;
  const text = JSON.stringify(m);
  if (Object.isExtensible(m)) Object.defineProperty(m, TEXT, { value: text });
  return text;
}

function matchedList(list: readonly MatchedStatement[]): string {
  let s = '[';
  for (let i = 0; i < list.length; i++) s += i === 0 ? matchedText(list[i] as MatchedStatement) : `,${matchedText(list[i] as MatchedStatement)}`;
  return `${s}]`;
}

/** One object's members in its own order; MatchedStatements and ResourceSpecificResults through the kept texts. */
function objectText(o: EvaluationResult | ResourceSpecificResult): string {
  let s = '{';
  for (const key of Object.keys(o)) {
    const v = (o as unknown as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    const text =
      key === 'MatchedStatements' && Array.isArray(v)
        ? matchedList(v as readonly MatchedStatement[])
        : key === 'ResourceSpecificResults' && Array.isArray(v)
          ? listText(v as readonly ResourceSpecificResult[])
          : JSON.stringify(v);
    s += `${s.length === 1 ? '' : ','}${JSON.stringify(key)}:${text}`;
  }
  return `${s}}`;
}

function listText(list: readonly (EvaluationResult | ResourceSpecificResult)[]): string {
  let s = '[';
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    // JSON.stringify writes a hole or an undefined item as null; an object is what run.ts makes.
    const text = typeof item === 'object' && item !== null && !Array.isArray(item) ? objectText(item) : (JSON.stringify(item) ?? 'null');
    s += i === 0 ? text : `,${text}`;
  }
  return `${s}]`;
}

/** `JSON.stringify(response)`, with the matched statements' texts written once. */
export function responseJson(response: SimulateResponse): string {
  let s = '{';
  for (const key of Object.keys(response)) {
    const v = (response as unknown as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    const text = key === 'EvaluationResults' && Array.isArray(v) ? listText(v as readonly EvaluationResult[]) : JSON.stringify(v);
    s += `${s.length === 1 ? '' : ','}${JSON.stringify(key)}:${text}`;
  }
  return `${s}}`;
}
