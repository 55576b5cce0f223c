/**
 * The MLSpace governed notebook policy (seed 004, "Notebook Policy") built
 * from installation parameters, with the seed's mistakes corrected:
 *  - statement 6 allowed sagemaker:CreateEndpoint on endpoint-config/*: here
 *    CreateEndpointConfig, tag-conditioned like CreateEndpoint;
 *  - statement 9 tested aws:RequestTag/* on Describe/Delete/Invoke calls,
 *    which carry no request tags: here aws:ResourceTag/* on the resource;
 *  - statements 12 and 13 ANDed their conditions in one Deny, which then
 *    fires only when EVERY tag is missing: here one Deny per condition, so a
 *    single missing tag (or a wrong system tag) is enough (IAM User Guide:
 *    condition block evaluation, AND across keys and operators);
 *  - statement 14 allowed Bedrock actions on SageMaker ARNs only while tags
 *    were ABSENT (Null "true") and listed bedrock:Retrieve* twice: see bedrock.ts;
 *  - the seed was documentation-style JSON (comments, trailing commas).
 */
import { getAction } from '../catalog/catalog.js';
import { kmsKeyArn, partitionForRegion, wildcardArn, wildcardArnsForAction, type ArnScope } from './arn.js';
import { bedrockStatements } from './bedrock.js';
import { finishStatements, packDocuments, type ConditionMap, type GenStatement, type PolicyDocument } from './policy-doc.js';
import { ACCOUNT_RE, REGION_RE, type SourceDoc } from './source.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface MlspaceParams {
  readonly scope: ArnScope;
  readonly kmsKeyArn?: string;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly configBucket: string;
  readonly dataBucket: string;
  readonly examplesBucket: string;
  readonly systemTag: string;
  readonly rolePrefix: string;
  readonly bedrock: boolean;
  readonly translate: boolean;
}

export const MLSPACE_PARAMS = [
  'region',
  'account',
  'partition',
  'kmsKey',
  'subnets',
  'securityGroups',
  'configBucket',
  'dataBucket',
  'examplesBucket',
  'systemTag',
  'rolePrefix',
  'bedrock',
  'translate',
] as const;

/** Validates installation parameters (a map read from YAML/JSON or from `--set key=value`). */
export function readMlspaceParams(src: SourceDoc): { params: MlspaceParams | undefined; diagnostics: readonly Diagnostic[] } {
  const fail = { params: undefined, diagnostics: src.diagnostics };
  if (src.value === undefined) return fail;
  const root = src.object(src.value, [], 'the parameters to be an object');
  if (root === undefined) return fail;
  src.unknownKeys(root, [], MLSPACE_PARAMS);
  const str = (key: string): string | undefined => (root[key] === undefined ? undefined : src.string(root[key], [key]));
  const list = (key: string): string[] => {
    const v = root[key];
    return typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : src.strings(v, [key]);
  };
  const bool = (key: string, dflt: boolean): boolean => {
    const v = root[key];
    if (v === 'true' || v === 'false') return v === 'true';
    return src.boolean(v, [key]) ?? dflt;
  };
  const region = str('region');
  const account = str('account');
  if (region === undefined) src.error([], 'missing required parameter "region"');
  else if (!REGION_RE.test(region)) src.error(['region'], `not an AWS Region code: ${JSON.stringify(region)}`);
  if (account === undefined) src.error([], 'missing required parameter "account"');
  else if (!ACCOUNT_RE.test(account)) src.error(['account'], 'account must be a 12-digit account ID');
  const scope: ArnScope = {
    partition: str('partition') ?? partitionForRegion(region ?? ''),
    region: region ?? 'us-east-1',
    account: account ?? '000000000000',
  };
  const subnets = list('subnets');
  const securityGroups = list('securityGroups');
  if (subnets.length === 0) src.error([], 'missing required parameter "subnets" (MLSpace jobs run in the installation VPC)');
  if (securityGroups.length === 0) src.error([], 'missing required parameter "securityGroups"');
  subnets.forEach((s, i) => {
    if (!/^subnet-[0-9a-f]{8,17}$/.test(s)) src.error(['subnets', i], `not a subnet ID: ${JSON.stringify(s)}`);
  });
  securityGroups.forEach((s, i) => {
    if (!/^sg-[0-9a-f]{8,17}$/.test(s)) src.error(['securityGroups', i], `not a security group ID: ${JSON.stringify(s)}`);
  });
  let key: string | undefined;
  const rawKey = str('kmsKey');
  if (rawKey !== undefined) {
    const k = kmsKeyArn(rawKey, scope);
    if (typeof k === 'string') key = k;
    else src.error(['kmsKey'], k.error);
  }
  const systemTag = str('systemTag') ?? 'MLSpace';
  const params: MlspaceParams = {
    scope,
    subnets,
    securityGroups,
    systemTag,
    configBucket: str('configBucket') ?? `mlspace-config-${scope.account}`,
    dataBucket: str('dataBucket') ?? `mlspace-data-${scope.account}`,
    examplesBucket: str('examplesBucket') ?? 'sagemaker-sample-files',
    rolePrefix: str('rolePrefix') ?? systemTag,
    bedrock: bool('bedrock', true),
    translate: bool('translate', true),
    ...(key !== undefined ? { kmsKeyArn: key } : {}),
  };
  if (src.diagnostics.some((d) => d.severity === 'error')) return fail;
  return { params, diagnostics: src.diagnostics };
}

export interface MlspacePolicies {
  /** Every statement, notebook part first, then Bedrock. */
  readonly statements: readonly GenStatement[];
  /** The same statements packed into documents under the managed-policy size quota; attach them all. */
  readonly policies: readonly PolicyDocument[];
}

/** Seed 004 statement 4: calls without resource-level permissions plus read-only lists. */
const GENERAL = [
  'comprehend:BatchDetect*',
  'comprehend:Detect*',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
  'iam:GetRole',
  'cloudwatch:PutMetricData',
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:DescribeLogStreams',
  'logs:PutLogEvents',
  'sagemaker:DescribeWorkteam',
  'sagemaker:ListEndpointConfigs',
  'sagemaker:ListEndpoints',
  'sagemaker:ListHyperParameterTuningJobs',
  'sagemaker:ListLabelingJobs',
  'sagemaker:ListModels',
  'sagemaker:ListTags',
  'sagemaker:ListTrainingJobs',
  'sagemaker:ListTrainingJobsForHyperParameterTuningJob',
  'sagemaker:ListTransformJobs',
  'sagemaker:ListWorkteams',
];
const TRANSLATE = [
  'translate:DescribeTextTranslationJob',
  'translate:ListLanguages',
  'translate:ListTerminologies',
  'translate:ListTextTranslationJobs',
  'translate:StartTextTranslationJob',
  'translate:StopTextTranslationJob',
  'translate:TranslateDocument',
  'translate:TranslateText',
];
/** Seed 004 statement 9: management of existing resources. */
const MANAGE = [
  'DeleteEndpoint',
  'DeleteEndpointConfig',
  'DeleteModel',
  'DescribeEndpoint',
  'DescribeEndpointConfig',
  'DescribeHyperParameterTuningJob',
  'DescribeLabelingJob',
  'DescribeModel',
  'DescribeTrainingJob',
  'DescribeTransformJob',
  'InvokeEndpoint',
  'StopHyperParameterTuningJob',
  'StopLabelingJob',
  'StopTrainingJob',
  'StopTransformJob',
  'UpdateEndpoint',
  'UpdateEndpointWeightsAndCapacities',
];
/** Creates that the Deny guards cover (seed 004 statements 12 and 13). */
const GUARDED = ['CreateEndpointConfig', 'CreateTransformJob', 'CreateHyperParameterTuningJob', 'CreateTrainingJob'];
const VPC_GUARDED = ['CreateHyperParameterTuningJob', 'CreateTrainingJob'];

export function generateMlspaceNotebookPolicy(p: MlspaceParams): MlspacePolicies {
  const { scope } = p;
  const sm = (names: readonly string[]): string[] => names.map((n) => `sagemaker:${n}`);
  const arnsOf = (actions: readonly string[]): string[] => [...new Set(actions.flatMap((a) => wildcardArnsForAction(a, scope)))];
  const tags = (kind: 'RequestTag' | 'ResourceTag'): ConditionMap => ({
    Null: { [`aws:${kind}/user`]: ['false'], [`aws:${kind}/project`]: ['false'] },
    StringEqualsIgnoreCase: { [`aws:${kind}/system`]: [p.systemTag] },
  });
  const vpc: ConditionMap = {
    Null: { 'sagemaker:VpcSubnets': ['false'], 'sagemaker:VpcSecurityGroupIds': ['false'] },
    'ForAllValues:StringEquals': { 'sagemaker:VpcSubnets': [...p.subnets], 'sagemaker:VpcSecurityGroupIds': [...p.securityGroups] },
  };
  const both = (a: ConditionMap, b: ConditionMap): ConditionMap => {
    const out: Record<string, Record<string, readonly string[]>> = {};
    for (const c of [a, b]) for (const [op, block] of Object.entries(c)) out[op] = { ...(out[op] ?? {}), ...block };
    return out;
  };
  const s: GenStatement[] = [];
  if (p.kmsKeyArn !== undefined) {
    s.push({
      sid: 'KmsGrantsForAwsResources',
      effect: 'Allow',
      actions: ['kms:CreateGrant'],
      resources: [p.kmsKeyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': ['true'] } },
    });
    s.push({
      sid: 'KmsUseInstallationKey',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [p.kmsKeyArn],
    });
  }
  const eni = wildcardArn('ec2', 'network-interface', scope) ?? '*';
  const ec2 = (type: string, id: string): string => (wildcardArn('ec2', type, scope) ?? '').replace(/\*$/, id);
  s.push({
    sid: 'JobNetworkInterfaces',
    effect: 'Allow',
    actions: ['ec2:CreateNetworkInterface'],
    resources: [eni, ...p.subnets.map((x) => ec2('subnet', x)), ...p.securityGroups.map((x) => ec2('security-group', x))],
  });
  s.push({
    sid: 'JobNetworkInterfacePermissions',
    effect: 'Allow',
    actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
    resources: [eni],
  });
  s.push({
    sid: 'TagSageMakerResources',
    effect: 'Allow',
    actions: ['sagemaker:AddTags'],
    resources: [`arn:${scope.partition}:sagemaker:${scope.region}:${scope.account}:*`],
  });
  s.push({ sid: 'GeneralReadAndMetrics', effect: 'Allow', actions: [...GENERAL, ...(p.translate ? TRANSLATE : [])], resources: ['*'] });
  s.push({
    sid: 'CreateTaggedEndpoint',
    effect: 'Allow',
    actions: sm(['CreateEndpoint']),
    resources: arnsOf(sm(['CreateEndpoint'])),
    conditions: tags('RequestTag'),
  });
  s.push({
    sid: 'CreateTaggedEndpointConfig',
    effect: 'Allow',
    actions: sm(['CreateEndpointConfig']),
    resources: arnsOf(sm(['CreateEndpointConfig'])),
    conditions: tags('RequestTag'),
  });
  s.push({
    sid: 'CreateTaggedModelInVpc',
    effect: 'Allow',
    actions: sm(['CreateModel']),
    resources: arnsOf(sm(['CreateModel'])),
    conditions: both(tags('RequestTag'), vpc),
  });
  s.push({
    sid: 'CreateTaggedLabelingJob',
    effect: 'Allow',
    actions: sm(['CreateLabelingJob']),
    resources: arnsOf(sm(['CreateLabelingJob'])),
    conditions: tags('RequestTag'),
  });
  s.push({
    sid: 'CreateTaggedJobsInVpc',
    effect: 'Allow',
    actions: sm(VPC_GUARDED),
    resources: arnsOf(sm(VPC_GUARDED)),
    conditions: both(tags('RequestTag'), vpc),
  });
  s.push({
    sid: 'CreateTaggedTransformJob',
    effect: 'Allow',
    actions: sm(['CreateTransformJob']),
    resources: arnsOf(sm(['CreateTransformJob'])),
    conditions: tags('RequestTag'),
  });
  const manage = sm(MANAGE).filter((a) => getAction(a) !== undefined);
  s.push({ sid: 'ManageTaggedResources', effect: 'Allow', actions: manage, resources: arnsOf(manage), conditions: tags('ResourceTag') });
  s.push(...s3Statements(p));
  if (p.translate) {
    s.push({
      sid: 'PassRoleToTranslate',
      effect: 'Allow',
      actions: ['iam:PassRole'],
      resources: [`arn:${scope.partition}:iam::${scope.account}:role/${p.rolePrefix}*`],
      conditions: { StringEquals: { 'iam:PassedToService': ['translate.amazonaws.com'] } },
    });
  }
  // One Deny per requirement: each fires on its own (seed 004 statements 12 and 13, corrected).
  const guarded = sm(GUARDED);
  const guardedArns = arnsOf(guarded);
  s.push({
    sid: 'DenyCreateWithoutUserTag',
    effect: 'Deny',
    actions: guarded,
    resources: guardedArns,
    conditions: { Null: { 'aws:RequestTag/user': ['true'] } },
  });
  s.push({
    sid: 'DenyCreateWithoutProjectTag',
    effect: 'Deny',
    actions: guarded,
    resources: guardedArns,
    conditions: { Null: { 'aws:RequestTag/project': ['true'] } },
  });
  // A negated operator is true when the key is absent, so this also denies a missing system tag
  // (IAM User Guide: condition operators, negated matching on missing keys).
  s.push({
    sid: 'DenyCreateWithoutSystemTag',
    effect: 'Deny',
    actions: guarded,
    resources: guardedArns,
    conditions: { StringNotEqualsIgnoreCase: { 'aws:RequestTag/system': [p.systemTag] } },
  });
  const vpcJobs = sm(VPC_GUARDED);
  s.push({
    sid: 'DenyJobsWithoutVpcSubnets',
    effect: 'Deny',
    actions: vpcJobs,
    resources: arnsOf(vpcJobs),
    conditions: { Null: { 'sagemaker:VpcSubnets': ['true'] } },
  });
  s.push({
    sid: 'DenyJobsWithoutVpcSecurityGroups',
    effect: 'Deny',
    actions: vpcJobs,
    resources: arnsOf(vpcJobs),
    conditions: { Null: { 'sagemaker:VpcSecurityGroupIds': ['true'] } },
  });
  // ForAnyValue + negated operator: some value is none of the listed ones (IAM User Guide: multivalued context keys).
  s.push({
    sid: 'DenyJobsInOtherSubnets',
    effect: 'Deny',
    actions: vpcJobs,
    resources: arnsOf(vpcJobs),
    conditions: { 'ForAnyValue:StringNotEquals': { 'sagemaker:VpcSubnets': [...p.subnets] } },
  });
  s.push({
    sid: 'DenyJobsWithOtherSecurityGroups',
    effect: 'Deny',
    actions: vpcJobs,
    resources: arnsOf(vpcJobs),
    conditions: { 'ForAnyValue:StringNotEquals': { 'sagemaker:VpcSecurityGroupIds': [...p.securityGroups] } },
  });

  const statements = [...finishStatements(s), ...(p.bedrock ? finishStatements(bedrockStatements(scope, tags)) : [])];
  return { statements, policies: packDocuments(statements) };
}

/** Seed 004 statements 10 and 11: read the config and example buckets, list only global-read-only/ of the data bucket. */
function s3Statements(p: MlspaceParams): GenStatement[] {
  const b = (name: string): string => `arn:${p.scope.partition}:s3:::${name}`;
  return [
    {
      sid: 'ReadConfigAndExamples',
      effect: 'Allow',
      actions: ['s3:GetObject'],
      resources: [`${b(p.configBucket)}/*`, `${b(p.dataBucket)}/global-read-only/*`, `${b(p.examplesBucket)}/*`],
    },
    { sid: 'ListConfigAndExampleBuckets', effect: 'Allow', actions: ['s3:ListBucket'], resources: [b(p.configBucket), b(p.examplesBucket)] },
    {
      sid: 'ListGlobalReadOnlyData',
      effect: 'Allow',
      actions: ['s3:ListBucket'],
      resources: [b(p.dataBucket)],
      conditions: { StringLike: { 's3:prefix': ['global-read-only/*'] } },
    },
  ];
}
