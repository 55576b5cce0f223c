/**
 * Each Terraform resource type iamsim reads: a change that grants new access
 * (FAIL with a counterexample the evaluator confirmed) and one that does not
 * (PASS). Documents follow the Terraform AWS provider's attribute names.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Json } from './json.js';
import { ACCT, diffPlan, doc, plan, role, verdict, type Change } from '../test-support.test.js';

const ROLE = `arn:aws:iam::${ACCT}:role/NotebookRole`;
const USER = `arn:aws:iam::${ACCT}:user/alice`;
const read = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::ml-data/train/*' });
const wide = doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::ml-data/*' });
const narrow = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::ml-data/train/images/*' });
const bucketPolicy = (principal: Json, action: Json) =>
  doc({ Effect: 'Allow', Principal: { AWS: principal }, Action: action, Resource: ['arn:aws:s3:::ml-data', 'arn:aws:s3:::ml-data/*'] });

interface Case {
  readonly name: string;
  readonly target: string;
  readonly policy?: 'trust' | 'resource';
  /** Resources on both sides (unchanged). */
  readonly common?: readonly Change[];
  readonly change: (after: 'widen' | 'narrow') => readonly Change[];
}

const roleRes: Change = { type: 'aws_iam_role', name: 'r', before: role('NotebookRole'), after: role('NotebookRole') };
const userRes: Change = { type: 'aws_iam_user', name: 'u', before: { name: 'alice', path: '/' }, after: { name: 'alice', path: '/' } };
const groupRes: Change = { type: 'aws_iam_group', name: 'g', before: { name: 'ds', path: '/' }, after: { name: 'ds', path: '/' } };
const managed = (name: string, policy: string): Record<string, Json> => ({ name, path: '/', policy, arn: `arn:aws:iam::${ACCT}:policy/${name}` });

const CASES: readonly Case[] = [
  {
    name: 'aws_iam_role inline_policy',
    target: ROLE,
    change: (w) => [
      {
        type: 'aws_iam_role',
        name: 'r',
        before: role('NotebookRole', { inline_policy: [{ name: 'p', policy: read }] }),
        after: role('NotebookRole', { inline_policy: [{ name: 'p', policy: w === 'widen' ? wide : narrow }] }),
      },
    ],
  },
  {
    name: 'aws_iam_role assume_role_policy',
    target: ROLE,
    policy: 'trust',
    change: (w) => [
      {
        type: 'aws_iam_role',
        name: 'r',
        before: role('NotebookRole'),
        after: role('NotebookRole', {
          assume_role_policy:
            w === 'widen'
              ? doc({ Effect: 'Allow', Principal: { Service: ['sagemaker.amazonaws.com', 'ec2.amazonaws.com'] }, Action: 'sts:AssumeRole' })
              : doc({
                  Effect: 'Allow',
                  Principal: { Service: 'sagemaker.amazonaws.com' },
                  Action: 'sts:AssumeRole',
                  Condition: { StringEquals: { 'aws:SourceAccount': ACCT } },
                }),
        }),
      },
    ],
  },
  {
    name: 'aws_iam_role managed_policy_arns',
    target: ROLE,
    change: (w) => [
      {
        type: 'aws_iam_role',
        name: 'r',
        before: role('NotebookRole', { managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'] }),
        after: role('NotebookRole', { managed_policy_arns: w === 'widen' ? ['arn:aws:iam::aws:policy/AmazonS3FullAccess'] : [] }),
      },
    ],
  },
  {
    name: 'aws_iam_role permissions_boundary',
    target: ROLE,
    common: [{ type: 'aws_iam_policy', name: 'b', before: managed('Boundary', read), after: managed('Boundary', read) }],
    change: (w) => [
      {
        type: 'aws_iam_role',
        name: 'r',
        before: role('NotebookRole', { inline_policy: [{ name: 'p', policy: wide }], permissions_boundary: `arn:aws:iam::${ACCT}:policy/Boundary` }),
        after: role('NotebookRole', {
          inline_policy: [{ name: 'p', policy: wide }],
          permissions_boundary: w === 'widen' ? null : `arn:aws:iam::${ACCT}:policy/Boundary`,
        }),
      },
    ],
  },
  {
    name: 'aws_iam_policy (attached)',
    target: ROLE,
    common: [
      roleRes,
      {
        type: 'aws_iam_role_policy_attachment',
        name: 'a',
        before: { role: 'NotebookRole', policy_arn: `arn:aws:iam::${ACCT}:policy/Data` },
        after: { role: 'NotebookRole', policy_arn: `arn:aws:iam::${ACCT}:policy/Data` },
      },
    ],
    change: (w) => [{ type: 'aws_iam_policy', name: 'p', before: managed('Data', read), after: managed('Data', w === 'widen' ? wide : narrow) }],
  },
  {
    name: 'aws_iam_role_policy',
    target: ROLE,
    common: [roleRes],
    change: (w) => [
      {
        type: 'aws_iam_role_policy',
        name: 'p',
        before: { role: 'NotebookRole', name: 'data', policy: read },
        after: { role: 'NotebookRole', name: 'data', policy: w === 'widen' ? wide : narrow },
      },
    ],
  },
  {
    name: 'aws_iam_user_policy',
    target: USER,
    common: [userRes],
    change: (w) => [
      {
        type: 'aws_iam_user_policy',
        name: 'p',
        before: { user: 'alice', name: 'data', policy: read },
        after: { user: 'alice', name: 'data', policy: w === 'widen' ? wide : narrow },
      },
    ],
  },
  {
    name: 'aws_iam_group_policy (through membership)',
    target: USER,
    common: [
      userRes,
      groupRes,
      { type: 'aws_iam_user_group_membership', name: 'm', before: { user: 'alice', groups: ['ds'] }, after: { user: 'alice', groups: ['ds'] } },
    ],
    change: (w) => [
      {
        type: 'aws_iam_group_policy',
        name: 'p',
        before: { group: 'ds', name: 'data', policy: read },
        after: { group: 'ds', name: 'data', policy: w === 'widen' ? wide : narrow },
      },
    ],
  },
  {
    name: 'aws_iam_user_group_membership',
    target: USER,
    common: [
      userRes,
      groupRes,
      { type: 'aws_iam_group_policy', name: 'p', before: { group: 'ds', name: 'data', policy: wide }, after: { group: 'ds', name: 'data', policy: wide } },
    ],
    change: (w) => [{ type: 'aws_iam_user_group_membership', name: 'm', before: null, after: w === 'widen' ? { user: 'alice', groups: ['ds'] } : null }],
  },
  {
    name: 'aws_iam_group_membership',
    target: USER,
    common: [
      userRes,
      groupRes,
      { type: 'aws_iam_group_policy', name: 'p', before: { group: 'ds', name: 'data', policy: wide }, after: { group: 'ds', name: 'data', policy: wide } },
    ],
    change: (w) => [
      {
        type: 'aws_iam_group_membership',
        name: 'm',
        before: { name: 'm', group: 'ds', users: [] },
        after: { name: 'm', group: 'ds', users: w === 'widen' ? ['alice'] : [] },
      },
    ],
  },
  {
    name: 'aws_iam_role_policy_attachment',
    target: ROLE,
    common: [roleRes],
    change: (w) => [
      {
        type: 'aws_iam_role_policy_attachment',
        name: 'a',
        before: { role: 'NotebookRole', policy_arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
        after: w === 'widen' ? { role: 'NotebookRole', policy_arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' } : null,
      },
    ],
  },
  {
    name: 'aws_iam_user_policy_attachment',
    target: USER,
    common: [userRes],
    change: (w) => [
      {
        type: 'aws_iam_user_policy_attachment',
        name: 'a',
        before: { user: 'alice', policy_arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
        after: { user: 'alice', policy_arn: w === 'widen' ? 'arn:aws:iam::aws:policy/AmazonS3FullAccess' : 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
      },
    ],
  },
  {
    name: 'aws_iam_group_policy_attachment',
    target: USER,
    common: [
      userRes,
      groupRes,
      { type: 'aws_iam_user_group_membership', name: 'm', before: { user: 'alice', groups: ['ds'] }, after: { user: 'alice', groups: ['ds'] } },
    ],
    change: (w) => [
      {
        type: 'aws_iam_group_policy_attachment',
        name: 'a',
        before: null,
        after: w === 'widen' ? { group: 'ds', policy_arn: 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess' } : null,
      },
    ],
  },
  {
    name: 'aws_iam_policy_attachment',
    target: ROLE,
    common: [roleRes],
    change: (w) => [
      {
        type: 'aws_iam_policy_attachment',
        name: 'a',
        before: null,
        after: { name: 'a', roles: w === 'widen' ? ['NotebookRole'] : [], users: [], groups: [], policy_arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
      },
    ],
  },
  {
    name: 'aws_s3_bucket_policy',
    target: 'arn:aws:s3:::ml-data',
    policy: 'resource',
    change: (w) => [
      {
        type: 'aws_s3_bucket_policy',
        name: 'b',
        before: { bucket: 'ml-data', policy: bucketPolicy(`arn:aws:iam::${ACCT}:root`, 's3:GetObject') },
        after: {
          bucket: 'ml-data',
          policy:
            w === 'widen'
              ? bucketPolicy('arn:aws:iam::444455556666:root', 's3:GetObject')
              : bucketPolicy(`arn:aws:iam::${ACCT}:role/NotebookRole`, 's3:GetObject'),
        },
      },
    ],
  },
  {
    name: 'aws_kms_key policy',
    target: `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    policy: 'resource',
    change: (w) => {
      const key = (p: Json) => ({
        key_id: '1234abcd-12ab-34cd-56ef-1234567890ab',
        arn: `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        policy: doc({ Effect: 'Allow', Principal: { AWS: p }, Action: 'kms:*', Resource: '*' }),
      });
      return [{ type: 'aws_kms_key', name: 'k', before: key(`arn:aws:iam::${ACCT}:root`), after: key(w === 'widen' ? '*' : `arn:aws:iam::${ACCT}:root`) }];
    },
  },
  {
    name: 'aws_sqs_queue_policy',
    target: `arn:aws:sqs:us-east-1:${ACCT}:jobs`,
    policy: 'resource',
    change: (w) => {
      const q = (action: string) => ({
        queue_url: `https://sqs.us-east-1.amazonaws.com/${ACCT}/jobs`,
        policy: doc({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: action, Resource: `arn:aws:sqs:us-east-1:${ACCT}:jobs` }),
      });
      return [{ type: 'aws_sqs_queue_policy', name: 'q', before: q('sqs:SendMessage'), after: q(w === 'widen' ? 'sqs:*' : 'sqs:SendMessage') }];
    },
  },
  {
    name: 'aws_sns_topic_policy',
    target: `arn:aws:sns:us-east-1:${ACCT}:alerts`,
    policy: 'resource',
    change: (w) => {
      const t = (p: Json) => ({
        arn: `arn:aws:sns:us-east-1:${ACCT}:alerts`,
        policy: doc({ Effect: 'Allow', Principal: p, Action: 'sns:Publish', Resource: `arn:aws:sns:us-east-1:${ACCT}:alerts` }),
      });
      return [
        {
          type: 'aws_sns_topic_policy',
          name: 't',
          before: t({ Service: 'events.amazonaws.com' }),
          after: t(w === 'widen' ? '*' : { Service: 'events.amazonaws.com' }),
        },
      ];
    },
  },
  {
    name: 'aws_ecr_repository_policy',
    target: `arn:aws:ecr:us-east-1:${ACCT}:repository/ml/training`,
    policy: 'resource',
    change: (w) => {
      const r = (actions: string[]) => ({
        repository: 'ml/training',
        policy: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: actions }),
      });
      return [
        {
          type: 'aws_ecr_repository_policy',
          name: 'r',
          before: r(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']),
          after: r(w === 'widen' ? ['ecr:*'] : ['ecr:BatchGetImage']),
        },
      ];
    },
  },
  {
    name: 'aws_lambda_permission',
    target: `arn:aws:lambda:us-east-1:${ACCT}:function:train`,
    policy: 'resource',
    change: (w) => [
      {
        type: 'aws_lambda_permission',
        name: 'p',
        before: {
          function_name: 'train',
          statement_id: 'Events',
          action: 'lambda:InvokeFunction',
          principal: 'events.amazonaws.com',
          source_arn: `arn:aws:events:us-east-1:${ACCT}:rule/nightly`,
        },
        after: {
          function_name: 'train',
          statement_id: 'Events',
          action: 'lambda:InvokeFunction',
          principal: 'events.amazonaws.com',
          source_arn: w === 'widen' ? null : `arn:aws:events:us-east-1:${ACCT}:rule/nightly`,
        },
      },
    ],
  },
  {
    name: 'aws_secretsmanager_secret_policy',
    target: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`,
    policy: 'resource',
    change: (w) => {
      const s = (p: string) => ({
        secret_arn: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`,
        policy: doc({ Effect: 'Allow', Principal: { AWS: p }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }),
      });
      return [
        {
          type: 'aws_secretsmanager_secret_policy',
          name: 's',
          before: s(`arn:aws:iam::${ACCT}:role/NotebookRole`),
          after: s(w === 'widen' ? `arn:aws:iam::${ACCT}:root` : `arn:aws:iam::${ACCT}:role/NotebookRole`),
        },
      ];
    },
  },
];

describe('Terraform resource types: widening fails, narrowing passes', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const wideR = await diffPlan(plan([...(c.common ?? []), ...c.change('widen')]));
      assert.equal(verdict(wideR, c.target, c.policy), 'FAIL', JSON.stringify(wideR.principals.concat(wideR.resources as never), null, 1).slice(0, 1500));
      const entry = [...wideR.principals, ...wideR.resources].find((e) => e.arn === c.target && e.newAccess.result === 'FAIL')!;
      assert.ok(entry.newAccess.counterexamples.length > 0, 'a FAIL carries a confirmed counterexample');
      assert.match(entry.source.address ?? '', /^aws_/, 'the source names the Terraform address');
      const narrowR = await diffPlan(plan([...(c.common ?? []), ...c.change('narrow')]));
      const v = verdict(narrowR, c.target, c.policy);
      assert.ok(v === undefined || v === 'PASS', `narrowing: ${v} ${JSON.stringify(narrowR.principals.concat(narrowR.resources as never)).slice(0, 800)}`);
      assert.equal(narrowR.result, 'PASS');
    });
  }
});
