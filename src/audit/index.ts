/**
 * `iamsim audit`: the whole model at once — every principal's effective
 * permissions decided by the evaluator, the escalation graph and its paths
 * to admin, cloudsplaining's risk categories, and the exposure of resource
 * and trust policies to the public and to other accounts.
 */
import type { ReasonContext } from '../reason/checks.js';
import type { Universe } from '../account/query.js';
import { exposures, type Exposure } from './exposure.js';
import type { Edge, Step } from './graph.js';
import { exposureFinding, principalFindings, unreadableFinding, type AuditFinding, type Severity } from './findings.js';
import type { AuditedPrincipal } from './join.js';
import { auditModel, type AuditModel, type AuditNode } from './nodes.js';
import { partitionsOf, runPartition, type Partition, type PartitionResult } from './partition.js';
import type { EscalationPath } from './paths.js';
import { eachPathEntry, joinInput, pathPartitionsOf, type JoinInput, type PathPartition, type PathPartitionResult } from './path-partition.js';
import { unreadablePolicies, type UnreadablePolicy } from './unreadable.js';
import type { Risk, RiskCategory } from './risks.js';

export { TECHNIQUES, techniqueById, type Technique, type TechniqueKind } from './techniques.js';
export { escalationRisks, type EscalationRisk } from './policies.js';
export { partitionsOf, runPartition, DEFAULT_PARTITION_SIZE, DEFAULT_JOB_TIMEOUT_SECONDS, type Partition, type PartitionResult } from './partition.js';
export { pathPartitionsOf, DEFAULT_PATH_PARTITION_SIZE, type PathPartition, type PathPartitionResult } from './path-partition.js';
export type { Exposure, Edge, Step, EscalationPath, Risk, RiskCategory, UnreadablePolicy, AuditFinding, Severity, AuditedPrincipal, AuditModel };

export interface AuditReport {
  readonly generatedAt: string;
  readonly accounts: readonly string[];
  readonly principals: readonly AuditedPrincipal[];
  readonly exposures: readonly Exposure[];
  /** Policies the evaluator cannot read (it denies every request they take part in): each is also a finding. */
  readonly unreadable: readonly UnreadablePolicy[];
  readonly findings: readonly AuditFinding[];
  /** Group stand-ins and edges, for drawing the graph. */
  readonly graph: { readonly nodes: readonly AuditNode[]; readonly edges: readonly Edge[] };
  readonly stats: { readonly principals: number; readonly edges: number; readonly evaluations: number; readonly milliseconds: number };
}

export interface AuditOptions {
  /** The time requests are made at (aws:CurrentTime, aws:TokenIssueTime); default now. */
  readonly at?: Date;
  /** Phases: `partitions` (nodes whose edges are built), `paths` (principals), `exposure`. */
  readonly onProgress?: (phase: string, done: number, total: number) => void;
  /** At most this many nodes per partition of a large account (partition.ts). */
  readonly partitionSize?: number;
  /** The order partitions run in (the report does not depend on it; tests shuffle it). */
  readonly partitionOrder?: (partitions: readonly Partition[]) => readonly Partition[];
  /**
   * Runs the partitions elsewhere (queue.ts: on workers through PostgreSQL) and
   * returns their results; default: one after another in this process.
   */
  readonly runPartitions?: (partitions: readonly Partition[], at: Date) => Promise<readonly PartitionResult[]>;
  /** At most this many principals per path partition (path-partition.ts). */
  readonly pathPartitionSize?: number;
  /**
   * Runs the path partitions elsewhere (queue.ts), after `runPartitions`,
   * yielding their results in the order given; default: in this process.
   */
  readonly runPathPartitions?: (partitions: readonly PathPartition[], at: Date) => AsyncIterable<PathPartitionResult>;
  /** Each principal's entry as soon as it is made (model order); a promise returned is awaited (a stream's back-pressure). */
  readonly onPrincipal?: (p: AuditedPrincipal) => void | Promise<void>;
  /** false: the report's `principals` stays empty (they went to onPrincipal), and so does its graph. */
  readonly keepPrincipals?: boolean;
  /** The reasoner for the exposure checks (an engine's: `Iamsim.reason`); default: one for this audit. */
  readonly reason?: ReasonContext;
}

function localPartitions(model: AuditModel, opts: AuditOptions, at: Date): (ps: readonly Partition[]) => Promise<PartitionResult[]> {
  return async (ps) => {
    const total = ps.reduce((s, p) => s + p.nodes.length, 0);
    let done = 0;
    const out: PartitionResult[] = [];
    for (const p of ps) {
      out.push(runPartition(model, p, at, (k) => opts.onProgress?.('partitions', done + k, total)));
      done += p.nodes.length;
    }
    return out;
  };
}

/** What the graph phase leaves: the merged graph, or only its size when the path partitions run elsewhere. */
interface GraphPhase {
  readonly input?: JoinInput;
  readonly edges: number;
  readonly evaluations: number;
}

/**
 * The graph partitions, run and joined. Their results are dropped here (the
 * merged graph refers to what it needs of them); when the path partitions run
 * on the queue's workers and nothing of the graph is kept for the report, the
 * graph is not merged at all: the coordinator keeps its size only.
 */
async function graphPhase(model: AuditModel, opts: AuditOptions, at: Date, merge: boolean): Promise<GraphPhase> {
  const planned = partitionsOf(model, opts.partitionSize);
  const ordered = opts.partitionOrder ? opts.partitionOrder(planned) : planned;
  const results = await (opts.runPartitions ?? localPartitions(model, opts, at))(ordered, at);
  const evaluations = results.reduce((s, r) => s + r.evaluations, 0);
  if (!merge) return { edges: edgeCount(results), evaluations };
  const input = joinInput(model, results);
  let edges = 0;
  for (const list of input.graph.edges.values()) edges += list.length;
  return { input, edges, evaluations };
}

/** The merged graph's number of edges (a node's edges counted once, as mergeGraph keeps them once). */
function edgeCount(results: readonly PartitionResult[]): number {
  const seen = new Set<string>();
  let n = 0;
  for (const r of results) {
    for (const [from, list] of r.edges) {
      if (seen.has(from)) continue;
      seen.add(from);
      n += list.length;
    }
  }
  return n;
}

export async function runAudit(u: Universe, opts: AuditOptions = {}): Promise<AuditReport> {
  const started = Date.now();
  const at = opts.at ?? new Date();
  const model = auditModel(u);
  const keep = opts.keepPrincipals !== false;
  const graph = await graphPhase(model, opts, at, keep || opts.runPathPartitions === undefined);
  const chunks = pathPartitionsOf(model, opts.pathPartitionSize);
  const total = chunks.reduce((s, c) => s + c.principals.length, 0);
  const principals: AuditedPrincipal[] = [];
  const principalFound: AuditFinding[] = [];
  let done = 0;
  const entry = async (p: AuditedPrincipal): Promise<void> => {
    opts.onProgress?.('paths', ++done, total);
    principalFound.push(...principalFindings(p));
    const wait = opts.onPrincipal?.(p);
    if (wait) await wait;
    if (keep) principals.push(p);
  };
  let evaluations = graph.evaluations;
  if (opts.runPathPartitions !== undefined) {
    for await (const r of opts.runPathPartitions(chunks, at)) {
      for (const p of r.principals) await entry(p);
      evaluations += r.evaluations;
    }
  } else if (graph.input !== undefined) for (const c of chunks) evaluations += await eachPathEntry(graph.input, c, at, entry);
  opts.onProgress?.('exposure', 0, 1);
  const exposed = await exposures(u, opts.reason);
  const unreadable = unreadablePolicies(u);
  const findings = [...unreadable.map(unreadableFinding), ...principalFound, ...exposed.map(exposureFinding)];
  return {
    generatedAt: at.toISOString(),
    accounts: [...u.accounts.keys()],
    principals,
    exposures: exposed,
    unreadable,
    findings,
    graph: keep && graph.input !== undefined ? { nodes: model.nodes, edges: [...graph.input.graph.edges.values()].flat() } : { nodes: [], edges: [] },
    stats: { principals: total, edges: graph.edges, evaluations, milliseconds: Date.now() - started },
  };
}

export type { AuditNode };
