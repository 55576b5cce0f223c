/** `iamsim diff`: a thin shell over src/iac (docs/iac.md). */
import { cliContext, type CliContext } from './context.js';
import { writeFileSync } from 'node:fs';
import { packageVersion } from '../package.js';
import { CATEGORIES, DIFF_INPUT_ERRORS, diffFiles, toJson, toMarkdown, toSarif, toText, type Category } from '../iac/index.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import { loadModel } from './account.js';
import { EXIT, guarded, type Io } from './io.js';

export const DIFF_HELP = `Usage: iamsim diff [BEFORE] AFTER [--account FILE… | --db PATH] [--format text|json|sarif|markdown]
                   [--fail-on new-access|exposure|escalation|preflight[,…]] [--accept FILE] [--account-id ID] [--region R]
                   [--parameters KEY=VALUE…] [--stack-name NAME] [--tf-dir DIR] [--no-audit]

What an infrastructure change grants, decided offline over all requests. BEFORE and AFTER are each a
CloudFormation/SAM template (JSON or YAML), a CDK cloud assembly (cdk.out or its manifest.json), or an
account export or bundle; a Terraform plan (terraform show -json plan.out) holds both sides and is given
alone; a template or assembly alone is compared with nothing (what deploying it grants).

For every principal whose effective policies change (identity policies, groups, boundary, SCPs): new access
(a request the after side allows and the before side does not, confirmed by the evaluator); for every
resource and trust policy that changes: new grants; the audit's new escalation paths and new exposure;
for the notebook workflows the change's SageMaker workloads make apply (iamsim preflight), each workflow
whose verdict changes (passed → fails, or the reverse).
Values known only after apply are never a silent pass: they are decided symbolically or reported UNKNOWN.

  --account FILE…       baseline account files the change is applied to (anything 'iamsim account import' reads)
  --db PATH             a baseline iamsim database (SQLite file or postgres:// URL)
  --format F            text (default), json, sarif, or markdown (a pull-request comment)
  --fail-on C[,C…]      new-access (default: anything new fails, including a workflow that now fails), exposure
                        (exposure or escalation), escalation, preflight (a workflow that now fails); a list is the union
  --accept FILE         accepted access (YAML/JSON: actions + resources per principal or resource); see docs/iac.md
  --account-id ID       the account the change deploys to (default: the baseline's one account, or the plan's)
  --region R            the region (default: the plan's provider region or the assembly's, else us-east-1)
  --parameters K=V…     template parameters (also ParameterKey=K,ParameterValue=V)
  --stack-name NAME     AWS::StackName (default: the template's file name)
  --tf-dir DIR          where the .tf files are, for source lines (default: the plan's folder)
  --no-audit            skip escalation and exposure (new access only)
  --sarif-file FILE     also write the SARIF report to FILE (same run)
  --markdown-file FILE  also write the Markdown comment to FILE (same run)
  --at TIME             decide time conditions at this ISO 8601 time (default: now)

Exit codes: 0 nothing at or above --fail-on (PASS), 1 something new or undecided (FAIL, UNKNOWN), 2 bad input.
`;

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

const LEVELS: Record<string, Category[]> = {
  'new-access': ['new-access', 'exposure', 'escalation', 'preflight'],
  exposure: ['exposure', 'escalation'],
  escalation: ['escalation'],
  preflight: ['preflight'],
};

/** `--fail-on A,B` (or the flag repeated): the union of the levels' categories. */
function failCategories(values: readonly string[]): Category[] {
  const out = new Set<Category>();
  for (const v of values.flatMap((x) => x.split(','))) {
    const level = LEVELS[v.trim()];
    if (!level) throw new UsageError(`--fail-on must be one of ${Object.keys(LEVELS).join(', ')} (or a comma-separated list), not ${JSON.stringify(v)}`);
    for (const c of level) out.add(c);
  }
  return CATEGORIES.filter((c) => out.has(c));
}

function parameters(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const aws = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(item);
    const kv = aws ? [aws[1]!, aws[2]!] : item.includes('=') ? [item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)] : undefined;
    if (!kv || kv[0] === '') throw new UsageError(`--parameters: expected KEY=VALUE, not ${JSON.stringify(item)}`);
    out[kv[0]!] = kv[1]!;
  }
  return out;
}

export async function diffCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded(
    'diff',
    io,
    async () => {
      const args = parseArgs(argv, new Set(['help', 'no-audit']));
      if (has(args, 'help')) {
        io.stdout.write(DIFF_HELP);
        return EXIT.OK;
      }
      const known = [
        'account',
        'db',
        'format',
        'output',
        'fail-on',
        'accept',
        'account-id',
        'region',
        'parameters',
        'stack-name',
        'tf-dir',
        'no-audit',
        'at',
        'help',
        'sarif-file',
        'markdown-file',
      ];
      checkKnown(args, new Set(known), 'diff');
      const pos = args.positionals;
      if (pos.length < 1 || pos.length > 2) throw new UsageError('expected [BEFORE] AFTER (see iamsim diff --help)');
      const format = (flag(args, 'format') ?? flag(args, 'output') ?? 'text') as Format;
      if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${JSON.stringify(format)}`);
      const failOn = failCategories(args.flags.get('fail-on') ?? ['new-access']);
      const accountId = flag(args, 'account-id');
      if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new UsageError(`--account-id must be 12 digits, not ${JSON.stringify(accountId)}`);
      const atText = flag(args, 'at');
      const at = atText !== undefined ? new Date(atText) : new Date();
      if (Number.isNaN(at.getTime())) throw new UsageError(`--at: not an ISO 8601 time: ${JSON.stringify(atText)}`);
      let baseline: Awaited<ReturnType<typeof loadModel>>;
      if (has(args, 'account') || has(args, 'db')) {
        baseline = await loadModel(args, io);
        if (baseline === undefined) return EXIT.BAD_INPUT;
      }
      const region = flag(args, 'region');
      const stackName = flag(args, 'stack-name');
      const tfDir = flag(args, 'tf-dir');
      const accept = flag(args, 'accept');
      const report = await diffFiles({
        ...(pos.length === 2 ? { before: pos[0]! } : {}),
        after: pos[pos.length - 1]!,
        ...(baseline ? { baseline } : {}),
        ...(accountId ? { accountId } : {}),
        ...(region ? { region } : {}),
        ...(stackName ? { stackName } : {}),
        ...(tfDir ? { tfDir } : {}),
        ...(accept ? { acceptFile: accept } : {}),
        parameters: parameters(args.flags.get('parameters') ?? []),
        failOn,
        at,
        noAudit: has(args, 'no-audit'),
        reason: await (await cli.engine()).reasoning(),
      });
      const sarifFile = flag(args, 'sarif-file');
      const markdownFile = flag(args, 'markdown-file');
      if (sarifFile) writeFileSync(sarifFile, `${JSON.stringify(toSarif(report, packageVersion()), null, 2)}\n`);
      if (markdownFile) writeFileSync(markdownFile, toMarkdown(report));
      const text =
        format === 'json'
          ? `${JSON.stringify(toJson(report), null, 2)}\n`
          : format === 'sarif'
            ? `${JSON.stringify(toSarif(report, packageVersion()), null, 2)}\n`
            : format === 'markdown'
              ? toMarkdown(report)
              : toText(report);
      io.stdout.write(text);
      return report.result === 'PASS' ? EXIT.OK : EXIT.DENIED;
    },
    [...DIFF_INPUT_ERRORS],
  );
}
