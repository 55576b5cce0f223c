/**
 * Explains every report of one input (messages one per line, a decoded
 * authorization message, CloudTrail records): shared by `iamsim
 * explain-denied` and `POST /v1/explain`. A report that cannot be read or
 * lacks the request's principal, action or resource is a problem with its
 * line; every other report is explained.
 */
import type { ReasonContext } from '../reason/index.js';
import type { Universe } from '../account/query.js';
import { explainDenial, type ExplainOptions } from './explain.js';
import { patchOf } from './patch.js';
import { readDenials } from './read.js';
import type { ExplainedReport } from './render.js';
import type { DenialProblem } from './types.js';

export interface RunOptions extends ExplainOptions {
  readonly cloudtrail?: boolean;
  /** Build the patch and prove its scope (slower: the semantic engine runs per changed document). */
  readonly patch?: boolean;
  /** The reasoner that proves a patch's scope (an engine's, `Iamsim.reasoning`), asked when a patch is built; default: one per patch. */
  readonly reasoning?: () => Promise<ReasonContext>;
}

export interface ExplainRun {
  readonly reports: readonly ExplainedReport[];
  readonly problems: readonly DenialProblem[];
  /** CloudTrail records that were no denial. */
  readonly skipped: number;
}

export async function explainReports(u: Universe, text: string, o: RunOptions = {}): Promise<ExplainRun> {
  const read = readDenials(text, o.cloudtrail !== undefined ? { cloudtrail: o.cloudtrail } : {});
  const problems: DenialProblem[] = [...read.problems];
  const reports: ExplainedReport[] = [];
  for (const denial of read.denials) {
    const out = explainDenial(u, denial, o);
    if (!out.ok) {
      problems.push({ line: denial.line, column: 1, message: out.problem, ...(out.asks.length > 0 ? { asks: out.asks } : {}) });
      continue;
    }
    const patch =
      o.patch !== false && out.plan !== undefined
        ? await patchOf(u, out.step, out.plan, o.reasoning === undefined ? undefined : await o.reasoning())
        : undefined;
    reports.push({ denial, explained: out.explained, ...(patch !== undefined ? { patch } : {}) });
  }
  if (reports.length === 0 && problems.length === 0) {
    problems.push({ line: 1, column: 1, message: read.skipped > 0 ? `no denied call among ${read.skipped} record(s)` : 'no AccessDenied report in the input' });
  }
  problems.sort((a, b) => a.line - b.line);
  return { reports, problems, skipped: read.skipped };
}

/** 2 when a report could not be read or lacks a key the decision rests on, else 1 when iamsim disagrees with one of AWS's reports, else 0. */
export function exitCodeOf(run: ExplainRun): 0 | 1 | 2 {
  if (run.problems.length > 0 || run.reports.some((r) => r.explained.incomplete)) return 2;
  return run.reports.some((r) => !r.explained.agrees) ? 1 : 0;
}
