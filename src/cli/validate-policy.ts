/**
 * `iamsim validate-policy`: the AWS CLI's `aws accessanalyzer validate-policy`
 * with `aws accessanalyzer` replaced by `iamsim`, answered offline by the
 * linter through analyze/validatePolicy (the function `iamsim serve` uses for
 * POST /policy/validation). JSON output is what the AWS CLI prints.
 */
import { findingRank, isFindingType, type FindingType } from '../analyze/finding.js';
import { AA_POLICY_TYPES, AA_VALIDATE_RESOURCE_TYPES, isAaPolicyType, validatePolicy, type ValidatePolicyFinding } from '../analyze/validate-policy.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import { EXIT, guarded, readText, type Io } from './io.js';

export const VALIDATE_POLICY_HELP = `Usage: iamsim validate-policy --policy-document DOC --policy-type TYPE [options]

The AWS CLI's 'aws accessanalyzer validate-policy' with 'aws accessanalyzer' replaced by 'iamsim',
decided offline by iamsim's linter (issue codes as Access Analyzer's where it has the same check).

AWS options:
  --policy-document DOC                 JSON text or file://path
  --policy-type TYPE                    ${AA_POLICY_TYPES.join(' | ')}
  --validate-policy-resource-type TYPE  ${AA_VALIDATE_RESOURCE_TYPES.join(' | ')}
                                        (RESOURCE_POLICY only; AWS::IAM::AssumeRolePolicyDocument checks a trust policy)
  --locale, --max-items, --starting-token, --page-size, --cli-input-json (accepted; --cli-input-json read)
iamsim extensions:
  --format json|text (also --output)    json (default) is exactly what the AWS CLI prints
  --lenient                             accept comments and trailing commas (one SUGGESTION instead of an ERROR)
  --fail-on TYPE                        exit 1 when a finding of TYPE or more severe exists
Exit codes: 0 validated (and nothing at or above --fail-on), 1 findings at or above --fail-on, 2 bad input.
`;

const FLAGS = new Set([
  'policy-document',
  'policy-type',
  'validate-policy-resource-type',
  'locale',
  'max-items',
  'starting-token',
  'page-size',
  'cli-input-json',
  'format',
  'output',
  'lenient',
  'fail-on',
  'help',
  'no-cli-pager',
  'no-paginate',
  'region',
  'profile',
]);
const BOOLEANS = new Set(['lenient', 'help', 'no-cli-pager', 'no-paginate']);

function cliValue(v: string): string {
  return v.startsWith('file://') ? readText(v.slice('file://'.length)) : v;
}

function textOf(findings: readonly ValidatePolicyFinding[]): string {
  if (findings.length === 0) return 'No findings.\n';
  return findings
    .map((f) => {
      const s = f.locations[0]?.span.start;
      return `${s ? `${s.line}:${s.column + 1}` : '-'} ${f.findingType} ${f.issueCode}: ${f.findingDetails}\n`;
    })
    .join('');
}

export async function validatePolicyCommand(argv: readonly string[], io: Io): Promise<number> {
  return guarded('validate-policy', io, () => {
    const args = parseArgs(argv, BOOLEANS);
    if (has(args, 'help')) {
      io.stdout.write(VALIDATE_POLICY_HELP);
      return EXIT.OK;
    }
    checkKnown(args, FLAGS, 'validate-policy');
    const input = flag(args, 'cli-input-json');
    let base: Record<string, unknown> = {};
    if (input !== undefined) {
      try {
        base = JSON.parse(cliValue(input)) as Record<string, unknown>;
      } catch {
        throw new UsageError('--cli-input-json: not valid JSON');
      }
    }
    const doc = flag(args, 'policy-document') ?? (typeof base['policyDocument'] === 'string' ? base['policyDocument'] : undefined);
    if (doc === undefined) throw new UsageError('--policy-document is required (JSON text or file://path)');
    const type = flag(args, 'policy-type') ?? base['policyType'];
    if (!isAaPolicyType(type)) throw new UsageError(`--policy-type must be one of ${AA_POLICY_TYPES.join(', ')}`);
    const resourceType =
      flag(args, 'validate-policy-resource-type') ?? (typeof base['validatePolicyResourceType'] === 'string' ? base['validatePolicyResourceType'] : undefined);
    if (resourceType !== undefined && !(AA_VALIDATE_RESOURCE_TYPES as readonly string[]).includes(resourceType)) {
      throw new UsageError(`--validate-policy-resource-type must be one of ${AA_VALIDATE_RESOURCE_TYPES.join(', ')}`);
    }
    const format = flag(args, 'format') ?? flag(args, 'output') ?? 'json';
    if (format !== 'json' && format !== 'text') throw new UsageError(`--format must be json or text, not ${JSON.stringify(format)}`);
    const failOn = flag(args, 'fail-on');
    if (failOn !== undefined && !isFindingType(failOn)) throw new UsageError('--fail-on must be ERROR, SECURITY_WARNING, WARNING or SUGGESTION');
    const res = validatePolicy({
      policyDocument: cliValue(doc),
      policyType: type,
      lenient: has(args, 'lenient'),
      ...(resourceType !== undefined ? { validatePolicyResourceType: resourceType } : {}),
    });
    io.stdout.write(format === 'text' ? textOf(res.findings) : `${JSON.stringify({ findings: res.findings }, null, 4)}\n`);
    const limit = failOn === undefined ? undefined : findingRank(failOn as FindingType);
    return limit !== undefined && res.findings.some((f) => findingRank(f.findingType) >= limit) ? EXIT.DENIED : EXIT.OK;
  });
}
