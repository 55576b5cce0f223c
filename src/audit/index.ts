/**
 * `iamsim audit`: the whole model at once — every principal's effective
 * permissions decided by the evaluator, the escalation graph and its paths
 * to admin, cloudsplaining's risk categories, and the exposure of resource
 * and trust policies to the public and to other accounts.
 */
import type { ReasonContext } from '../reason/checks.js';
import type { Universe } from '../account/query.js';
import { AuditDecider } from './decide.js';
import { exposures, type Exposure } from './exposure.js';
import type { Edge, Step } from './graph.js';
import { allRisks, exposureFinding, principalFindings, unreadableFinding, type AuditFinding, type Severity } from './findings.js';
import { auditPrincipal, mergeGraph, type AuditedPrincipal, type JoinContext } from './join.js';
import { auditModel, policySignature, type AuditModel, type AuditNode } from './nodes.js';
import { partitionsOf, runPartition, type Partition, type PartitionResult } from './partition.js';
import { AdminCheck, type EscalationPath } from './paths.js';
import { potentialEscalation } from './potential.js';
import { unreadablePolicies, type UnreadablePolicy } from './unreadable.js';
import type { Risk, RiskCategory } from './risks.js';

export { TECHNIQUES, techniqueById, type Technique, type TechniqueKind } from './techniques.js';
export { escalationRisks, type EscalationRisk } from './policies.js';
export { partitionsOf, runPartition, DEFAULT_PARTITION_SIZE, DEFAULT_JOB_TIMEOUT_SECONDS, type Partition, type PartitionResult } from './partition.js';
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

function joinContext(model: AuditModel, results: readonly PartitionResult[], at: Date): JoinContext {
  const graph = mergeGraph(model, results);
  const d = new AuditDecider(model.universe, at);
  const signatures = new Map<string, string | undefined>();
  const signature = (arn: string): string | undefined => {
    if (!signatures.has(arn)) signatures.set(arn, policySignature(model.universe, arn));
    return signatures.get(arn);
  };
  const admin = new AdminCheck(d, signature);
  for (const r of results) for (const v of r.verdicts) admin.know(v.arn, v.allowedEverything);
  const potentials = new Map<string, Risk[]>();
  const potential = (arn: string): Risk[] => {
    const sig = signature(arn);
    const known = sig !== undefined ? potentials.get(sig) : undefined;
    if (known !== undefined) return known;
    const found = potentialEscalation(model.universe, arn, at);
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
  return { model, graph, d, admin, everything: allRisks(), potential };
}

export async function runAudit(u: Universe, opts: AuditOptions = {}): Promise<AuditReport> {
  const started = Date.now();
  const at = opts.at ?? new Date();
  const model = auditModel(u);
  const planned = partitionsOf(model, opts.partitionSize);
  const ordered = opts.partitionOrder ? opts.partitionOrder(planned) : planned;
  const results = await (opts.runPartitions ?? localPartitions(model, opts, at))(ordered, at);
  const j = joinContext(model, results, at);
  const keep = opts.keepPrincipals !== false;
  const verdicts = new Map(results.flatMap((r) => r.verdicts.map((v) => [v.arn, v] as const)));
  const real = model.nodes.filter((n) => n.kind === 'user' || n.kind === 'role');
  const principals: AuditedPrincipal[] = [];
  const principalFound: AuditFinding[] = [];
  for (const [i, n] of real.entries()) {
    opts.onProgress?.('paths', i + 1, real.length);
    const v = verdicts.get(n.arn);
    if (v === undefined) throw new Error(`no partition audited ${n.arn}`);
    const p = auditPrincipal(j, v);
    principalFound.push(...principalFindings(p));
    const wait = opts.onPrincipal?.(p);
    if (wait) await wait;
    if (keep) principals.push(p);
  }
  opts.onProgress?.('exposure', 0, 1);
  const exposed = await exposures(u, opts.reason);
  const unreadable = unreadablePolicies(u);
  const findings = [...unreadable.map(unreadableFinding), ...principalFound, ...exposed.map(exposureFinding)];
  const edges = [...j.graph.edges.values()].flat();
  const evaluations = results.reduce((s, r) => s + r.evaluations, j.d.evaluations);
  return {
    generatedAt: at.toISOString(),
    accounts: [...u.accounts.keys()],
    principals,
    exposures: exposed,
    unreadable,
    findings,
    graph: keep ? { nodes: model.nodes, edges } : { nodes: [], edges: [] },
    stats: { principals: real.length, edges: edges.length, evaluations, milliseconds: Date.now() - started },
  };
}

export type { AuditNode };
