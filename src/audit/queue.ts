/**
 * The audit on many machines, through a PostgreSQL job queue (pg-boss; see
 * docs/audit.md for why). The coordinator (`iamsim audit --db URL --queue`)
 * records a run — the model's fingerprint and the audit time — and puts one
 * job per partition (partition.ts) on the queue; workers (`iamsim worker --db
 * URL`, any number, any machines) read the model from the same database,
 * run a partition and store its result under (run, partition) — stored once:
 * a second copy (a retried job whose first attempt finished after all) is
 * dropped, and both are the same anyway, partitions being deterministic. A
 * worker killed mid-partition stores nothing; its job expires and is retried
 * on another worker. Two phases go through the queue: the graph partitions
 * (partition.ts), then the path partitions (path-partition.ts), whose workers
 * merge the stored graph partitions once per run and search the paths — the
 * most expensive phase — of a run of principals each. The coordinator waits
 * for each phase and reads the path partitions' entries back one partition
 * at a time, in order.
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Universe } from '../account/query.js';
import { auditModel, type AuditModel } from './nodes.js';
import { DEFAULT_JOB_TIMEOUT_SECONDS, runPartition, type Partition, type PartitionResult } from './partition.js';
import { joinInput, runPathPartition, type JoinInput, type PathPartition, type PathPartitionResult } from './path-partition.js';

const QUEUE = 'iamsim-audit-partition';
const BOSS_SCHEMA = 'iamsim_queue';
const SCHEMA = 'iamsim_audit';

export interface QueueSettings {
  /** A job not finished this long after a worker took it is retried elsewhere (its worker is taken for dead). */
  readonly jobTimeoutSeconds?: number;
  /** How many times a partition is tried again after a failure or a timeout. */
  readonly retryLimit?: number;
  /** How often the queue looks for expired jobs, and workers and the coordinator for news. */
  readonly pollSeconds?: number;
}

/** A graph partition, or a path partition with the ids of the graph partitions it reads. */
type JobData =
  | { readonly run: string; readonly partition: Partition }
  | { readonly run: string; readonly paths: PathPartition; readonly graph: readonly string[] };

const jobId = (data: JobData): string => ('partition' in data ? data.partition.id : data.paths.id);

/** A digest of the model (accounts by id, resource policies, organization): workers check they audit the same one. */
export function modelFingerprint(u: Universe): string {
  const h = createHash('sha256');
  for (const id of [...u.accounts.keys()].sort()) h.update(JSON.stringify(u.accounts.get(id))).update('\u0000');
  for (const arn of [...u.resourcePolicies.keys()].sort()) h.update(JSON.stringify(u.resourcePolicies.get(arn))).update('\u0000');
  h.update(JSON.stringify(u.organization ?? null));
  return h.digest('hex');
}

async function migrate(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA]);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.runs (id text PRIMARY KEY, model text NOT NULL, at timestamptz NOT NULL, partitions integer NOT NULL, created timestamptz NOT NULL DEFAULT now())`,
    );
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.results (run text NOT NULL REFERENCES ${SCHEMA}.runs(id) ON DELETE CASCADE, partition text NOT NULL, result text NOT NULL, worker text NOT NULL, PRIMARY KEY (run, partition))`,
    );
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

async function startBoss(url: string, s: QueueSettings): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: BOSS_SCHEMA,
    // Expired jobs (a worker killed mid-partition) are found by the maintenance pass: run it often.
    maintenanceIntervalSeconds: Math.max(1, Math.round(s.pollSeconds ?? 5)),
  });
  boss.on('error', () => undefined);
  await boss.start();
  if ((await boss.getQueue(QUEUE)) === null) {
    await boss.createQueue(QUEUE).catch(async (err: unknown) => {
      if ((await boss.getQueue(QUEUE)) === null) throw err;
    });
  }
  return boss;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One audit on the queue: `partitions`, then `paths`, then `close` (which
 * removes the run's results). Throws when a partition failed on every try.
 */
export class QueuedRun {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly boss: PgBoss,
    private readonly run: string,
    private readonly s: QueueSettings,
    private graph: readonly string[] = [],
  ) {}

  static async start(url: string, u: Universe, at: Date, s: QueueSettings = {}): Promise<QueuedRun> {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      await migrate(pool);
      const boss = await startBoss(url, s);
      const run = randomUUID();
      await pool.query(`INSERT INTO ${SCHEMA}.runs (id, model, at, partitions) VALUES ($1, $2, $3, $4)`, [run, modelFingerprint(u), at.toISOString(), 0]);
      return new QueuedRun(pool, boss, run, s);
    } catch (err) {
      await pool.end();
      throw err;
    }
  }

  /** Runs the graph partitions on the workers; their results in the order given. */
  async partitions(ps: readonly Partition[], onProgress?: (done: number, total: number) => void): Promise<PartitionResult[]> {
    this.graph = ps.map((p) => p.id);
    await this.pool.query(`UPDATE ${SCHEMA}.runs SET partitions = $2 WHERE id = $1`, [this.run, ps.length]);
    await this.enqueue(ps.map((partition) => ({ run: this.run, partition })));
    await this.wait(this.graph, onProgress);
    const rows = await this.results(this.graph);
    return this.graph.map((id) => JSON.parse(rows.get(id) ?? 'null') as PartitionResult);
  }

  /** Runs the path partitions on the workers (after `partitions`); yields their results in the order given, one read at a time. */
  async *paths(ps: readonly PathPartition[], onProgress?: (done: number, total: number) => void): AsyncGenerator<PathPartitionResult> {
    const ids = ps.map((p) => p.id);
    await this.enqueue(ps.map((paths) => ({ run: this.run, paths, graph: this.graph })));
    await this.wait(ids, onProgress);
    for (const id of ids) yield JSON.parse((await this.results([id])).get(id) ?? 'null') as PathPartitionResult;
  }

  async close(): Promise<void> {
    await this.pool.query(`DELETE FROM ${SCHEMA}.runs WHERE id = $1`, [this.run]).catch(() => undefined);
    await this.boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    await this.pool.end();
  }

  private async enqueue(jobs: readonly JobData[]): Promise<void> {
    await this.boss.insert(
      jobs.map((data) => ({
        name: QUEUE,
        data: data as object,
        retryLimit: this.s.retryLimit ?? 3,
        retryDelay: 1,
        expireInSeconds: this.s.jobTimeoutSeconds ?? DEFAULT_JOB_TIMEOUT_SECONDS,
        singletonKey: `${this.run}/${jobId(data)}`,
      })),
    );
  }

  private async wait(ids: readonly string[], onProgress?: (done: number, total: number) => void): Promise<void> {
    for (;;) {
      const counted = await this.pool.query(`SELECT count(*) AS n FROM ${SCHEMA}.results WHERE run = $1 AND partition = ANY($2)`, [this.run, ids]);
      const done = Number(counted.rows[0]?.n ?? 0);
      onProgress?.(done, ids.length);
      if (done >= ids.length) return;
      const failed = await this.pool.query(
        `SELECT coalesce(data->'partition'->>'id', data->'paths'->>'id') AS id, output FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND data->>'run' = $2 AND state = 'failed' LIMIT 1`,
        [QUEUE, this.run],
      );
      const f = failed.rows[0] as { id: string; output: unknown } | undefined;
      if (f !== undefined) throw new Error(`partition ${f.id} failed on every try: ${JSON.stringify(f.output)}`);
      await sleep(Math.max(100, (this.s.pollSeconds ?? 1) * 1000));
    }
  }

  private async results(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = (await this.pool.query(`SELECT partition, result FROM ${SCHEMA}.results WHERE run = $1 AND partition = ANY($2)`, [this.run, ids])).rows as {
      partition: string;
      result: string;
    }[];
    return new Map(rows.map((r) => [r.partition, r.result]));
  }
}

export interface WorkerOptions extends QueueSettings {
  /** Reads the model (from the same database); called again when a run's fingerprint differs from the one held. */
  readonly load: () => Promise<Universe>;
  /** Stops taking jobs (the one running finishes). */
  readonly signal?: AbortSignal;
  /** A line about each partition done. */
  readonly log?: (line: string) => void;
  /** A name stored with each result (default host and process id). */
  readonly name?: string;
}

/** Takes partitions off the queue until `signal` aborts. */
export async function runWorker(url: string, o: WorkerOptions): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  await migrate(pool);
  const boss = await startBoss(url, o);
  const name = o.name ?? `${process.pid}`;
  let held: { fingerprint: string; model: AuditModel } | undefined;
  /** The merged graph of the run whose path partitions this worker last ran. */
  let joined: { run: string; input: JoinInput } | undefined;
  const modelFor = async (fingerprint: string): Promise<AuditModel> => {
    if (held?.fingerprint !== fingerprint) {
      const u = await o.load();
      const mine = modelFingerprint(u);
      if (mine !== fingerprint) throw new Error('the model in the database is not the one the audit was started on (it changed since)');
      held = { fingerprint, model: auditModel(u) };
    }
    return held.model;
  };
  const work = async (data: JobData): Promise<void> => {
    const run = (await pool.query(`SELECT model, at FROM ${SCHEMA}.runs WHERE id = $1`, [data.run])).rows[0] as { model: string; at: Date } | undefined;
    if (run === undefined) return; // the audit is over (or was stopped): nothing to do
    const id = jobId(data);
    const exists = await pool.query(`SELECT 1 FROM ${SCHEMA}.results WHERE run = $1 AND partition = $2`, [data.run, id]);
    if (exists.rowCount !== 0) return;
    const started = Date.now();
    const model = await modelFor(run.model);
    const at = new Date(run.at);
    let result: PartitionResult | PathPartitionResult;
    if ('partition' in data) {
      o.log?.(`took partition ${id} (${data.partition.nodes.length} nodes) of run ${data.run}`);
      result = runPartition(model, data.partition, at);
    } else {
      o.log?.(`took partition ${id} (${data.paths.principals.length} principals' paths) of run ${data.run}`);
      if (joined?.run !== data.run || joined.input.model !== model) {
        joined = undefined; // the last run's graph goes before this one's is read
        joined = { run: data.run, input: joinInput(model, await graphOf(pool, data.run, data.graph)) };
      }
      result = await runPathPartition(joined.input, data.paths, at);
    }
    await pool.query(`INSERT INTO ${SCHEMA}.results (run, partition, result, worker) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
      data.run,
      id,
      JSON.stringify(result),
      name,
    ]);
    o.log?.(`stored partition ${id} of run ${data.run} (${Date.now() - started} ms)`);
  };
  try {
    await boss.work<JobData>(QUEUE, { batchSize: 1, pollingIntervalSeconds: Math.max(0.5, o.pollSeconds ?? 1) }, async (jobs) => {
      for (const job of jobs) await work(job.data);
    });
    if (o.signal?.aborted !== true) await new Promise<void>((resolve) => o.signal?.addEventListener('abort', () => resolve(), { once: true }));
  } finally {
    await boss.stop({ graceful: true, wait: true }).catch(() => undefined);
    await pool.end();
  }
}

/** The stored results of a run's graph partitions. */
async function graphOf(pool: pg.Pool, run: string, ids: readonly string[]): Promise<PartitionResult[]> {
  const rows = (await pool.query(`SELECT partition, result FROM ${SCHEMA}.results WHERE run = $1 AND partition = ANY($2)`, [run, ids])).rows as {
    partition: string;
    result: string;
  }[];
  if (rows.length !== ids.length) throw new Error(`run ${run}: ${ids.length - rows.length} graph partitions are missing`);
  return rows.map((r) => JSON.parse(r.result) as PartitionResult);
}
