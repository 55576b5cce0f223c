/**
 * Least-privilege SageMaker execution role from a workload spec: the role's
 * permission policy, its trust policy, and the policy its caller needs
 * (the Create* call itself plus iam:PassRole scoped with iam:PassedToService).
 *
 * Scoping follows seed 003 ("SageMaker Roles"): s3:ListBucket on the input
 * buckets only, object access on the given paths, ECR pulls on the given
 * repositories, `cloudwatch`/`logs` on "*", ENI actions only with a VPC, KMS
 * actions only with keys.
 */
import { getAction } from '../catalog/catalog.js';
import {
  actionSupportsKey,
  ecrRepositoryArn,
  s3BucketArn,
  s3ListPrefix,
  s3ObjectArn,
  wildcardArn,
  wildcardArnsForAction,
  type ArnScope,
  type S3Location,
} from './arn.js';
import { EXECUTION_APIS, type ApiProfile, type ExecutionRoleSpec } from './execution-spec.js';
import { finishStatements, toDocument, type ConditionMap, type GenStatement, type PolicyDocument } from './policy-doc.js';

export interface ExecutionRolePolicies {
  readonly roleName: string;
  readonly roleArn: string;
  /** Attach to the execution role. */
  readonly permissions: PolicyDocument;
  /** The execution role's trust policy. */
  readonly trust: PolicyDocument;
  /** Attach to the principal that calls the SageMaker APIs. */
  readonly caller: PolicyDocument;
}

export const SAGEMAKER_PRINCIPAL = 'sagemaker.amazonaws.com';

/** The CloudWatch and CloudWatch Logs actions every job needs, on "*" (seed 003). */
const LOG_ACTIONS = ['cloudwatch:PutMetricData', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'];
const ECR_PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const EC2_DESCRIBE = ['ec2:DescribeDhcpOptions', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'];
const EC2_ENI = ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'];

export function roleArnOf(spec: ExecutionRoleSpec): string {
  return `arn:${spec.scope.partition}:iam::${spec.scope.account}:role${spec.rolePath}${spec.roleName}`;
}

export function generateExecutionRole(spec: ExecutionRoleSpec): ExecutionRolePolicies {
  const profiles = spec.apis.map((a) => EXECUTION_APIS[a] as ApiProfile);
  const any = (f: (p: ApiProfile) => boolean): boolean => profiles.some(f);
  const roleArn = roleArnOf(spec);
  return {
    roleName: spec.roleName,
    roleArn,
    permissions: toDocument(finishStatements(permissionStatements(spec, any))),
    trust: toDocument(finishStatements(trustStatements(spec))),
    caller: toDocument(finishStatements(callerStatements(spec, roleArn))),
  };
}

function permissionStatements(spec: ExecutionRoleSpec, any: (f: (p: ApiProfile) => boolean) => boolean): GenStatement[] {
  const { partition } = spec.scope;
  const out: GenStatement[] = [];
  const logs = [...LOG_ACTIONS, ...(any((p) => p.readLogs) ? ['logs:GetLogEvents'] : [])];
  out.push({ sid: 'UnscopedActions', effect: 'Allow', actions: logs, resources: ['*'] });
  if (spec.repositories.length > 0) {
    // GetAuthorizationToken supports only "*" (Service Authorization Reference: Amazon ECR).
    out.push({ sid: 'EcrAuthorizationToken', effect: 'Allow', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });
    out.push({ sid: 'EcrPullImages', effect: 'Allow', actions: ECR_PULL, resources: spec.repositories.map((r) => ecrRepositoryArn(r, partition)) });
  }
  if (any((p) => p.listInputs)) out.push(...listStatements(spec.inputs, partition));
  if (spec.inputs.length > 0) {
    out.push({ sid: 'S3ReadInputs', effect: 'Allow', actions: ['s3:GetObject'], resources: spec.inputs.map((l) => s3ObjectArn(l, partition)) });
  }
  if (spec.outputs.length > 0 && any((p) => p.writeOutputs)) {
    const actions = ['s3:PutObject', ...(any((p) => p.deleteOutputs) ? ['s3:DeleteObject'] : [])];
    out.push({ sid: 'S3WriteOutputs', effect: 'Allow', actions, resources: spec.outputs.map((l) => s3ObjectArn(l, partition)) });
  }
  if (spec.vpc !== undefined && any((p) => p.vpcEni)) out.push(...vpcStatements(spec.scope, spec.vpc));
  if (any((p) => p.kms)) out.push(...kmsStatements(spec.kms));
  return out;
}

/** One ListBucket statement per bucket: the `s3:prefix` condition differs per bucket. */
function listStatements(inputs: readonly S3Location[], partition: string): GenStatement[] {
  const byBucket = new Map<string, { whole: boolean; prefixes: string[] }>();
  for (const loc of inputs) {
    const entry = byBucket.get(loc.bucket) ?? { whole: false, prefixes: [] };
    const prefix = s3ListPrefix(loc);
    if (prefix === undefined) entry.whole = true;
    else entry.prefixes.push(prefix);
    byBucket.set(loc.bucket, entry);
  }
  const out: GenStatement[] = [];
  for (const [bucket, entry] of [...byBucket].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // s3:prefix limits ListBucket to keys under the prefix (Amazon S3 condition keys: s3:prefix).
    const conditions: ConditionMap | undefined = entry.whole ? undefined : { StringLike: { 's3:prefix': [...new Set(entry.prefixes)].sort() } };
    out.push({
      sid: 'S3ListInputBucket',
      effect: 'Allow',
      actions: ['s3:ListBucket'],
      resources: [s3BucketArn({ bucket }, partition)],
      ...(conditions !== undefined ? { conditions } : {}),
    });
  }
  return out;
}

function vpcStatements(scope: ArnScope, vpc: NonNullable<ExecutionRoleSpec['vpc']>): GenStatement[] {
  const arn = (type: string, id: string): string => (wildcardArn('ec2', type, scope) ?? '').replace(/\*$/, id);
  const eni = wildcardArn('ec2', 'network-interface', scope) ?? '*';
  return [
    // Describe* calls support only "*" (Service Authorization Reference: Amazon EC2).
    { sid: 'VpcDescribe', effect: 'Allow', actions: EC2_DESCRIBE, resources: ['*'] },
    {
      sid: 'VpcCreateNetworkInterfaces',
      effect: 'Allow',
      actions: ['ec2:CreateNetworkInterface'],
      resources: [eni, ...vpc.subnets.map((s) => arn('subnet', s)), ...vpc.securityGroups.map((g) => arn('security-group', g))],
    },
    {
      sid: 'VpcManageNetworkInterfaces',
      effect: 'Allow',
      actions: EC2_ENI,
      resources: [eni],
      // Only the interfaces in the job's subnets: the network-interface resource type carries ec2:Subnet, the ARN of
      // the interface's subnet (Service Authorization Reference: Amazon EC2, network-interface), so the permission and
      // delete calls SageMaker makes for the job's interfaces match and no other interface's permissions change.
      conditions: { ArnEquals: { 'ec2:Subnet': vpc.subnets.map((s) => arn('subnet', s)) } },
    },
  ];
}

/** Seed 003: Decrypt for SSE-KMS inputs, Encrypt for the output key, CreateGrant for the volume key. */
function kmsStatements(kms: ExecutionRoleSpec['kms']): GenStatement[] {
  const out: GenStatement[] = [];
  if (kms.input.length > 0) out.push({ sid: 'KmsDataKeys', effect: 'Allow', actions: ['kms:Decrypt'], resources: kms.input });
  if (kms.output.length > 0) {
    // Writing SSE-KMS objects to S3 also needs kms:GenerateDataKey (Amazon S3 User Guide: SSE-KMS permissions).
    out.push({ sid: 'KmsDataKeys', effect: 'Allow', actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: kms.output });
  }
  if (kms.volume.length > 0) {
    out.push({
      sid: 'KmsVolumeGrants',
      effect: 'Allow',
      actions: ['kms:CreateGrant'],
      resources: kms.volume,
      // Only grants that an AWS service creates for its own use of the key (AWS KMS condition keys: kms:GrantIsForAWSResource).
      conditions: { Bool: { 'kms:GrantIsForAWSResource': ['true'] } },
    });
  }
  return out;
}

function trustStatements(spec: ExecutionRoleSpec): GenStatement[] {
  return [
    {
      sid: 'SageMakerAssumeRole',
      effect: 'Allow',
      principal: { Service: [SAGEMAKER_PRINCIPAL] },
      actions: ['sts:AssumeRole'],
      // aws:SourceAccount guards against the confused deputy problem (IAM User Guide: the confused deputy problem).
      ...(spec.trustSourceAccount ? { conditions: { StringEquals: { 'aws:SourceAccount': [spec.scope.account] } } } : {}),
    },
  ];
}

function callerStatements(spec: ExecutionRoleSpec, roleArn: string): GenStatement[] {
  const out: GenStatement[] = [];
  const tagKeys = Object.keys(spec.tags).sort();
  for (const api of spec.apis) {
    const action = `sagemaker:${api}`;
    const resources = wildcardArnsForAction(action, spec.scope);
    const conditions = callerConditions(spec, action, tagKeys);
    out.push({ sid: `Sagemaker${api}`, effect: 'Allow', actions: [action], resources, ...(conditions !== undefined ? { conditions } : {}) });
    if (tagKeys.length > 0) {
      // Tagging on create is authorized as sagemaker:AddTags as well (SageMaker Developer Guide: tag-on-create).
      out.push({
        sid: `Sagemaker${api}Tags`,
        effect: 'Allow',
        actions: ['sagemaker:AddTags'],
        resources,
        conditions: { StringEquals: Object.fromEntries(tagKeys.map((k) => [`aws:RequestTag/${k}`, [spec.tags[k] as string]])) },
      });
    }
    for (const dep of dependentActions(action)) {
      if (dep.toLowerCase() !== 'iam:passrole') out.push({ effect: 'Allow', actions: [dep], resources: wildcardArnsForAction(dep, spec.scope) });
    }
  }
  out.push({
    sid: 'PassExecutionRoleToSageMaker',
    effect: 'Allow',
    actions: ['iam:PassRole'],
    resources: [roleArn],
    // Only to SageMaker (IAM User Guide: granting a user permissions to pass a role; iam:PassedToService).
    conditions: { StringEquals: { 'iam:PassedToService': [SAGEMAKER_PRINCIPAL] } },
  });
  return out;
}

/** Conditions that hold the caller to the spec: its tags, its subnets and security groups. */
function callerConditions(spec: ExecutionRoleSpec, action: string, tagKeys: readonly string[]): ConditionMap | undefined {
  const c: Record<string, Record<string, string[]>> = {};
  if (tagKeys.length > 0 && actionSupportsKey(action, 'aws:RequestTag/x', 'action')) {
    c['StringEquals'] = Object.fromEntries(tagKeys.map((k) => [`aws:RequestTag/${k}`, [spec.tags[k] as string]]));
  }
  if (spec.vpc !== undefined && actionSupportsKey(action, 'sagemaker:VpcSubnets', 'action')) {
    // Multivalued keys: ForAllValues checks every subnet; Null false requires a VPC at all
    // (IAM User Guide: condition keys with multiple values).
    c['ForAllValues:StringEquals'] = { 'sagemaker:VpcSubnets': [...spec.vpc.subnets], 'sagemaker:VpcSecurityGroupIds': [...spec.vpc.securityGroups] };
    c['Null'] = { 'sagemaker:VpcSubnets': ['false'], 'sagemaker:VpcSecurityGroupIds': ['false'] };
  }
  return Object.keys(c).length > 0 ? c : undefined;
}

/**
 * Dependent actions of an action: the catalog's (Service Authorization
 * Reference "Dependent actions" column), plus iam:PassRole for the SageMaker
 * APIs that pass a role (seed 003, "Passing Roles"), which the reference
 * does not list.
 */
export function dependentActions(action: string): string[] {
  const info = getAction(action);
  if (info === undefined) return [];
  const deps = new Set<string>([...info.dependentActions, ...info.resourceTypes.flatMap((rt) => rt.dependentActions ?? [])]);
  if (info.service === 'sagemaker' && PASSES_ROLE.has(info.name)) deps.add('iam:PassRole');
  return [...deps].sort();
}

/** SageMaker APIs that take a role ARN (seed 003, "Passing Roles"). */
export const PASSES_ROLE: ReadonlySet<string> = new Set([
  'CreateModel',
  'CreateCompilationJob',
  'CreateDomain',
  'CreateFlowDefinition',
  'CreateHyperParameterTuningJob',
  'CreateLabelingJob',
  'CreateMonitoringSchedule',
  'CreateNotebookInstance',
  'CreateProcessingJob',
  'CreateTrainingJob',
  'CreateUserProfile',
  'RenderUiTemplate',
]);
