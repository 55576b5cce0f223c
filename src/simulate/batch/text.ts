/**
 * `--format text` for a batch: one line of text per input line, so the batch's
 * guarantee (one output line per input line, in order) holds in both formats.
 * A line is `line N: ` then, per action and resource, the decision, the
 * deciding statements (policy, statement number from 1 as in IAM's console,
 * line:column) and the context keys the request lacked, joined by `; `; a bad
 * line is `line N: error Code: message`. The single-request text format (cli/format-text.ts)
 * prints a whole explanation over many lines; this one is for grep and people skimming.
 */
import type { EvalDecision } from '../../eval/types.js';
import type { MatchedStatement, SimulateResponse } from '../run.js';

const LABEL: Readonly<Record<EvalDecision, string>> = { allowed: 'ALLOWED', explicitDeny: 'DENIED (explicit deny)', implicitDeny: 'DENIED (implicit deny)' };

function statements(matched: readonly MatchedStatement[]): string {
  if (matched.length === 0) return '';
  const each = matched.map((m) => {
    const name = m.Sid !== undefined && m.Sid !== '' ? `Sid ${JSON.stringify(m.Sid)}` : `statement #${m.StatementIndex + 1}`;
    return `${m.Effect} ${name} in ${m.SourcePolicyId} (${m.StartPosition.Line}:${m.StartPosition.Column})`;
  });
  return ` by ${each.join(', ')}`;
}

function missing(keys: readonly string[]): string {
  return keys.length === 0 ? '' : ` [missing context: ${keys.join(', ')}]`;
}

/** A decided line as text (without the newline). */
export function textLine(lineNo: number, resp: SimulateResponse): string {
  const parts: string[] = [];
  for (const r of resp.EvaluationResults) {
    const per = r.ResourceSpecificResults;
    if (per === undefined || per.length === 0) {
      parts.push(`${r.EvalActionName} on ${r.EvalResourceName}: ${LABEL[r.EvalDecision]}${statements(r.MatchedStatements)}${missing(r.MissingContextValues)}`);
      continue;
    }
    for (const x of per) {
      parts.push(
        `${r.EvalActionName} on ${x.EvalResourceName}: ${LABEL[x.EvalResourceDecision]}${statements(x.MatchedStatements)}${missing(x.MissingContextValues)}`,
      );
    }
  }
  const more = resp.IsTruncated ? `; … truncated (Marker ${JSON.stringify(resp.Marker ?? '')})` : '';
  return `line ${lineNo}: ${parts.length === 0 ? 'no results' : parts.join('; ')}${more}`;
}

/** A bad line as text: its message already names the line. */
export function textErrorLine(lineNo: number, code: string, message: string): string {
  const text = message.startsWith(`line ${lineNo}`) ? message : `line ${lineNo}: ${message}`;
  return `${text.replace(/[\r\n]+/g, ' ')} (error ${code})`;
}
