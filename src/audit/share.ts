/**
 * When two audit requests must decide alike, so the evaluator decides once
 * for both. The evaluator (src/eval) looks at a request only through: which
 * layers take part (boundary, SCP and RCP levels, resource policy, the
 * management-account and service-linked-role flags), the statements whose
 * Action/NotAction names the action, whether each of them matches the
 * resource, how each resource-side statement's Principal matches the caller,
 * their conditions over the request context, the caller's kind and account
 * and the resource owner's account. `shareKey` writes exactly those down.
 * Requests with equal keys are the same request to the evaluator — a user of
 * 3,000 with PowerUserAccess asks about s3:PutBucketPolicy on `*` once for
 * all, and one principal assumes every role with the same trust policy once.
 *
 * A statement whose outcome can depend on who exactly the caller is beyond
 * that — policy variables, or conditions on aws:PrincipalArn, aws:username,
 * aws:PrincipalTag/…, aws:userid, … (keys AWS derives per principal) — makes
 * the request its own (undefined key). The deciding statement of a shared
 * verdict is the representative's; paths re-decide their steps exactly
 * (AuditDecider.decideExact).
 */
import type { Assembled } from '../authz/assemble.js';
import type { CompiledPolicy, CompiledStatement } from '../eval/compile.js';
import { parseArn } from '../eval/match/arn.js';
import { classifyCaller, type Caller } from '../eval/principal.js';
import type { RequestContext } from '../eval/request.js';

const PRINCIPAL_SPECIFIC = /^aws:(principal|username|userid|sourceidentity|federatedprovider)/i;

/** Statements whose outcome may depend on the exact caller (cached per compiled statement). */
const specific = new WeakMap<CompiledStatement, boolean>();

export function callerSpecific(st: CompiledStatement): boolean {
  let v = specific.get(st);
  if (v === undefined) {
    const s = st.statement;
    const texts = [...(s.resource?.values ?? []), ...(s.notResource?.values ?? []), ...s.conditions.flatMap((c) => [c.key, ...c.values])];
    v = texts.some((t) => t.includes('${')) || s.conditions.some((c) => PRINCIPAL_SPECIFIC.test(c.key));
    specific.set(st, v);
  }
  return v;
}

/** Interns policy texts: equal documents of the same layer get one number. */
export class PolicyIds {
  private readonly ids = new Map<string, number>();
  private readonly byCompiled = new WeakMap<CompiledPolicy, number>();

  of(p: CompiledPolicy, a: Assembled): number {
    let id = this.byCompiled.get(p);
    if (id === undefined) {
      const src = a.sources.get(p.id);
      const text = `${p.policy.type}\u0000${src?.document ?? p.id}`;
      id = this.ids.get(text);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(text, id);
      }
      this.byCompiled.set(p, id);
    }
    return id;
  }
}

interface KeyEnv {
  readonly a: Assembled;
  readonly ids: PolicyIds;
  readonly actionLower: string;
  readonly req: RequestContext;
  readonly caller: Caller;
  readonly parts: string[];
}

/** Appends the layer's relevant statements; false when one is caller-specific. */
function layer(env: KeyEnv, tag: string, policies: readonly CompiledPolicy[] | undefined, usesPrincipal: boolean): boolean {
  env.parts.push(`${tag}${policies?.length ?? 0}`);
  for (const p of policies ?? []) {
    const list = p.candidates(env.actionLower);
    if (list.length === 0) continue;
    env.parts.push(`p${env.ids.of(p, env.a)}`);
    for (const st of list) {
      if (callerSpecific(st)) return false;
      const r = st.matchesResource(env.req.resource, env.req, undefined) ? 1 : 0;
      const pm = usesPrincipal ? (st.matchPrincipal?.(env.caller) ?? '-') : '';
      env.parts.push(`${st.ref.index}:${r}${pm}`);
    }
  }
  return true;
}

/**
 * The key under which the evaluator's answer to this request can be shared,
 * or undefined when it must be decided on its own. `extraKey`: the request
 * context the audit adds (iam:PassedToService, …); the time is the audit's.
 */
export function shareKey(a: Assembled, ids: PolicyIds, principal: string, action: string, resource: string, extraKey: string): string | undefined {
  if (a.diagnostics.length > 0) return undefined;
  const caller = classifyCaller(principal);
  const i = a.input;
  const parts = [
    caller.kind,
    caller.account ?? '',
    caller.partition ?? '',
    action.toLowerCase(),
    parseArn(resource)?.region ?? '',
    i.resourceOwnerAccount ?? '',
    `${i.callerIsManagementAccount ? 1 : 0}${i.resourceOwnerIsManagementAccount ? 1 : 0}${i.callerIsServiceLinkedRole ? 1 : 0}`,
    extraKey,
  ];
  const env: KeyEnv = { a, ids, actionLower: action.toLowerCase(), req: { principal, action, resource, context: new Map() }, caller, parts };
  const layers: [string, readonly CompiledPolicy[] | undefined, boolean][] = [
    ['i', i.identity, false],
    ['b', i.boundary, false],
    ['s', i.session, false],
    ['r', i.resource ? [i.resource] : undefined, true],
    ['e', i.endpoint ? [i.endpoint] : undefined, true],
    ...(i.scp ?? []).map((l, n): [string, readonly CompiledPolicy[], boolean] => [`S${n}.`, l, false]),
    ...(i.rcp ?? []).map((l, n): [string, readonly CompiledPolicy[], boolean] => [`R${n}.`, l, true]),
  ];
  parts.push(`S${i.scp?.length ?? -1}R${i.rcp?.length ?? -1}`);
  for (const [tag, policies, usesPrincipal] of layers) if (!layer(env, tag, policies, usesPrincipal)) return undefined;
  return parts.join('|');
}

/** The statements of every layer whose Action/NotAction names the action (what a decision can depend on). */
export function relevantStatements(a: Assembled, action: string): CompiledStatement[] {
  const i = a.input;
  const lower = action.toLowerCase();
  const policies = [
    ...i.identity,
    ...(i.boundary ?? []),
    ...(i.session ?? []),
    ...(i.resource ? [i.resource] : []),
    ...(i.endpoint ? [i.endpoint] : []),
    ...(i.scp ?? []).flat(),
    ...(i.rcp ?? []).flat(),
  ];
  return policies.flatMap((p) => p.candidates(lower));
}
