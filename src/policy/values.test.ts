import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAction, checkPrincipal, checkResource, isAlphanumericSid, scanVariables } from './values.js';

const codes = (issues: readonly { code: string }[]): string[] => issues.map((i) => i.code);

test('actions', () => {
  for (const ok of ['*', 's3:*', 's3:Get*', 'iam:*AccessKey*', 's3:?etObject', 'execute-api:Invoke', 'IAM:listaccesskeys']) {
    assert.deepEqual(checkAction(ok), [], ok);
  }
  for (const bad of ['s3', 's3:', ':GetObject', 's3:Get:Object', 's3:Get Object', 's*:Get', 'ec2:Describe-Instances', '**']) {
    assert.deepEqual(codes(checkAction(bad)), ['ACTION_MALFORMED'], bad);
  }
  assert.deepEqual(codes(checkAction('s3:${aws:username}')), ['VARIABLE_UNSUPPORTED_HERE']);
});

test('resources', () => {
  for (const ok of ['*', 'arn:aws:s3:::b', 'arn:aws:s3:::b/*/test/*', 'arn:aws:iam::123456789012:user/Bob', 'arn:*:kms:*:*:key/*']) {
    assert.deepEqual(checkResource(ok, true), [], ok);
  }
  assert.deepEqual(codes(checkResource('your_KMS_key_ARN', true)), ['RESOURCE_MALFORMED']);
  assert.deepEqual(codes(checkResource('arn:aws:s3:b', true)), ['RESOURCE_MALFORMED']);
  assert.equal(checkResource('arn:aws:s3:b', true)[0]?.severity, 'warning');
  assert.deepEqual(codes(checkResource('arn:aws:*:::b', true)), ['RESOURCE_SERVICE_WILDCARD']);
  assert.deepEqual(codes(checkResource('arn:aws:sqs:*:${aws:PrincipalAccount}:q', true)), ['VARIABLE_UNSUPPORTED_HERE']);
  assert.deepEqual(codes(checkResource('arn:aws:sqs:*:${aws:PrincipalAccount}:q', false)), []);
  assert.deepEqual(checkResource('arn:aws:s3:::b/${aws:username}', true), []);
});

test('AWS principals', () => {
  for (const ok of [
    '*',
    '123456789012',
    'arn:aws:iam::123456789012:root',
    'arn:aws:iam::123456789012:user/path/Bob',
    'arn:aws:iam::123456789012:role/service-role/R',
    'arn:aws:sts::123456789012:assumed-role/R/session',
    'arn:aws:sts::123456789012:federated-user/Bob',
    'arn:aws-cn:iam::123456789012:root',
  ]) {
    assert.deepEqual(checkPrincipal('AWS', ok), [], ok);
  }
  assert.deepEqual(codes(checkPrincipal('AWS', 'arn:aws:iam::123456789012:role/*')), ['PRINCIPAL_WILDCARD']);
  assert.deepEqual(codes(checkPrincipal('AWS', 'arn:aws:sts::123456789012:assumed-role/R/*')), ['PRINCIPAL_WILDCARD']);
  assert.deepEqual(codes(checkPrincipal('AWS', '1234567890*')), ['PRINCIPAL_WILDCARD']);
  assert.deepEqual(codes(checkPrincipal('AWS', 'AIDACKCEVSQ6C2EXAMPLE')), ['PRINCIPAL_UNIQUE_ID']);
  for (const bad of ['12345678901', 'arn:aws:iam::123456789012:group/G', 'arn:aws:iam::12345:root', 'root', 'arn:aws:sts::123456789012:assumed-role/R']) {
    assert.deepEqual(codes(checkPrincipal('AWS', bad)), ['PRINCIPAL_MALFORMED'], bad);
  }
});

test('Service, Federated and CanonicalUser principals', () => {
  assert.deepEqual(checkPrincipal('Service', 'sagemaker.amazonaws.com'), []);
  assert.deepEqual(checkPrincipal('Service', 'logs.us-east-1.amazonaws.com'), []);
  assert.deepEqual(codes(checkPrincipal('Service', 'sagemaker')), ['PRINCIPAL_UNRECOGNIZED']);
  assert.deepEqual(codes(checkPrincipal('Service', '*')), ['PRINCIPAL_UNRECOGNIZED']);
  assert.deepEqual(checkPrincipal('Federated', 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'), []);
  assert.deepEqual(checkPrincipal('Federated', 'accounts.google.com'), []);
  assert.deepEqual(codes(checkPrincipal('Federated', 'arn:aws:iam::123456789012:role/R')), ['PRINCIPAL_UNRECOGNIZED']);
  assert.deepEqual(checkPrincipal('CanonicalUser', '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be'), []);
  assert.deepEqual(codes(checkPrincipal('CanonicalUser', 'abc')), ['PRINCIPAL_UNRECOGNIZED']);
});

test('policy variables and Sids', () => {
  assert.deepEqual(scanVariables("a/${aws:username}/${aws:PrincipalTag/team, 'x'}"), {
    variables: ['aws:username', "aws:PrincipalTag/team, 'x'"],
    malformed: false,
  });
  assert.equal(scanVariables('a/${aws:username').malformed, true);
  assert.equal(scanVariables('a/${}').malformed, true);
  assert.deepEqual(scanVariables('${*}${?}${$}').variables, ['*', '?', '$']);
  assert.equal(isAlphanumericSid('Stmt1'), true);
  assert.equal(isAlphanumericSid(''), true);
  assert.equal(isAlphanumericSid('Stmt-1'), false);
  assert.equal(isAlphanumericSid('Stmt 1'), false);
});
