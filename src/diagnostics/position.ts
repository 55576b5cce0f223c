/**
 * The one offset → line/column mapping. Lines end at `\n`, `\r\n` or a lone
 * `\r`; lines and columns are 1-based, columns count UTF-16 code units.
 * Every reader (policies, simulate input, account imports, workflow
 * definitions) maps its parser's offsets through this module.
 */
import type { Position } from './diagnostic.js';

/** Maps a 0-based offset of the text being parsed to a Position in the reported text. */
export type OffsetMapper = (offset: number) => Position;

/** Start offsets of every line of `text` (handles \n, \r\n and \r). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (ch === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * The position of `offset` given the text's line starts (see lineStarts) and
 * length; an offset outside the text is clamped to it.
 */
export function positionIn(starts: readonly number[], length: number, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= clamped) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: clamped - (starts[lo] ?? 0) + 1, offset: clamped };
}

/** A mapper for offsets that refer directly to `text` (line starts computed once). */
export function textMapper(text: string): OffsetMapper {
  const starts = lineStarts(text);
  return (offset: number): Position => positionIn(starts, text.length, offset);
}

/** One position in `text` (for a single lookup; use textMapper for many). */
export function positionAt(text: string, offset: number): Position {
  return positionIn(lineStarts(text), text.length, offset);
}
