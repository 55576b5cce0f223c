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
 * that — a condition on, or a policy variable of, aws:PrincipalArn,
 * aws:username, aws:PrincipalTag/…, aws:userid, … (keys AWS derives per
 * principal) — makes the request its own (undefined key). The deciding statement of a shared
 * verdict is the representative's; paths re-decide their steps exactly
 * (AuditDecider.decideExact).
 */
import type { Assembled } from '../authz/assemble.js';
import type { CompiledPolicy, CompiledStatement } from '../eval/compile.js';
import { parseArn } from '../primitives/arn.js';
import { actionBehaviour } from '../eval/evaluate.js';
import { classifyCaller, type Caller } from '../eval/principal.js';
import type { RequestContext } from '../eval/request.js';
import type { Statement } from '../policy/model.js';
import { derived } from '../primitives/lazy.js';

/**
 * Keys whose value AWS derives differently for two principals of one account
 * (context.ts): their ARN, tags, type, name and id. The account, organization
 * and the like are the same for all of them.
 */
const PRINCIPAL_SPECIFIC = /^aws:(principalarn|principaltag\/|principaltype|username|userid|sourceidentity|federatedprovider)/i;
const VARIABLE = /\$\{([^}]*)\}/g;

/** Whether a statement's outcome can depend on which principal of an account asks: a condition on, or a policy variable of, such a key. */
export function dependsOnCaller(s: Statement): boolean {
  if (s.conditions.some((c) => PRINCIPAL_SPECIFIC.test(c.key))) return true;
  const texts = [...(s.resource?.values ?? []), ...(s.notResource?.values ?? []), ...s.conditions.flatMap((c) => c.values)];
  for (const t of texts) {
    if (!t.includes('${')) continue;
    for (const m of t.matchAll(VARIABLE)) {
      const name = (m[1] ?? '').split(',')[0]?.trim() ?? '';
      if (name !== '*' && name !== '?' && name !== '$' && (PRINCIPAL_SPECIFIC.test(name) || name === '')) return true;
    }
  }
  return false;
}

/** Statements whose outcome may depend on the exact caller (derived once per compiled statement). */
export const callerSpecific: (st: CompiledStatement) => boolean = derived((st: CompiledStatement) => dependsOnCaller(st.statement));

/** Interns policy texts: equal documents of the same layer get one number. */
export class PolicyIds {
  private readonly ids = new Map<string, number>();
  private readonly byCompiled = new WeakMap<CompiledPolicy, number>();
  /** Key fragments of identity-side policies on `*` (admin probes, risks), by action: they depend on the policy and action only. */
  readonly star = new WeakMap<CompiledPolicy, Map<string, string | null>>();
  /** What a key needs of one assembled input, by principal (prepare). */
  readonly prepared = new WeakMap<Assembled, Map<string, Prepared>>();
  /** The same fragments as numbers (-1: the statement depends on the caller), for starActionClasses. */
  readonly starNumbers = new WeakMap<CompiledPolicy, Map<string, number>>();
  /** Key fragments and action behaviours, numbered. */
  private readonly texts = new Map<string, number>();
  /** Action names in lower case, made once (the risk scan asks about the same actions for every principal). */
  private readonly lowers = new Map<string, string>();

  lower(action: string): string {
    let l = this.lowers.get(action);
    if (l === undefined) {
      l = action.toLowerCase();
      this.lowers.set(action, l);
    }
    return l;
  }

  /** The number of a fragment or behaviour text (equal texts, equal numbers). */
  number(text: string): number {
    let n = this.texts.get(text);
    if (n === undefined) {
      n = this.texts.size;
      this.texts.set(text, n);
    }
    return n;
  }

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

/** What a key needs of one assembled input, worked out once per input. */
interface Prepared {
  readonly caller: Caller;
  readonly head: string;
  readonly layers: readonly (readonly [string, readonly CompiledPolicy[], boolean])[];
}

function prepare(a: Assembled, principal: string, ids: PolicyIds): Prepared {
  let byPrincipal = ids.prepared.get(a);
  if (byPrincipal === undefined) {
    byPrincipal = new Map();
    ids.prepared.set(a, byPrincipal);
  }
  let p = byPrincipal.get(principal);
  if (p === undefined) {
    const caller = classifyCaller(principal);
    const i = a.input;
    const flags = `${i.callerIsManagementAccount ? 1 : 0}${i.resourceOwnerIsManagementAccount ? 1 : 0}${i.callerIsServiceLinkedRole ? 1 : 0}`;
    const head = [
      caller.kind,
      caller.account ?? '',
      caller.partition ?? '',
      i.resourceOwnerAccount ?? '',
      flags,
      `S${i.scp?.length ?? -1}R${i.rcp?.length ?? -1}`,
    ].join('|');
    const layers: [string, readonly CompiledPolicy[], boolean][] = [
      ['i', i.identity, false],
      ['b', i.boundary ?? [], false],
      ['s', i.session ?? [], false],
      ['r', i.resource ? [i.resource] : [], true],
      ['e', i.endpoint ? [i.endpoint] : [], true],
      ...(i.scp ?? []).map((l, n): [string, readonly CompiledPolicy[], boolean] => [`S${n}.`, l, false]),
      ...(i.rcp ?? []).map((l, n): [string, readonly CompiledPolicy[], boolean] => [`R${n}.`, l, true]),
    ];
    p = { caller, head, layers };
    byPrincipal.set(principal, p);
  }
  return p;
}

/**
 * The key under which the evaluator's answer to this request can be shared,
 * or undefined when it must be decided on its own. `extraKey`: the request
 * context the audit adds (iam:PassedToService, …); the time is the audit's.
 */
export function shareKey(a: Assembled, ids: PolicyIds, principal: string, action: string, resource: string, extraKey: string): string | undefined {
  if (a.diagnostics.length > 0) return undefined;
  const p = prepare(a, principal, ids);
  const lower = action.toLowerCase();
  const region = resource === '*' ? '' : (parseArn(resource)?.region ?? '');
  return layersKey(a, p, ids, principal, action, resource, `${p.head}|${lower}|${region}|${extraKey}`);
}

/**
 * For requests of one principal on `*` with no added context (one assembled
 * input): a key that is equal for two actions when the evaluator cannot tell
 * them apart — in every layer the same statements name them (with the same
 * resource match), and the evaluator's other reading of the action
 * (`actionBehaviour`) agrees. Undefined when the request must be decided on
 * its own, as for shareKey.
 */
export function starActionClass(a: Assembled, ids: PolicyIds, principal: string, action: string): string | undefined {
  if (a.diagnostics.length > 0) return undefined;
  const lower = action.toLowerCase();
  return layersKey(a, prepare(a, principal, ids), ids, principal, action, '*', actionBehaviour(lower, a.input));
}

/** A class of actions (starActionClasses): a node of a trie of fragment numbers. */
type ActionClass = Map<number, ActionClass>;

/**
 * starActionClass for every action of one principal on `*` at once, without
 * writing the keys: for each action, an object that is the same for two
 * actions exactly when their starActionClass keys are equal (undefined where
 * that key is undefined). The principal's layers, their policies and the
 * head of the key are the same for all its actions, so an action's key is
 * fixed by its behaviour and each policy's fragment: numbered once per
 * policy and action (PolicyIds), they lead an action down a trie whose node
 * is its class. No string per action and policy is made (the risk scan asks
 * about up to 12,500 actions per principal).
 */
export function starActionClasses(a: Assembled, ids: PolicyIds, principal: string, actions: readonly string[]): (object | undefined)[] {
  if (a.diagnostics.length > 0) return actions.map(() => undefined);
  const p = prepare(a, principal, ids);
  const req: RequestContext = { principal, action: '', resource: '*', context: EMPTY };
  // A resource-side layer's fragment depends on the caller too: numbered afresh for each principal.
  const parts = p.layers.flatMap(([, policies, usesPrincipal]) =>
    policies.map((policy) => ({
      policy,
      caller: usesPrincipal ? p.caller : undefined,
      numbers: usesPrincipal ? new Map<string, number>() : starNumbers(ids, policy),
    })),
  );
  const root: ActionClass = new Map();
  return actions.map((action) => {
    const lower = ids.lower(action);
    let node = step(root, ids.number(actionBehaviour(lower, a.input)));
    for (const { policy, caller, numbers } of parts) {
      let n = numbers.get(lower);
      if (n === undefined) {
        const f = fragment(policy, lower, '*', req, caller, ids, a);
        n = f === null ? -1 : ids.number(f);
        numbers.set(lower, n);
      }
      if (n === -1) return undefined;
      node = step(node, n);
    }
    return node;
  });
}

/** The numbered fragments of an identity-side policy (they depend on the policy and action only). */
function starNumbers(ids: PolicyIds, policy: CompiledPolicy): Map<string, number> {
  let m = ids.starNumbers.get(policy);
  if (m === undefined) {
    m = new Map();
    ids.starNumbers.set(policy, m);
  }
  return m;
}

function step(node: ActionClass, n: number): ActionClass {
  let next = node.get(n);
  if (next === undefined) {
    next = new Map();
    node.set(n, next);
  }
  return next;
}

/** `key` followed by each layer's policies' fragments; undefined when a statement depends on the exact caller. */
function layersKey(a: Assembled, p: Prepared, ids: PolicyIds, principal: string, action: string, resource: string, key: string): string | undefined {
  const lower = action.toLowerCase();
  const req: RequestContext = { principal, action, resource, context: EMPTY };
  for (const [tag, policies, usesPrincipal] of p.layers) {
    key += `|${tag}${policies.length}`;
    for (const policy of policies) {
      const f =
        usesPrincipal || resource !== '*'
          ? fragment(policy, lower, resource, req, usesPrincipal ? p.caller : undefined, ids, a)
          : starFragment(policy, lower, req, ids, a);
      if (f === null) return undefined;
      key += f;
    }
  }
  return key;
}

/**
 * One policy's part of a key: its number, then each statement naming the
 * action with whether it matches the resource (and how its Principal
 * matches the caller); '' when no statement names the action, null when one
 * depends on the exact caller.
 */
function fragment(
  policy: CompiledPolicy,
  lower: string,
  resource: string,
  req: RequestContext,
  caller: Caller | undefined,
  ids: PolicyIds,
  a: Assembled,
): string | null {
  const list = policy.candidates(lower);
  if (list.length === 0) return '';
  let f = `p${ids.of(policy, a)}`;
  for (const st of list) {
    if (callerSpecific(st)) return null;
    const r = st.matchesResource(resource, req, undefined) ? 1 : 0;
    f += caller !== undefined ? `,${st.ref.index}:${r}${st.matchPrincipal?.(caller) ?? '-'}` : `,${st.ref.index}:${r}`;
  }
  return f;
}

function starFragment(policy: CompiledPolicy, lower: string, req: RequestContext, ids: PolicyIds, a: Assembled): string | null {
  let byAction = ids.star.get(policy);
  if (byAction === undefined) {
    byAction = new Map();
    ids.star.set(policy, byAction);
  }
  let f = byAction.get(lower);
  if (f === undefined) {
    f = fragment(policy, lower, '*', req, undefined, ids, a);
    byAction.set(lower, f);
  }
  return f;
}

const EMPTY: RequestContext['context'] = new Map();

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
