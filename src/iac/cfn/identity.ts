/**
 * What Ref and Fn::GetAtt return for the resources iamsim models
 * (CloudFormation resource reference, each type's "Return values"). A name
 * the template does not set is generated at deployment: it is a symbol.
 */
import type { SourceRef } from '../model.js';
import type { SymbolTable } from '../symbols.js';
import { isRecord as isObj } from '../../account/import/source.js';

/** What identityOf reads of a template resolver (intrinsics.ts Resolver). */
export interface Resolver {
  readonly t: { readonly resources: Record<string, unknown> };
  readonly table: SymbolTable;
  readonly account: string;
  readonly region: string;
  readonly source: (logicalId: string) => SourceRef;
  resolve(v: unknown): unknown;
}

export interface CfnIdentity {
  readonly ref?: string;
  readonly attrs: Record<string, string>;
}

function prop(r: Resolver, logicalId: string, key: string): string | undefined {
  const res = r.t.resources[logicalId];
  const props = isObj(res) && isObj(res['Properties']) ? res['Properties'] : {};
  if (props[key] === undefined) return undefined;
  const v = r.resolve(props[key]);
  return typeof v === 'string' ? v : undefined;
}

function typeOf(r: Resolver, logicalId: string): string {
  const res = r.t.resources[logicalId];
  return isObj(res) && typeof res['Type'] === 'string' ? res['Type'] : '';
}

function path(p: string | undefined): string {
  if (!p) return '/';
  return `${p.startsWith('/') ? '' : '/'}${p}${p.endsWith('/') ? '' : '/'}`;
}

/** The name a resource has: its name property, or a symbol for the generated one. */
function named(r: Resolver, id: string, key: string, prefix: string): string {
  return prop(r, id, key) ?? r.table.symbol(id, key, prefix, { source: r.source(id) });
}

export function identityOf(r: Resolver, id: string): CfnIdentity {
  const a = r.account;
  const g = r.region;
  switch (typeOf(r, id)) {
    case 'AWS::IAM::Role': {
      const p = path(prop(r, id, 'Path'));
      const name = named(r, id, 'RoleName', `arn:aws:iam::${a}:role${p}`);
      return { ref: name, attrs: { Arn: `arn:aws:iam::${a}:role${p}${name}`, RoleId: r.table.symbol(id, 'RoleId', '') } };
    }
    case 'AWS::IAM::User': {
      const p = path(prop(r, id, 'Path'));
      const name = named(r, id, 'UserName', `arn:aws:iam::${a}:user${p}`);
      return { ref: name, attrs: { Arn: `arn:aws:iam::${a}:user${p}${name}` } };
    }
    case 'AWS::IAM::Group': {
      const p = path(prop(r, id, 'Path'));
      const name = named(r, id, 'GroupName', `arn:aws:iam::${a}:group${p}`);
      return { ref: name, attrs: { Arn: `arn:aws:iam::${a}:group${p}${name}` } };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const p = path(prop(r, id, 'Path'));
      const name = named(r, id, 'ManagedPolicyName', `arn:aws:iam::${a}:policy${p}`);
      const arn = `arn:aws:iam::${a}:policy${p}${name}`;
      return { ref: arn, attrs: { PolicyArn: arn } };
    }
    case 'AWS::IAM::InstanceProfile': {
      const name = named(r, id, 'InstanceProfileName', `arn:aws:iam::${a}:instance-profile/`);
      return { ref: name, attrs: { Arn: `arn:aws:iam::${a}:instance-profile/${name}` } };
    }
    case 'AWS::S3::Bucket': {
      const name = named(r, id, 'BucketName', 'arn:aws:s3:::');
      return { ref: name, attrs: { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com` } };
    }
    case 'AWS::KMS::Key': {
      const key = r.table.symbol(id, 'KeyId', `arn:aws:kms:${g}:${a}:key/`, { source: r.source(id) });
      return { ref: key, attrs: { KeyId: key, Arn: `arn:aws:kms:${g}:${a}:key/${key}` } };
    }
    case 'AWS::SQS::Queue': {
      const name = named(r, id, 'QueueName', `arn:aws:sqs:${g}:${a}:`);
      const url = `https://sqs.${g}.amazonaws.com/${a}/${name}`;
      return { ref: url, attrs: { Arn: `arn:aws:sqs:${g}:${a}:${name}`, QueueName: name, QueueUrl: url } };
    }
    case 'AWS::SNS::Topic': {
      const name = named(r, id, 'TopicName', `arn:aws:sns:${g}:${a}:`);
      const arn = `arn:aws:sns:${g}:${a}:${name}`;
      return { ref: arn, attrs: { TopicArn: arn, TopicName: name } };
    }
    case 'AWS::ECR::Repository': {
      const name = named(r, id, 'RepositoryName', `arn:aws:ecr:${g}:${a}:repository/`);
      return { ref: name, attrs: { Arn: `arn:aws:ecr:${g}:${a}:repository/${name}` } };
    }
    case 'AWS::Lambda::Function':
    case 'AWS::Serverless::Function': {
      const name = named(r, id, 'FunctionName', `arn:aws:lambda:${g}:${a}:function:`);
      return { ref: name, attrs: { Arn: `arn:aws:lambda:${g}:${a}:function:${name}` } };
    }
    case 'AWS::SecretsManager::Secret': {
      const arn = `arn:aws:secretsmanager:${g}:${a}:secret:${r.table.symbol(id, 'Id', `arn:aws:secretsmanager:${g}:${a}:secret:`, { source: r.source(id) })}`;
      return { ref: arn, attrs: { Id: arn } };
    }
    case 'AWS::DynamoDB::Table': {
      const name = named(r, id, 'TableName', `arn:aws:dynamodb:${g}:${a}:table/`);
      return { ref: name, attrs: { Arn: `arn:aws:dynamodb:${g}:${a}:table/${name}` } };
    }
    case 'AWS::SSO::PermissionSet': {
      const arn = `arn:aws:sso:::permissionSet/${r.table.symbol(id, 'PermissionSetArn', 'arn:aws:sso:::permissionSet/', { source: r.source(id) })}`;
      return { ref: arn, attrs: { PermissionSetArn: arn } };
    }
    case 'AWS::Organizations::Policy': {
      const pid = r.table.symbol(id, 'Id', 'p-', { source: r.source(id) });
      return { ref: pid, attrs: { Id: pid } };
    }
    default:
      return { attrs: {} };
  }
}
