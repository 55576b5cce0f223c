/** `iamsim explain-denied`: from an AccessDenied message (or CloudTrail record) to its cause and a verified fix. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { explainedJson, explainedText, exitCodeOf, explainReports, type ExplainedReport, type RunOptions } from '../explain/index.js';
import type { Ask } from '../explain/types.js';
import { contextEntry } from '../explain/context.js';
import type { ContextEntry } from '../explain/types.js';
import { parsePolicy } from '../policy/parse.js';
import type { Policy } from '../policy/model.js';
import { patchAccountFiles } from '../workflows/patch-files.js';
import { loadModel } from './account.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import { EXIT, guarded, readAll, readText, reportDiagnostics, type Io } from './io.js';
import { writeFixOutput } from './fix-files.js';
import { cliContext, type CliContext } from './context.js';

export const EXPLAIN_DENIED_HELP = `Usage: iamsim explain-denied (--message TEXT | --message - | - | --cloudtrail FILE) (--account FILE… | --db DB) [options]

Reads AccessDenied reports as AWS prints them and explains each against the model of the accounts:
  - messages, one per line: "User: ARN is not authorized to perform: ACTION on resource: RESOURCE because no
    TYPE allows the ACTION action", "… with an explicit deny in a TYPE[: POLICY-ARN]", the older form without
    the clause, S3's "Access Denied", EC2's encoded message, inside the AWS CLI's "An error occurred (CODE)
    when calling the OP operation: …" wrapper or not;
  - 'aws sts decode-authorization-message' output (EC2's encoded message, decoded);
  - CloudTrail records whose errorCode is AccessDenied, AccessDeniedException, UnauthorizedOperation or
    Client.UnauthorizedOperation (log files, JSON Lines, lookup-events output, EventBridge events).
For each: the request decided against the model with the context the report implies, the layer and statements
that deny it, the conditions that held or failed, whether iamsim agrees with AWS's message (and what the model
lacks when it does not), and the smallest fix (preflight's fix engine), proven to grant nothing else, with the
AWS CLI command that applies it; for an explicit deny, the statement and who owns it.

Input:
  --message TEXT         one or more messages (one per line); '-' reads standard input
  -                      read standard input
  --cloudtrail FILE      CloudTrail records (a .gz log file is decompressed; '-' for standard input)
Model:
  --account FILE…        account files (anything 'iamsim account import' takes)
  --db DB                an iamsim database (default: $IAMSIM_DB, else .iamsim/iamsim.db)
What the report leaves out:
  --principal ARN  --action SERVICE:ACTION  --resource ARN
  --region REGION        the Region of the request (aws:RequestedRegion; default: the resource ARN's)
  --vpc-endpoint vpce-…  the VPC endpoint the request went through
  --session-policy FILE  the session policy of the caller's session (in no export)
  --context KEY=VALUE[,VALUE]…   request context the report does not show (e.g. iam:PassedToService=events.amazonaws.com)
Output:
  --format text|json     default text; json prints one object per report (an array when there are several):
                         {"request","aws":{"layer","kind"},"iamsim":{"decision","layer","statements","conditions"},
                          "agrees","verdict","modelGaps","asks","fix","notes"}
  --fix-out DIR          write the fix as files: policies/, accounts/ (corrected copies of the --account files),
                         fixes.diff and apply.sh (the AWS CLI commands)
Exit codes: 0 every report explained and iamsim agrees with AWS, 1 iamsim disagrees with a report (the model is
stale or lacks the layer AWS blames), 2 bad input (an unreadable report, one without principal/action/resource,
a bad file), 3 internal error.
`;

const FLAGS = new Set([
  'message',
  'cloudtrail',
  'account',
  'db',
  'principal',
  'action',
  'resource',
  'region',
  'vpc-endpoint',
  'session-policy',
  'context',
  'format',
  'output',
  'fix-out',
  'help',
]);

interface Input {
  readonly text: string;
  readonly name: string;
  readonly cloudtrail: boolean;
}

/** A CloudTrail file as text; a `.gz` log file (as CloudTrail delivers them to S3) is decompressed. */
function trailText(file: string): string {
  if (!file.endsWith('.gz')) return readText(file);
  try {
    return gunzipSync(readFileSync(file)).toString('utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function readInput(argv: ReturnType<typeof parseArgs>, io: Io): Promise<Input> {
  if ((argv.flags.get('message')?.length ?? 1) > 1)
    throw new UsageError('--message takes one argument: quote the message (several messages: one per line, or - for standard input)');
  const message = argv.flags.has('message') ? flag(argv, 'message') : undefined;
  const trail = flag(argv, 'cloudtrail');
  const dash = argv.positionals.includes('-');
  const others = argv.positionals.filter((p) => p !== '-');
  if (others.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(others[0])} (quote the message and give it with --message)`);
  const given = [message !== undefined, trail !== undefined, dash].filter(Boolean).length;
  if (given !== 1) throw new UsageError('give exactly one of --message TEXT, --message -, - or --cloudtrail FILE');
  if (trail !== undefined)
    return { text: trail === '-' ? await readAll(io.stdin) : trailText(trail), name: trail === '-' ? '<stdin>' : trail, cloudtrail: true };
  if (dash || message === '-') return { text: await readAll(io.stdin), name: '<stdin>', cloudtrail: false };
  if (message === undefined || message.trim() === '') throw new UsageError('--message needs the message text');
  return { text: message, name: '--message', cloudtrail: false };
}

function contextEntries(tokens: readonly string[] | undefined): ContextEntry[] | undefined {
  if (tokens === undefined) return undefined;
  if (tokens.length === 0) throw new UsageError('--context needs KEY=VALUE');
  return tokens.map((t) => {
    const eq = t.indexOf('=');
    if (eq <= 0 || !t.slice(0, eq).includes(':'))
      throw new UsageError(`--context ${JSON.stringify(t)}: expected KEY=VALUE[,VALUE] with a condition key such as aws:SourceIp`);
    const key = t.slice(0, eq);
    const values = t.slice(eq + 1).split(',');
    return contextEntry(key, values);
  });
}

function sessionPolicies(file: string | undefined): Policy[] | undefined {
  if (file === undefined) return undefined;
  const res = parsePolicy(readText(file), { type: 'session', file, name: file });
  const err = res.diagnostics.find((d) => d.severity === 'error');
  if (err !== undefined || res.policy === undefined) throw new UsageError(`${file}:${err?.line ?? 1}:${err?.column ?? 1}: ${err?.message ?? 'not a policy'}`);
  return [res.policy];
}

function writeFixes(dir: string, reports: readonly ExplainedReport[], accountFiles: readonly string[], io: Io): void {
  const withPatch = reports.filter((r) => r.patch !== undefined);
  if (withPatch.length === 0) {
    io.stderr.write(`iamsim explain-denied: no fix to write; ${dir} not written\n`);
    return;
  }
  const texts = new Map(accountFiles.map((f) => [f, readText(f)] as const));
  for (const r of withPatch) {
    const p = r.patch!;
    const out = { patch: p.patch, files: patchAccountFiles(texts, p.patch.policies), lint: p.lint, scope: p.scope };
    const target = withPatch.length === 1 ? dir : `${dir}/line-${r.denial.line}`;
    const written = writeFixOutput(target, out);
    io.stderr.write(`iamsim explain-denied: wrote ${written.length} files to ${target} (policies/, accounts/, fixes.diff, apply.sh)\n`);
  }
}

async function run(argv: readonly string[], io: Io, cli: CliContext): Promise<number> {
  const args = parseArgs(argv, new Set(['help']));
  if (has(args, 'help')) {
    io.stdout.write(EXPLAIN_DENIED_HELP);
    return EXIT.OK;
  }
  checkKnown(args, FLAGS, 'explain-denied');
  const format = flag(args, 'format') ?? flag(args, 'output') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not ${JSON.stringify(format)}`);
  const input = await readInput(args, io);
  const accountFiles = args.flags.get('account') ?? [];
  const universe = await loadModel(args, io);
  if (universe === undefined) return EXIT.BAD_INPUT;
  const sp = sessionPolicies(flag(args, 'session-policy'));
  const context = contextEntries(args.flags.get('context'));
  const opt = (name: string): string | undefined => flag(args, name);
  const options: RunOptions = {
    cloudtrail: input.cloudtrail,
    ...(opt('principal') ? { principal: opt('principal') as string } : {}),
    ...(opt('action') ? { action: opt('action') as string } : {}),
    ...(opt('resource') ? { resource: opt('resource') as string } : {}),
    ...(opt('region') ? { region: opt('region') as string } : {}),
    ...(opt('vpc-endpoint') ? { vpcEndpointId: opt('vpc-endpoint') as string } : {}),
    ...(sp ? { sessionPolicies: sp } : {}),
    ...(context ? { context } : {}),
    // This run's engine proves each fix's scope with its reasoner, loaded only when a fix is built.
    reasoning: async () => (await cli.engine()).reasoning(),
  };
  const result = await explainReports(universe, input.text, options);
  const diags: Diagnostic[] = result.problems.map((p) => ({
    code: 'EXPLAIN_INPUT',
    severity: 'error',
    message: p.asks !== undefined ? `${p.message}: give ${giveFlags(p.asks)}` : p.message,
    file: input.name,
    line: p.line,
    column: p.column,
    path: [],
  }));
  reportDiagnostics(io, diags);
  if (format === 'json') {
    const items = result.reports.map(explainedJson);
    if (items.length > 0) io.stdout.write(`${JSON.stringify(items.length === 1 ? items[0] : items, null, 2)}\n`);
  } else io.stdout.write(result.reports.map((r) => explainedText(r, giveFlags)).join('\n'));
  const fixOut = flag(args, 'fix-out');
  if (fixOut !== undefined) writeFixes(fixOut, result.reports, accountFiles, io);
  return exitCodeOf(result);
}

export async function explainDeniedCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded('explain-denied', io, () => run(argv, io, cli));
}

/** What a report leaves out, as this command's flags. */
function giveFlags(asks: readonly Ask[]): string {
  return asks
    .map((a) => {
      switch (a.what) {
        case 'context':
          return `--context ${a.key}=VALUE`;
        case 'region':
          return '--region REGION';
        case 'vpc-endpoint':
          return '--vpc-endpoint vpce-…';
        case 'session-policy':
          return '--session-policy FILE';
        case 'action':
          return '--action ACTION';
        default:
          return `--${a.what} ARN`;
      }
    })
    .join(', ');
}
