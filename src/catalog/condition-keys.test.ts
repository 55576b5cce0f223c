import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionSupportsConditionKey, conditionKeysForAction, getConditionKey, listGlobalConditionKeys, suggestConditionKeys } from './catalog.js';

test('global condition key types', () => {
  assert.equal(getConditionKey('aws:CurrentTime')?.type, 'Date');
  assert.equal(getConditionKey('aws:SourceIp')?.type, 'IPAddress');
  assert.equal(getConditionKey('aws:TagKeys')?.type, 'ArrayOfString');
  assert.equal(getConditionKey('aws:MultiFactorAuthPresent')?.type, 'Bool');
  assert.equal(getConditionKey('aws:MultiFactorAuthAge')?.type, 'Numeric');
  assert.equal(getConditionKey('aws:PrincipalArn')?.type, 'ARN');
  const ip = getConditionKey('AWS:SOURCEIP');
  assert.ok(ip);
  assert.equal(ip.key, 'aws:SourceIp');
  assert.equal(ip.global, true);
  assert.equal(ip.templated, false);
});

test('templated global keys', () => {
  for (const [k, t] of [
    ['aws:RequestTag/Project', 'aws:RequestTag/${TagKey}'],
    ['aws:ResourceTag/team', 'aws:ResourceTag/${TagKey}'],
    ['aws:principaltag/Dept', 'aws:PrincipalTag/${TagKey}'],
    ['aws:PrincipalTag/${TagKey}', 'aws:PrincipalTag/${TagKey}'],
  ] as const) {
    const info = getConditionKey(k);
    assert.ok(info, k);
    assert.equal(info.key, t);
    assert.equal(info.type, 'String');
    assert.equal(info.global, true);
    assert.equal(info.templated, true);
  }
  assert.equal(getConditionKey('aws:RequestTag/'), undefined);
  assert.equal(getConditionKey('aws:RequestTag'), undefined);
  assert.ok(listGlobalConditionKeys().includes('aws:RequestTag/${TagKey}'));
});

test('service condition keys', () => {
  const passed = getConditionKey('iam:passedtoservice');
  assert.ok(passed);
  assert.equal(passed.key, 'iam:PassedToService');
  assert.equal(passed.type, 'String');
  assert.equal(passed.global, false);
  assert.ok(passed.description);
  assert.equal(getConditionKey('iam:AssociatedResourceArn')?.type, 'ARN');
  const tag = getConditionKey('s3:ExistingObjectTag/classification');
  assert.ok(tag);
  assert.equal(tag.key, 's3:ExistingObjectTag/<key>');
  assert.equal(tag.templated, true);
  assert.equal(getConditionKey('S3:existingobjecttag/x')?.key, 's3:ExistingObjectTag/<key>');
  assert.equal(getConditionKey('sagemaker:NoSuchKey'), undefined);
  assert.equal(getConditionKey('nope:Key'), undefined);
  assert.equal(getConditionKey('nocolon'), undefined);
  assert.equal(getConditionKey(''), undefined);
});

test('prefixes that are not services (saml, OIDC providers)', () => {
  assert.equal(getConditionKey('saml:aud')?.key, 'saml:aud');
  assert.equal(getConditionKey('token.actions.githubusercontent.com:actor')?.type, 'String');
  assert.equal(getConditionKey('agent.acme.buildkite.dev:build_branch')?.key, 'agent.${Domain}.buildkite.dev:build_branch');
});

test('action context: descriptions and foreign-prefix keys', () => {
  const tagKeys = getConditionKey('aws:TagKeys', 'sagemaker:CreateEndpoint');
  assert.ok(tagKeys?.description);
  assert.equal(tagKeys.global, true);
  assert.equal(getConditionKey('iam:ResourceTag/team', 'sts:AssumeRole')?.key, 'iam:ResourceTag/${TagKey}');
  assert.equal(getConditionKey('aws:SourceIp', 'nope:Nothing')?.type, 'IPAddress');
});

test('condition keys for actions', () => {
  const pass = conditionKeysForAction('iam:PassRole');
  assert.ok(pass.includes('iam:PassedToService') && pass.includes('iam:AssociatedResourceArn'));
  assert.deepEqual(conditionKeysForAction('nope:x'), []);
  assert.equal(actionSupportsConditionKey('iam:PassRole', 'iam:passedtoservice'), true);
  assert.equal(actionSupportsConditionKey('iam:PassRole', 'aws:SourceIp'), true);
  assert.equal(actionSupportsConditionKey('s3:GetObject', 's3:ExistingObjectTag/team'), true);
  assert.equal(actionSupportsConditionKey('s3:GetObject', 'iam:PassedToService'), false);
  assert.equal(actionSupportsConditionKey('nope:x', 'aws:SourceIp'), false);
});

test('suggestConditionKeys', () => {
  assert.equal(suggestConditionKeys('aws:SourceIP2')[0], 'aws:SourceIp');
  assert.equal(suggestConditionKeys('aws:CurentTime')[0], 'aws:CurrentTime');
  assert.equal(suggestConditionKeys('iam:PassedToServce')[0], 'iam:PassedToService');
  assert.equal(suggestConditionKeys('aws:RequestTags/Team')[0], 'aws:RequestTag/Team');
  assert.equal(suggestConditionKeys('aws:RequestTag')[0], 'aws:RequestTag/${TagKey}');
  assert.equal(suggestConditionKeys('s3:ExistingObjectTags/x')[0], 's3:ExistingObjectTag/x');
  assert.equal(suggestConditionKeys('sagemakr:VolumeKmsKey')[0], 'sagemaker:VolumeKmsKey');
  assert.ok(suggestConditionKeys('aws:SourceIp', 5).every((k) => k !== 'aws:SourceIp'));
  assert.ok(suggestConditionKeys('aws:x', 2).length <= 2);
  assert.deepEqual(suggestConditionKeys('zzzzzzzzzzzzzzzzzzzzzzzz:qqqqqqqqqqqqqq'), []);
});
