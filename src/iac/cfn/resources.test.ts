/**
 * Each CloudFormation/SAM type iamsim reads: a template change that grants
 * new access (FAIL, confirmed counterexample, source line in the template)
 * and one that does not (PASS). Property names follow the CloudFormation
 * resource reference (AWS::IAM::Role, AWS::S3::BucketPolicy, …).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffChange, type DiffReport } from '../diff/index.js';
import { SymbolTable } from '../symbols.js';
import { readTemplate } from './template.js';

const ACCT = '111122223333';
type Obj = Record<string, unknown>;

function doc(...Statement: Obj[]): Obj {
  return { Version: '2012-10-17', Statement };
}

const TRUST = doc({ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' });
const READ = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${DataBucket}/train/*' } });
const WIDE = doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: { 'Fn::Sub': '${DataBucket.Arn}/*' } });
const NARROW = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'DataBucket' }, '/train/images/*']] } });

const BUCKET = { DataBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'ml-data' } } };
const ROLE = (extra: Obj = {}) => ({ Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'NotebookRole', AssumeRolePolicyDocument: TRUST, ...extra } } });
const ROLE_ARN = `arn:aws:iam::${ACCT}:role/NotebookRole`;

async function diff(before: Obj, after: Obj): Promise<DiffReport> {
  const table = new SymbolTable();
  const t = (resources: Obj, name: string) =>
    readTemplate(JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2), name, table, { accountId: ACCT });
  const b = t(before, 'before.json');
  const a = t(after, 'after.json');
  assert.deepEqual([...b.diagnostics, ...a.diagnostics], []);
  return diffChange({ before: b.side, after: a.side, table, account: ACCT, noAudit: true });
}

function verdictOf(r: DiffReport, arn: string, policy?: 'trust' | 'resource'): string | undefined {
  if (!policy) return r.principals.find((p) => p.arn === arn)?.newAccess.result;
  return r.resources.find((p) => p.arn === arn && p.policy === policy)?.newAccess.result;
}

interface Case {
  readonly name: string;
  readonly target: string;
  readonly policy?: 'trust' | 'resource';
  readonly before: Obj;
  readonly widen: Obj;
  readonly narrow: Obj;
}

const kmsKey = (principal: unknown) => ({
  Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: doc({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:Decrypt', Resource: '*' }) } },
});

const CASES: readonly Case[] = [
  {
    name: 'AWS::IAM::Role Policies',
    target: ROLE_ARN,
    before: { ...BUCKET, ...ROLE({ Policies: [{ PolicyName: 'p', PolicyDocument: READ }] }) },
    widen: { ...BUCKET, ...ROLE({ Policies: [{ PolicyName: 'p', PolicyDocument: WIDE }] }) },
    narrow: { ...BUCKET, ...ROLE({ Policies: [{ PolicyName: 'p', PolicyDocument: NARROW }] }) },
  },
  {
    name: 'AWS::IAM::Role AssumeRolePolicyDocument',
    target: ROLE_ARN,
    policy: 'trust',
    before: ROLE(),
    widen: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: { RoleName: 'NotebookRole', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }) },
      },
    },
    narrow: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'NotebookRole',
          AssumeRolePolicyDocument: doc({
            Effect: 'Allow',
            Principal: { Service: 'sagemaker.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        },
      },
    },
  },
  {
    name: 'AWS::IAM::Role ManagedPolicyArns',
    target: ROLE_ARN,
    before: ROLE({ ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'] }),
    widen: ROLE({ ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'] }),
    narrow: ROLE(),
  },
  {
    name: 'AWS::IAM::Role PermissionsBoundary',
    target: ROLE_ARN,
    before: {
      ...BUCKET,
      Boundary: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'Boundary', PolicyDocument: READ } },
      ...ROLE({ Policies: [{ PolicyName: 'p', PolicyDocument: WIDE }], PermissionsBoundary: { Ref: 'Boundary' } }),
    },
    widen: {
      ...BUCKET,
      Boundary: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'Boundary', PolicyDocument: READ } },
      ...ROLE({ Policies: [{ PolicyName: 'p', PolicyDocument: WIDE }] }),
    },
    narrow: {
      ...BUCKET,
      Boundary: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'Boundary', PolicyDocument: NARROW } },
      ...ROLE({ Policies: [{ PolicyName: 'p', PolicyDocument: WIDE }], PermissionsBoundary: { Ref: 'Boundary' } }),
    },
  },
  {
    name: 'AWS::IAM::ManagedPolicy (Roles)',
    target: ROLE_ARN,
    before: { ...BUCKET, ...ROLE(), P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: READ, Roles: [{ Ref: 'Role' }] } } },
    widen: { ...BUCKET, ...ROLE(), P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: WIDE, Roles: [{ Ref: 'Role' }] } } },
    narrow: { ...BUCKET, ...ROLE(), P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: NARROW, Roles: [{ Ref: 'Role' }] } } },
  },
  {
    name: 'AWS::IAM::Policy (Users, Groups and UserToGroupAddition)',
    target: `arn:aws:iam::${ACCT}:user/alice`,
    before: {
      ...BUCKET,
      U: { Type: 'AWS::IAM::User', Properties: { UserName: 'alice' } },
      G: { Type: 'AWS::IAM::Group', Properties: { GroupName: 'ds' } },
      P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: READ, Groups: [{ Ref: 'G' }] } },
      A: { Type: 'AWS::IAM::UserToGroupAddition', Properties: { GroupName: { Ref: 'G' }, Users: [{ Ref: 'U' }] } },
    },
    widen: {
      ...BUCKET,
      U: { Type: 'AWS::IAM::User', Properties: { UserName: 'alice' } },
      G: { Type: 'AWS::IAM::Group', Properties: { GroupName: 'ds' } },
      P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: WIDE, Groups: [{ Ref: 'G' }] } },
      A: { Type: 'AWS::IAM::UserToGroupAddition', Properties: { GroupName: { Ref: 'G' }, Users: [{ Ref: 'U' }] } },
    },
    narrow: {
      ...BUCKET,
      U: { Type: 'AWS::IAM::User', Properties: { UserName: 'alice' } },
      G: { Type: 'AWS::IAM::Group', Properties: { GroupName: 'ds' } },
      P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: NARROW, Users: [{ Ref: 'U' }] } },
    },
  },
  {
    name: 'AWS::IAM::RolePolicy',
    target: ROLE_ARN,
    before: { ...BUCKET, ...ROLE(), P: { Type: 'AWS::IAM::RolePolicy', Properties: { RoleName: { Ref: 'Role' }, PolicyName: 'p', PolicyDocument: READ } } },
    widen: { ...BUCKET, ...ROLE(), P: { Type: 'AWS::IAM::RolePolicy', Properties: { RoleName: { Ref: 'Role' }, PolicyName: 'p', PolicyDocument: WIDE } } },
    narrow: { ...BUCKET, ...ROLE(), P: { Type: 'AWS::IAM::RolePolicy', Properties: { RoleName: { Ref: 'Role' }, PolicyName: 'p', PolicyDocument: NARROW } } },
  },
  {
    name: 'AWS::SSO::PermissionSet',
    target: `arn:aws:iam::${ACCT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DataScience`,
    before: {
      ...BUCKET,
      PS: { Type: 'AWS::SSO::PermissionSet', Properties: { Name: 'DataScience', InstanceArn: 'arn:aws:sso:::instance/ssoins-1', InlinePolicy: READ } },
    },
    widen: {
      ...BUCKET,
      PS: {
        Type: 'AWS::SSO::PermissionSet',
        Properties: {
          Name: 'DataScience',
          InstanceArn: 'arn:aws:sso:::instance/ssoins-1',
          InlinePolicy: READ,
          ManagedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        },
      },
    },
    narrow: {
      ...BUCKET,
      PS: { Type: 'AWS::SSO::PermissionSet', Properties: { Name: 'DataScience', InstanceArn: 'arn:aws:sso:::instance/ssoins-1', InlinePolicy: NARROW } },
    },
  },
  {
    name: 'AWS::S3::BucketPolicy',
    target: 'arn:aws:s3:::ml-data',
    policy: 'resource',
    before: {
      ...BUCKET,
      BP: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'DataBucket' },
          PolicyDocument: doc({
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } },
            Action: 's3:GetObject',
            Resource: { 'Fn::Sub': '${DataBucket.Arn}/*' },
          }),
        },
      },
    },
    widen: {
      ...BUCKET,
      BP: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'DataBucket' },
          PolicyDocument: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: { 'Fn::Sub': '${DataBucket.Arn}/*' } }),
        },
      },
    },
    narrow: {
      ...BUCKET,
      BP: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'DataBucket' },
          PolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 's3:GetObject', Resource: { 'Fn::Sub': '${DataBucket.Arn}/*' } }),
        },
      },
    },
  },
  {
    name: 'AWS::KMS::Key KeyPolicy',
    target: 'KMS',
    policy: 'resource',
    before: kmsKey(`arn:aws:iam::${ACCT}:root`),
    widen: kmsKey('arn:aws:iam::444455556666:root'),
    narrow: kmsKey(ROLE_ARN),
  },
  {
    name: 'AWS::SQS::QueuePolicy',
    target: `arn:aws:sqs:us-east-1:${ACCT}:jobs`,
    policy: 'resource',
    before: {
      Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
      QP: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'Q' }],
          PolicyDocument: doc({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': ['Q', 'Arn'] },
          }),
        },
      },
    },
    widen: {
      Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
      QP: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'Q' }],
          PolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:*', Resource: { 'Fn::GetAtt': ['Q', 'Arn'] } }),
        },
      },
    },
    narrow: {
      Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
      QP: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'Q' }],
          PolicyDocument: doc({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': ['Q', 'Arn'] },
            Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:events:us-east-1:${ACCT}:rule/r` } },
          }),
        },
      },
    },
  },
  {
    name: 'AWS::SNS::TopicPolicy',
    target: `arn:aws:sns:us-east-1:${ACCT}:alerts`,
    policy: 'resource',
    before: {
      T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
      TP: {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: {
          Topics: [{ Ref: 'T' }],
          PolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: 'T' } }),
        },
      },
    },
    widen: {
      T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
      TP: {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: {
          Topics: [{ Ref: 'T' }],
          PolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: { Ref: 'T' } }),
        },
      },
    },
    narrow: { T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } } },
  },
  {
    name: 'AWS::ECR::Repository RepositoryPolicyText',
    target: `arn:aws:ecr:us-east-1:${ACCT}:repository/ml/training`,
    policy: 'resource',
    before: {
      R: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          RepositoryName: 'ml/training',
          RepositoryPolicyText: doc({
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::444455556666:root' },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          }),
        },
      },
    },
    widen: {
      R: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          RepositoryName: 'ml/training',
          RepositoryPolicyText: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['ecr:*'] }),
        },
      },
    },
    narrow: {
      R: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          RepositoryName: 'ml/training',
          RepositoryPolicyText: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['ecr:BatchGetImage'] }),
        },
      },
    },
  },
  {
    name: 'AWS::Lambda::Permission',
    target: `arn:aws:lambda:us-east-1:${ACCT}:function:train`,
    policy: 'resource',
    before: {
      P: {
        Type: 'AWS::Lambda::Permission',
        Properties: { FunctionName: 'train', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } },
      },
    },
    widen: { P: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: 'train', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' } } },
    narrow: {
      P: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: 'train',
          Action: 'lambda:InvokeFunction',
          Principal: 's3.amazonaws.com',
          SourceAccount: { Ref: 'AWS::AccountId' },
          SourceArn: 'arn:aws:s3:::ml-data',
        },
      },
    },
  },
  {
    name: 'AWS::SecretsManager::ResourcePolicy',
    target: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`,
    policy: 'resource',
    before: {
      S: {
        Type: 'AWS::SecretsManager::ResourcePolicy',
        Properties: {
          SecretId: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`,
          ResourcePolicy: doc({ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }),
        },
      },
    },
    widen: {
      S: {
        Type: 'AWS::SecretsManager::ResourcePolicy',
        Properties: {
          SecretId: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`,
          ResourcePolicy: doc({
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::444455556666:root' },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
          }),
        },
      },
    },
    narrow: {
      S: {
        Type: 'AWS::SecretsManager::ResourcePolicy',
        Properties: {
          SecretId: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`,
          ResourcePolicy: doc({ Effect: 'Deny', Principal: '*', Action: 'secretsmanager:DeleteSecret', Resource: '*' }),
        },
      },
    },
  },
  {
    name: 'AWS::Serverless::Function Policies (SAM policy templates)',
    target: 'SAM',
    before: {
      ...BUCKET,
      Fn: {
        Type: 'AWS::Serverless::Function',
        Properties: { Handler: 'a.b', Runtime: 'python3.12', Policies: [{ S3ReadPolicy: { BucketName: { Ref: 'DataBucket' } } }] },
      },
    },
    widen: {
      ...BUCKET,
      Fn: {
        Type: 'AWS::Serverless::Function',
        Properties: { Handler: 'a.b', Runtime: 'python3.12', Policies: [{ S3CrudPolicy: { BucketName: { Ref: 'DataBucket' } } }] },
      },
    },
    narrow: { ...BUCKET, Fn: { Type: 'AWS::Serverless::Function', Properties: { Handler: 'a.b', Runtime: 'python3.12', Policies: [] } } },
  },
];

function find(r: DiffReport, c: Case): string | undefined {
  if (c.target === 'KMS') return r.resources.find((x) => x.arn.includes(':key/'))?.newAccess.result;
  if (c.target === 'SAM') return r.principals.find((x) => x.arn.includes('FnRole'))?.newAccess.result;
  return verdictOf(r, c.target, c.policy);
}

describe('CloudFormation types: widening fails, narrowing passes', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const w = await diff(c.before, c.widen);
      assert.equal(find(w, c), 'FAIL', JSON.stringify([...w.principals, ...w.resources].map((x) => [x.arn, x.newAccess.result, x.newAccess.unknownReasons])));
      const failing = [...w.principals, ...w.resources].find((x) => x.newAccess.result === 'FAIL')!;
      assert.ok(failing.newAccess.counterexamples.length > 0);
      assert.equal(failing.source.file, 'after.json');
      assert.ok((failing.source.line ?? 0) > 1, 'the source line points into the template');
      const n = await diff(c.before, c.narrow);
      const v = find(n, c);
      assert.ok(
        v === undefined || v === 'PASS',
        `${v}: ${JSON.stringify([...n.principals, ...n.resources].map((x) => [x.arn, x.newAccess.result, x.newAccess.unknownReasons]))}`,
      );
      assert.equal(n.result, 'PASS', JSON.stringify(n.unknowns));
    });
  }
});
