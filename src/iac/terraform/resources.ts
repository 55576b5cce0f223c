/**
 * Terraform AWS provider resource types → account-model facts. The IAM
 * types (roles with assume_role_policy, inline_policy, managed_policy_arns
 * and permissions boundaries; users; groups; managed policies; inline
 * policies; attachments; group memberships), the resource-policy types
 * (S3 bucket, KMS key, SQS queue, SNS topic, ECR repository, Lambda
 * permission, Secrets Manager secret), Organizations policies and their
 * attachments, and the SageMaker resources that run as an execution role.
 */
import { lambdaPermissionPrincipal, normPath } from '../overlay.js';
import type { Fact, IacDocument, IacUnknown, EntityRef } from '../model.js';
import { configAddress, type PlanContext, type ResourceChange } from './context.js';
import { identityOf, shapeOf, Values, type Side } from './values.js';

type Handler = (v: Values, add: (f: Fact) => void) => void;

function entityRef(kind: EntityRef['kind'], name: string | undefined): EntityRef | undefined {
  return name === undefined ? undefined : { kind, name: name.includes(':') ? name.slice(name.lastIndexOf('/') + 1) : name };
}

function nameOf(v: Values): string {
  const id = identityOf(v.ctx, v.rc);
  return v.known(['name']) ?? id.name ?? v.rc.name;
}

function entity(kind: 'user' | 'group' | 'role'): Handler {
  return (v, add) => {
    const inline: { name: string; document: IacDocument }[] = [];
    if (kind === 'role') {
      const blocks = v.raw(['inline_policy']);
      (Array.isArray(blocks) ? blocks : []).forEach((_, i) => {
        const name = v.known(['inline_policy', i, 'name']);
        const doc = v.policy(['inline_policy', i, 'policy']);
        if (name && doc) inline.push({ name, document: doc });
      });
    }
    const managed =
      kind === 'role' ? v.strings(['managed_policy_arns']).map((_, i) => v.str(['managed_policy_arns', i], shapeOf(v.ctx, 'aws_iam_policy'))!) : [];
    const boundary = kind === 'group' ? undefined : v.str(['permissions_boundary'], shapeOf(v.ctx, 'aws_iam_policy'));
    const trust = kind === 'role' ? v.policy(['assume_role_policy']) : undefined;
    const tags = Object.entries((v.raw(['tags']) ?? {}) as Record<string, unknown>).flatMap(([key, value]) =>
      typeof value === 'string' ? [{ key, value }] : [],
    );
    add({
      kind,
      name: nameOf(v),
      path: normPath(v.known(['path'])),
      ...(trust ? { trust } : {}),
      inline,
      managed,
      ...(boundary ? { boundary } : {}),
      tags,
      source: v.ctx.source(v.rc),
    });
  };
}

function managedPolicy(): Handler {
  return (v, add) => {
    const id = identityOf(v.ctx, v.rc);
    const document = v.policy(['policy']);
    if (!document) return;
    add({ kind: 'managed-policy', arn: id.arn!, name: nameOf(v), path: normPath(v.known(['path'])), document, source: v.ctx.source(v.rc) });
  };
}

function inlinePolicy(kind: EntityRef['kind']): Handler {
  return (v, add) => {
    const owner = entityRef(kind, v.str([kind]));
    const document = v.policy(['policy']);
    const name = v.known(['name']) ?? v.ctx.table.symbol(v.rc.address, 'name', '');
    if (owner && document) add({ kind: 'inline-policy', owner, name, document, source: v.ctx.source(v.rc) });
  };
}

function attachment(kind: EntityRef['kind']): Handler {
  return (v, add) => {
    const owner = entityRef(kind, v.str([kind]));
    const policy = v.str(['policy_arn'], shapeOf(v.ctx, 'aws_iam_policy'));
    if (owner && policy) add({ kind: 'attachment', owner, policy, source: v.ctx.source(v.rc) });
  };
}

const policyAttachment: Handler = (v, add) => {
  const policy = v.str(['policy_arn'], shapeOf(v.ctx, 'aws_iam_policy'));
  if (!policy) return;
  for (const kind of ['user', 'role', 'group'] as const) {
    v.strings([`${kind}s`]).forEach((_, i) => {
      const owner = entityRef(kind, v.str([`${kind}s`, i]));
      if (owner) add({ kind: 'attachment', owner, policy, source: v.ctx.source(v.rc) });
    });
  }
};

const userGroupMembership: Handler = (v, add) => {
  const user = v.str(['user']);
  const groups = v.strings(['groups']).map((_, i) => v.str(['groups', i])!);
  if (user) add({ kind: 'membership', user, groups, source: v.ctx.source(v.rc) });
};

const groupMembership: Handler = (v, add) => {
  const group = v.str(['group']);
  if (!group) return;
  v.strings(['users']).forEach((_, i) => {
    const user = v.str(['users', i]);
    if (user) add({ kind: 'membership', user, groups: [group], source: v.ctx.source(v.rc) });
  });
};

/** A resource policy attribute of a resource whose ARN is `arnOf(v)`. */
function resourcePolicy(arnOf: (v: Values) => string | undefined, attribute = 'policy'): Handler {
  return (v, add) => {
    const document = v.policy([attribute]);
    const arn = arnOf(v);
    if (document && arn) add({ kind: 'resource-policy', arn, document, source: v.ctx.source(v.rc) });
  };
}

const own = (v: Values): string | undefined => identityOf(v.ctx, v.rc).arn;

function bucketArn(v: Values): string | undefined {
  const b = v.str(['bucket'], 'arn:aws:s3:::*');
  return b === undefined ? undefined : b.startsWith('arn:') ? b : `arn:aws:s3:::${b}`;
}

function kmsArn(v: Values): string | undefined {
  const k = v.str(['key_id'], shapeOf(v.ctx, 'aws_kms_key'));
  return k === undefined ? undefined : k.startsWith('arn:') ? k : `arn:aws:kms:${v.ctx.region}:${v.ctx.account}:key/${k}`;
}

function queueArn(v: Values): string | undefined {
  const url = v.str(['queue_url'], shapeOf(v.ctx, 'aws_sqs_queue'));
  if (url === undefined) return undefined;
  const m = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12}|[^/]+)\/([^/]+)$/.exec(url);
  if (m) return `arn:aws:sqs:${m[1]}:${m[2]}:${m[3]}`;
  return url.startsWith('arn:') ? url : v.ctx.table.hole(v.rc.address, 'queue_url', 'not a queue URL iamsim can read', shapeOf(v.ctx, 'aws_sqs_queue'));
}

function repositoryArn(v: Values): string | undefined {
  const r = v.str(['repository'], shapeOf(v.ctx, 'aws_ecr_repository'));
  return r === undefined ? undefined : r.startsWith('arn:') ? r : `arn:aws:ecr:${v.ctx.region}:${v.ctx.account}:repository/${r}`;
}

const lambdaPermission: Handler = (v, add) => {
  const fn = v.str(['function_name'], shapeOf(v.ctx, 'aws_lambda_function'));
  if (fn === undefined) return;
  const base = fn.startsWith('arn:') ? fn : `arn:aws:lambda:${v.ctx.region}:${v.ctx.account}:function:${fn}`;
  const qualifier = v.str(['qualifier']);
  const principal = v.str(['principal']) ?? '*';
  const Principal = lambdaPermissionPrincipal(principal);
  const cond: Record<string, Record<string, string>> = {};
  const set = (op: string, key: string, value: string | undefined) => {
    if (value !== undefined) cond[op] = { ...(cond[op] ?? {}), [key]: value };
  };
  set('ArnLike', 'AWS:SourceArn', v.str(['source_arn']));
  set('StringEquals', 'AWS:SourceAccount', v.str(['source_account']));
  set('StringEquals', 'aws:PrincipalOrgID', v.str(['principal_org_id']));
  set('StringEquals', 'lambda:FunctionUrlAuthType', v.str(['function_url_auth_type']));
  const st = {
    Sid: v.known(['statement_id']) ?? v.rc.name,
    Effect: 'Allow',
    Principal,
    Action: v.str(['action']) ?? 'lambda:InvokeFunction',
    Resource: qualifier ? `${base}:${qualifier}` : base,
    ...(Object.keys(cond).length > 0 ? { Condition: cond } : {}),
  };
  const arn = base.split(':').slice(0, 7).join(':');
  add({
    kind: 'resource-policy',
    arn,
    merge: true,
    document: { text: JSON.stringify({ Version: '2012-10-17', Statement: [st] }) },
    source: v.ctx.source(v.rc),
  });
};

const orgPolicy: Handler = (v, add) => {
  const type = v.known(['type']) ?? 'SERVICE_CONTROL_POLICY';
  if (type !== 'SERVICE_CONTROL_POLICY' && type !== 'RESOURCE_CONTROL_POLICY') return;
  const document = v.policy(['content']);
  const id = identityOf(v.ctx, v.rc).id!;
  if (document) add({ kind: 'org-policy', id, name: nameOf(v), type: type === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP', document, source: v.ctx.source(v.rc) });
};

const orgAttachment: Handler = (v, add) => {
  const policyId = v.str(['policy_id']);
  const target = v.str(['target_id']);
  if (policyId && target) add({ kind: 'org-attachment', policyId, target, source: v.ctx.source(v.rc) });
};

function executionRole(...path: (string | number)[]): Handler {
  return (v, add) => {
    const roleArn = v.str(path, shapeOf(v.ctx, 'aws_iam_role'));
    if (roleArn) add({ kind: 'execution-role', roleArn, source: v.ctx.source(v.rc) });
  };
}

/** The resource types read, with what each contributes (docs/iac.md lists them). */
export const TERRAFORM_TYPES: Readonly<Record<string, Handler>> = {
  aws_iam_role: entity('role'),
  aws_iam_user: entity('user'),
  aws_iam_group: entity('group'),
  aws_iam_policy: managedPolicy(),
  aws_iam_role_policy: inlinePolicy('role'),
  aws_iam_user_policy: inlinePolicy('user'),
  aws_iam_group_policy: inlinePolicy('group'),
  aws_iam_role_policy_attachment: attachment('role'),
  aws_iam_user_policy_attachment: attachment('user'),
  aws_iam_group_policy_attachment: attachment('group'),
  aws_iam_policy_attachment: policyAttachment,
  aws_iam_user_group_membership: userGroupMembership,
  aws_iam_group_membership: groupMembership,
  aws_s3_bucket_policy: resourcePolicy(bucketArn),
  aws_s3_bucket: resourcePolicy(own),
  aws_kms_key: resourcePolicy(own),
  aws_kms_key_policy: resourcePolicy(kmsArn),
  aws_sqs_queue: resourcePolicy(own),
  aws_sqs_queue_policy: resourcePolicy(queueArn),
  aws_sns_topic: resourcePolicy(own),
  aws_sns_topic_policy: resourcePolicy((v) => v.str(['arn'], shapeOf(v.ctx, 'aws_sns_topic'))),
  aws_ecr_repository_policy: resourcePolicy(repositoryArn),
  aws_lambda_permission: lambdaPermission,
  aws_secretsmanager_secret: resourcePolicy(own),
  aws_secretsmanager_secret_policy: resourcePolicy((v) => v.str(['secret_arn'], shapeOf(v.ctx, 'aws_secretsmanager_secret'))),
  aws_organizations_policy: orgPolicy,
  aws_organizations_policy_attachment: orgAttachment,
  aws_sagemaker_notebook_instance: executionRole('role_arn'),
  aws_sagemaker_domain: executionRole('default_user_settings', 0, 'execution_role'),
  aws_sagemaker_user_profile: executionRole('user_settings', 0, 'execution_role'),
  aws_sagemaker_model: executionRole('execution_role_arn'),
  aws_sagemaker_pipeline: executionRole('role_arn'),
  aws_sagemaker_flow_definition: executionRole('role_arn'),
};

/** The facts one resource contributes on one side; unknown types contribute nothing. */
export function factsOf(ctx: PlanContext, rc: ResourceChange, side: Side, unknowns: IacUnknown[]): Fact[] {
  const handler = TERRAFORM_TYPES[rc.type];
  if (!handler) return [];
  const out: Fact[] = [];
  handler(new Values(ctx, rc, side, unknowns), (f) => out.push(f));
  void configAddress;
  return out;
}
