/** `iamsim audit`: a thin shell over src/audit. */
import { cliContext, type CliContext } from './context.js';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { once } from 'node:events';
import { packageRoot } from '../package.js';
import {
  DEFAULT_JOB_TIMEOUT_SECONDS,
  DEFAULT_PARTITION_SIZE,
  DEFAULT_PATH_PARTITION_SIZE,
  runAudit,
  type AuditedPrincipal,
  type Severity,
} from '../audit/index.js';
import { toHtml } from '../audit/html.js';
import {
  atOrAbove,
  jsonlHead,
  jsonlPrincipal,
  jsonlTail,
  principalJson,
  principalLocation,
  sarifChunks,
  SEVERITIES,
  toText,
  type Location,
} from '../audit/render.js';
import { jsonElement, jsonHead, jsonTail } from '../audit/render-json.js';
import { progressLine } from './progress.js';
import { queuedAudit, queueUrl } from './audit-queue.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import { loadModel } from './account.js';
import { EXIT, guarded, type Io } from './io.js';

export const AUDIT_HELP = `Usage: iamsim audit (--account FILE… | --db PATH|URL) [--format text|json|jsonl|sarif|html] [--fail-on LEVEL]
                    [--at TIME] [--partition-size N] [--path-partition-size N] [--queue]

Audits every principal of the model (all accounts and files together, one universe):
  - admin: allowed every action on every resource, or able to grant itself that;
  - escalation paths to admin, shortest first (assume role, pass role to a service that runs code,
    policy and policy-version edits, credentials of other users, group membership, trust-policy edits,
    code on existing compute), each step with the statement that allows it;
  - cloudsplaining's risk categories (credentials exposure, data exfiltration, resource exposure,
    infrastructure modification) on every resource;
  - resource and trust policies open to anyone, to any AWS account, to any GitHub repository or Cognito
    identity pool, or to principals of other accounts (with the conditions they set themselves);
  - what cannot be decided (to review) and policies that cannot be read (named; the rest is audited).
Every decision is made by the evaluator; see docs/audit.md.

The work runs in partitions (an account; a class of principals of a large account), which build the
escalation graph; then path partitions (runs of principals) search their paths over the merged graph,
across accounts. The report does not depend on the partitions.

  --account FILE…      account files read into memory (anything 'iamsim account import' takes)
  --db PATH|URL        an iamsim database (default: $IAMSIM_DB, else .iamsim/iamsim.db), or postgres://…
  --format F           text (default), json, jsonl ({"principal":…} a line as each is audited, then
                       {"exposure":…}, {"unreadable":…}, {"finding":…} lines and {"stats":…}), sarif or html
  --fail-on LEVEL      ERROR (default), SECURITY_WARNING, WARNING or SUGGESTION
  --at TIME            decide time conditions at this ISO 8601 time (default: now)
  --partition-size N   at most N nodes per partition of a large account (default ${DEFAULT_PARTITION_SIZE})
  --path-partition-size N  at most N principals per path partition (default ${DEFAULT_PATH_PARTITION_SIZE})
  --queue              with --db postgres://…: put both kinds of partitions on the database's job queue and
                       wait for 'iamsim worker --db postgres://…' processes (any machines) to run them
  --job-timeout S      with --queue: a partition not done S seconds after a worker took it is run again
                       by another worker (default ${DEFAULT_JOB_TIMEOUT_SECONDS}; its worker is taken for dead)

json, jsonl and sarif are written as they are made (no single string of the whole report).
On a terminal, progress and an estimate of the time left go to stderr.

Exit codes: 0 no finding at or above --fail-on, 1 some, 2 bad input.
`;

const FORMATS = ['text', 'json', 'jsonl', 'sarif', 'html'] as const;
type Format = (typeof FORMATS)[number];

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../../package.json') as { version: string }).version;
}

/** The HTML report's page script (src/web/audit-report.ts, bundled into dist/web by npm run build); undefined when missing. */
function reportScript(): string | undefined {
  const file = join(packageRoot(), 'dist', 'web', 'audit-report.js');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

export async function auditCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded('audit', io, async () => {
    const args = parseArgs(argv, new Set(['help', 'queue']));
    if (has(args, 'help')) {
      io.stdout.write(AUDIT_HELP);
      return EXIT.OK;
    }
    checkKnown(
      args,
      new Set(['account', 'db', 'format', 'output', 'fail-on', 'at', 'partition-size', 'path-partition-size', 'queue', 'job-timeout', 'help']),
      'audit',
    );
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}; files go after --account`);
    const format = (flag(args, 'format') ?? flag(args, 'output') ?? 'text') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${JSON.stringify(format)}`);
    const failOn = (flag(args, 'fail-on') ?? 'ERROR').toUpperCase() as Severity;
    if (!SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
    const atText = flag(args, 'at');
    const at = atText !== undefined ? new Date(atText) : new Date();
    if (Number.isNaN(at.getTime())) throw new UsageError(`--at: not an ISO 8601 time: ${JSON.stringify(atText)}`);
    const script = format === 'html' ? reportScript() : '';
    if (script === undefined) {
      io.stderr.write("audit: the HTML report's script dist/web/audit-report.js is missing from this installation (npm run build makes it)\n");
      return EXIT.INTERNAL;
    }
    const size = flag(args, 'partition-size');
    const partitionSize = size !== undefined ? Number(size) : DEFAULT_PARTITION_SIZE;
    if (!Number.isInteger(partitionSize) || partitionSize < 1)
      throw new UsageError(`--partition-size must be a whole number of at least 1, not ${JSON.stringify(size)}`);
    const pathSize = flag(args, 'path-partition-size');
    const pathPartitionSize = pathSize !== undefined ? Number(pathSize) : DEFAULT_PATH_PARTITION_SIZE;
    if (!Number.isInteger(pathPartitionSize) || pathPartitionSize < 1)
      throw new UsageError(`--path-partition-size must be a whole number of at least 1, not ${JSON.stringify(pathSize)}`);
    const queue = has(args, 'queue') ? queueUrl(args) : undefined;
    const timeoutText = flag(args, 'job-timeout');
    const jobTimeoutSeconds = timeoutText !== undefined ? Number(timeoutText) : DEFAULT_JOB_TIMEOUT_SECONDS;
    if (!Number.isInteger(jobTimeoutSeconds) || jobTimeoutSeconds < 1)
      throw new UsageError(`--job-timeout must be a whole number of seconds, not ${JSON.stringify(timeoutText)}`);
    if (timeoutText !== undefined && queue === undefined) throw new UsageError('--job-timeout goes with --queue');
    const progress = progressLine(io.stderr, 'audit');
    const u = await loadModel(args, io, process.env, (i, n, file) => progress.file(i, n, file));
    if (u === undefined) {
      progress.clear();
      return EXIT.BAD_INPUT;
    }
    const uri = (f: string): string => (relative(process.cwd(), f) || f).replaceAll('\\', '/');
    const out = writer(io.stdout);
    const streamed = format === 'json' || format === 'jsonl' || format === 'sarif';
    const locations = new Map<string, Location | undefined>();
    const generatedAt = at.toISOString();
    let count = 0;
    if (format === 'jsonl') await out(jsonlHead(generatedAt, [...u.accounts.keys()]));
    if (format === 'json') await out(jsonHead(generatedAt, [...u.accounts.keys()]));
    const onPrincipal = async (p: AuditedPrincipal): Promise<void> => {
      if (format === 'jsonl') await out(jsonlPrincipal(p));
      else if (format === 'json') await out(jsonElement(principalJson(p), count++ === 0));
      else if (format === 'sarif' && p.paths.length > 0) locations.set(p.arn, principalLocation(p));
    };
    const report = await runAudit(u, {
      at,
      partitionSize,
      pathPartitionSize,
      onProgress: (phase, done, total) => progress.update(phase, done, total),
      ...(queue !== undefined ? queuedAudit(queue, u, jobTimeoutSeconds, (phase, done, total) => progress.update(phase, done, total)) : {}),
      ...(streamed ? { onPrincipal, keepPrincipals: false } : {}),
      reason: await (await cli.engine()).reasoning(),
    });
    progress.clear();
    if (format === 'jsonl') for (const line of jsonlTail(report)) await out(line);
    else if (format === 'json') for (const piece of jsonTail(report, count)) await out(piece);
    else if (format === 'sarif') for (const piece of sarifChunks(report.findings, locations, version(), uri)) await out(piece);
    else if (format === 'html') await out(toHtml(report, script));
    else await out(toText(report));
    return atOrAbove(report.findings, failOn).length > 0 ? EXIT.DENIED : EXIT.OK;
  });
}

/** Writes pieces in order, waiting when the stream asks to (a pipe to a slow reader). */
function writer(stream: NodeJS.WritableStream): (text: string) => Promise<void> {
  return async (text) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
}
