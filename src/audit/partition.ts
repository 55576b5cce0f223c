/**
 * The audit in parts. A partition is the nodes of one account, or, in a
 * large account, one class of them (users, roles, group members, stand-ins
 * without a boundary) cut into chunks of at most `size` nodes. A partition's
 * work needs the model and nothing of another partition: the graph's edges
 * and grants out of its nodes, and each of its principals' verdicts that
 * depend on its own policies (allowed everything, risk categories), decided
 * by a decider of its own, dropped when the partition is done. The join
 * (join.ts) merges the parts in the model's node order, so the report does
 * not depend on how many partitions there are or in which order they ran.
 *
 * A partition's result is plain data (target lists stored once, referred to
 * by index), so a worker on another machine can make it (queue.ts).
 */
import { AuditDecider } from './decide.js';
import type { GrantSet, TargetList } from './grant-sets.js';
import { buildGraph, type Edge } from './graph.js';
import { policySignature, type AuditModel, type AuditNode } from './nodes.js';
import { AdminCheck } from './paths.js';
import { risksOf, type Risk } from './risks.js';

export interface Partition {
  /** `ACCOUNT` or `ACCOUNT/CLASS/N`. */
  readonly id: string;
  readonly account: string;
  /** Indexes into the audit model's nodes. */
  readonly nodes: readonly number[];
}

/** Verdicts about one principal that depend on its own policies only. */
export interface LocalVerdict {
  readonly arn: string;
  readonly allowedEverything: boolean;
  /** Risk categories other than privilege escalation (none when allowed everything). */
  readonly risks: readonly Risk[];
}

type StoredGrantSet = Omit<GrantSet, 'to'> & { readonly to: number };

export interface PartitionResult {
  readonly id: string;
  /** Edges by the node they leave: the partition's nodes, and the group and compute nodes they lead to. */
  readonly edges: readonly (readonly [string, readonly Edge[]])[];
  readonly lists: readonly TargetList[];
  readonly grants: readonly (readonly [string, readonly StoredGrantSet[]])[];
  readonly verdicts: readonly LocalVerdict[];
  /** Requests the evaluator decided. */
  readonly evaluations: number;
}

export const DEFAULT_PARTITION_SIZE = 4000;

/** With a job queue (queue.ts): a partition not done this long after a worker took it is run again elsewhere. */
export const DEFAULT_JOB_TIMEOUT_SECONDS = 900;

/** The partitions of a model: one per account, a large account's nodes cut by class into chunks of at most `size`. */
export function partitionsOf(model: AuditModel, size = DEFAULT_PARTITION_SIZE): Partition[] {
  if (!(size >= 1)) throw new RangeError(`partition size must be at least 1, not ${size}`);
  const byAccount = new Map<string, Map<AuditNode['kind'], number[]>>();
  model.nodes.forEach((n, i) => {
    const classes = byAccount.get(n.account) ?? new Map<AuditNode['kind'], number[]>();
    const list = classes.get(n.kind) ?? [];
    list.push(i);
    classes.set(n.kind, list);
    byAccount.set(n.account, classes);
  });
  const out: Partition[] = [];
  for (const [account, classes] of byAccount) {
    const all = [...classes.values()].flat().sort((a, b) => a - b);
    if (all.length <= size) {
      out.push({ id: account, account, nodes: all });
      continue;
    }
    for (const [kind, list] of classes) {
      for (let i = 0; i < list.length; i += size) out.push({ id: `${account}/${kind}/${i / size}`, account, nodes: list.slice(i, i + size) });
    }
  }
  return out;
}

/** A partition's part of the audit (the model is the one auditModel made of the same universe). */
export function runPartition(model: AuditModel, p: Partition, at: Date, onNode?: (done: number, total: number) => void): PartitionResult {
  const d = new AuditDecider(model.universe, at);
  const signatures = new Map<string, string | undefined>();
  const signature = (arn: string): string | undefined => {
    if (!signatures.has(arn)) signatures.set(arn, policySignature(model.universe, arn));
    return signatures.get(arn);
  };
  const nodes = p.nodes.map((i) => model.nodes[i] as AuditNode);
  const graph = buildGraph(model, d, onNode, nodes);
  const admin = new AdminCheck(d, signature);
  const risks = new Map<string, readonly Risk[]>();
  const named = new Map<string, readonly number[]>();
  const verdicts: LocalVerdict[] = [];
  for (const n of nodes) {
    if (n.kind !== 'user' && n.kind !== 'role') continue;
    const allowedEverything = admin.allowedEverything(n.arn);
    const sig = signature(n.arn);
    let r = sig !== undefined ? risks.get(sig) : undefined;
    if (r === undefined && !allowedEverything) {
      r = risksOf(model.universe, d, n.arn, model.patterns, named, model.catalog);
      if (sig !== undefined) risks.set(sig, r);
    }
    verdicts.push({ arn: n.arn, allowedEverything, risks: allowedEverything ? [] : (r ?? []) });
  }
  const lists: TargetList[] = [];
  const listIds = new Map<TargetList, number>();
  const listId = (l: TargetList): number => {
    let i = listIds.get(l);
    if (i === undefined) {
      i = lists.length;
      lists.push(l);
      listIds.set(l, i);
    }
    return i;
  };
  const grants = [...graph.grants].map(([by, sets]) => [by, sets.map((s) => ({ ...s, to: listId(s.to) }))] as const);
  return { id: p.id, edges: [...graph.edges], lists, grants, verdicts, evaluations: d.evaluations };
}
