/**
 * CloudFormation resource types → account-model facts: IAM roles, users,
 * groups, managed and inline policies, user-to-group additions, IAM Identity
 * Center permission sets, the resource-policy types (S3 bucket, KMS key, SQS,
 * SNS, ECR, Lambda permission, Secrets Manager, S3 access point),
 * Organizations policies, and the SageMaker resources that run as a role.
 */
import type { EntityRef, Fact, IacDocument, SourceRef } from '../model.js';
import type { Resolver } from './intrinsics.js';
import { identityOf } from './identity.js';
import { isRecord as isObj } from '../../account/import/source.js';
import { lambdaPermissionPrincipal } from '../overlay.js';

export interface CfnResource {
  readonly id: string;
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly source: SourceRef;
  readonly r: Resolver;
}

type Handler = (res: CfnResource, add: (f: Fact) => void) => void;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.flatMap((x) => (str(x) !== undefined ? [str(x)!] : [])) : str(v) !== undefined ? [str(v)!] : [];
}

/** A policy document property: an object (or JSON string); a hole when the property is not known. */
export function doc(res: CfnResource, key: string): IacDocument | undefined {
  const v = res.props[key];
  if (v === undefined) return undefined;
  if (isObj(v)) return { text: JSON.stringify(v) };
  if (typeof v === 'string') {
    const hole = /iamsim:hole:(\d+)/.exec(v);
    if (hole && !v.trimStart().startsWith('{')) return { hole: Number(hole[1]) };
    return { text: v };
  }
  return res.r.table.holeDocument(res.id, key, 'not a policy document', res.source);
}

function inlineList(res: CfnResource): { name: string; document: IacDocument }[] {
  const list = res.props['Policies'];
  return (Array.isArray(list) ? list : []).flatMap((p, i) => {
    if (!isObj(p)) return [];
    const name = str(p['PolicyName']) ?? `Policies[${i}]`;
    const d = isObj(p['PolicyDocument']) ? { text: JSON.stringify(p['PolicyDocument']) } : doc({ ...res, props: p }, 'PolicyDocument');
    return d ? [{ name, document: d }] : [];
  });
}

function pathOf(res: CfnResource): string {
  return str(res.props['Path']) ?? '/';
}

function entity(kind: 'user' | 'group' | 'role'): Handler {
  return (res, add) => {
    const name = identityOf(res.r, res.id).ref!;
    const trust = kind === 'role' ? doc(res, 'AssumeRolePolicyDocument') : undefined;
    const boundary = str(res.props['PermissionsBoundary']);
    const tags = (Array.isArray(res.props['Tags']) ? res.props['Tags'] : []).flatMap((t) =>
      isObj(t) && str(t['Key']) !== undefined ? [{ key: str(t['Key'])!, value: str(t['Value']) ?? '' }] : [],
    );
    add({
      kind,
      name,
      path: pathOf(res),
      ...(trust ? { trust } : {}),
      inline: inlineList(res),
      managed: strs(res.props['ManagedPolicyArns']),
      ...(boundary ? { boundary } : {}),
      ...(kind === 'user' ? { groups: strs(res.props['Groups']) } : {}),
      tags,
      source: res.source,
    });
  };
}

function owners(res: CfnResource): EntityRef[] {
  return [
    ...strs(res.props['Roles']).map((name) => ({ kind: 'role' as const, name })),
    ...strs(res.props['Users']).map((name) => ({ kind: 'user' as const, name })),
    ...strs(res.props['Groups']).map((name) => ({ kind: 'group' as const, name })),
  ];
}

const managedPolicy: Handler = (res, add) => {
  const id = identityOf(res.r, res.id);
  const document = doc(res, 'PolicyDocument');
  if (!document) return;
  const arn = id.ref!;
  add({ kind: 'managed-policy', arn, name: arn.slice(arn.lastIndexOf('/') + 1), path: pathOf(res), document, source: res.source });
  for (const owner of owners(res)) add({ kind: 'attachment', owner, policy: arn, source: res.source });
};

const policy: Handler = (res, add) => {
  const document = doc(res, 'PolicyDocument');
  const name = str(res.props['PolicyName']) ?? res.id;
  if (document) for (const owner of owners(res)) add({ kind: 'inline-policy', owner, name, document, source: res.source });
};

function entityPolicy(kind: EntityRef['kind'], key: string): Handler {
  return (res, add) => {
    const name = str(res.props[key]);
    const document = doc(res, 'PolicyDocument');
    if (name && document) add({ kind: 'inline-policy', owner: { kind, name }, name: str(res.props['PolicyName']) ?? res.id, document, source: res.source });
  };
}

const userToGroup: Handler = (res, add) => {
  const group = str(res.props['GroupName']);
  if (group) for (const user of strs(res.props['Users'])) add({ kind: 'membership', user, groups: [group], source: res.source });
};

function resourcePolicy(arnsOf: (res: CfnResource) => string[], key = 'PolicyDocument'): Handler {
  return (res, add) => {
    const document = doc(res, key);
    if (document) for (const arn of arnsOf(res)) add({ kind: 'resource-policy', arn, document, source: res.source });
  };
}

function arnFromUrl(res: CfnResource, url: string): string {
  const m = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^/]+)\/([^/]+)$/.exec(url);
  return m ? `arn:aws:sqs:${m[1]}:${m[2]}:${m[3]}` : url.startsWith('arn:') ? url : res.r.hole(res.id, 'Queues', 'not a queue URL iamsim can read');
}

const lambdaPermission: Handler = (res, add) => {
  const fn = str(res.props['FunctionName']);
  if (!fn) return;
  const base = fn.startsWith('arn:') ? fn : `arn:aws:lambda:${res.r.region}:${res.r.account}:function:${fn}`;
  const principal = str(res.props['Principal']) ?? '*';
  const Principal = lambdaPermissionPrincipal(principal);
  const cond: Record<string, Record<string, string>> = {};
  const set = (op: string, key: string, v: unknown) => {
    if (str(v) !== undefined) cond[op] = { ...(cond[op] ?? {}), [key]: str(v)! };
  };
  set('ArnLike', 'AWS:SourceArn', res.props['SourceArn']);
  set('StringEquals', 'AWS:SourceAccount', res.props['SourceAccount']);
  set('StringEquals', 'aws:PrincipalOrgID', res.props['PrincipalOrgID']);
  set('StringEquals', 'lambda:FunctionUrlAuthType', res.props['FunctionUrlAuthType']);
  const st = {
    Sid: res.id,
    Effect: 'Allow',
    Principal,
    Action: str(res.props['Action']) ?? 'lambda:InvokeFunction',
    Resource: base,
    ...(Object.keys(cond).length ? { Condition: cond } : {}),
  };
  add({
    kind: 'resource-policy',
    arn: base.split(':').slice(0, 7).join(':'),
    merge: true,
    document: { text: JSON.stringify({ Version: '2012-10-17', Statement: [st] }) },
    source: res.source,
  });
};

/** A permission set is provisioned as an `AWSReservedSSO_<name>_…` role in each assigned account. */
const permissionSet: Handler = (res, add) => {
  const name = str(res.props['Name']) ?? res.id;
  const inline = isObj(res.props['InlinePolicy']) || typeof res.props['InlinePolicy'] === 'string' ? doc(res, 'InlinePolicy') : undefined;
  const boundary = isObj(res.props['PermissionsBoundary']) ? str((res.props['PermissionsBoundary'] as Record<string, unknown>)['ManagedPolicyArn']) : undefined;
  add({
    kind: 'role',
    name: `AWSReservedSSO_${name}`,
    path: '/aws-reserved/sso.amazonaws.com/',
    trust: {
      text: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${res.r.account}:saml-provider/AWSSSO` },
            Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
          },
        ],
      }),
    },
    inline: inline ? [{ name: 'AwsSSOInlinePolicy', document: inline }] : [],
    managed: strs(res.props['ManagedPolicies']),
    ...(boundary ? { boundary } : {}),
    tags: [],
    source: res.source,
  });
};

const orgPolicy: Handler = (res, add) => {
  const type = str(res.props['Type']);
  if (type !== 'SERVICE_CONTROL_POLICY' && type !== 'RESOURCE_CONTROL_POLICY') return;
  const id = identityOf(res.r, res.id).ref!;
  const content = isObj(res.props['Content']) ? { text: JSON.stringify(res.props['Content']) } : doc(res, 'Content');
  if (!content) return;
  add({
    kind: 'org-policy',
    id,
    name: str(res.props['Name']) ?? res.id,
    type: type === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP',
    document: content,
    source: res.source,
  });
  for (const target of strs(res.props['TargetIds'])) add({ kind: 'org-attachment', policyId: id, target, source: res.source });
};

function executionRole(...path: string[]): Handler {
  return (res, add) => {
    let v: unknown = res.props;
    for (const p of path) v = isObj(v) ? v[p] : undefined;
    const roleArn = str(v);
    if (roleArn) add({ kind: 'execution-role', roleArn, source: res.source });
  };
}

const own = (res: CfnResource): string[] => {
  const id = identityOf(res.r, res.id);
  return [id.attrs['Arn'] ?? id.attrs['TopicArn'] ?? id.ref ?? ''].filter((x) => x !== '');
};

export const CFN_TYPES: Readonly<Record<string, Handler>> = {
  'AWS::IAM::Role': entity('role'),
  'AWS::IAM::User': entity('user'),
  'AWS::IAM::Group': entity('group'),
  'AWS::IAM::ManagedPolicy': managedPolicy,
  'AWS::IAM::Policy': policy,
  'AWS::IAM::RolePolicy': entityPolicy('role', 'RoleName'),
  'AWS::IAM::UserPolicy': entityPolicy('user', 'UserName'),
  'AWS::IAM::GroupPolicy': entityPolicy('group', 'GroupName'),
  'AWS::IAM::UserToGroupAddition': userToGroup,
  'AWS::SSO::PermissionSet': permissionSet,
  'AWS::S3::BucketPolicy': resourcePolicy((res) => {
    const b = str(res.props['Bucket']);
    return b ? [b.startsWith('arn:') ? b : `arn:aws:s3:::${b}`] : [];
  }),
  'AWS::S3::AccessPoint': resourcePolicy((res) => {
    const n = str(res.props['Name']) ?? res.r.table.symbol(res.id, 'Name', `arn:aws:s3:${res.r.region}:${res.r.account}:accesspoint/`);
    return [`arn:aws:s3:${res.r.region}:${res.r.account}:accesspoint/${n}`];
  }, 'Policy'),
  'AWS::KMS::Key': resourcePolicy(own, 'KeyPolicy'),
  'AWS::SQS::QueuePolicy': resourcePolicy((res) => strs(res.props['Queues']).map((u) => arnFromUrl(res, u))),
  'AWS::SNS::TopicPolicy': resourcePolicy((res) => strs(res.props['Topics'])),
  'AWS::SNS::TopicInlinePolicy': resourcePolicy((res) => strs(res.props['TopicArn'])),
  'AWS::SQS::QueueInlinePolicy': resourcePolicy((res) => strs(res.props['Queue']).map((u) => arnFromUrl(res, u))),
  'AWS::ECR::Repository': resourcePolicy(own, 'RepositoryPolicyText'),
  'AWS::Lambda::Permission': lambdaPermission,
  'AWS::SecretsManager::ResourcePolicy': resourcePolicy((res) => strs(res.props['SecretId']), 'ResourcePolicy'),
  'AWS::Organizations::Policy': orgPolicy,
  'AWS::SageMaker::NotebookInstance': executionRole('RoleArn'),
  'AWS::SageMaker::Domain': executionRole('DefaultUserSettings', 'ExecutionRole'),
  'AWS::SageMaker::UserProfile': executionRole('UserSettings', 'ExecutionRole'),
  'AWS::SageMaker::Model': executionRole('ExecutionRoleArn'),
  'AWS::SageMaker::Pipeline': executionRole('RoleArn'),
};
