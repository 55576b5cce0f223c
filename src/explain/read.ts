/**
 * Reads the reports `explain-denied` explains from one text: messages one per
 * line, or JSON — `aws sts decode-authorization-message` output, or CloudTrail
 * records in any shape the generator reads (log files, JSON Lines, arrays,
 * lookup-events output, EventBridge events).
 */
import { RecordSplitter } from '../generate/cloudtrail-read.js';
import { unwrapEnvelope } from '../generate/cloudtrail.js';
import { isDecodedMessage, readDecoded } from './decoded.js';
import { parseMessageLine } from './message.js';
import { denialOfRecord, isDeniedRecord } from './trail.js';
import type { Denial, DenialProblem, ReadDenials } from './types.js';

export interface ReadOptions {
  /** Read the text as CloudTrail records (--cloudtrail); default: JSON when it starts with { or [, else lines. */
  readonly cloudtrail?: boolean;
}

function readLines(text: string): ReadDenials {
  const denials: Denial[] = [];
  const problems: DenialProblem[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    const d = parseMessageLine(raw, i + 1);
    if (d !== undefined) denials.push(d);
    else
      problems.push({
        line: i + 1,
        column: raw.length - raw.trimStart().length + 1,
        message: `not an AccessDenied message AWS prints (expected "User: ARN is not authorized to perform: ACTION …", "Access Denied", or an encoded authorization failure message): ${JSON.stringify(raw.trim().slice(0, 120))}`,
      });
  }
  return { denials, problems, skipped: 0 };
}

function readJson(text: string): ReadDenials {
  const denials: Denial[] = [];
  const problems: DenialProblem[] = [];
  let skipped = 0;
  const take = (rec: Record<string, unknown>, line: number): void => {
    if (isDecodedMessage(rec)) {
      const d = readDecoded(rec, line);
      if (typeof d === 'string') problems.push({ line, column: 1, message: d });
      else denials.push(d);
      return;
    }
    const inner = unwrapEnvelope(rec);
    if (inner !== undefined) {
      if ('problem' in inner) problems.push({ line, column: 1, message: inner.problem });
      else for (const r of inner.records) take(r, line);
      return;
    }
    if (rec['eventSource'] === undefined && rec['eventName'] === undefined) {
      problems.push({ line, column: 1, message: 'neither a CloudTrail record nor decode-authorization-message output' });
      return;
    }
    if (isDeniedRecord(rec)) denials.push(denialOfRecord(rec, line));
    else skipped++;
  };
  const s = new RecordSplitter({ record: take, problem: (p) => problems.push({ line: p.line, column: 1, message: p.message }) });
  s.push(text);
  s.end();
  return { denials, problems, skipped };
}

export function readDenials(text: string, options: ReadOptions = {}): ReadDenials {
  const t = text.trimStart();
  if (options.cloudtrail === true || t.startsWith('{') || t.startsWith('[')) return readJson(text);
  return readLines(text);
}
