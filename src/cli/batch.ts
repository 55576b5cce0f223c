/**
 * JSON Lines batch simulation: exactly one output line per input line, in
 * order, streaming with back-pressure so memory stays constant however long
 * the input. A bad line yields {"Error":{Code,Message}} and the batch goes on.
 */
import { readSimulateInputValue } from '../simulate/input.js';
import { runSimulation } from '../simulate/run.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import type { Io } from './io.js';

export interface BatchOptions {
  readonly baseDir: string;
  readonly lenient: boolean;
  readonly explain: boolean;
  /** Show a progress line on stderr (when stderr is a terminal). */
  readonly progress: boolean;
  readonly totalBytes?: number;
}

export interface BatchStats { lines: number; errors: number }

function errorLine(code: string, message: string): string {
  return JSON.stringify({ Error: { Code: code, Message: message } });
}

export function simulateLine(line: string, lineNo: number, opts: BatchOptions): { out: string; error: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { out: errorLine('InvalidInput', `line ${lineNo}: not valid JSON (${err instanceof Error ? err.message : String(err)})`), error: true };
  }
  const res = readSimulateInputValue(value, { baseDir: opts.baseDir, lenient: opts.lenient });
  if (res.request === undefined) {
    const first = res.diagnostics.find((d) => d.severity === 'error');
    const msg = first ? formatDiagnostic({ ...first, file: `line ${lineNo}` }) : `line ${lineNo}: invalid input`;
    return { out: errorLine(res.errorCode ?? 'InvalidInput', msg), error: true };
  }
  return { out: JSON.stringify(runSimulation(res.request, { explain: opts.explain })), error: false };
}

/** Yields the lines of a stream (LF or CRLF), without readline's per-line overhead. */
async function* lines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  let rest = '';
  input.setEncoding?.('utf8');
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield text.slice(start, end);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

export async function runBatch(input: NodeJS.ReadableStream, io: Io, opts: BatchOptions): Promise<BatchStats> {
  const stats: BatchStats = { lines: 0, errors: 0 };
  let bytes = 0;
  let lastProgress = 0;
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (buffer === '') return;
    const ok = io.stdout.write(buffer);
    buffer = '';
    if (!ok) await new Promise<void>((resolve) => io.stdout.once('drain', () => resolve()));
  };
  for await (const line of lines(input)) {
    stats.lines++;
    bytes += line.length + 1;
    if (line.trim() === '') {
      buffer += `${errorLine('InvalidInput', `line ${stats.lines}: empty line`)}\n`;
      stats.errors++;
    } else {
      const r = simulateLine(line, stats.lines, opts);
      if (r.error) stats.errors++;
      buffer += `${r.out}\n`;
    }
    if (buffer.length > 1 << 16) await flush();
    if (opts.progress && stats.lines - lastProgress >= 5000) {
      lastProgress = stats.lines;
      const pct = opts.totalBytes ? ` ${Math.min(100, Math.floor((bytes / opts.totalBytes) * 100))}%` : '';
      io.stderr.write(`\r[iamsim] ${stats.lines} lines${pct}`);
    }
  }
  await flush();
  if (opts.progress && stats.lines >= 5000) io.stderr.write(`\r[iamsim] ${stats.lines} lines, ${stats.errors} errors\n`);
  return stats;
}
