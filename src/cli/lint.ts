/** `iamsim lint FILE…`: Access Analyzer-style policy checks, offline. */
import type { Catalog } from '../catalog/catalog-object.js';
import { cliContext, type CliContext } from './context.js';
import { existsSync, readFileSync } from 'node:fs';
import { packageVersion } from '../package.js';
import { dirname, relative, resolve } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { ParseError } from 'jsonc-parser';
import { findingRank, isFindingType } from '../analyze/finding.js';
import type { Finding, FindingType } from '../analyze/finding.js';
import { inferDocumentType, lintPolicies, lintPolicy } from '../analyze/lint.js';
import { lintModel, modelDocuments } from '../analyze/model-lint.js';
import { applySuppressions, readSuppressionConfig } from '../analyze/suppress.js';
import type { Suppression } from '../analyze/suppress.js';
import { toSarif } from '../analyze/sarif.js';
import { POLICY_TYPES } from '../policy/model.js';
import type { PolicyType } from '../policy/model.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import type { ParsedArgs } from './args.js';
import { loadModel } from './account.js';
import { EXIT, guarded, readAll, readText, type Io } from './io.js';

export const LINT_HELP = `Usage: iamsim lint FILE… [options]
       iamsim lint (--account FILE… | --db DB) [options]

Checks IAM policy documents the way IAM Access Analyzer's policy validation does, offline:
grammar, unknown actions and condition keys, actions that none of the listed resources
fit, condition logic, iam:PassRole, broad wildcards, redundancy, privilege escalation.
Every issue code has a page under docs/lint/<CODE>.md. Use - as FILE to read standard input.

Options:
  --policy-type TYPE     ${POLICY_TYPES.join('|')} (default: read from each
                         document — a Principal makes it a resource-based policy,
                         a trust policy when it grants only sts:AssumeRole*, an RCP
                         when it has an RCP's shape; none makes it identity — and
                         said on standard error, or in "policyTypes" with --format json)
  --lenient              accept documentation-style JSON (comments, trailing commas)
  --principal            the FILEs are the identity-based policies of one principal:
                         also check privilege escalation across them
  --account FILE…        lint every policy of an account model read from files (what
                         'iamsim account import' reads) with its real type — identity,
                         boundary, trust, resource, VPC endpoint, SCP, RCP — and each user's
                         and role's policies together; findings name the policy they are in
  --db DB                the same for a model imported with 'iamsim account import'
  --include-aws-managed  with --account/--db: lint AWS managed policies too
  --format FMT           text|json|sarif (default text)
  --fail-on TYPE         ERROR|SECURITY_WARNING|WARNING|SUGGESTION: exit 1 when a finding
                         of this type or a more severe one remains (default ERROR)
  --config FILE          suppressions (default .iamsim-lint.json in the current folder):
                         {"suppress":[{"issueCode":"…","file":"glob","path":"Statement[3]"}]}
  --help                 this text
Text output: file:line:column: FINDING_TYPE ISSUE_CODE message [policy, with --account/--db]
Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad input.
`;

const KNOWN = new Set(['policy-type', 'lenient', 'principal', 'format', 'fail-on', 'config', 'help', 'account', 'db', 'include-aws-managed']);
const BOOLEAN = new Set(['lenient', 'principal', 'help', 'include-aws-managed']);
const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface LoadedConfig {
  readonly suppress: readonly Suppression[];
  readonly dir: string;
}

function loadConfig(explicit: string | undefined): LoadedConfig {
  const path = explicit ?? resolve('.iamsim-lint.json');
  if (explicit === undefined && !existsSync(path)) return { suppress: [], dir: process.cwd() };
  const text = readText(path);
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) throw new UsageError(`${path}: not valid JSON`);
  const { config, errors: problems } = readSuppressionConfig(value);
  if (!config) throw new UsageError(`${path}: ${problems.join('; ')}`);
  return { suppress: config.suppress, dir: dirname(resolve(path)) };
}

function policyType(value: string | undefined): PolicyType | undefined {
  if (value === undefined) return undefined;
  const type = value;
  if (!(POLICY_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`--policy-type must be one of ${POLICY_TYPES.join(', ')}, not ${JSON.stringify(type)}`);
  }
  return type as PolicyType;
}

/** One line per finding; identical lines (adjacent, as findings are sorted) are printed once with their count. */
function formatText(findings: readonly Finding[]): string {
  const lines = findings.map(
    (f) =>
      `${f.file ?? '<input>'}:${f.span.start.line}:${f.span.start.column}: ${f.findingType} ${f.issueCode} ${f.message}${f.policy !== undefined && f.policy !== f.file ? ` [${f.policy}]` : ''}`,
  );
  let out = '';
  for (let i = 0; i < lines.length; ) {
    let j = i + 1;
    while (j < lines.length && lines[j] === lines[i]) j++;
    out += `${lines[i]}${j - i > 1 ? ` (${j - i} identical findings)` : ''}\n`;
    i = j;
  }
  return out;
}

function summary(findings: readonly Finding[]): Record<FindingType, number> {
  const counts: Record<FindingType, number> = { ERROR: 0, SECURITY_WARNING: 0, WARNING: 0, SUGGESTION: 0 };
  for (const f of findings) counts[f.findingType]++;
  return counts;
}

function toolVersion(): string | undefined {
  try {
    return packageVersion();
  } catch {
    return undefined;
  }
}

/**
 * Every lint option takes at most one value, so tokens after it are files:
 * `iamsim lint --format sarif a.json b.json` lints a.json and b.json.
 */
function splitExtraValues(args: ParsedArgs): ParsedArgs {
  const positionals = [...args.positionals];
  const flags = new Map<string, readonly string[]>();
  for (const [name, values] of args.flags) {
    if (name === 'account') {
      flags.set(name, values);
      continue;
    }
    flags.set(name, values.slice(0, 1));
    positionals.push(...values.slice(1));
  }
  return { positionals, flags };
}

export async function lintCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded('lint', io, () => run(argv, io, cli));
}

async function run(argv: readonly string[], io: Io, cli: CliContext): Promise<number> {
  const args = splitExtraValues(parseArgs(argv, BOOLEAN));
  checkKnown(args, KNOWN, 'lint');
  if (has(args, 'help')) {
    io.stdout.write(LINT_HELP);
    return EXIT.OK;
  }
  const type = policyType(flag(args, 'policy-type'));
  const format = (flag(args, 'format') ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be text, json or sarif, not ${JSON.stringify(format)}`);
  const failOnName = flag(args, 'fail-on') ?? 'ERROR';
  if (!isFindingType(failOnName)) throw new UsageError(`--fail-on must be ERROR, SECURITY_WARNING, WARNING or SUGGESTION, not ${JSON.stringify(failOnName)}`);
  const failOn: FindingType = failOnName;
  const lenient = has(args, 'lenient');
  const fromModel = has(args, 'account') || has(args, 'db');
  if (fromModel && args.positionals.length > 0) throw new UsageError('give policy FILEs or --account/--db, not both');
  if (!fromModel && args.positionals.length === 0) throw new UsageError("no policy files given (see 'iamsim lint --help')");
  const config = loadConfig(flag(args, 'config'));
  // This run's catalog: every file and principal asks the same one.
  const { catalog } = await cli.engine();

  let findings: Finding[];
  let inputs: number;
  let assumed: AssumedType[] = [];
  if (fromModel) {
    const model = await lintAccountModel(args, io, lenient, catalog);
    if (model === undefined) return EXIT.BAD_INPUT;
    ({ findings, inputs } = model);
  } else {
    const docs: { name: string; text: string }[] = [];
    for (const file of args.positionals) {
      docs.push({ name: file === '-' ? '<stdin>' : file, text: file === '-' ? await readAll(io.stdin) : readText(file) });
    }
    inputs = docs.length;
    // --principal: the files are one principal's identity-based policies.
    const typed = docs.map((d) => ({ ...d, ...typeOf(d.text, has(args, 'principal') ? (type ?? 'identity') : type) }));
    assumed = typed.filter((d) => d.assumed).map((d) => ({ file: d.name, type: d.type, reason: d.reason }));
    findings = has(args, 'principal')
      ? lintPolicies(
          typed.map((d) => ({ name: d.name, text: d.text, type: d.type })),
          { lenient, catalog },
        )
      : typed.flatMap((d) => lintPolicy(d.text, { type: d.type, file: d.name, lenient, catalog }));
  }
  const keys = (file: string): string[] => {
    const abs = resolve(file);
    return [file, relative(config.dir, abs).replaceAll('\\', '/'), relative(process.cwd(), abs).replaceAll('\\', '/')];
  };
  findings = applySuppressions(findings, config.suppress, keys);

  if (format === 'json') {
    const policyTypes =
      assumed.length > 0 ? { policyTypes: Object.fromEntries(assumed.map((a) => [a.file, { type: a.type, assumed: true, reason: a.reason }])) } : {};
    io.stdout.write(`${JSON.stringify({ findings, summary: summary(findings), ...policyTypes }, null, 2)}\n`);
  } else if (format === 'sarif') {
    const version = toolVersion();
    io.stdout.write(`${JSON.stringify(toSarif(findings, version !== undefined ? { toolVersion: version } : {}), null, 2)}\n`);
  } else {
    io.stderr.write(assumedTypesText(assumed));
    io.stdout.write(formatText(findings));
    const counts = summary(findings);
    const parts = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${n} ${t}`);
    io.stderr.write(
      `${findings.length === 0 ? 'no findings' : `${findings.length} finding${findings.length > 1 ? 's' : ''}: ${parts.join(', ')}`} in ${inputs} ${fromModel ? 'polic' : 'file'}${fromModel ? (inputs === 1 ? 'y' : 'ies') : inputs > 1 ? 's' : ''}\n`,
    );
  }
  return findings.some((f) => findingRank(f.findingType) >= findingRank(failOn)) ? 1 : EXIT.OK;
}

interface AssumedType {
  readonly file: string;
  readonly type: PolicyType;
  readonly reason: string;
}

/** The given --policy-type, or the type the document's shape implies. */
function typeOf(text: string, given: PolicyType | undefined): { type: PolicyType; assumed: boolean; reason: string } {
  if (given !== undefined) return { type: given, assumed: false, reason: '--policy-type' };
  return { ...inferDocumentType(text), assumed: true };
}

const TYPE_NAMES: Readonly<Record<PolicyType, string>> = {
  identity: 'an identity-based policy',
  resource: 'a resource-based policy',
  trust: 'a role trust policy',
  boundary: 'a permissions boundary',
  session: 'a session policy',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  'vpc-endpoint': 'a VPC endpoint policy',
};

/**
 * One line per file whose type was read from its shape and is not identity, then one line for the
 * identity ones: what each was linted as and why.
 */
function assumedTypesText(assumed: readonly AssumedType[]): string {
  let out = '';
  for (const a of assumed.filter((x) => x.type !== 'identity')) out += `${a.file}: linted as ${TYPE_NAMES[a.type]} (${a.reason}); --policy-type to choose\n`;
  const identity = assumed.filter((x) => x.type === 'identity');
  if (identity.length > 0 && identity.length < assumed.length) {
    out += `${identity.length === 1 ? identity[0]!.file : `${identity.length} other files`}: linted as identity-based (no statement names a Principal; --policy-type scp|rcp|boundary|session to choose)\n`;
  }
  return out;
}

/** `--account FILE…` / `--db DB`: every policy of the model; undefined after reporting bad input. */
async function lintAccountModel(args: ParsedArgs, io: Io, lenient: boolean, catalog: Catalog): Promise<{ findings: Finding[]; inputs: number } | undefined> {
  const universe = await loadModel(args, io);
  if (universe === undefined) return undefined;
  const includeAwsManaged = has(args, 'include-aws-managed');
  const texts = new Map<string, string | undefined>();
  const readFile = (file: string): string | undefined => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(file, 'utf8'));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  const progress = Boolean((io.stderr as NodeJS.WriteStream).isTTY);
  const findings = lintModel(universe, {
    lenient,
    catalog,
    includeAwsManaged,
    readFile,
    ...(progress
      ? {
          onPrincipal: (done: number, total: number) => {
            if (done % 100 === 0 || done === total) io.stderr.write(`\rprincipals ${done}/${total}${done === total ? '\n' : ''}`);
          },
        }
      : {}),
  });
  return { findings, inputs: modelDocuments(universe, { includeAwsManaged }).length };
}
