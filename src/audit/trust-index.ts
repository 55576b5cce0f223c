/**
 * Which roles a caller's sts:AssumeRole is worth deciding on: those whose
 * trust policy has an Allow statement that can match the caller
 * (eval/principal.ts matchAwsValue): `*` and NotPrincipal anyone, an account
 * id or root ARN the account's principals, a user ARN that user, a role ARN
 * any role of that account with that name; session and federated principals
 * never match a user or role; a service principal is matched by its name
 * or `*`. The evaluator decides each. Roles open to an
 * account or to anyone come in groups (same account, same trust document;
 * hubs.ts); roles that name the caller itself come one by one.
 */
import type { Universe } from '../account/query.js';
import { parseArn } from '../primitives/arn.js';
import { parseModelPolicy } from '../account/parsed-policies.js';
import type { RoleGroup } from './hubs.js';
import { isUnbounded } from './nodes.js';

/** The index key an `AWS` principal value is filed under ('*' for anyone; undefined when it matches no user or role). */
function trustKey(v: string): string | undefined {
  if (v === '*') return '*';
  if (/^\d{12}$/.test(v)) return `account:${v}`;
  const arn = parseArn(v);
  if (arn === undefined || arn.service !== 'iam') return undefined;
  if (arn.resource === 'root') return `account:${arn.account}`;
  if (arn.resource.startsWith('user/')) return `user:${v}`;
  if (arn.resource.startsWith('role/')) return `role:${arn.partition}:${arn.account}:${arn.resource.slice(arn.resource.lastIndexOf('/') + 1)}`;
  return undefined;
}

/** The index keys under which a user or role (the caller) can be named. */
function callerKeys(caller: string): string[] {
  const arn = parseArn(caller);
  if (arn === undefined) return [];
  const keys = [`account:${arn.account}`];
  if (arn.resource.startsWith('user/')) keys.push(`user:${caller}`);
  if (arn.resource.startsWith('role/')) keys.push(`role:${arn.partition}:${arn.account}:${arn.resource.slice(arn.resource.lastIndexOf('/') + 1)}`);
  return keys;
}

/** The keys a trust policy is filed under. */
function keysOf(u: Universe, doc: string, name: string): Set<string> {
  const policy = parseModelPolicy(u, doc, 'trust', `${name} trust policy`, true).policy;
  const keys = new Set<string>();
  for (const st of policy?.statements ?? []) {
    if (st.effect !== 'Allow') continue;
    const block = st.principal;
    if (st.notPrincipal || block?.wildcard) {
      keys.add('*');
      continue;
    }
    const values = block?.values ?? {};
    if ([...(values.Service ?? []), ...(values.Federated ?? []), ...(values.CanonicalUser ?? [])].includes('*')) keys.add('*');
    for (const v of values.Service ?? []) keys.add(`service:${v.toLowerCase()}`);
    for (const v of values.Federated ?? []) keys.add(`federated:${v.toLowerCase()}`);
    for (const v of values.AWS ?? []) {
      const key = trustKey(v);
      if (key !== undefined) keys.add(key);
    }
  }
  return keys;
}

export class TrustIndex {
  /** Groups of roles open to an account (`account:…`) or to anyone (`*`). */
  private readonly groups = new Map<string, RoleGroup[]>();
  /** Roles naming one user, role, service or provider, in the model's order (membership is asked per role and service). */
  private readonly named = new Map<string, Set<string>>();
  /** The group each grouped role is in (a role is in one: its account's roles with its trust text). */
  private readonly groupOf = new Map<string, string>();
  /** Roles open to anyone. */
  private readonly open = new Set<string>();

  constructor(u: Universe) {
    const byGroup = new Map<string, { keys: Set<string>; roles: string[] }>();
    const texts = new Map<string, number>();
    for (const a of u.accounts.values()) {
      for (const r of a.roles) {
        if (isUnbounded(r)) continue;
        const keys = keysOf(u, r.trustPolicy, r.name);
        for (const k of keys) if (/^(user|role|service|federated):/.test(k)) this.name(k, r.arn);
        if (keys.has('*')) this.open.add(r.arn);
        if (![...keys].some((k) => k === '*' || k.startsWith('account:'))) continue;
        const text = texts.get(r.trustPolicy) ?? texts.size;
        texts.set(r.trustPolicy, text);
        const id = `trust:${a.id}:${text}`;
        const g = byGroup.get(id) ?? { keys, roles: [] };
        g.roles.push(r.arn);
        byGroup.set(id, g);
        this.groupOf.set(r.arn, id);
      }
    }
    for (const [id, g] of byGroup) {
      const group: RoleGroup = { id, roles: g.roles };
      for (const k of g.keys) if (k === '*' || k.startsWith('account:')) this.add(this.groups, k, group);
    }
  }

  private name(key: string, role: string): void {
    const set = this.named.get(key);
    if (set) set.add(role);
    else this.named.set(key, new Set([role]));
  }

  private add<T>(m: Map<string, T[]>, key: string, v: T): void {
    const list = m.get(key);
    if (list) list.push(v);
    else m.set(key, [v]);
  }

  /** The role groups and single roles whose trust policy can match the caller. */
  candidates(caller: string): { groups: RoleGroup[]; single: string[] } {
    const groups = new Map<string, RoleGroup>();
    const single = new Set<string>();
    for (const g of this.groups.get('*') ?? []) groups.set(g.id, g);
    for (const key of callerKeys(caller)) {
      for (const g of this.groups.get(key) ?? []) groups.set(g.id, g);
      for (const r of this.named.get(key) ?? []) single.add(r);
    }
    // A role named one by one that is also in a group the caller gets is decided with its group.
    for (const r of single) {
      const g = this.groupOf.get(r);
      if (g !== undefined && groups.has(g)) single.delete(r);
    }
    return { groups: [...groups.values()], single: [...single] };
  }

  /** Whether the role's trust policy can match the service principal (names it, or anyone). */
  mayTrustService(role: string, service: string): boolean {
    return this.open.has(role) || (this.named.get(`service:${service.toLowerCase()}`)?.has(role) ?? false);
  }

  /** Whether the role's trust policy can match a federated principal (an identity provider such as cognito-identity.amazonaws.com). */
  mayTrustProvider(role: string, provider: string): boolean {
    return this.open.has(role) || (this.named.get(`federated:${provider.toLowerCase()}`)?.has(role) ?? false);
  }
}
