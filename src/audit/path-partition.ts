/**
 * The join's second half in parts. Once the partitions' graphs are merged
 * (join.ts), each principal's report entry — its escalation paths over the
 * whole graph (paths cross accounts), admin verdict and risks — depends on
 * that graph, the partitions' verdicts and its own requests only. A path
 * partition is a run of principals in the model's order; it is audited with
 * a decider of its own, dropped when it is done (what that decider keeps is
 * bounded by the partition, not the organization), so entries are the same
 * whichever process makes them: in this process one after another, or on
 * the queue's workers (queue.ts), each worker merging the stored graph
 * partitions once per run. Entries joined in partition order are the model's order.
 */
import { AuditDecider } from './decide.js';
import { allRisks } from './findings.js';
import type { Graph } from './graph.js';
import { auditPrincipal, mergeGraph, type AuditedPrincipal, type JoinContext } from './join.js';
import { policySignature, type AuditModel } from './nodes.js';
import type { LocalVerdict, PartitionResult } from './partition.js';
import { AdminCheck } from './paths.js';
import { potentialEscalation } from './potential.js';
import type { Risk } from './risks.js';

export interface PathPartition {
  /** `paths/N`. */
  readonly id: string;
  /** The principals' ARNs, in the model's order. */
  readonly principals: readonly string[];
}

export interface PathPartitionResult {
  readonly id: string;
  /** The principals' report entries, in the partition's order. */
  readonly principals: readonly AuditedPrincipal[];
  /** Requests the evaluator decided. */
  readonly evaluations: number;
}

/** Principals per path partition by default. */
export const DEFAULT_PATH_PARTITION_SIZE = 1000;

/** What every path partition of a run reads: the merged graph and every principal's local verdict. */
export interface JoinInput {
  readonly model: AuditModel;
  readonly graph: Graph;
  readonly verdicts: ReadonlyMap<string, LocalVerdict>;
}

/** The join's input from the partitions' results (in any order: mergeGraph follows the model's order). */
export function joinInput(model: AuditModel, results: readonly PartitionResult[]): JoinInput {
  const verdicts = new Map<string, LocalVerdict>();
  for (const r of results) for (const v of r.verdicts) verdicts.set(v.arn, v);
  return { model, graph: mergeGraph(model, results), verdicts };
}

/** The model's users and roles in order, cut into runs of at most `size`. */
export function pathPartitionsOf(model: AuditModel, size = DEFAULT_PATH_PARTITION_SIZE): PathPartition[] {
  if (!(size >= 1)) throw new RangeError(`path partition size must be at least 1, not ${size}`);
  const real = model.nodes.filter((n) => n.kind === 'user' || n.kind === 'role').map((n) => n.arn);
  const out: PathPartition[] = [];
  for (let i = 0; i < real.length; i += size) out.push({ id: `paths/${out.length}`, principals: real.slice(i, i + size) });
  return out;
}

/** A join context with a decider of its own (for one path partition). */
export function joinContext(input: JoinInput, at: Date): JoinContext {
  const { model } = input;
  const d = new AuditDecider(model.universe, at);
  const signatures = new Map<string, string | undefined>();
  const signature = (arn: string): string | undefined => {
    if (!signatures.has(arn)) signatures.set(arn, policySignature(model.universe, arn));
    return signatures.get(arn);
  };
  const admin = new AdminCheck(d, signature);
  admin.knowAll(input.verdicts);
  const potentials = new Map<string, Risk[]>();
  const potential = (arn: string): Risk[] => {
    const sig = signature(arn);
    const known = sig !== undefined ? potentials.get(sig) : undefined;
    if (known !== undefined) return known;
    const found = potentialEscalation(model.universe, arn, at, model.catalog);
    const v: Risk[] =
      found === undefined
        ? []
        : [
            {
              category: 'privilege-escalation',
              count: found.techniques.length,
              actions: found.actions.slice(0, 25),
              potential: { techniques: found.techniques },
            },
          ];
    if (sig !== undefined) potentials.set(sig, v);
    return v;
  };
  return { model, graph: input.graph, d, admin, everything: allRisks(), potential };
}

/**
 * A path partition's entries, each passed to `onPrincipal` as it is made
 * (awaited: a stream's back-pressure); returns the number of requests decided.
 */
export async function eachPathEntry(input: JoinInput, p: PathPartition, at: Date, onPrincipal: (e: AuditedPrincipal) => void | Promise<void>): Promise<number> {
  const j = joinContext(input, at);
  for (const arn of p.principals) {
    const v = input.verdicts.get(arn);
    if (v === undefined) throw new Error(`no partition audited ${arn}`);
    const wait = onPrincipal(auditPrincipal(j, v));
    if (wait) await wait;
  }
  return j.d.evaluations;
}

/** A path partition's result as plain data (for the queue's workers). */
export async function runPathPartition(input: JoinInput, p: PathPartition, at: Date): Promise<PathPartitionResult> {
  const principals: AuditedPrincipal[] = [];
  const evaluations = await eachPathEntry(input, p, at, (e) => {
    principals.push(e);
  });
  return { id: p.id, principals, evaluations };
}
