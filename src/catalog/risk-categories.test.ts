/**
 * The risk categories (risk-categories.ts), one definition for audit and lint:
 * every listed action is a catalog action at the documented access level;
 * each category is found by both commands for a principal that has it and by
 * neither for a similar principal that does not. Access levels: IAM User
 * Guide, access_policies_understand-policy-summary-access-level-summaries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Account, User } from '../account/model.js';
import { createUniverse } from '../account/query.js';
import { lintPolicy } from '../analyze/lint.js';
import { runAudit } from '../audit/index.js';
import { getAction } from './actions.js';
import {
  CREDENTIAL_ACTIONS,
  categoryOfAction,
  DATA_ACTIONS,
  isInfrastructureModificationAction,
  type RiskCategory,
  SHARING_ACTIONS,
} from './risk-categories.js';

test('every listed action is a catalog action, spelled as the catalog spells it', () => {
  for (const a of [...CREDENTIAL_ACTIONS, ...SHARING_ACTIONS, ...DATA_ACTIONS]) {
    const info = getAction(a);
    assert.ok(info, `${a} is not in the catalog`);
    assert.equal(`${info.service}:${info.name}`.toLowerCase(), a.toLowerCase());
  }
});

test('data exfiltration actions are Read-level; sharing actions Write-level', () => {
  for (const a of DATA_ACTIONS) assert.equal(getAction(a)?.accessLevel, 'Read', a);
  for (const a of SHARING_ACTIONS) assert.ok(getAction(a)?.accessLevel.split(', ').includes('Write'), a);
});

test('each action has one category, in the documented order', () => {
  assert.equal(categoryOfAction('iam:CreateAccessKey'), 'credentials-exposure'); // also Write
  assert.equal(categoryOfAction('secretsmanager:GetSecretValue'), 'data-exfiltration');
  assert.equal(categoryOfAction('s3:PutBucketPolicy'), 'resource-exposure');
  assert.equal(categoryOfAction('ram:CreateResourceShare'), 'resource-exposure'); // Write, but a sharing action
  assert.equal(categoryOfAction('s3:PutObject'), 'infrastructure-modification');
  assert.ok(isInfrastructureModificationAction('ec2:RunInstances'));
  assert.ok(!isInfrastructureModificationAction('iam:CreateAccessKey'));
  assert.equal(categoryOfAction('s3:GetBucketLocation'), undefined); // Read of attributes
  assert.equal(categoryOfAction('ecr:BatchGetImage'), undefined); // documented exclusion
  assert.equal(categoryOfAction('s3:ListBucket'), undefined);
});

const A = '111111111111';
const doc = (Action: string, Resource: string): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });
const user = (name: string, action: string, resource: string): User => ({
  arn: `arn:aws:iam::${A}:user/${name}`,
  name,
  path: '/',
  groups: [],
  inlinePolicies: [{ name, document: doc(action, resource) }],
  managedPolicies: [],
  tags: [],
});

/** Category → [action on "*" that has it, the same on one resource that does not, lint code or undefined]. */
const CASES: readonly [Exclude<RiskCategory, 'privilege-escalation'>, string, string, string | undefined][] = [
  ['credentials-exposure', 'redshift:GetClusterCredentials', 'redshift:GetClusterCredentials', 'CREDENTIALS_EXPOSURE'],
  ['data-exfiltration', 's3:GetObject', 's3:GetObject', 'DATA_EXFILTRATION'],
  ['resource-exposure', 's3:PutBucketPolicy', 's3:PutBucketPolicy', 'RESOURCE_EXPOSURE'],
  ['infrastructure-modification', 'ec2:TerminateInstances', 'ec2:TerminateInstances', undefined],
];
const NARROW: Readonly<Record<string, string>> = {
  'credentials-exposure': `arn:aws:redshift:us-east-1:${A}:dbuser:analytics/reader`,
  'data-exfiltration': 'arn:aws:s3:::amzn-s3-demo-bucket/reports/*',
  'resource-exposure': 'arn:aws:s3:::amzn-s3-demo-bucket',
  'infrastructure-modification': `arn:aws:ec2:us-east-1:${A}:instance/i-0123456789abcdef0`,
};

for (const [category, wide, narrow, code] of CASES) {
  test(`${category}: audit and lint find it on "*", not on one named resource`, async () => {
    const has = user('has', wide, '*');
    const hasNot = user('hasnot', narrow, NARROW[category] ?? '');
    const account: Account = { id: A, users: [has, hasNot], groups: [], roles: [], managedPolicies: [], resourcePolicies: [], sources: [] };
    const r = await runAudit(createUniverse({ accounts: [account] }), { at: new Date('2026-01-01T00:00:00Z') });
    const risks = (arn: string): string[] => r.principals.find((p) => p.arn === arn)?.risks.map((x) => x.category) ?? [];
    assert.deepEqual(risks(has.arn), [category]);
    assert.deepEqual(risks(hasNot.arn), []);
    const lint = (d: string): string[] => lintPolicy(d, { type: 'identity' }).map((f) => f.issueCode);
    if (code !== undefined) {
      assert.ok(lint(doc(wide, '*')).includes(code), `${wide} on *`);
      assert.ok(!lint(doc(narrow, NARROW[category] ?? '')).includes(code), `${narrow} on one resource`);
    }
  });
}

test('privilege-escalation: audit and lint find it for iam:PutUserPolicy on any user, not on a user the principal cannot reach', async () => {
  const has = user('has', 'iam:PutUserPolicy', `arn:aws:iam::${A}:user/*`);
  // Only a user that does not exist in the model and is not the principal itself: no grant anyone receives.
  const hasNot = user('hasnot', 'iam:PutUserPolicy', `arn:aws:iam::${A}:user/departed`);
  const account: Account = { id: A, users: [has, hasNot], groups: [], roles: [], managedPolicies: [], resourcePolicies: [], sources: [] };
  const r = await runAudit(createUniverse({ accounts: [account] }), { at: new Date('2026-01-01T00:00:00Z') });
  const risks = (arn: string): string[] => r.principals.find((p) => p.arn === arn)?.risks.map((x) => x.category) ?? [];
  assert.ok(risks(has.arn).includes('privilege-escalation'));
  assert.ok(!risks(hasNot.arn).includes('privilege-escalation'));
  const lint = (d: string): string[] => lintPolicy(d, { type: 'identity' }).map((f) => f.issueCode);
  assert.ok(lint(doc('iam:PutUserPolicy', `arn:aws:iam::${A}:user/*`)).includes('PRIVILEGE_ESCALATION'));
  assert.ok(!lint(doc('iam:PutUserPolicy', `arn:aws:iam::${A}:user/departed`)).includes('PRIVILEGE_ESCALATION'));
});
