/**
 * `iamsim check-no-new-access`, `check-access-not-granted`,
 * `check-no-public-access`: the AWS CLI's `aws accessanalyzer …` commands
 * with the prefix replaced, decided offline by src/reason. Thin shells:
 * argument reading, output, exit codes.
 */
import { NamedDocument, ReasonInputError, type CheckOptions, type PolicyDocument } from '../reason/input.js';
import { checkAccessNotGranted, checkNoNewAccess, type CheckResult } from '../reason/checks.js';
import { checkNoPublicAccess } from '../reason/public.js';
import { checkKnown, flag, formatOption, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { guarded, readText, type Io } from './io.js';
import { cliContext, type CliContext } from './context.js';
import type { ReasonContext } from '../reason/checks.js';

/** Exit codes of the checks, compare and discover (docs/reason.md); 3 is an internal error, as for every command. */
export const CHECK_EXIT = { PASS: 0, FAIL: 1, BAD_INPUT: 2, INTERNAL: 3, UNKNOWN: 4 } as const;

const COMMON = ['format', 'output', 'help', 'no-cli-pager', 'region', 'profile', 'cli-input-json', 'lenient', 'resource-types'];
const BOOLEANS = new Set(['help', 'no-cli-pager', 'lenient']);

const FOOTER = `Every document takes inline JSON or file://path; --cli-input-json JSON|file://path takes the
request in AWS's field names (policyDocument, policyType, access, ...). --format json|text (also --output).
--lenient accepts comments and trailing commas in policy documents (with a warning; IAM rejects them).
--resource-types any: every action on any resource, as AWS's checks answer (by default iamsim
restricts each action to the resource types it acts on; docs/reason.md "Differences from AWS").
Exit codes: 0 PASS, 1 FAIL, 2 bad input, 3 internal error, 4 UNKNOWN (the reason is printed). A FAIL
carries a "counterexample": a request in 'iamsim simulate' input shape that the evaluator confirmed.
See docs/reason.md.
`;

export const NO_NEW_ACCESS_HELP = `Usage: iamsim check-no-new-access --existing-policy-document DOC --new-policy-document DOC --policy-type IDENTITY_POLICY|RESOURCE_POLICY

Does the new policy allow any request the existing one does not? ('aws accessanalyzer check-no-new-access', offline.)
${FOOTER}`;

export const ACCESS_NOT_GRANTED_HELP = `Usage: iamsim check-access-not-granted --policy-document DOC --access JSON|file://path --policy-type IDENTITY_POLICY|RESOURCE_POLICY

Does the policy allow any of the listed access? --access is a list of {"actions": [...], "resources": [...]}
(actions only: on any resource; resources only: any action; both: any listed action on any listed
resource; at most 100 actions and 100 resources). Shorthand: actions=a,b,resources=arn1,arn2.
${FOOTER}`;

export const NO_PUBLIC_ACCESS_HELP = `Usage: iamsim check-no-public-access --policy-document DOC --resource-type AWS::S3::Bucket|…

Can the resource policy grant access to the public (anyone, or any account)? Resource types are
AWS's 26 (run with --resource-type help to list them).
${FOOTER}`;

/**
 * AWS CLI `--cli-input-json` (inline or file://): the request's fields in AWS's names
 * (policyDocument, existingPolicyDocument, newPolicyDocument, policyType, access, resourceType);
 * explicit flags win.
 */
function cliInput(args: ParsedArgs): Record<string, unknown> {
  const v = flag(args, 'cli-input-json');
  if (v === undefined) return {};
  const text = v.startsWith('file://') ? readText(v.slice('file://'.length)) : v;
  try {
    const obj: unknown = JSON.parse(text);
    if (typeof obj === 'object' && obj !== null && !Array.isArray(obj)) return obj as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ReasonInputError('--cli-input-json: expected a JSON object with the request fields');
}

const CAMEL: Readonly<Record<string, string>> = {
  'policy-document': 'policyDocument',
  'existing-policy-document': 'existingPolicyDocument',
  'new-policy-document': 'newPolicyDocument',
  'policy-type': 'policyType',
  'resource-type': 'resourceType',
  access: 'access',
};

function fromInput(args: ParsedArgs, name: string): unknown {
  return cliInput(args)[CAMEL[name] ?? name];
}

/** A document flag: inline JSON or file://path (named by its path in messages). */
export function documentFlag(args: ParsedArgs, name: string): PolicyDocument {
  const v = flag(args, name);
  if (v === undefined) {
    const given = fromInput(args, name);
    if (typeof given === 'string') return new NamedDocument(given, `--cli-input-json ${CAMEL[name] ?? name}`);
    throw new UsageError(`--${name} is required`);
  }
  if (v.startsWith('file://')) {
    const path = v.slice('file://'.length);
    return new NamedDocument(readText(path), path);
  }
  return new NamedDocument(v, `--${name}`);
}

function required(args: ParsedArgs, name: string): string {
  const v = flag(args, name);
  if (v !== undefined) return v;
  const given = fromInput(args, name);
  if (typeof given === 'string') return given;
  throw new UsageError(`--${name} is required`);
}

/** `--access`: one or more items (JSON lists or shorthand), or `access` in --cli-input-json. */
function accessFlag(args: ParsedArgs): unknown {
  const values = args.flags.get('access');
  if (values === undefined || values.length === 0) {
    const given = fromInput(args, 'access');
    if (given !== undefined) return given;
    throw new UsageError('--access is required');
  }
  return values.flatMap((v) => readAccess(v) as unknown[]);
}

/** `--lenient` and `--resource-types restricted|any` (shared by the checks and compare). */
export function checkOptions(args: ParsedArgs): CheckOptions {
  const rt = flag(args, 'resource-types');
  if (rt !== undefined && rt !== 'restricted' && rt !== 'any') throw new UsageError(`--resource-types: expected restricted or any, got ${JSON.stringify(rt)}`);
  return { lenient: args.flags.has('lenient'), ...(rt !== undefined ? { resourceTypes: rt } : {}) };
}

function label(k: string): string {
  return `  ${k.padEnd(10)}`;
}

/** The text form of a check result. */
export function formatCheckText(r: CheckResult): string {
  const lines = [`${r.result}: ${r.message}`];
  for (const reason of r.reasons) {
    const sid = reason.statementId !== undefined ? ` (Sid ${JSON.stringify(reason.statementId)})` : '';
    lines.push(`  statement #${reason.statementIndex + 1}${sid}: ${reason.description}`);
  }
  for (const u of r.unknownReasons ?? []) lines.push(`  not decided: ${u}`);
  const c = r.counterexample;
  if (c !== undefined) {
    lines.push('Counterexample (confirmed by the evaluator):');
    if (c.CallerArn !== undefined) lines.push(`${label('caller')}${c.CallerArn}`);
    lines.push(`${label('action')}${c.ActionNames.join(', ')}`, `${label('resource')}${c.ResourceArns.join(', ')}`);
    if (c.ResourceOwner !== undefined) {
      const same = c.CallerArn?.includes(`::${c.ResourceOwner}:`) === true;
      const iam = c.CallerArn?.startsWith('arn:') === true && /::\d{12}:/.test(c.CallerArn);
      const note = same
        ? 'same account: the resource policy alone decides'
        : iam
          ? "the caller's identity policies allow everything"
          : 'the caller has no identity policies';
      lines.push(`${label('owner')}${c.ResourceOwner} (${note})`);
    }
    for (const e of c.ContextEntries)
      lines.push(`${label('context')}${e.ContextKeyName} (${e.ContextKeyType}) = ${e.ContextKeyValues.map((v) => JSON.stringify(v)).join(', ')}`);
    if (c.ContextEntries.length === 0) lines.push(`${label('context')}(none)`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeCheck(io: Io, r: CheckResult, format: 'json' | 'text'): number {
  if (format === 'text') for (const w of r.warnings ?? []) io.stderr.write(`${w}\n`);
  io.stdout.write(format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : formatCheckText(r));
  return CHECK_EXIT[r.result];
}

/** Runs a check body; input errors print one line per problem and exit 2. */
export async function runCheck(
  command: string,
  argv: readonly string[],
  io: Io,
  help: string,
  flags: readonly string[],
  body: (a: ParsedArgs, ctx: ReasonContext) => Promise<CheckResult>,
  cli: CliContext = cliContext(),
): Promise<number> {
  const args = parseArgs(argv, BOOLEANS);
  if (args.flags.has('help')) {
    io.stdout.write(help);
    return CHECK_EXIT.PASS;
  }
  return guarded(
    command,
    io,
    async () => {
      checkKnown(args, new Set([...flags, ...COMMON]), command);
      const format = formatOption(args);
      return writeCheck(io, await body(args, await (await cli.engine()).reasoning()), format);
    },
    [ReasonInputError],
  );
}

export function checkNoNewAccessCommand(argv: readonly string[], io: Io, cli?: CliContext): Promise<number> {
  return runCheck(
    'check-no-new-access',
    argv,
    io,
    NO_NEW_ACCESS_HELP,
    ['existing-policy-document', 'new-policy-document', 'policy-type'],
    (a, ctx) =>
      checkNoNewAccess(
        {
          existingPolicyDocument: documentFlag(a, 'existing-policy-document'),
          newPolicyDocument: documentFlag(a, 'new-policy-document'),
          policyType: required(a, 'policy-type'),
          ...checkOptions(a),
        },
        ctx,
      ),
    cli,
  );
}

/** `--access`: JSON (inline or file://) or the AWS CLI shorthand `actions=a,b,resources=r1,r2`. */
export function readAccess(value: string): unknown {
  const text = value.startsWith('file://') ? readText(value.slice('file://'.length)) : value;
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(trimmed);
      return Array.isArray(v) ? v : [v];
    } catch (err) {
      throw new ReasonInputError(`--access: not valid JSON (${(err as Error).message})`);
    }
  }
  const item: { actions?: string[]; resources?: string[] } = {};
  let current: string[] | undefined;
  for (const part of trimmed.split(',')) {
    const m = /^(actions|resources)=(.*)$/.exec(part);
    if (m) {
      current = [];
      item[m[1] as 'actions' | 'resources'] = current;
      if (m[2] !== '') current.push(m[2]!);
    } else if (current !== undefined && part !== '') current.push(part);
    else throw new ReasonInputError(`--access: cannot read ${JSON.stringify(part)} (use JSON or actions=a,b,resources=r1,r2)`);
  }
  return [item];
}

export function checkAccessNotGrantedCommand(argv: readonly string[], io: Io, cli?: CliContext): Promise<number> {
  return runCheck(
    'check-access-not-granted',
    argv,
    io,
    ACCESS_NOT_GRANTED_HELP,
    ['policy-document', 'access', 'policy-type'],
    (a, ctx) =>
      checkAccessNotGranted(
        { policyDocument: documentFlag(a, 'policy-document'), access: accessFlag(a) as never, policyType: required(a, 'policy-type'), ...checkOptions(a) },
        ctx,
      ),
    cli,
  );
}

export function checkNoPublicAccessCommand(argv: readonly string[], io: Io, cli?: CliContext): Promise<number> {
  return runCheck(
    'check-no-public-access',
    argv,
    io,
    NO_PUBLIC_ACCESS_HELP,
    ['policy-document', 'resource-type'],
    (a, ctx) =>
      checkNoPublicAccess({ policyDocument: documentFlag(a, 'policy-document'), resourceType: required(a, 'resource-type'), ...checkOptions(a) }, ctx),
    cli,
  );
}
