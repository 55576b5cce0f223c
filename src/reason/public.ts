/**
 * CheckNoPublicAccess. A resource policy grants public access when a caller
 * outside every account the policy names — an anonymous caller, or any
 * principal of another account — can be allowed. Such a caller cannot take
 * the values of the keys that identify it or the network and service path it
 * comes through (IAM User Guide, access-analyzer-concepts.html "How IAM
 * Access Analyzer findings work" and access-analyzer-reference-filter-keys.html,
 * the condition.* keys): for those keys its request carries values the policy
 * does not name (or none). Every other key and the resource are the caller's
 * choice. Resource types: the 26 of the CheckNoPublicAccess API reference.
 */
import { compilePolicy, type CompiledPolicy } from '../eval/compile.js';
import { newReasonContext, resourceTypesOption, resultOf, setOf, withWarnings, type CheckResult, type ReasonContext } from './checks.js';
import { ReasonInputError, readPolicy, type CheckOptions, type PolicyDocument } from './input.js';
import { runQuery } from './run.js';
import { FEDERATION_KEYS } from './federation.js';
import type { ValueMode } from './values.js';

/** AWS's resource types (API_CheckNoPublicAccess, resourceType) and the service prefixes whose actions they take. */
export const PUBLIC_RESOURCE_TYPES: Readonly<Record<string, readonly string[]>> = {
  'AWS::DynamoDB::Table': ['dynamodb'],
  'AWS::DynamoDB::Stream': ['dynamodb'],
  'AWS::EFS::FileSystem': ['elasticfilesystem'],
  'AWS::OpenSearchService::Domain': ['es'],
  'AWS::Kinesis::Stream': ['kinesis'],
  'AWS::Kinesis::StreamConsumer': ['kinesis'],
  'AWS::KMS::Key': ['kms'],
  'AWS::Lambda::Function': ['lambda'],
  'AWS::S3::Bucket': ['s3'],
  'AWS::S3::AccessPoint': ['s3'],
  'AWS::S3Express::DirectoryBucket': ['s3express'],
  'AWS::S3::Glacier': ['glacier'],
  'AWS::S3Outposts::Bucket': ['s3-outposts'],
  'AWS::S3Outposts::AccessPoint': ['s3-outposts'],
  'AWS::SecretsManager::Secret': ['secretsmanager'],
  'AWS::SNS::Topic': ['sns'],
  'AWS::SQS::Queue': ['sqs'],
  'AWS::IAM::AssumeRolePolicyDocument': ['sts'],
  'AWS::S3Tables::TableBucket': ['s3tables'],
  'AWS::ApiGateway::RestApi': ['execute-api'],
  'AWS::CodeArtifact::Domain': ['codeartifact'],
  'AWS::Backup::BackupVault': ['backup'],
  'AWS::CloudTrail::Dashboard': ['cloudtrail'],
  'AWS::CloudTrail::EventDataStore': ['cloudtrail'],
  'AWS::S3Tables::Table': ['s3tables'],
  'AWS::S3Express::AccessPoint': ['s3express'],
};

/** Keys an outsider cannot set to a value the policy names (the filter-keys page's condition.* keys). */
export const RESTRICTING_KEYS: readonly string[] = [
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:UserId',
  'aws:SourceAccount',
  'aws:SourceArn',
  'aws:SourceOwner',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:SourceVpc',
  'aws:SourceVpce',
  'kms:CallerAccount',
];

export interface NoPublicAccessInput extends CheckOptions {
  readonly policyDocument: PolicyDocument;
  readonly resourceType: string;
}

/** The GitHub Actions subject: decided exactly (an outsider's repositories are under organizations no policy names). */
const GITHUB_SUB = 'token.actions.githubusercontent.com:sub';

function modes(mode: ValueMode): Map<string, ValueMode> {
  const m = new Map<string, ValueMode>([...RESTRICTING_KEYS, ...FEDERATION_KEYS].map((k) => [k.toLowerCase(), mode]));
  m.set(GITHUB_SUB, 'githubSub');
  return m;
}

export async function checkNoPublicAccess(input: NoPublicAccessInput, ctx: ReasonContext = newReasonContext()): Promise<CheckResult> {
  const services = PUBLIC_RESOURCE_TYPES[input.resourceType];
  if (services === undefined) {
    throw new ReasonInputError(
      `--resource-type: ${JSON.stringify(input.resourceType)} is not one of AWS's types: ${Object.keys(PUBLIC_RESOURCE_TYPES).join(', ')}`,
    );
  }
  const warnings: string[] = [];
  const policy = readPublicPolicy(input, warnings);
  const set = setOf('resource', policy);
  const { reasoner, confirmer } = ctx;
  const inService = (lower: string): boolean => services.includes(lower.slice(0, lower.indexOf(':')));
  const groups = reasoner.groups([set], { actionFilter: inService, ...resourceTypesOption(input) });
  const query = (mode: ValueMode) =>
    runQuery(reasoner, {
      groups,
      goal: (p, a) => p.allowed(set, a),
      confirm: (w) => confirmer.allowed(set, w),
      blame: { policies: [policy], statementFormula: (p, st, pol) => p.statement(st, pol, true) },
      options: { keyModes: modes(mode), callers: 'outsiders' },
    });
  const texts = {
    pass: `The policy grants no public access to the ${input.resourceType}.`,
    fail: `The policy grants public access to the ${input.resourceType}.`,
    reason: () => 'This statement grants public access.',
  };
  const strict = query('probe');
  if (strict.witness !== undefined || strict.unknown.length > 0) return withWarnings(resultOf(strict, 'resource', texts), warnings);
  const loose = query('nonLiteral');
  if (loose.witness === undefined) return withWarnings(resultOf(loose, 'resource', texts), warnings);
  const keys = loose.witness.context.filter((cv) => [...RESTRICTING_KEYS, ...FEDERATION_KEYS].some((k) => k.toLowerCase() === cv.key.toLowerCase()));
  return withWarnings(
    {
      result: 'UNKNOWN',
      message: 'Not decided: access needs an identifying key to take a value that only a wildcard pattern admits.',
      reasons: [],
      unknownReasons: [
        `an outsider is allowed when ${keys.map((cv) => `${cv.key} = ${JSON.stringify(cv.values[0])}`).join(' and ')}; whether a partial wildcard on these keys counts as public is not decided`,
      ],
    },
    warnings,
  );
}

/**
 * The policy of a CheckNoPublicAccess request. Access Analyzer takes a
 * resource policy whose statements leave out Resource (its own CLI example
 * does): such a statement applies to the resource the policy is attached to,
 * as in a role trust policy. iamsim reads it so, with a warning (IAM requires
 * Resource in a bucket policy it stores).
 */
function readPublicPolicy(input: NoPublicAccessInput, warnings: string[]): CompiledPolicy {
  const ro = { lenient: input.lenient === true, warnings };
  if (input.resourceType === 'AWS::IAM::AssumeRolePolicyDocument') return readPolicy(input.policyDocument, 'trust', '--policy-document', 'ResourcePolicy', ro);
  try {
    return readPolicy(input.policyDocument, 'resource', '--policy-document', 'ResourcePolicy', ro);
  } catch (err) {
    if (!(err instanceof ReasonInputError) || err.diagnostics.length === 0 || !err.diagnostics.every((d) => d.code === 'MISSING_RESOURCE')) throw err;
    // Read without the Resource requirement, then compiled as the resource policy it is (not a trust policy).
    const read = readPolicy(input.policyDocument, 'trust', '--policy-document', 'ResourcePolicy', ro);
    const policy = compilePolicy({ ...read.policy, type: 'resource' }, 'ResourcePolicy');
    for (const d of err.diagnostics) {
      warnings.push(
        `--policy-document:${d.span?.start.line ?? 1}:${d.span?.start.column ?? 1}: warning MISSING_RESOURCE: a statement without Resource is read as applying to the ${input.resourceType} the policy is attached to (as Access Analyzer does); attaching it requires a Resource element`,
      );
    }
    return policy;
  }
}
