/**
 * Role chaining with session tags: each hop is an sts:AssumeRole decided by
 * `decide` (authz/queries.ts); the session a hop creates is the caller of the
 * next one (id_roles_terms-and-concepts, role chaining; id_session-tags).
 */
import { classifyCaller } from '../eval/principal.js';
import { parseArn } from '../primitives/arn.js';
import type { Tag } from '../account/model.js';
import type { Universe } from '../account/query.js';
import { decide, findRole, putIfAbsent, resourceTags, type QueryDecision, type QueryOptions } from './queries.js';

export interface ChainOptions extends QueryOptions {
  /** Session tags passed on the first hop (AssumeRole --tags). */
  readonly tags?: readonly Tag[];
  /** Keys of `tags` to set as transitive (--transitive-tag-keys): they persist through the chain. */
  readonly transitiveTagKeys?: readonly string[];
  /** RoleSessionName of every hop (default iamsim). */
  readonly sessionName?: string;
}

export interface ChainHop {
  readonly caller: string;
  readonly role: string;
  readonly assume: QueryDecision;
  /** sts:TagSession, decided when the hop passes session tags. */
  readonly tagSession?: QueryDecision;
  readonly ok: boolean;
  /** The session this hop creates: the caller of the next hop. */
  readonly sessionArn: string;
  /** aws:PrincipalTag values of that session: role tags overridden by session tags. */
  readonly principalTags: Readonly<Record<string, string>>;
  readonly transitiveTagKeys: readonly string[];
  /** A role session assuming a role is role chaining: at most one hour (id_roles_terms-and-concepts). */
  readonly chained: boolean;
  readonly maxSessionSeconds: number;
}

export interface ChainResult {
  readonly from: string;
  /** The hops decided, up to and including the first that fails. */
  readonly hops: readonly ChainHop[];
  readonly ok: boolean;
  /** Input problems (unknown role, transitive key not among the tags); nothing is decided after one. */
  readonly problems: readonly string[];
}

/**
 * Decides a chain of AssumeRole calls: `from` assumes roleArns[0], that
 * session assumes roleArns[1], and so on. Session tags (id_session-tags):
 * passing them needs sts:TagSession besides sts:AssumeRole, both decided
 * with aws:RequestTag/…, aws:TagKeys and sts:TransitiveTagKeys in the
 * request; the session's principal tags are the role's tags overridden by
 * the session tags; transitive tags persist to later sessions and replace the
 * matching aws:ResourceTag/… when the next trust policy is evaluated.
 */
export function assumeChain(u: Universe, fromPrincipal: string, roleArns: readonly string[], opts: ChainOptions = {}): ChainResult {
  const problems: string[] = [];
  const tags = opts.tags ?? [];
  const transitiveKeys = opts.transitiveTagKeys ?? [];
  for (const k of transitiveKeys) {
    if (!tags.some((t) => t.key.toLowerCase() === k.toLowerCase()))
      problems.push(`transitive tag key ${JSON.stringify(k)} is not among the session tags passed`);
  }
  const roles = roleArns.map((arn) => {
    const r = findRole(u, arn);
    if (r === undefined) problems.push(`role ${arn} is not in the model`);
    return r;
  });
  if (problems.length > 0) return { from: fromPrincipal, hops: [], ok: false, problems };
  const hops: ChainHop[] = [];
  let caller = fromPrincipal;
  let sessionTags = new Map<string, Tag>();
  let transitive = new Map<string, Tag>();
  for (const [i, role] of roles.entries()) {
    if (role === undefined) break;
    const passed = i === 0 ? tags : [];
    const context = resourceTags(role, transitive);
    for (const t of sessionTags.values()) putIfAbsent(context, `aws:PrincipalTag/${t.key}`, 'string', [t.value]);
    if (passed.length > 0) {
      for (const t of passed) putIfAbsent(context, `aws:RequestTag/${t.key}`, 'string', [t.value]);
      putIfAbsent(
        context,
        'aws:TagKeys',
        'stringList',
        passed.map((t) => t.key),
      );
      if (transitiveKeys.length > 0) putIfAbsent(context, 'sts:TransitiveTagKeys', 'stringList', transitiveKeys);
    }
    const assume = decide(u, { principal: caller, action: 'sts:AssumeRole', resource: role.arn, context }, opts);
    const tagSession = passed.length > 0 ? decide(u, { principal: caller, action: 'sts:TagSession', resource: role.arn, context }, opts) : undefined;
    const ok = assume.decision === 'allowed' && (tagSession === undefined || tagSession.decision === 'allowed');
    // Inherited transitive tags, then the tags passed now (id_session-tags, chaining roles with session tags).
    const nextSession = new Map(transitive);
    for (const t of passed) nextSession.set(t.key.toLowerCase(), t);
    const nextTransitive = new Map(transitive);
    for (const t of passed) if (transitiveKeys.some((k) => k.toLowerCase() === t.key.toLowerCase())) nextTransitive.set(t.key.toLowerCase(), t);
    const principalTags: Record<string, string> = {};
    for (const t of role.tags) if (!nextSession.has(t.key.toLowerCase())) principalTags[t.key] = t.value;
    for (const t of nextSession.values()) principalTags[t.key] = t.value;
    const account = classifyCaller(role.arn).account ?? '';
    const partition = parseArn(role.arn)?.partition ?? 'aws';
    const chained = ['role', 'role-session'].includes(classifyCaller(caller).kind);
    const sessionArn = `arn:${partition}:sts::${account}:assumed-role/${role.name}/${opts.sessionName ?? 'iamsim'}`;
    hops.push({
      caller,
      role: role.arn,
      assume,
      ...(tagSession ? { tagSession } : {}),
      ok,
      sessionArn,
      principalTags,
      transitiveTagKeys: [...nextTransitive.values()].map((t) => t.key),
      chained,
      maxSessionSeconds: chained ? 3600 : role.maxSessionDuration,
    });
    if (!ok) break;
    caller = sessionArn;
    sessionTags = nextSession;
    transitive = nextTransitive;
  }
  return { from: fromPrincipal, hops, ok: hops.length === roles.length && hops.every((h) => h.ok), problems };
}
