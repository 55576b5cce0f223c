/**
 * Representative callers for resource-based policies. How a caller matches a
 * Principal/NotPrincipal block depends only on its kind, partition, account,
 * role name and exact ARN (eval/principal.ts), so the callers the policies
 * name, one unnamed caller in each named account (user, root, role session)
 * and outsiders (another account, anonymous, an unnamed service) cover every
 * class. Matching itself is the evaluator's.
 *
 * "Another account" is chosen per problem: an account no policy of the
 * problem names anywhere (principals, resources, condition values), so a
 * policy that names some documentation account (444455556666…) is never
 * mistaken for one that grants an unnamed account.
 */
import { isCloudFrontOai } from '../eval/principal.js';
import type { PrincipalBlock } from '../policy/model.js';
import { Undecided } from './automaton.js';

const ARN_RE = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/;

/** Every run of exactly 12 digits in the texts (candidate account ids the policies name). */
export function accountsIn(texts: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(/(?<!\d)\d{12}(?!\d)/g)) out.add(m[0]);
  return out;
}

/** The first account id of a fixed sequence that is not in `named` (deterministic, never a named one). */
export function freshAccount(named: ReadonlySet<string>, skip: ReadonlySet<string> = new Set()): string {
  for (let n = 210_987_654_321; ; n += 1_000_003) {
    const id = String(n).padStart(12, '0').slice(-12);
    if (!named.has(id) && !skip.has(id)) return id;
  }
}

/** The callers that stand for "anyone outside the named accounts": a user of a fresh account, and anonymous. */
export function outsiderCallers(named: ReadonlySet<string>): string[] {
  return [`arn:aws:iam::${freshAccount(named)}:user/outsider`, 'anonymous'];
}

function fromAws(value: string, out: Set<string>): void {
  if (isCloudFrontOai(value)) {
    out.add(value);
    return;
  }
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

/**
 * A canonical user ID stands for an AWS account or a CloudFront origin access
 * identity, and which one is known only to AWS (Amazon S3 User Guide,
 * finding-canonical-user-id). Next to principals named by account or ARN the
 * two could be the same principal, so such a question is not decided.
 */
function checkCanonicalIds(blocks: readonly PrincipalBlock[]): void {
  const canonical = blocks.flatMap((b) => (b.wildcard ? [] : (b.values.CanonicalUser ?? []))).filter((v) => v !== '*');
  const aws = blocks.flatMap((b) => (b.wildcard ? [] : (b.values.AWS ?? []))).filter((v) => v !== '*');
  if (canonical.length > 0 && aws.length > 0) {
    throw new Undecided(
      `the CanonicalUser ${canonical[0]} may be the canonical ID of ${aws[0]} (an account or CloudFront origin access identity); that mapping is not known offline`,
    );
  }
}

/** Candidate caller ids for the given blocks, outsiders first; `named`: every account the problem names. */
export function callerCandidates(blocks: readonly PrincipalBlock[], named: ReadonlySet<string>): string[] {
  checkCanonicalIds(blocks);
  const out = new Set<string>([...outsiderCallers(named), 'outsider.example.amazonaws.com']);
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
