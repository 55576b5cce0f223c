/**
 * One line of a JSON Lines batch: parsed, read as a simulate input and
 * decided, or answered with an error line so the batch goes on. Shared by the
 * reading thread and the worker threads (pool.ts); each thread keeps one
 * `LineState`: the memo of line beginnings and a policy-text
 * cache that parses every policy text once however its lines order them.
 */
import { Catalog } from '../../catalog/catalog-object.js';
import { EvalMemo } from '../../eval/memo.js';
import { PolicyTextCache } from '../../policy/policy-cache.js';
import { policyFiles, readSimulateInputValue, type PolicyFiles } from '../input.js';
import { runSimulation } from '../run.js';
import { responseJson } from '../response-json.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { LinePrefixMemo } from './line-prefix.js';
import { PolicySpans, scanLine } from './line-scan.js';
import { textErrorLine, textLine } from './text.js';
import { MAX_NESTING_DEPTH, MAX_REQUEST_CHARS, parseJsonBounded, stripBom, type BoundedJson } from '../../diagnostics/input-text.js';

export interface LineOptions {
  readonly baseDir: string;
  readonly lenient: boolean;
  readonly explain: boolean;
  /** Output lines: JSON (default) or one line of text per input line (text.ts). */
  readonly format?: 'json' | 'text';
}

/** What a thread keeps between lines: the raw policy strings seen, the memo of line beginnings and its parsed-policy cache. */
export interface LineState {
  readonly spans: PolicySpans;
  readonly memo: LinePrefixMemo;
  readonly policies: PolicyTextCache;
  /** The evaluator's memo of this thread (callers classified, actions lower-cased). */
  readonly evalMemo: EvalMemo;
  /** `file://` policy texts this thread has read. */
  readonly files: PolicyFiles;
  /** The catalog's remembered lookups of this thread (every line's action names). */
  readonly catalog: Catalog;
}

/** A thread's state; its policy cache has the default sizes (policy-cache.ts), as the engine's has. */
export function lineState(policies: PolicyTextCache = new PolicyTextCache()): LineState {
  return {
    spans: new PolicySpans(),
    memo: new LinePrefixMemo(MAX_NESTING_DEPTH, MAX_REQUEST_CHARS),
    policies,
    evalMemo: new EvalMemo(),
    files: policyFiles(),
    catalog: new Catalog(),
  };
}

export function errorLine(code: string, message: string): string {
  return JSON.stringify({ Error: { Code: code, Message: message } });
}

interface LineResult {
  readonly out: string;
  readonly error: boolean;
}

function failed(opts: LineOptions, lineNo: number, code: string, message: string): LineResult {
  return { out: opts.format === 'text' ? textErrorLine(lineNo, code, message) : errorLine(code, message), error: true };
}

/** parseJsonBounded(line), through the scanner for policy strings and else the memo of line beginnings. */
function readLine(line: string, lineNo: number, state: LineState): BoundedJson {
  const scanned = lineNo !== 1 ? scanLine(line, state.spans, MAX_NESTING_DEPTH, MAX_REQUEST_CHARS) : undefined;
  return scanned !== undefined ? { value: scanned } : state.memo.read(line, lineNo);
}

export function simulateLine(raw: string, lineNo: number, opts: LineOptions, state?: LineState): LineResult {
  const line = lineNo === 1 ? stripBom(raw) : raw;
  // Bounded: a line nested too deeply (or too long) is its own Error line, never the batch's end.
  const read = state !== undefined ? readLine(line, lineNo, state) : parseJsonBounded(line, MAX_NESTING_DEPTH, MAX_REQUEST_CHARS);
  if ('problem' in read) return failed(opts, lineNo, 'InvalidInput', `line ${lineNo}: ${read.problem.message}`);
  if ('syntaxError' in read) return failed(opts, lineNo, 'InvalidInput', `line ${lineNo}: not valid JSON (${read.syntaxError.message})`);
  const res = readSimulateInputValue(read.value, {
    baseDir: opts.baseDir,
    lenient: opts.lenient,
    ...(state !== undefined ? { policies: state.policies, files: state.files, catalog: state.catalog } : {}),
  });
  if (res.request === undefined) {
    const first = res.diagnostics.find((d) => d.severity === 'error');
    const msg = first ? formatDiagnostic({ ...first, file: `line ${lineNo}` }) : `line ${lineNo}: invalid input`;
    return failed(opts, lineNo, res.errorCode ?? 'InvalidInput', msg);
  }
  const resp = runSimulation(res.request, state !== undefined ? { explain: opts.explain, memo: state.evalMemo } : { explain: opts.explain });
  return { out: opts.format === 'text' ? textLine(lineNo, resp) : responseJson(resp), error: false };
}

/** A line of the batch, empty or not: its output line (without the newline) and whether it is an error. */
export function processLine(line: string, lineNo: number, opts: LineOptions, state?: LineState): LineResult {
  if (line.trim() === '') return failed(opts, lineNo, 'InvalidInput', `line ${lineNo}: empty line`);
  return simulateLine(line, lineNo, opts, state);
}
