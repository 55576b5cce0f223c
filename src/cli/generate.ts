/** `iamsim generate execution-role | mlspace-notebook | from-cloudtrail`. */
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { generateExecutionRole, readExecutionRoleSpec } from '../generate/index.js';
import { TrailAggregator, type TrailResult } from '../generate/cloudtrail.js';
import { generateMlspaceNotebookPolicy, readMlspaceParams, MLSPACE_PARAMS } from '../generate/mlspace.js';
import { MANAGED_POLICY_SIZE_LIMIT, policySize, printDocument, type PolicyDocument } from '../generate/policy-doc.js';
import { SourceDoc } from '../generate/source.js';
import type { ResourceMode } from '../generate/generalize.js';
import { checkKnown, flag, formatOption, has, parseArgs, UsageError } from './args.js';
import { EXIT, fileSize, readText, reportDiagnostics, type Io } from './io.js';
import { cliContext, type CliContext } from './context.js';

export const GENERATE_HELP = `Usage: iamsim generate <kind> [options]

Kinds:
  execution-role --spec FILE [--out DIR]
      A SageMaker execution role from a workload spec (YAML or JSON, see docs/generate.md):
      its permission policy, its trust policy, and the caller's policy (the Create* call and
      iam:PassRole scoped with iam:PassedToService).
  mlspace-notebook (--params FILE | --set KEY=VALUE …) [--out DIR]
      The MLSpace governed notebook policy from installation parameters:
      ${MLSPACE_PARAMS.join(', ')}
      (region, account, subnets and securityGroups are required; lists are comma-separated in --set).
  from-cloudtrail FILE… [--resources exact|wildcard|placeholder] [--principal ARN] [--include-denied] [--out FILE]
      The policy that grants what the CloudTrail events used. FILE is a CloudTrail log file
      ({"Records": […]}, .gz accepted), JSON Lines with one event per line, or - for standard input.

Options:
  --format json|text   json (default): one JSON document on stdout; text: titled policies
  --out DIR|FILE       write the policies to files instead of stdout
Exit codes: 0 generated, 2 bad input.
`;

function writeFiles(io: Io, dir: string, files: readonly [string, PolicyDocument][]): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, doc] of files) {
    const path = join(dir, name);
    writeFileSync(path, printDocument(doc));
    io.stdout.write(`${path}\n`);
  }
}

function emitPolicies(io: Io, format: 'json' | 'text', titled: readonly [string, string, PolicyDocument][], json: unknown): void {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  for (const [title, , doc] of titled) io.stdout.write(`# ${title}\n${printDocument(doc)}\n`);
}

function warnSize(io: Io, name: string, doc: PolicyDocument): void {
  const size = policySize(doc);
  if (size > MANAGED_POLICY_SIZE_LIMIT) {
    io.stderr.write(
      `iamsim generate: warning: ${name} is ${size} characters, over the ${MANAGED_POLICY_SIZE_LIMIT}-character managed policy quota; attach it as an inline policy or split it\n`,
    );
  }
}

async function executionRole(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, new Set(['help']));
  checkKnown(args, new Set(['spec', 'format', 'output', 'out', 'help']), 'generate execution-role');
  const file = flag(args, 'spec') ?? args.positionals[0];
  if (file === undefined) throw new UsageError('execution-role needs --spec FILE');
  const format = formatOption(args);
  const { spec, diagnostics } = readExecutionRoleSpec(readText(file), file);
  if (reportDiagnostics(io, diagnostics) || spec === undefined) return EXIT.BAD_INPUT;
  const r = generateExecutionRole(spec);
  const titled: [string, string, PolicyDocument][] = [
    [`Permission policy of ${r.roleArn}`, `${r.roleName}.permissions.json`, r.permissions],
    [`Trust policy of ${r.roleArn}`, `${r.roleName}.trust.json`, r.trust],
    [`Policy for the caller of ${spec.apis.join(', ')}`, `${r.roleName}.caller.json`, r.caller],
  ];
  for (const [title, , doc] of titled) warnSize(io, title, doc);
  const out = flag(args, 'out');
  if (out !== undefined)
    writeFiles(
      io,
      out,
      titled.map(([, name, doc]) => [name, doc]),
    );
  else
    emitPolicies(io, format, titled, {
      RoleName: r.roleName,
      RoleArn: r.roleArn,
      PermissionPolicy: r.permissions,
      TrustPolicy: r.trust,
      CallerPolicy: r.caller,
    });
  return EXIT.OK;
}

/** `--set a=b --set c=d` (or `--set a=b c=d`) as a parameter map. */
function setPairs(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes KEY=VALUE, not ${JSON.stringify(v)}`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

async function mlspaceNotebook(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, new Set(['help']));
  checkKnown(args, new Set(['params', 'set', 'format', 'output', 'out', 'help']), 'generate mlspace-notebook');
  const format = formatOption(args);
  const file = flag(args, 'params');
  const sets = setPairs(args.flags.get('set') ?? []);
  if (file === undefined && Object.keys(sets).length === 0) throw new UsageError('mlspace-notebook needs --params FILE or --set KEY=VALUE …');
  let src: SourceDoc;
  if (file !== undefined) {
    src = new SourceDoc(readText(file), file);
    if (Object.keys(sets).length > 0 && src.value !== null && typeof src.value === 'object') Object.assign(src.value as Record<string, unknown>, sets);
  } else {
    src = new SourceDoc(JSON.stringify(sets), '--set');
  }
  const { params, diagnostics } = readMlspaceParams(src);
  if (reportDiagnostics(io, diagnostics) || params === undefined) return EXIT.BAD_INPUT;
  const r = generateMlspaceNotebookPolicy(params);
  const n = r.policies.length;
  const titled: [string, string, PolicyDocument][] = r.policies.map((doc, i) => [
    `MLSpace notebook policy${n > 1 ? `, part ${i + 1} of ${n}` : ''}`,
    `mlspace-notebook-policy${n > 1 ? `-${i + 1}` : ''}.json`,
    doc,
  ]);
  for (const [title, , doc] of titled) warnSize(io, title, doc);
  const out = flag(args, 'out');
  if (out !== undefined)
    writeFiles(
      io,
      out,
      titled.map(([, name, doc]) => [name, doc]),
    );
  else emitPolicies(io, format, titled, { NotebookPolicies: r.policies });
  return EXIT.OK;
}

/** A one-line progress bar on stderr, at most ten updates a second. */
function progressBar(io: Io, total: number): { update(done: number, records: number): void; done(records: number): void } {
  let last = 0;
  const draw = (done: number, records: number): void => {
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 30;
    const fill = Math.round(frac * width);
    io.stderr.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${records} events`);
  };
  return {
    update(done, records) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(done, records);
    },
    done(records) {
      draw(total, records);
      io.stderr.write('\n');
    },
  };
}

const RESOURCE_MODES: readonly ResourceMode[] = ['exact', 'wildcard', 'placeholder'];
/** Inputs this large (bytes) get a progress bar when stderr is a terminal. */
const PROGRESS_THRESHOLD = 1 << 20;

async function fromCloudTrail(argv: readonly string[], io: Io, cli: CliContext): Promise<number> {
  const args = parseArgs(argv, new Set(['help', 'include-denied', 'progress', 'no-progress']));
  checkKnown(
    args,
    new Set(['resources', 'principal', 'include-denied', 'format', 'output', 'out', 'progress', 'no-progress', 'help']),
    'generate from-cloudtrail',
  );
  const format = formatOption(args);
  const mode = (flag(args, 'resources') ?? 'wildcard') as ResourceMode;
  if (!RESOURCE_MODES.includes(mode)) throw new UsageError(`--resources must be one of ${RESOURCE_MODES.join(', ')}`);
  const files = args.positionals;
  if (files.length === 0) throw new UsageError('from-cloudtrail needs at least one FILE (or - for standard input)');
  const principal = flag(args, 'principal');
  // This run's catalog: the same few actions recur across the records.
  const { catalog } = await cli.engine();
  const agg = new TrailAggregator({ resources: mode, includeDenied: has(args, 'include-denied'), catalog, ...(principal !== undefined ? { principal } : {}) });
  const sizes = files.map((f) => {
    return f === '-' ? 0 : fileSize(f);
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const tty = Boolean((io.stderr as NodeJS.WriteStream).isTTY);
  const showProgress = !has(args, 'no-progress') && (has(args, 'progress') || (tty && total >= PROGRESS_THRESHOLD));
  const bar = showProgress ? progressBar(io, total) : undefined;
  let done = 0;
  for (const f of files) {
    const splitter = agg.splitter(f === '-' ? '<stdin>' : f);
    let stream: NodeJS.ReadableStream = f === '-' ? io.stdin : createReadStream(f);
    if (f !== '-')
      stream.on('data', (c: Buffer) => {
        done += c.length;
      });
    if (f.endsWith('.gz')) stream = stream.pipe(createGunzip());
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      if (f === '-') done += buf.length;
      splitter.push(decoder.decode(buf, { stream: true }));
      bar?.update(done, agg.recordCount);
    }
    splitter.push(decoder.decode());
  }
  const result = agg.finish();
  bar?.done(result.stats.records);
  return emitTrail(io, result, format, flag(args, 'out'));
}

function emitTrail(io: Io, r: TrailResult, format: 'json' | 'text', out: string | undefined): number {
  const located = r.diagnostics.filter((d) => d.file !== undefined);
  let bad = reportDiagnostics(io, located);
  for (const d of r.diagnostics) {
    if (d.file !== undefined) continue;
    io.stderr.write(`iamsim generate: ${d.severity} ${d.code}: ${d.message}\n`);
    if (d.severity === 'error') bad = true;
  }
  const s = r.stats;
  const unknown = Object.values(s.unknown).reduce((a, b) => a + b, 0);
  const skipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  io.stderr.write(
    `iamsim generate: ${s.records} events read, ${s.used} used, ${skipped} skipped, ${unknown} unmapped, ${s.denied} denied, ${s.otherPrincipals} by other principals\n`,
  );
  if (bad || r.policy === undefined) return EXIT.BAD_INPUT;
  warnSize(io, 'the generated policy', r.policy);
  if (out !== undefined) {
    writeFileSync(out, printDocument(r.policy));
    io.stdout.write(`${out}\n`);
  } else if (format === 'text') {
    io.stdout.write(
      `# Policy generated from ${s.used} CloudTrail events${s.principals.length === 1 ? ` of ${s.principals[0]}` : ''}\n${printDocument(r.policy)}`,
    );
  } else {
    io.stdout.write(printDocument(r.policy));
  }
  return EXIT.OK;
}

const KINDS: Record<string, (argv: readonly string[], io: Io, cli: CliContext) => Promise<number>> = {
  'execution-role': executionRole,
  'mlspace-notebook': mlspaceNotebook,
  'from-cloudtrail': fromCloudTrail,
};

export async function generateCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind === undefined || kind === '--help' || kind === '-h' || rest.includes('--help')) {
    io.stdout.write(GENERATE_HELP);
    return kind === undefined ? EXIT.BAD_INPUT : EXIT.OK;
  }
  const run = KINDS[kind];
  if (run === undefined) throw new UsageError(`unknown kind ${JSON.stringify(kind)} (expected ${Object.keys(KINDS).join(', ')})`);
  return run(rest, io, cli);
}
