/**
 * The escalation graph (PMapper-like): an edge A → B means A can act as B
 * (assume it, create its credentials, join its group, run code as it); a
 * grant A ⇒ B means A can give B any permission (edit its policies, rewrite
 * an attached customer managed policy). Each is decided by the evaluator
 * (AuditDecider) for the technique's actions; see techniques.ts.
 */
import { createHash } from 'node:crypto';
import type { Account, Role } from '../account/model.js';
import type { ContextValue } from '../eval/request.js';
import type { AuditDecider, Verdict } from './decide.js';
import { adminPolicyArn, computeNode, ctx, editTargets, holders, step, unboundStep, type Edge, type Graph } from './edges.js';
import { isServiceLinked, isUnbounded, memberArn, mentionedActions, unboundedArn, type AuditModel, type AuditNode } from './nodes.js';
import { AfterFirstStep, hasInstanceProfile, NEW_INSTANCE_PROFILE, trustEditPrincipal } from './after.js';
import { TECHNIQUES, techniqueActions, type Technique } from './techniques.js';
import { partitionOf } from '../primitives/arn.js';
import { RoleSubsets, type RoleGroup, type Subset } from './hubs.js';
import { TrustIndex } from './trust-index.js';
import { PoolRoles } from './pool-roles.js';
import type { GrantSet, TargetList } from './grant-sets.js';
import type { Step } from './step.js';

export type { Step } from './step.js';

export type { Edge, Graph } from './edges.js';
export type { Grant, GrantSet } from './grant-sets.js';

const TECHNIQUE_ACTIONS = techniqueActions();

class Builder {
  readonly edges = new Map<string, Edge[]>();
  readonly grants = new Map<string, GrantSet[]>();
  /** Target lists, built once and shared by every grant set with the same targets. */
  private readonly lists = new Map<string, TargetList>();
  private readonly serviceRoles = new Map<string, boolean>();
  private readonly assumable = new Map<string, Role[]>();
  private readonly trust: TrustIndex;
  private readonly subsets: RoleSubsets;
  private readonly hubs = new Set<string>();
  /** Role subsets (hubs.ts) → their node. */
  private readonly groupNodes = new Map<string, string>();
  private readonly groups = new Map<string, RoleGroup>();
  private readonly mentions = new Map<string, ReadonlySet<string>>();
  /** What an edit-policy technique targets in an account (edges.ts editTargets), listed once. */
  private readonly editTargets = new Map<string, ReturnType<typeof editTargets>>();
  private readonly after: AfterFirstStep;
  private readonly pools: PoolRoles;

  constructor(
    readonly m: AuditModel,
    readonly d: AuditDecider,
  ) {
    this.trust = new TrustIndex(m.universe);
    this.subsets = new RoleSubsets(d);
    this.after = new AfterFirstStep(d);
    this.pools = new PoolRoles(d, this.trust);
  }

  /** The node standing for a subset of roles, with an edge out to each (created once). */
  private groupNode(subset: Subset): string {
    let node = this.groupNodes.get(subset.key);
    if (node === undefined) {
      // Named by its roles, so that graphs built in parts (partition.ts) name it alike.
      node = `roles:${createHash('sha256').update(subset.roles.join('\n')).digest('hex').slice(0, 20)}`;
      this.groupNodes.set(subset.key, node);
      if (!this.edges.has(node)) for (const r of subset.roles) this.edge({ from: node, to: r, technique: '', steps: [], fill: true });
    }
    return node;
  }

  /**
   * Edges from `n` to the roles of a group it may call `action` on: one
   * decision per subset (hubs.ts); `make` builds the edge for a verdict and a
   * target (a role, or the subset's node whose exits name the role).
   */
  private toGroup(
    n: AuditNode,
    action: string,
    group: RoleGroup,
    extra: ReadonlyMap<string, ContextValue> | undefined,
    make: (to: string, v: Verdict) => Edge,
  ): void {
    for (const { subset, first, v } of this.allowedSubsets(n, action, group, extra)) {
      // A subset node may lead back to the caller: breadth-first search ignores that.
      this.edge(make(subset.roles.length === 1 ? first : this.groupNode(subset), v));
    }
  }

  /** The subsets of a group (hubs.ts) the caller's request is allowed on, decided once each (on a member other than the caller unless `self`). */
  private allowedSubsets(n: AuditNode, action: string, group: RoleGroup, extra: ReadonlyMap<string, ContextValue> | undefined, self = false) {
    const out: { subset: Subset; first: string; v: Verdict }[] = [];
    const subsets = this.subsets.split(n.arn, action, group) ?? group.roles.map((r) => ({ key: r, roles: [r] }));
    for (const subset of subsets) {
      const first = self ? subset.roles[0] : subset.roles.find((r) => r !== n.arn);
      if (first === undefined) continue;
      const v = this.d.decide(n.arn, action, first, extra);
      if (v.allowed) out.push({ subset, first, v });
    }
    return out;
  }

  /** A group of targets by id, made once. */
  private group(id: string, members: () => string[]): RoleGroup {
    let g = this.groups.get(id);
    if (g === undefined) {
      g = { id, roles: members() };
      this.groups.set(id, g);
    }
    return g;
  }

  private edge(e: Edge): void {
    const list = this.edges.get(e.from) ?? [];
    list.push(e);
    this.edges.set(e.from, list);
  }

  private grant(g: GrantSet): void {
    if (g.to.grantees.length === 0) return;
    const list = this.grants.get(g.by) ?? [];
    list.push(g);
    this.grants.set(g.by, list);
  }

  /** A target list by key, built once. */
  private targetList(key: string, make: () => TargetList): TargetList {
    let list = this.lists.get(key);
    if (list === undefined) {
      list = make();
      this.lists.set(key, list);
    }
    return list;
  }

  private canAssume(service: string, role: string): boolean {
    const key = `${service}|${role}`;
    let v = this.serviceRoles.get(key);
    if (v === undefined) {
      v = this.trust.mayTrustService(role, service) && this.d.decide(service, 'sts:AssumeRole', role).allowed;
      this.serviceRoles.set(key, v);
    }
    return v;
  }

  /** The roles of an account (not stand-ins, not service-linked) a service can assume (for `web`: that an identity pool's identities can, pool-roles.ts), listed once. */
  private serviceRolesOf(a: Account, service: string, web?: 'unauthenticated' | 'authenticated'): Role[] {
    const key = `${service}|${web ?? ''}|${a.id}`;
    let roles = this.assumable.get(key);
    if (roles === undefined) {
      const usable = (r: Role): boolean => (web === undefined ? this.canAssume(service, r.arn) : this.pools.canAssume(r, web));
      roles = a.roles.filter((r) => !isUnbounded(r) && !isServiceLinked(r) && usable(r));
      this.assumable.set(key, roles);
    }
    return roles;
  }

  node(n: AuditNode): void {
    const account = this.m.universe.accounts.get(n.account);
    if (account === undefined) return;
    const can = mentionedActions(this.m.universe, n.arn, TECHNIQUE_ACTIONS, this.m.patterns, this.mentions);
    this.assumeEdges(n);
    for (const t of TECHNIQUES) {
      if (!t.actions.every((a) => can.has(a))) continue;
      if (t.kind === 'edit-policy') this.editPolicy(n, account, t);
      else if (t.kind === 'policy-version') this.policyVersion(n, account, t);
      else if (t.kind === 'group-join') this.groupJoin(n, account, t);
      else if (t.kind === 'credentials') this.credentials(n, account, t);
      else if (t.kind === 'trust-edit') this.trustEdit(n, account, t);
      else if (t.kind === 'pass-role' && can.has('iam:PassRole')) this.passRole(n, account, t);
      else if (t.kind === 'existing-compute') this.existingCompute(n, account, t);
      else if (t.kind === 'boundary') this.boundary(n, account, t);
    }
  }

  private assumeEdges(n: AuditNode): void {
    const { groups, single } = this.trust.candidates(n.arn);
    const make = (to: string, v: Verdict): Edge => ({ from: n.arn, to, technique: 'sts-assume-role', steps: [step(n.arn, 'sts:AssumeRole', to, v)] });
    for (const g of groups) this.toGroup(n, 'sts:AssumeRole', g, undefined, make);
    for (const role of single) {
      if (role === n.arn) continue;
      const v = this.d.decide(n.arn, 'sts:AssumeRole', role);
      if (v.allowed) this.edge(make(role, v));
    }
  }

  /** Targets whose own policies the action edits: users, groups (their members) or roles of the account. */
  private editPolicy(n: AuditNode, a: Account, t: Technique): void {
    const action = t.actions[0] ?? '';
    const extra = action.includes('Attach') ? ctx('iam:PolicyARN', adminPolicyArn(n.arn)) : undefined;
    // A boundary stops grants, unless the caller can also delete or replace it (the grant then goes to the stand-in without it).
    const key = `${t.target}:${a.id}`;
    let known = this.editTargets.get(key);
    if (known === undefined) {
      known = editTargets(a, t.target);
      this.editTargets.set(key, known);
    }
    const { targets, byArn } = known;
    const kind = t.target === 'role' ? 'Role' : 'User';
    const group = this.group(`edit:${t.target}:${a.id}`, () => targets.map((x) => x.arn));
    for (const { subset, v } of this.allowedSubsets(n, action, group, extra, true)) {
      // Bounded targets: a grant to the stand-in, after the step removing the boundary, when the caller may make it.
      const before: Record<string, Step> = {};
      let choices = '';
      for (const target of subset.roles) {
        if (byArn.get(target)?.bounded !== true) continue;
        const freed = unboundStep(this.d, n.arn, target, kind);
        choices += freed ? '1' : '0';
        if (freed) before[unboundedArn(target)] = freed;
      }
      const to = this.targetList(`${group.id}|${subset.key}|${choices}`, () => {
        const grantees: string[] = [];
        const resources: string[] = [];
        for (const target of subset.roles) {
          const x = byArn.get(target);
          if (x === undefined) continue;
          const list = x.bounded ? (before[unboundedArn(target)] ? [unboundedArn(target)] : []) : x.grantees;
          for (const g of list) {
            grantees.push(g);
            resources.push(target);
          }
        }
        return { grantees, resources };
      });
      this.grant({ by: n.arn, technique: t.id, to, step: step(n.arn, action, '', v, undefined, extra), ...(choices.includes('1') ? { before } : {}) });
    }
  }

  /** Customer managed policies attached to principals (AWS managed ones cannot be versioned by customers). */
  private policyVersion(n: AuditNode, a: Account, t: Technique): void {
    const action = t.actions[0] ?? '';
    for (const mp of a.managedPolicies) {
      if (mp.awsManaged) continue;
      const other = mp.versions.find((x) => !x.isDefault);
      if (action === 'iam:SetDefaultPolicyVersion' && other === undefined) continue;
      const v = this.d.decide(n.arn, action, mp.arn);
      if (!v.allowed) continue;
      const note = other !== undefined && action === 'iam:SetDefaultPolicyVersion' ? `make version ${other.versionId} the default` : undefined;
      const to = this.targetList(`holders:${mp.arn}`, () => {
        const grantees = holders(a, mp);
        return { grantees, resources: grantees.map(() => mp.arn) };
      });
      this.grant({ by: n.arn, technique: t.id, to, step: step(n.arn, action, mp.arn, v, note) });
    }
  }

  /** A user joins a group; a user with a permissions boundary keeps it (only its stand-in without it leads to the group's member). */
  private groupJoin(n: AuditNode, a: Account, t: Technique): void {
    const user = (n.kind === 'user' && !n.bounded) || (n.kind === 'unbounded' && n.of !== undefined && /:user\//.test(n.of));
    if (!user) return;
    for (const g of a.groups) {
      const v = this.d.decide(n.arn, 'iam:AddUserToGroup', g.arn);
      if (v.allowed) {
        this.edge({
          from: n.arn,
          to: memberArn(a.id, g.name, partitionOf(g.arn)),
          technique: t.id,
          steps: [step(n.arn, 'iam:AddUserToGroup', g.arn, v, 'add themselves')],
        });
      }
    }
  }

  private credentials(n: AuditNode, a: Account, t: Technique): void {
    const action = t.actions[0] ?? '';
    const users = this.group(`users:${a.id}`, () => a.users.filter((x) => !isUnbounded(x)).map((x) => x.arn));
    this.toGroup(n, action, users, undefined, (to, v) => ({ from: n.arn, to, technique: t.id, steps: [step(n.arn, action, to, v)] }));
  }

  /**
   * After rewriting the trust policy to name the caller, a caller of the same
   * account needs nothing more; one of another account also needs sts:AssumeRole.
   */
  private trustEdit(n: AuditNode, a: Account, t: Technique): void {
    const roles = this.group(`roles:${a.id}`, () => a.roles.filter((x) => !isUnbounded(x) && !isServiceLinked(x)).map((x) => x.arn));
    for (const { subset, v } of this.allowedSubsets(n, 'iam:UpdateAssumeRolePolicy', roles, undefined)) {
      // Then sts:AssumeRole, which the caller's identity Deny statements, boundary and SCPs still decide.
      const open = subset.roles.filter((r) => r !== n.arn && this.after.assumeAfterTrustEdit(n.arn, r));
      const to = open.length === subset.roles.filter((r) => r !== n.arn).length && open.length > 1 ? [this.groupNode(subset)] : open;
      for (const role of to) {
        const rewrite = step(n.arn, 'iam:UpdateAssumeRolePolicy', role, v, 'trust themselves');
        // No statement to cite: the trust policy that allows it is the one the caller writes.
        const who = trustEditPrincipal(n.arn);
        const note = who === n.arn ? 'with the rewritten trust policy' : `as ${who}, which the rewritten trust policy names`;
        const assume: Step = { principal: n.arn, action: 'sts:AssumeRole', resource: role, note };
        this.edge({ from: n.arn, to: role, technique: t.id, steps: [rewrite, assume] });
      }
    }
  }

  /**
   * A principal frees itself from its boundary (an edge to its stand-in
   * without it), or frees a bounded role it can assume, then assumes it.
   */
  private boundary(n: AuditNode, a: Account, t: Technique): void {
    const action = t.actions[0] ?? '';
    const extra = action.startsWith('iam:Put') ? ctx('iam:PermissionsBoundary', adminPolicyArn(n.arn)) : undefined;
    const note = extra ? 'replace the boundary with AdministratorAccess' : 'remove the boundary';
    const targets = (t.target === 'role' ? a.roles : a.users).filter((x) => x.permissionsBoundary !== undefined && !isUnbounded(x) && !isServiceLinked(x));
    for (const x of targets) {
      const v = this.d.decide(n.arn, action, x.arn, extra);
      if (!v.allowed) continue;
      const free = step(n.arn, action, x.arn, v, note, extra);
      if (x.arn === n.arn) this.edge({ from: n.arn, to: unboundedArn(x.arn), technique: t.id, steps: [free] });
      else if (t.target === 'role') {
        const assume = this.d.decide(n.arn, 'sts:AssumeRole', x.arn);
        if (assume.allowed) this.edge({ from: n.arn, to: unboundedArn(x.arn), technique: t.id, steps: [free, step(n.arn, 'sts:AssumeRole', x.arn, assume)] });
      }
    }
  }

  private actionSteps(n: AuditNode, actions: readonly string[], account: string): Step[] | undefined {
    const steps: Step[] = [];
    for (const action of actions) {
      const v = this.d.decideAnywhere(n.arn, action, account);
      if (!v.allowed) return undefined;
      steps.push(step(n.arn, action, v.resource, v));
    }
    return steps;
  }

  /**
   * A role of the caller's account the service can assume, passed with iam:PassedToService (roles cannot be passed
   * across accounts). EC2 runs a role through an instance profile: a role the export lists in none is reached only
   * when the caller can also create one and add the role to it.
   */
  private passRole(n: AuditNode, a: Account, t: Technique): void {
    const service = t.service ?? '';
    const actions = this.actionSteps(n, t.actions, a.id);
    const second = t.alsoPasses === undefined ? [] : this.secondRole(n, a, t.alsoPasses);
    if (actions === undefined || second === undefined) return;
    const steps = [...second, ...actions];
    const ec2 = service === 'ec2.amazonaws.com';
    const web = t.webIdentity;
    const roles = this.serviceRolesOf(a, service, web);
    const passed = ctx('iam:PassedToService', service);
    const note = web === undefined ? `to ${service}` : `to ${service}, as the ${web} role of an identity pool`;
    const pass = (id: string, members: () => Role[], before: Step[]): void =>
      this.toGroup(
        n,
        'iam:PassRole',
        this.group(id, () => members().map((r) => r.arn)),
        passed,
        (to, v) => ({
          from: n.arn,
          to,
          technique: t.id,
          steps: [...before, step(n.arn, 'iam:PassRole', to, v, note, passed), ...steps],
          ...(t.needsExisting === true ? { assumesExistingResource: true } : {}),
        }),
      );
    pass(`pass:${service}:${web ?? ''}:${a.id}`, () => (ec2 ? roles.filter(hasInstanceProfile) : roles), []);
    if (!ec2) return;
    const bare = this.group(`pass:${service}:new-profile:${a.id}`, () => roles.filter((r) => !hasInstanceProfile(r)).map((r) => r.arn));
    const profile = bare.roles.length > 0 ? this.actionSteps(n, NEW_INSTANCE_PROFILE, a.id) : undefined;
    if (profile !== undefined) pass(bare.id, () => [], profile);
  }

  /** The step passing a second role the call needs (EMR's service role): one of the account's roles `service` can assume and the caller may pass. */
  private secondRole(n: AuditNode, a: Account, service: string): Step[] | undefined {
    const passed = ctx('iam:PassedToService', service);
    for (const r of this.serviceRolesOf(a, service)) {
      const v = this.d.decide(n.arn, 'iam:PassRole', r.arn, passed);
      if (v.allowed) return [step(n.arn, 'iam:PassRole', r.arn, v, `to ${service} (its service role)`, passed)];
    }
    return undefined;
  }

  /**
   * Existing compute of a service runs as any role the service can assume: one
   * node stands for it (edges caller → compute → each role), so N callers and M
   * roles make N + M edges, not N × M.
   */
  private existingCompute(n: AuditNode, a: Account, t: Technique): void {
    const service = t.service ?? '';
    const steps = this.actionSteps(n, t.actions, a.id);
    if (steps === undefined) return;
    const hub = computeNode(service, a.id);
    if (!this.hubs.has(hub)) {
      this.hubs.add(hub);
      for (const r of a.roles) {
        // An instance runs as a role only through an instance profile.
        const runs = !isUnbounded(r) && !isServiceLinked(r) && (service !== 'ec2.amazonaws.com' || hasInstanceProfile(r));
        if (runs && this.canAssume(service, r.arn)) this.edge({ from: hub, to: r.arn, technique: '', steps: [], assumesExistingResource: true });
      }
    }
    this.edge({ from: n.arn, to: hub, technique: t.id, steps, assumesExistingResource: true });
  }
}

/** The graph's edges and grants out of `nodes` (default: every node of the model), with the group and compute nodes they lead to. */
export function buildGraph(m: AuditModel, d: AuditDecider, onNode?: (done: number, total: number) => void, nodes: readonly AuditNode[] = m.nodes): Graph {
  const b = new Builder(m, d);
  nodes.forEach((n, i) => {
    b.node(n);
    onNode?.(i + 1, nodes.length);
  });
  return { edges: b.edges, grants: b.grants };
}
