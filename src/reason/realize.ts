/**
 * Makes a confirmed witness look like a request AWS could send: the global
 * keys AWS puts in every request context (IAM User Guide,
 * reference_policies_condition-keys.html: aws:RequestedRegion, aws:CurrentTime,
 * aws:EpochTime, aws:SecureTransport; for a caller, aws:PrincipalArn,
 * aws:PrincipalAccount, aws:PrincipalType) get values consistent with the
 * caller and the resource, and a caller that contradicts a chosen
 * aws:PrincipalArn is replaced by the principal that ARN names when the
 * policies cannot tell the two apart. Every step keeps the witness only if
 * the evaluator still confirms it, so realism never costs a proof.
 */
import { parseArn } from '../primitives/arn.js';
import type { ContextKeyType, ContextValue } from '../eval/request.js';
import type { Witness } from './engine.js';
import type { Problem } from './problem.js';

const CALLER_RE = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/;

interface CallerFacts {
  readonly arn: string;
  readonly account: string;
  readonly type: string;
}

/** aws:PrincipalArn / Account / Type of an IAM caller (a session's PrincipalArn is its role's ARN). */
function callerFacts(caller: string): CallerFacts | undefined {
  const m = CALLER_RE.exec(caller);
  if (m === null) return undefined;
  const [, partition, service, account = '', rest = ''] = m;
  if (service === 'sts' && rest.startsWith('assumed-role/')) {
    return { arn: `arn:${partition}:iam::${account}:role/${rest.split('/')[1] ?? ''}`, account, type: 'AssumedRole' };
  }
  if (service === 'sts' && rest.startsWith('federated-user/')) return { arn: caller, account, type: 'FederatedUser' };
  if (rest === 'root') return { arn: caller, account, type: 'Account' };
  // Users only: an identity provider's ARN (a web-identity caller) has no principal keys of its own.
  return service === 'iam' && rest.startsWith('user/') ? { arn: caller, account, type: 'User' } : undefined;
}

/** The caller a chosen aws:PrincipalArn names (a role's session for a role ARN). */
function callerOf(principalArn: string): string | undefined {
  const m = CALLER_RE.exec(principalArn);
  if (m === null) return undefined;
  const [, partition, service, account, rest = ''] = m;
  if (service === 'iam' && rest.startsWith('role/')) return `arn:${partition}:sts::${account}:assumed-role/${rest.slice(rest.lastIndexOf('/') + 1)}/witness`;
  if (service === 'iam' && (rest.startsWith('user/') || rest === 'root')) return principalArn;
  return undefined;
}

function value(key: string, type: ContextKeyType, v: string): ContextValue {
  return { key, type, values: [v], multivalued: false };
}

function has(w: Witness, key: string): boolean {
  return w.context.some((cv) => cv.key.toLowerCase() === key.toLowerCase());
}

/** The keys AWS always sends, with values consistent with the witness's caller and resource. */
function alwaysSent(w: Witness): ContextValue[] {
  const region = parseArn(w.resource)?.region;
  const out = [
    value('aws:RequestedRegion', 'string', region !== undefined && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : 'us-east-1'),
    value('aws:CurrentTime', 'date', '2025-06-02T12:00:00Z'),
    value('aws:EpochTime', 'date', '1748865600'),
    value('aws:SecureTransport', 'boolean', 'true'),
  ];
  const facts = w.caller === undefined ? undefined : callerFacts(w.caller);
  if (facts !== undefined) {
    out.push(
      value('aws:PrincipalArn', 'string', facts.arn),
      value('aws:PrincipalAccount', 'string', facts.account),
      value('aws:PrincipalType', 'string', facts.type),
    );
  }
  return out;
}

export function realize(p: Problem, w: Witness, confirm: (w: Witness) => boolean): Witness {
  let out = w;
  // A caller consistent with the aws:PrincipalArn the witness chose, or that key set to the caller's ARN.
  const chosen = w.context.find((cv) => cv.key.toLowerCase() === 'aws:principalarn');
  const facts = w.caller === undefined ? undefined : callerFacts(w.caller);
  if (chosen !== undefined && facts !== undefined && facts.arn !== chosen.values[0]) {
    const withKey = (base: Witness, arn: string): Witness => ({ ...base, context: base.context.map((cv) => (cv === chosen ? { ...cv, values: [arn] } : cv)) });
    const caller = callerOf(chosen.values[0] ?? '');
    const alts: Witness[] = [...(caller !== undefined ? [{ ...out, caller }] : []), withKey(out, facts.arn)];
    // A principal of the account the chosen value names, with the key set to its ARN.
    const m = /^arn:([^:]+):[^:]*:[^:]*:(\d{12}):/.exec(chosen.values[0] ?? '');
    if (m !== null) {
      for (const c of [`arn:${m[1]}:iam::${m[2]}:user/witness`, `arn:${m[1]}:iam::${m[2]}:root`])
        alts.push(withKey({ ...out, caller: c }, callerFacts(c)!.arn));
    }
    out = alts.find((alt) => confirm(alt)) ?? out;
  }
  for (const cv of alwaysSent(out)) {
    if (has(out, cv.key)) continue;
    // The consistent value first, then the other classes of values the policies tell apart.
    for (const state of [cv, ...p.keyStates(cv.key)]) {
      const alt = { ...out, context: [...out.context, state] };
      if (confirm(alt)) {
        out = alt;
        break;
      }
    }
  }
  return out;
}
