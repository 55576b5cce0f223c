/**
 * Reads AccessDenied messages as AWS prints them, one per line (IAM User
 * Guide: troubleshoot_access-denied, "Access denied error message examples"):
 *
 *   User: ARN is not authorized to perform: ACTION [on resource: RESOURCE] because no TYPE allows the ACTION action
 *   User: ARN is not authorized to perform: ACTION [on resource: RESOURCE] with an explicit deny in a TYPE[: POLICY-ARN]
 *
 * where TYPE is identity-based policy, resource-based policy, session policy,
 * permissions boundary, service control policy, resource control policy or
 * VPC endpoint policy; the policy ARN is the 2025 addition (AWS Security Blog,
 * "Enhanced access denied error messages with policy ARNs"). Also read: the
 * older form without the clause, S3's quoted resource and bare "Access Denied"
 * (Amazon S3 User Guide: troubleshoot-403-errors), EC2's "You are not
 * authorized to perform this operation. Encoded authorization failure
 * message: …" (AWS STS API Reference: DecodeAuthorizationMessage), the AWS
 * CLI's `An error occurred (CODE) when calling the OP operation: …` wrapper
 * and the SDKs' trailing `(Service: …; Status Code: 403; …)`.
 */
import type { AwsLayer, Denial, DenialKind } from './types.js';

/** The policy-type phrases of the messages, longest first where one is a prefix of another. */
const TYPES: readonly (readonly [RegExp, AwsLayer])[] = [
  [/^identity-based polic(y|ies)$/i, 'identity'],
  [/^resource-based polic(y|ies)$/i, 'resource'],
  [/^session polic(y|ies)$/i, 'session'],
  [/^permissions? boundar(y|ies)( polic(y|ies))?$/i, 'boundary'],
  [/^service control polic(y|ies)$/i, 'scp'],
  [/^resource control polic(y|ies)$/i, 'rcp'],
  [/^VPC endpoint polic(y|ies)$/i, 'endpoint'],
];

/** The phrase AWS prints for a layer (for messages iamsim writes back). */
export const LAYER_PHRASE: Readonly<Record<AwsLayer, string>> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  session: 'session policy',
  boundary: 'permissions boundary',
  scp: 'service control policy',
  rcp: 'resource control policy',
  endpoint: 'VPC endpoint policy',
};

export function layerOfPhrase(phrase: string): AwsLayer | undefined {
  const p = phrase.trim();
  return TYPES.find(([re]) => re.test(p))?.[1];
}

const WRAPPER =
  /An error occurred \(([A-Za-z.]+)\)(?: \(reached max retries: \d+\))? when calling the (\w+) operation(?: \(reached max retries: \d+\))?: ?(.*)$/;
const SDK_TAIL = /\s*\(Service: [^)]*\)\s*$/;
const CORE = /^(?:(?:User|Principal|Caller)\s*:\s*)?(\S+) is not authorized to perform: ([A-Za-z0-9-]+:[A-Za-z0-9*]+)(.*)$/;
const ENCODED = /Encoded authorization failure message:\s*(\S+)/;
/** A link or id AWS appends after the clause (Access Troubleshooter). */
const TRAILER = /\.?\s*(Go to https?:\/\/\S+.*|Authorization ID:.*)?$/;

export interface MessageParts {
  readonly errorCode?: string;
  readonly operation?: string;
  readonly body: string;
}

/** Strips the AWS CLI wrapper and an SDK's trailing `(Service: …)`. */
export function unwrap(line: string): MessageParts {
  const m = WRAPPER.exec(line);
  const body = (m ? (m[3] ?? '') : line).replace(SDK_TAIL, '').trim();
  return { ...(m ? { errorCode: m[1] as string, operation: m[2] as string } : {}), body };
}

interface Clause {
  readonly resource?: string;
  readonly layer?: AwsLayer;
  readonly kind?: DenialKind;
  readonly policyArn?: string;
  readonly notes: string[];
}

function stripQuotes(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** The text after the action: ` on resource: R`, then the because / explicit-deny clause. */
function readClause(rest: string, action: string): Clause {
  const notes: string[] = [];
  let text = rest.replace(TRAILER, '');
  let resource: string | undefined;
  const on = /^\s+on resource:?\s+("[^"]*"|.+?)(?=\s+because\s|\s+with an explicit deny|\s*$)/.exec(text);
  if (on) {
    resource = stripQuotes(on[1] as string);
    text = text.slice(on[0].length);
  }
  const base = { ...(resource !== undefined ? { resource } : {}), notes };
  const implicit = /^\s+because no (.+?) allows? the (\S+) action\.?\s*$/i.exec(text);
  if (implicit) {
    const layer = layerOfPhrase(implicit[1] as string);
    if (implicit[2] !== action) notes.push(`the clause names ${implicit[2]}, the message ${action}`);
    if (layer === undefined) notes.push(`the message names a policy type iamsim does not know: ${implicit[1]}`);
    return { ...base, kind: 'implicit', ...(layer ? { layer } : {}) };
  }
  const explicit = /^\s+with an explicit deny(?:\s+in\s+(?:a|an|the)\s+(.+?))?(?::\s*(arn:\S+?))?\.?\s*$/i.exec(text);
  if (explicit) {
    const phrase = explicit[1];
    const layer = phrase !== undefined ? layerOfPhrase(phrase) : undefined;
    if (phrase !== undefined && layer === undefined) notes.push(`the message names a policy type iamsim does not know: ${phrase}`);
    if (phrase === undefined) notes.push('the message says the deny is explicit but not in which policy type (the older form)');
    return { ...base, kind: 'explicit', ...(layer ? { layer } : {}), ...(explicit[2] ? { policyArn: explicit[2] } : {}) };
  }
  const other = /^\s+because (.+?)\.?\s*$/i.exec(text);
  if (other) {
    notes.push(`AWS gives a reason that is no policy: ${other[1]} (iamsim does not model it)`);
    return base;
  }
  if (text.trim() !== '') notes.push(`text after the resource not understood: ${text.trim()}`);
  else notes.push('the message does not say which policy type denied (the older form without the "because" clause)');
  return base;
}

/**
 * One line as an AccessDenied report, or undefined when it is none
 * (the caller reports it as bad input).
 */
/** The note on a bare "Access Denied": a CloudTrail record around it names what the message does not. */
export const BARE_NOTE = 'the message names no principal, action or resource';

export function parseMessageLine(raw: string, line: number): Denial | undefined {
  const { errorCode, operation, body } = unwrap(raw.trim());
  const wrap = { ...(errorCode ? { errorCode } : {}), ...(operation ? { operation } : {}) };
  const core = CORE.exec(body);
  if (core) {
    const action = core[2] as string;
    const clause = readClause(core[3] ?? '', action);
    const { notes, ...rest } = clause;
    return {
      form: clause.kind !== undefined ? 'typed' : 'untyped',
      line,
      text: raw.trim(),
      principal: core[1] as string,
      action,
      ...rest,
      ...wrap,
      context: [],
      notes,
    };
  }
  const encoded = ENCODED.exec(body);
  if (encoded) {
    return {
      form: 'encoded',
      line,
      text: raw.trim(),
      ...wrap,
      encoded: encoded[1] as string,
      context: [],
      notes: [
        'the message is encoded: run `aws sts decode-authorization-message --encoded-message <the message> --query DecodedMessage --output text` and give its output',
      ],
    };
  }
  if (/^(Access Denied\.?|You are not authorized to perform this operation\.?)$/i.test(body)) {
    return {
      form: 'bare',
      line,
      text: raw.trim(),
      ...wrap,
      context: [],
      notes: [BARE_NOTE],
      asks: [{ what: 'principal' }, { what: 'action' }, { what: 'resource' }],
    };
  }
  return undefined;
}
