/**
 * Who is admin. A principal is allowed everything when the evaluator allows
 * it every action on every resource (checked with a quick set of actions,
 * then one action of every service in the service reference); a grant makes
 * its grantee admin only when the SCPs on the grantee's account do not cap
 * what a policy can give (onceGranted).
 */
import { listActions } from '../catalog/actions.js';
import { getAction } from '../catalog/actions.js';
import { listServices } from '../catalog/services.js';
import { AuditDecider } from './decide.js';
import { parseArn } from '../primitives/arn.js';
import { derived, lazy } from '../primitives/lazy.js';
import type { Graph } from './edges.js';
import { pathBounds } from './path-bounds.js';

const QUICK = [
  'iam:PutUserPolicy',
  'iam:CreateUser',
  's3:GetObject',
  'ec2:RunInstances',
  'kms:Decrypt',
  'lambda:CreateFunction',
  'organizations:LeaveOrganization',
  'dynamodb:Scan',
  'secretsmanager:GetSecretValue',
  'sagemaker:CreateTrainingJob',
];

/** One action of every service (its first Write or Permissions-management action, else its first): a constant of the catalog. */
const serviceProbes: () => readonly string[] = lazy(() => {
  const out: string[] = [];
  for (const s of listServices()) {
    const actions = listActions(s);
    const pick = actions.find((a) => /^(Write|Permissions management)$/.test(getAction(a)?.accessLevel ?? '')) ?? actions[0];
    if (pick !== undefined) out.push(pick);
  }
  return out;
});

/** Verdicts made elsewhere (the partitions'), by principal. */
export type KnownVerdicts = ReadonlyMap<string, { readonly allowedEverything: boolean }>;

/**
 * The path bounds of a graph given the partitions' verdicts, made once per
 * pair and shared by every path partition of a run (path-partition.ts): a
 * principal whose verdict is known is admin as known, any other (a stand-in)
 * may be; group and compute nodes are not principals.
 */
const boundsWith: (verdicts: KnownVerdicts) => (g: Graph) => ReadonlyMap<string, number> = derived((verdicts: KnownVerdicts) =>
  derived((g: Graph) => pathBounds(g, (arn) => arn.startsWith('arn:') && verdicts.get(arn)?.allowedEverything !== false)),
);

export class AdminCheck {
  private readonly cache = new Map<string, boolean>();
  private readonly bySignature = new Map<string, boolean>();
  private readonly granted = new Map<string, boolean>();
  private readonly byTarget = new Map<string, boolean>();
  /** Per graph, the path search's bounds (path-bounds.ts), which depend on who is allowed everything. */
  private readonly bounds = new WeakMap<Graph, ReadonlyMap<string, number>>();
  private shared: KnownVerdicts | undefined;
  constructor(
    private readonly d: AuditDecider,
    private readonly signature: (arn: string) => string | undefined = () => undefined,
  ) {}

  /**
   * Whether a principal of `target`'s account that is given any permission
   * (AdministratorAccess, or a policy allowing everything) is then allowed
   * everything: false when the SCPs on the account's path cap what its
   * policies can grant. Grants go to principals without a boundary (a bounded
   * one's grant goes to its stand-in without it, nodes.ts), so the account decides.
   */
  onceGranted(target: string): boolean {
    let known = this.byTarget.get(target);
    if (known === undefined) {
      known = this.onceGrantedIn(target);
      this.byTarget.set(target, known);
    }
    return known;
  }

  private onceGrantedIn(target: string): boolean {
    const arn = parseArn(target);
    const account = arn?.account ?? '';
    let v = this.granted.get(account);
    if (v === undefined) {
      const u = this.d.universe;
      const a = u.accounts.get(account);
      const probe = `arn:${arn?.partition ?? 'aws'}:iam::${account}:user/iamsim-audit-granted/iamsim-audit-granted`;
      const everything = { name: 'iamsim-audit-granted', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' };
      const user = {
        arn: probe,
        name: 'iamsim-audit-granted',
        path: '/iamsim-audit-granted/',
        groups: [],
        inlinePolicies: [everything],
        managedPolicies: [],
        tags: [],
      };
      if (a === undefined) v = false;
      else {
        const d = new AuditDecider(
          { ...u, accounts: new Map(u.accounts).set(account, { ...a, users: [...a.users, user] }) },
          this.d.at,
          false,
          this.d.policies,
        );
        v = QUICK.every((x) => d.decide(probe, x, '*').allowed) && serviceProbes().every((x) => d.decide(probe, x, '*').allowed);
      }
      this.granted.set(account, v);
    }
    return v;
  }

  /**
   * Records the verdicts made elsewhere (the partitions', partition.ts), and
   * takes the path bounds from them, shared with every AdminCheck given the same.
   */
  knowAll(verdicts: KnownVerdicts): void {
    for (const [arn, v] of verdicts) this.cache.set(arn, v.allowedEverything);
    this.shared = verdicts;
  }

  /** Records a verdict made elsewhere (a partition's, partition.ts). */
  know(arn: string, allowedEverything: boolean): void {
    this.cache.set(arn, allowedEverything);
  }

  /** Allowed every action on every resource (shared by principals with the same policy signature). */
  allowedEverything(arn: string): boolean {
    if (!arn.startsWith('arn:')) return false;
    let v = this.cache.get(arn);
    if (v === undefined) {
      const sig = this.signature(arn);
      v = sig !== undefined ? this.bySignature.get(sig) : undefined;
      if (v === undefined) {
        v = QUICK.every((a) => this.d.decide(arn, a, '*').allowed) && serviceProbes().every((a) => this.d.decide(arn, a, '*').allowed);
        if (sig !== undefined) this.bySignature.set(sig, v);
      }
      this.cache.set(arn, v);
    }
    return v;
  }

  /**
   * The path search's bounds over `g` (path-bounds.ts), made once per graph:
   * a principal whose verdict is known is admin as known; any other principal
   * (a stand-in) may be; group and compute nodes are not principals.
   */
  pathBounds(g: Graph): ReadonlyMap<string, number> {
    if (this.shared !== undefined) return boundsWith(this.shared)(g);
    let b = this.bounds.get(g);
    if (b === undefined) {
      b = pathBounds(g, (arn) => arn.startsWith('arn:') && this.cache.get(arn) !== false);
      this.bounds.set(g, b);
    }
    return b;
  }
}
