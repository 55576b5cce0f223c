/**
 * `aws sts decode-authorization-message` output as a denial (AWS STS API
 * Reference: DecodeAuthorizationMessage — the decoded message says whether
 * the request was denied by an explicit deny or by the absence of an allow,
 * the principal, the action, the resource and the values of condition keys
 * in the request context). Accepted: the CLI's `{"DecodedMessage": "…"}` and
 * the decoded document itself (`--query DecodedMessage --output text`).
 */
import { contextEntry } from './context.js';
import type { ContextEntry, Denial } from './types.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const items = (v: unknown): unknown[] => {
  const list = obj(v)?.['items'];
  return Array.isArray(list) ? list : [];
};

/** Is this value a decoded authorization message (or the CLI output holding one)? */
export function isDecodedMessage(v: Obj): boolean {
  if (typeof v['DecodedMessage'] === 'string') return true;
  return typeof v['allowed'] === 'boolean' && obj(v['context']) !== undefined;
}

function conditionsOf(ctx: Obj, action: string | undefined): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const it of items(ctx['conditions'])) {
    const key = str(obj(it)?.['key']);
    if (key === undefined) continue;
    const values = items(obj(it)?.['values'])
      .map((x) => str(obj(x)?.['value']) ?? (typeof obj(x)?.['value'] === 'string' ? '' : undefined))
      .filter((x): x is string => x !== undefined);
    out.push(contextEntry(key, values, action));
  }
  return out;
}

/** The denial a decoded message describes; a string is returned for a document that is not one. */
export function readDecoded(v: Obj, line: number): Denial | string {
  let doc: Obj | undefined = v;
  if (typeof v['DecodedMessage'] === 'string') {
    try {
      doc = obj(JSON.parse(v['DecodedMessage']));
    } catch (err) {
      return `DecodedMessage is not JSON: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  const ctx = obj(doc?.['context']);
  if (doc === undefined || ctx === undefined) return 'the decoded message has no context';
  if (doc['allowed'] === true) return 'the decoded message says the request was allowed: there is no denial to explain';
  const principal = obj(ctx['principal']);
  const arn = str(principal?.['arn']);
  const action = str(ctx['action']);
  const resource = str(ctx['resource']);
  const explicit = doc['explicitDeny'] === true;
  const matched = items(doc['matchedStatements']).map((s) => str(obj(s)?.['statementId']) ?? '(no Sid)');
  const notes: string[] = [];
  if (arn === undefined) notes.push(`the decoded message names the principal only by id ${str(principal?.['id']) ?? '?'}`);
  if (explicit && matched.length > 0) notes.push(`AWS matched the Deny statement(s) ${matched.join(', ')}`);
  notes.push('a decoded message does not name the policy type: iamsim tells it from the model');
  return {
    form: 'decoded',
    line,
    text: JSON.stringify(doc),
    ...(arn !== undefined ? { principal: arn } : {}),
    ...(action !== undefined ? { action } : {}),
    ...(resource !== undefined ? { resource } : {}),
    kind: explicit ? 'explicit' : 'implicit',
    context: conditionsOf(ctx, action),
    notes,
    ...(arn === undefined ? { asks: [{ what: 'principal' as const }] } : {}),
  };
}
