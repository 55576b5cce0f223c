/**
 * Representative callers for resource-based policies. How a caller matches a
 * Principal/NotPrincipal block depends only on its kind, partition, account,
 * role name and exact ARN (eval/principal.ts), so the callers the policies
 * name, one unnamed caller in each named account (user, root, role session)
 * and outsiders (another account, anonymous, an unnamed service) cover every
 * class. Matching itself is the evaluator's.
 */
import type { PrincipalBlock } from '../policy/model.js';

/** An account no policy is expected to name, for outsiders. */
export const OUTSIDE_ACCOUNT = '444455556666';
export const OUTSIDER = `arn:aws:iam::${OUTSIDE_ACCOUNT}:user/outsider`;

const ARN_RE = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/;

function fromAws(value: string, out: Set<string>): void {
  if (/^\d{12}$/.test(value)) {
    out.add(`arn:aws:iam::${value}:user/witness`);
    out.add(`arn:aws:iam::${value}:root`);
    return;
  }
  const m = ARN_RE.exec(value);
  if (!m) return;
  const [, partition = 'aws', service, account = '', rest = ''] = m;
  out.add(`arn:${partition}:iam::${account}:user/witness`);
  out.add(`arn:${partition}:iam::${account}:root`);
  out.add(`arn:${partition}:sts::${account}:assumed-role/witness-role/witness`);
  if (service === 'iam' && rest.startsWith('role/')) {
    const name = rest.slice(rest.lastIndexOf('/') + 1);
    out.add(`arn:${partition}:sts::${account}:assumed-role/${name}/witness`);
  } else if (rest !== 'root') out.add(value);
}

/** Candidate caller ids for the given blocks, outsiders first. */
export function callerCandidates(blocks: readonly PrincipalBlock[]): string[] {
  const out = new Set<string>([OUTSIDER, 'anonymous', 'outsider.example.amazonaws.com']);
  for (const b of blocks) {
    if (b.wildcard) continue;
    for (const v of b.values.AWS ?? []) fromAws(v, out);
    for (const v of b.values.Service ?? []) if (v !== '*') out.add(v);
    for (const v of b.values.Federated ?? []) if (v !== '*') out.add(v);
    for (const v of b.values.CanonicalUser ?? []) if (v !== '*') out.add(v);
  }
  return [...out];
}

/** The 12-digit account of a caller ARN, if any. */
export function accountOfCaller(id: string): string | undefined {
  return ARN_RE.exec(id)?.[3];
}
