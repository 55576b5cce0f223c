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
 * on another worker. The coordinator waits for every result, then joins.
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Universe } from '../account/query.js';
import { auditModel, type AuditModel } from './nodes.js';
import { DEFAULT_JOB_TIMEOUT_SECONDS, runPartition, type Partition, type PartitionResult } from './partition.js';

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

interface JobData {
  readonly run: string;
  readonly partition: Partition;
}

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
 * Runs the partitions on the queue's workers and returns their results in
 * the order given. Throws when a partition failed on every try.
 */
export async function runQueued(
  url: string,
  u: Universe,
  partitions: readonly Partition[],
  at: Date,
  s: QueueSettings = {},
  onProgress?: (done: number, total: number) => void,
): Promise<PartitionResult[]> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const boss = await startBoss(url, s);
  const run = randomUUID();
  try {
    await migrate(pool);
    await pool.query(`INSERT INTO ${SCHEMA}.runs (id, model, at, partitions) VALUES ($1, $2, $3, $4)`, [
      run,
      modelFingerprint(u),
      at.toISOString(),
      partitions.length,
    ]);
    const timeout = s.jobTimeoutSeconds ?? DEFAULT_JOB_TIMEOUT_SECONDS;
    await boss.insert(
      partitions.map((partition) => ({
        name: QUEUE,
        data: { run, partition } satisfies JobData as object,
        retryLimit: s.retryLimit ?? 3,
        retryDelay: 1,
        expireInSeconds: timeout,
        singletonKey: `${run}/${partition.id}`,
      })),
    );
    for (;;) {
      const done = Number((await pool.query(`SELECT count(*) AS n FROM ${SCHEMA}.results WHERE run = $1`, [run])).rows[0]?.n ?? 0);
      onProgress?.(done, partitions.length);
      if (done >= partitions.length) break;
      const failed = await pool.query(
        `SELECT data->'partition'->>'id' AS id, output FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND data->>'run' = $2 AND state = 'failed' LIMIT 1`,
        [QUEUE, run],
      );
      const f = failed.rows[0] as { id: string; output: unknown } | undefined;
      if (f !== undefined) throw new Error(`partition ${f.id} failed on every try: ${JSON.stringify(f.output)}`);
      await sleep(Math.max(100, (s.pollSeconds ?? 1) * 1000));
    }
    const rows = (await pool.query(`SELECT partition, result FROM ${SCHEMA}.results WHERE run = $1`, [run])).rows as { partition: string; result: string }[];
    const byId = new Map(rows.map((r) => [r.partition, r.result]));
    return partitions.map((p) => JSON.parse(byId.get(p.id) ?? 'null') as PartitionResult);
  } finally {
    await pool.query(`DELETE FROM ${SCHEMA}.runs WHERE id = $1`, [run]).catch(() => undefined);
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    await pool.end();
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
    const exists = await pool.query(`SELECT 1 FROM ${SCHEMA}.results WHERE run = $1 AND partition = $2`, [data.run, data.partition.id]);
    if (exists.rowCount !== 0) return;
    const started = Date.now();
    o.log?.(`took partition ${data.partition.id} (${data.partition.nodes.length} nodes) of run ${data.run}`);
    const result = runPartition(await modelFor(run.model), data.partition, new Date(run.at));
    await pool.query(`INSERT INTO ${SCHEMA}.results (run, partition, result, worker) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
      data.run,
      data.partition.id,
      JSON.stringify(result),
      name,
    ]);
    o.log?.(`stored partition ${data.partition.id} of run ${data.run} (${Date.now() - started} ms)`);
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
