/**
 * Applies one side of an IaC change to an account model: the baseline
 * (`--account`/`--db`, or nothing) with the facts on top. Entities a fact
 * defines replace the baseline's of the same name; attachments, inline
 * policies and memberships change the entity they name. Documents are
 * bounded (symbols.ts) so that the same facts give an upper and a lower model.
 */
import { isAwsManagedArn, policyNameFromArn, resolveAwsManagedPolicy } from '../account/managed.js';
import type {
  Account,
  DocumentOrigin,
  Group,
  InlinePolicy,
  ManagedPolicy,
  ManagedPolicyRef,
  Organization,
  ResourcePolicy,
  Role,
  User,
} from '../account/model.js';
import { DEFAULT_MAX_SESSION_DURATION } from '../account/model.js';
import { createUniverse, type Universe } from '../account/query.js';
import { resourceKindOf } from '../account/import/resources.js';
import { parseArn } from '../primitives/arn.js';
import type { PolicyType } from '../policy/model.js';
import type { EntityFact, EntityRef, Fact, IacDocument, IacSide, IacUnknown, SourceRef } from './model.js';
import { denyAll, documentText, type Bound, type SymbolTable } from './symbols.js';

interface Draft {
  id: string;
  name?: string;
  users: User[];
  groups: Group[];
  roles: Role[];
  managedPolicies: ManagedPolicy[];
  resourcePolicies: ResourcePolicy[];
  sources: string[];
}

export interface Overlaid {
  readonly universe: Universe;
  /** Principals a fact names that neither the IaC nor the baseline defines (their other policies are not known). */
  readonly stubs: ReadonlySet<string>;
  readonly unknowns: readonly IacUnknown[];
  /** Where each entity, managed policy and resource policy of the IaC came from, by ARN. */
  readonly sources: ReadonlyMap<string, SourceRef>;
}

export function entityArn(account: string, kind: EntityRef['kind'], path: string, name: string): string {
  return `arn:aws:iam::${account}:${kind}${normPath(path)}${name}`;
}

export function normPath(p: string | undefined): string {
  if (!p) return '/';
  return `${p.startsWith('/') ? '' : '/'}${p}${p.endsWith('/') ? '' : '/'}`;
}

function originOf(s: SourceRef): DocumentOrigin {
  return { file: s.file, line: s.line ?? 1, column: s.column ?? 1 };
}

class Overlay {
  readonly drafts = new Map<string, Draft>();
  readonly stubs = new Set<string>();
  readonly unknowns: IacUnknown[] = [];
  readonly sources = new Map<string, SourceRef>();
  organization: Organization | undefined;

  constructor(
    base: Universe | undefined,
    readonly account: string,
    readonly bound: Bound,
    readonly table: SymbolTable,
  ) {
    for (const a of base?.accounts.values() ?? []) {
      this.drafts.set(a.id, {
        id: a.id,
        ...(a.name !== undefined ? { name: a.name } : {}),
        users: [...a.users],
        groups: [...a.groups],
        roles: [...a.roles],
        managedPolicies: [...a.managedPolicies],
        resourcePolicies: [...a.resourcePolicies],
        sources: [...a.sources],
      });
    }
    this.baseResources = [...(base?.resourcePolicies.values() ?? [])];
    this.organization = base?.organization;
  }

  private baseResources: ResourcePolicy[];

  draft(id = this.account): Draft {
    let d = this.drafts.get(id);
    if (!d) {
      d = { id, users: [], groups: [], roles: [], managedPolicies: [], resourcePolicies: [], sources: [] };
      this.drafts.set(id, d);
    }
    return d;
  }

  text(doc: IacDocument, type: PolicyType): string | undefined {
    return documentText(doc, type, this.bound, this.table);
  }

  inlineOf(list: EntityFact['inline'], source: SourceRef): InlinePolicy[] {
    const out: InlinePolicy[] = [];
    for (const p of list) {
      const t = this.text(p.document, 'identity');
      if (t !== undefined) out.push({ name: p.name, document: t, origin: originOf(source) });
    }
    return out;
  }

  refs(arns: readonly string[]): ManagedPolicyRef[] {
    return [...new Set(arns)].map((arn) => ({ arn, name: policyNameFromArn(arn) }));
  }

  entity(f: EntityFact): void {
    const d = this.draft();
    const arn = entityArn(this.account, f.kind, f.path, f.name);
    this.sources.set(arn, f.source);
    // Policies the baseline entity has and the fact does not name stay (attached outside the IaC, or by
    // separate resources); the fact's own inline policies replace those of the same name.
    const prior = (f.kind === 'user' ? d.users : f.kind === 'group' ? d.groups : d.roles).find((e) => e.name === f.name);
    const own = this.inlineOf(f.inline, f.source);
    const inlinePolicies = [...(prior?.inlinePolicies.filter((p) => !own.some((o) => o.name === p.name)) ?? []), ...own];
    const managedPolicies = this.refs([...(prior?.managedPolicies.map((m) => m.arn) ?? []), ...f.managed]);
    const common = { arn, name: f.name, path: normPath(f.path), inlinePolicies, managedPolicies };
    const tags = f.tags ?? [];
    if (f.kind === 'role') {
      const trust = f.trust ? this.text(f.trust, 'trust') : undefined;
      const role: Role = {
        ...common,
        trustPolicy: trust ?? denyAll('trust'),
        trustPolicyOrigin: originOf(f.source),
        ...(f.boundary ? { permissionsBoundary: f.boundary } : {}),
        tags,
        maxSessionDuration: DEFAULT_MAX_SESSION_DURATION,
      };
      d.roles = [...d.roles.filter((r) => r.name !== f.name), role];
    } else if (f.kind === 'user') {
      const user: User = { ...common, groups: [...(f.groups ?? [])], ...(f.boundary ? { permissionsBoundary: f.boundary } : {}), tags };
      d.users = [...d.users.filter((u) => u.name !== f.name), user];
    } else {
      d.groups = [...d.groups.filter((g) => g.name !== f.name), common];
    }
  }

  /** The entity a fact names, created as a stub (no policies) when neither side defines it. */
  find(ref: EntityRef, source: SourceRef): User | Group | Role {
    const d = this.draft();
    const list: readonly (User | Group | Role)[] = ref.kind === 'user' ? d.users : ref.kind === 'group' ? d.groups : d.roles;
    const found = list.find((e) => e.name === ref.name);
    if (found) return found;
    const arn = entityArn(this.account, ref.kind, '/', ref.name);
    this.stubs.add(arn);
    this.unknowns.push({
      address: source.address,
      attribute: ref.kind,
      reason: `${ref.kind} ${ref.name} is defined neither in the change nor in the baseline (--account/--db): its other policies are not known`,
      source,
    });
    const common = { arn, name: ref.name, path: '/', inlinePolicies: [], managedPolicies: [] };
    if (ref.kind === 'role') {
      const role: Role = { ...common, trustPolicy: denyAll('trust'), tags: [], maxSessionDuration: DEFAULT_MAX_SESSION_DURATION };
      d.roles.push(role);
      return role;
    }
    if (ref.kind === 'user') {
      const user: User = { ...common, groups: [], tags: [] };
      d.users.push(user);
      return user;
    }
    d.groups.push(common);
    return common;
  }

  update(ref: EntityRef, source: SourceRef, change: (e: User | Group | Role) => User | Group | Role): void {
    const old = this.find(ref, source);
    const next = change(old);
    const d = this.draft();
    if (ref.kind === 'user') d.users = d.users.map((e) => (e === old ? (next as User) : e));
    else if (ref.kind === 'group') d.groups = d.groups.map((e) => (e === old ? (next as Group) : e));
    else d.roles = d.roles.map((e) => (e === old ? (next as Role) : e));
  }

  resourcePolicy(arn: string, text: string | undefined, source: SourceRef, merge: boolean): void {
    const parsed = parseArn(arn);
    const owner = parsed?.account !== undefined && parsed.account !== '' ? parsed.account : this.account;
    const d = this.draft(owner);
    const existing = d.resourcePolicies.find((p) => p.arn === arn) ?? this.baseResources.find((p) => p.arn === arn);
    let document = text;
    if (merge && existing && text !== undefined) {
      const a = JSON.parse(existing.document) as { Statement?: unknown };
      const b = JSON.parse(text) as { Statement?: unknown };
      const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
      document = JSON.stringify({ Version: '2012-10-17', Statement: [...list(a.Statement), ...list(b.Statement)] });
    } else if (merge && existing && text === undefined) document = existing.document;
    d.resourcePolicies = d.resourcePolicies.filter((p) => p.arn !== arn);
    this.baseResources = this.baseResources.filter((p) => p.arn !== arn);
    this.sources.set(arn, source);
    if (document === undefined) return;
    const { service, kind } = resourceKindOf(arn);
    d.resourcePolicies.push({ arn, service, kind, accountId: owner, document, origin: originOf(source) });
  }

  apply(f: Fact): void {
    switch (f.kind) {
      case 'user':
      case 'group':
      case 'role':
        this.entity(f);
        return;
      case 'managed-policy': {
        const d = this.draft();
        this.sources.set(f.arn, f.source);
        const t = this.text(f.document, 'identity') ?? denyAll('identity');
        const mp: ManagedPolicy = {
          arn: f.arn,
          name: f.name,
          path: normPath(f.path),
          awsManaged: false,
          defaultVersionId: 'v1',
          versions: [{ versionId: 'v1', isDefault: true, document: t, origin: originOf(f.source) }],
          document: t,
        };
        d.managedPolicies = [...d.managedPolicies.filter((p) => p.arn !== f.arn), mp];
        return;
      }
      case 'inline-policy': {
        const t = this.text(f.document, 'identity');
        this.update(f.owner, f.source, (e) => ({
          ...e,
          inlinePolicies: [
            ...e.inlinePolicies.filter((p) => p.name !== f.name),
            ...(t !== undefined ? [{ name: f.name, document: t, origin: originOf(f.source) }] : []),
          ],
        }));
        return;
      }
      case 'attachment':
        this.update(f.owner, f.source, (e) => ({ ...e, managedPolicies: this.refs([...e.managedPolicies.map((m) => m.arn), f.policy]) }));
        return;
      case 'boundary':
        this.update(f.owner, f.source, (e) => ({ ...e, permissionsBoundary: f.policy }));
        return;
      case 'membership':
        this.update({ kind: 'user', name: f.user }, f.source, (e) => ({ ...e, groups: [...new Set([...(e as User).groups, ...f.groups])] }));
        return;
      case 'resource-policy':
        this.resourcePolicy(f.arn, this.text(f.document, 'resource'), f.source, f.merge === true);
        return;
      case 'org-policy':
      case 'org-attachment':
        this.orgFact(f);
        return;
      case 'execution-role':
        return;
    }
  }

  /** Undoes a fact the other side has and this side does not (a deleted resource). */
  remove(f: Fact): void {
    const d = this.draft();
    const without = <T extends { name: string }>(list: T[], name: string): T[] => list.filter((e) => e.name !== name);
    const inScope = (ref: EntityRef): boolean => (ref.kind === 'user' ? d.users : ref.kind === 'group' ? d.groups : d.roles).some((e) => e.name === ref.name);
    switch (f.kind) {
      case 'user':
        d.users = without(d.users, f.name);
        return;
      case 'group':
        d.groups = without(d.groups, f.name);
        return;
      case 'role':
        d.roles = without(d.roles, f.name);
        return;
      case 'managed-policy':
        d.managedPolicies = d.managedPolicies.filter((p) => p.arn !== f.arn);
        return;
      case 'inline-policy':
        if (inScope(f.owner)) this.update(f.owner, f.source, (e) => ({ ...e, inlinePolicies: e.inlinePolicies.filter((p) => p.name !== f.name) }));
        return;
      case 'attachment':
        if (inScope(f.owner)) this.update(f.owner, f.source, (e) => ({ ...e, managedPolicies: e.managedPolicies.filter((m) => m.arn !== f.policy) }));
        return;
      case 'boundary':
        if (inScope(f.owner))
          this.update(f.owner, f.source, (e) => {
            const { permissionsBoundary: _drop, ...rest } = e as Role;
            return rest as Role;
          });
        return;
      case 'membership':
        if (inScope({ kind: 'user', name: f.user }))
          this.update({ kind: 'user', name: f.user }, f.source, (e) => ({ ...e, groups: (e as User).groups.filter((g) => !f.groups.includes(g)) }));
        return;
      case 'resource-policy':
        if (!f.merge) this.resourcePolicy(f.arn, undefined, f.source, false);
        return;
      case 'org-policy':
        if (this.organization) this.organization = { ...this.organization, policies: this.organization.policies.filter((p) => p.id !== f.id) };
        return;
      case 'org-attachment':
        if (this.organization)
          this.organization = {
            ...this.organization,
            policies: this.organization.policies.map((p) => (p.id === f.policyId ? { ...p, targets: p.targets.filter((t) => t !== f.target) } : p)),
          };
        return;
      case 'execution-role':
        return;
    }
  }

  orgFact(f: Extract<Fact, { kind: 'org-policy' | 'org-attachment' }>): void {
    const org = this.organization;
    if (!org) {
      this.unknowns.push({
        address: f.source.address,
        attribute: f.kind === 'org-policy' ? 'content' : 'target_id',
        reason: 'an organization policy changes, but the model has no organization (give it with --account or --db)',
        source: f.source,
      });
      return;
    }
    if (f.kind === 'org-policy') {
      const content = this.text(f.document, f.type === 'SCP' ? 'scp' : 'rcp') ?? denyAll(f.type === 'SCP' ? 'scp' : 'rcp');
      const old = org.policies.find((p) => p.id === f.id);
      const policy = { id: f.id, name: f.name, type: f.type, awsManaged: false, content, origin: originOf(f.source), targets: old?.targets ?? [] };
      this.organization = { ...org, policies: [...org.policies.filter((p) => p.id !== f.id), policy] };
      return;
    }
    const policies = org.policies.map((p) => (p.id === f.policyId ? { ...p, targets: [...new Set([...p.targets, f.target])] } : p));
    if (!org.policies.some((p) => p.id === f.policyId)) {
      this.unknowns.push({
        address: f.source.address,
        attribute: 'policy_id',
        reason: `policy ${f.policyId} is not in the change or the model`,
        source: f.source,
      });
    }
    this.organization = { ...org, policies };
  }

  /** Managed policies the entities use: AWS managed resolved offline; others must be defined. */
  resolve(): void {
    for (const d of this.drafts.values()) {
      const have = new Set(d.managedPolicies.map((p) => p.arn));
      const used: { arn: string; owner: string }[] = [];
      for (const e of [...d.users, ...d.groups, ...d.roles]) {
        for (const m of e.managedPolicies) used.push({ arn: m.arn, owner: e.arn });
        const b = (e as { permissionsBoundary?: string }).permissionsBoundary;
        if (b !== undefined) used.push({ arn: b, owner: e.arn });
      }
      for (const { arn, owner } of used) {
        if (have.has(arn)) continue;
        have.add(arn);
        const found = isAwsManagedArn(arn) ? resolveAwsManagedPolicy(arn) : undefined;
        if (found?.ok) {
          d.managedPolicies.push(found.policy);
          continue;
        }
        const src = this.sources.get(owner);
        this.unknowns.push({
          address: src?.address ?? owner,
          attribute: 'policy_arn',
          reason: `managed policy ${this.table.describe(arn)} is ${found ? 'not a known AWS managed policy' : 'defined neither in the change nor in the baseline'}: its document is not known`,
          ...(src ? { source: src } : {}),
        });
        const doc = this.bound === 'upper' ? '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' : denyAll('identity');
        d.managedPolicies.push({
          arn,
          name: policyNameFromArn(arn),
          path: '/',
          awsManaged: false,
          defaultVersionId: 'v1',
          versions: [{ versionId: 'v1', isDefault: true, document: doc }],
          document: doc,
        });
      }
    }
  }

  result(): Overlaid {
    this.resolve();
    const accounts: Account[] = [...this.drafts.values()].map((d) => ({ ...d }));
    const universe = createUniverse({ accounts, resourcePolicies: this.baseResources, ...(this.organization ? { organization: this.organization } : {}) });
    return { universe, stubs: this.stubs, unknowns: this.unknowns, sources: this.sources };
  }
}

/** The model of one side: the baseline with the side's facts applied, documents bounded by `bound`. */
export function overlay(
  base: Universe | undefined,
  side: IacSide | undefined,
  bound: Bound,
  table: SymbolTable,
  account: string,
  removed: readonly Fact[] = [],
): Overlaid {
  const o = new Overlay(base, side?.accountId ?? account, bound, table);
  for (const f of removed) o.remove(f);
  for (const f of side?.facts ?? []) o.apply(f);
  for (const u of side?.unknowns ?? []) o.unknowns.push(u);
  return o.result();
}

/**
 * The Principal element a Lambda permission's `principal` stands for (Lambda AddPermission: a service principal,
 * an account ID, an ARN, or `*`).
 */
export function lambdaPermissionPrincipal(principal: string): string | Record<string, string> {
  if (principal === '*') return '*';
  if (/\.amazonaws\.com(\.cn)?$/.test(principal)) return { Service: principal };
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  return { AWS: principal };
}
