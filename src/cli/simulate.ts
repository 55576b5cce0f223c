/** `iamsim simulate` and `iamsim simulate-custom-policy`. */
import { createReadStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readSimulateInputText, readSimulateInputValue, type InputResult } from '../simulate/input.js';
import { runSimulation } from '../simulate/run.js';
import { awsCliJson, warningLines } from '../simulate/aws-shape.js';
import { checkKnown, flag, formatOption, has, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { formatResponseText } from './format-text.js';
import { EXIT, fileSize, readText, reportDiagnostics, type Io } from './io.js';
import { parseShorthand } from './shorthand.js';
import { cliContext, type CliContext } from './context.js';
import type { Iamsim } from '../engine/iamsim.js';

export const SIMULATE_HELP = `Usage: iamsim simulate --input FILE|- [--format json|text] [--lenient] [--explain|--no-explain] [--threads N]

Evaluates one SimulateCustomPolicy-shaped JSON request (see docs/simulate.md) and prints
AWS's response shape plus an explanation per layer.
A FILE ending in .jsonl, or '-' (standard input), is a JSON Lines batch: one output line
per input line, in order; a bad line yields {"Error":{"Code":…,"Message":…}}.

Options:
  --input FILE|-     request file (JSON), or a .jsonl batch, or - for JSON Lines on stdin
  --format json|text output format (default json); a batch prints JSON Lines, or with text one
                     line of text per input line (decision, deciding statements, missing context)
  --lenient          accept documentation-style policy JSON (comments, trailing commas)
  --explain          include per-statement traces (default for single requests)
  --no-explain       omit the Explanation field (default for batches)
  --threads N        batches: threads deciding lines, the reading thread and N-1 workers (default:
                     one per processor; workers start only when the rest of the input outweighs
                     their warm-up, so a small batch starts none); output order is kept
Exit codes: 0 simulated, 2 bad input, 3 internal error.
`;

export const SIMULATE_CUSTOM_HELP = `Usage: iamsim simulate-custom-policy --policy-input-list DOC… --action-names NAME… [options]

The AWS CLI's 'aws iam simulate-custom-policy' with 'aws iam' replaced by 'iamsim'.
Every policy argument takes a JSON string or file://path.

AWS options:
  --policy-input-list DOC…                     identity-based policies
  --permissions-boundary-policy-input-list DOC…
  --action-names NAME…                         e.g. s3:GetObject iam:PassRole
  --resource-arns ARN…                         default *
  --resource-policy DOC
  --resource-owner ARN                         e.g. arn:aws:iam::123456789012:root
  --caller-arn ARN                             IAM ARN or a service principal (sagemaker.amazonaws.com)
  --context-entries ENTRY…                     shorthand ContextKeyName=k,ContextKeyValues=v,ContextKeyType=string
                                               or JSON '[{"ContextKeyName":…}]'
  --cli-input-json JSON|file://path            the whole request as JSON
  --resource-handling-option NAME              an EC2 scenario (its resources must all be in --resource-arns)
  --max-items N, --starting-token MARKER       one page of results (IsTruncated, Marker); default all
  --page-size N                                accepted (the AWS CLI's per-call page; output unchanged)
  A list option whose value starts with '[' is read as a JSON list, as the AWS CLI does.
iamsim extensions:
  --session-policy-input-list DOC…
  --service-control-policy-input-list JSON      [[level-0 docs…], [level-1 docs…], …] root first
  --resource-control-policy-input-list JSON     same shape, for the resource owner's account
  --caller-is-management-account, --resource-owner-is-management-account, --caller-is-service-linked-role
  --lenient, --explain, --format json|text (also --output json|text)
JSON output is exactly what 'aws iam simulate-custom-policy' prints (AWS's fields, 4-space indent);
--explain prints iamsim's response instead (Sid, StatementIndex, PolicyName, Effect, Explanation).
Exit codes: 0 simulated, 2 bad input, 3 internal error.
`;

/** `aws`: print exactly what the AWS CLI prints (AWS's members, its JSON layout); else iamsim's extended response. */
function emit(io: Io, res: InputResult, format: 'json' | 'text', explain: boolean, engine: Iamsim, aws = false): number {
  if (reportDiagnostics(io, res.diagnostics) || res.request === undefined) return EXIT.BAD_INPUT;
  const resp = runSimulation(res.request, { explain: explain || format === 'text', memo: engine.memo });
  if (format === 'text') io.stdout.write(formatResponseText(resp));
  else if (!aws || explain) io.stdout.write(`${JSON.stringify(resp, null, 2)}\n`);
  else {
    io.stdout.write(awsCliJson(resp));
    io.stderr.write(warningLines(resp));
  }
  return EXIT.OK;
}

/** --threads N: threads deciding a batch, the reading thread and N-1 workers (1 = the reading thread alone). */
function threadsOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--threads must be an integer from 1 to 64, not ${JSON.stringify(v)}`);
  return n;
}

export async function simulateCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  const args = parseArgs(argv, new Set(['lenient', 'explain', 'no-explain', 'help']));
  if (has(args, 'help')) {
    io.stdout.write(SIMULATE_HELP);
    return EXIT.OK;
  }
  checkKnown(args, new Set(['input', 'format', 'output', 'lenient', 'explain', 'no-explain', 'threads']), 'simulate');
  const threads = threadsOption(flag(args, 'threads'));
  const input = flag(args, 'input') ?? args.positionals[0];
  if (input === undefined) throw new UsageError("simulate needs --input FILE (or - for JSON Lines on stdin); see 'iamsim simulate --help'");
  const format = formatOption(args);
  const lenient = has(args, 'lenient');
  if (input === '-' || input.endsWith('.jsonl')) {
    const baseDir = input === '-' ? process.cwd() : dirname(resolve(input));
    let stream: NodeJS.ReadableStream = io.stdin;
    let totalBytes: number | undefined;
    if (input !== '-') {
      totalBytes = fileSize(input);
      stream = createReadStream(input, { highWaterMark: 1 << 20 });
    }
    // Loaded for batches only (worker threads and streams cost start-up time to a single request).
    const { runBatch } = await import('../simulate/batch/index.js');
    await runBatch(stream, io, {
      baseDir,
      lenient,
      explain: has(args, 'explain'),
      format,
      progress: Boolean((io.stderr as NodeJS.WriteStream).isTTY),
      ...(threads !== undefined ? { threads } : {}),
      ...(totalBytes !== undefined ? { totalBytes } : {}),
    });
    return EXIT.OK;
  }
  const text = readText(input);
  const engine = await cli.engine();
  const res = readSimulateInputText(text, { file: input, baseDir: dirname(resolve(input)), lenient, policies: engine.policies, catalog: engine.catalog });
  return emit(io, res, format, !has(args, 'no-explain'), engine);
}

const CUSTOM_FLAGS = new Set([
  'policy-input-list',
  'permissions-boundary-policy-input-list',
  'action-names',
  'resource-arns',
  'resource-policy',
  'resource-owner',
  'caller-arn',
  'context-entries',
  'cli-input-json',
  'resource-handling-option',
  'max-items',
  'starting-token',
  'page-size',
  'session-policy-input-list',
  'service-control-policy-input-list',
  'resource-control-policy-input-list',
  'caller-is-management-account',
  'resource-owner-is-management-account',
  'caller-is-service-linked-role',
  'lenient',
  'explain',
  'format',
  'output',
  'help',
  'no-cli-pager',
  'no-paginate',
  'region',
  'profile',
]);
const CUSTOM_BOOLEANS = new Set([
  'caller-is-management-account',
  'resource-owner-is-management-account',
  'caller-is-service-linked-role',
  'lenient',
  'explain',
  'help',
  'no-cli-pager',
  'no-paginate',
]);

/** AWS CLI semantics: a parameter value `file://path` is replaced by the file's content. */
function cliValue(v: string): string {
  return v.startsWith('file://') ? readText(v.slice('file://'.length)) : v;
}

function jsonArg(name: string, v: string): unknown {
  try {
    return JSON.parse(cliValue(v));
  } catch {
    throw new UsageError(`--${name}: not valid JSON: ${v.length > 60 ? `${v.slice(0, 60)}…` : v}`);
  }
}

/**
 * A list parameter as the AWS CLI reads it: a single value starting with `[`
 * (directly or in a file:// file) is a JSON list; otherwise each token is an item.
 */
function listArg(name: string, values: readonly string[] | undefined): readonly unknown[] | undefined {
  if (values === undefined || values.length !== 1) return values;
  const v = values[0]!;
  const text = v.startsWith('file://') ? cliValue(v) : v;
  if (!text.trimStart().startsWith('[')) return values;
  const parsed = jsonArg(name, text);
  if (!Array.isArray(parsed)) throw new UsageError(`--${name}: a JSON value must be a list`);
  return parsed;
}

function contextEntries(values: readonly string[]): unknown[] {
  const out: unknown[] = [];
  for (const v0 of values) {
    const v = cliValue(v0).trim();
    if (v.startsWith('[') || v.startsWith('{')) {
      const parsed = jsonArg('context-entries', v);
      out.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      continue;
    }
    const sh = parseShorthand(v);
    const values = sh['ContextKeyValues'];
    out.push({ ...sh, ContextKeyValues: values === undefined ? [] : Array.isArray(values) ? values : [values] });
  }
  return out;
}

export function customPolicyRequest(args: ParsedArgs): Record<string, unknown> {
  const base = has(args, 'cli-input-json') ? jsonArg('cli-input-json', flag(args, 'cli-input-json') ?? '') : {};
  if (base === null || typeof base !== 'object' || Array.isArray(base)) throw new UsageError('--cli-input-json must be a JSON object');
  const req: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  // Policy documents keep their file:// form: the reader resolves it and cites the file in results.
  const list = (name: string): readonly unknown[] | undefined => listArg(name, args.flags.get(name));
  const set = (field: string, v: unknown): void => {
    if (v !== undefined) req[field] = v;
  };
  set('PolicyInputList', list('policy-input-list'));
  set('PermissionsBoundaryPolicyInputList', list('permissions-boundary-policy-input-list'));
  set('SessionPolicyInputList', list('session-policy-input-list'));
  set('ActionNames', list('action-names'));
  set('ResourceArns', list('resource-arns'));
  const rp = flag(args, 'resource-policy');
  set('ResourcePolicy', rp);
  set('ResourceOwner', flag(args, 'resource-owner'));
  set('CallerArn', flag(args, 'caller-arn'));
  const ce = args.flags.get('context-entries');
  set('ContextEntries', ce === undefined ? undefined : contextEntries(ce));
  const scp = flag(args, 'service-control-policy-input-list');
  set('ServiceControlPolicyInputList', scp === undefined ? undefined : jsonArg('service-control-policy-input-list', scp));
  const rcp = flag(args, 'resource-control-policy-input-list');
  set('ResourceControlPolicyInputList', rcp === undefined ? undefined : jsonArg('resource-control-policy-input-list', rcp));
  const maxItems = flag(args, 'max-items');
  if (maxItems !== undefined) req['MaxItems'] = /^\d+$/.test(maxItems) ? Number(maxItems) : maxItems;
  set('Marker', flag(args, 'starting-token'));
  set('ResourceHandlingOption', flag(args, 'resource-handling-option'));
  if (has(args, 'caller-is-management-account')) req['CallerIsManagementAccount'] = true;
  if (has(args, 'resource-owner-is-management-account')) req['ResourceOwnerIsManagementAccount'] = true;
  if (has(args, 'caller-is-service-linked-role')) req['CallerIsServiceLinkedRole'] = true;
  return req;
}

/**
 * Reads a request assembled from AWS CLI flags; input errors name the flag
 * they came from (e.g. `--action-names[0]`) instead of a file position.
 */
export function readCommandLineRequest(args: ParsedArgs, req: Record<string, unknown>, engine: Iamsim): InputResult {
  // Like the AWS CLI, every page is fetched unless --max-items (or MaxItems) asks for one page.
  const allPages = req['MaxItems'] === undefined;
  const read = readSimulateInputValue(req, { baseDir: process.cwd(), lenient: has(args, 'lenient'), policies: engine.policies, catalog: engine.catalog });
  const res =
    allPages && read.request !== undefined
      ? { ...read, request: { ...read.request, paging: { ...read.request.paging, maxItems: Number.MAX_SAFE_INTEGER } } }
      : read;
  const flagName = (field: string | number | undefined): string =>
    typeof field === 'string' ? `--${field.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}` : 'input';
  const diagnostics = res.diagnostics.map((d) =>
    d.file === undefined && d.code === 'INVALID_INPUT' ? { ...d, file: `${flagName(d.path[0])}${d.path.length > 1 ? `[${String(d.path[1])}]` : ''}` } : d,
  );
  return { ...res, diagnostics };
}

export async function simulateCustomPolicyCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  const args = parseArgs(argv, CUSTOM_BOOLEANS);
  if (has(args, 'help')) {
    io.stdout.write(SIMULATE_CUSTOM_HELP);
    return EXIT.OK;
  }
  checkKnown(args, CUSTOM_FLAGS, 'simulate-custom-policy');
  const format = formatOption(args);
  const engine = await cli.engine();
  return emit(io, readCommandLineRequest(args, customPolicyRequest(args), engine), format, has(args, 'explain'), engine, true);
}
