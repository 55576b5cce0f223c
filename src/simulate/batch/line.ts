/**
 * One line of a JSON Lines batch: parsed, read as a simulate input and
 * decided, or answered with {"Error":{Code,Message}} so the batch goes on.
 * Shared by the reading thread and the worker threads (pool.ts).
 */
import { readSimulateInputValue } from '../input.js';
import { runSimulation } from '../run.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { LinePrefixMemo } from './line-prefix.js';
import { MAX_NESTING_DEPTH, MAX_REQUEST_CHARS, parseJsonBounded, stripBom } from '../../diagnostics/input-text.js';

export interface LineOptions {
  readonly baseDir: string;
  readonly lenient: boolean;
  readonly explain: boolean;
}

export function errorLine(code: string, message: string): string {
  return JSON.stringify({ Error: { Code: code, Message: message } });
}

/** A reader of lines that remembers their common beginnings (line-prefix.ts): one per thread. */
export function lineMemo(): LinePrefixMemo {
  return new LinePrefixMemo(MAX_NESTING_DEPTH, MAX_REQUEST_CHARS);
}

export function simulateLine(raw: string, lineNo: number, opts: LineOptions, memo?: LinePrefixMemo): { out: string; error: boolean } {
  const line = lineNo === 1 ? stripBom(raw) : raw;
  // Bounded: a line nested too deeply (or too long) is its own Error line, never the batch's end.
  const read = memo !== undefined ? memo.read(line, lineNo) : parseJsonBounded(line, MAX_NESTING_DEPTH, MAX_REQUEST_CHARS);
  if ('problem' in read) return { out: errorLine('InvalidInput', `line ${lineNo}: ${read.problem.message}`), error: true };
  if ('syntaxError' in read) return { out: errorLine('InvalidInput', `line ${lineNo}: not valid JSON (${read.syntaxError.message})`), error: true };
  const value = read.value;
  const res = readSimulateInputValue(value, { baseDir: opts.baseDir, lenient: opts.lenient });
  if (res.request === undefined) {
    const first = res.diagnostics.find((d) => d.severity === 'error');
    const msg = first ? formatDiagnostic({ ...first, file: `line ${lineNo}` }) : `line ${lineNo}: invalid input`;
    return { out: errorLine(res.errorCode ?? 'InvalidInput', msg), error: true };
  }
  return { out: JSON.stringify(runSimulation(res.request, { explain: opts.explain })), error: false };
}

/** A line of the batch, empty or not: its output line (without the newline) and whether it is an error. */
export function processLine(line: string, lineNo: number, opts: LineOptions, memo?: LinePrefixMemo): { out: string; error: boolean } {
  if (line.trim() === '') return { out: errorLine('InvalidInput', `line ${lineNo}: empty line`), error: true };
  return simulateLine(line, lineNo, opts, memo);
}
