import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatArn, isRoleArn, parseArn, partitionOf } from '../../primitives/arn.js';
import { compileArnPattern } from './arn.js';

test('parseArn splits six components; the resource keeps its colons', () => {
  assert.deepEqual(parseArn('arn:aws:iam::123456789012:user/Bob'), {
    partition: 'aws',
    service: 'iam',
    region: '',
    account: '123456789012',
    resource: 'user/Bob',
  });
  assert.equal(parseArn('arn:aws:lambda:us-east-1:123456789012:function:f:1')?.resource, 'function:f:1');
  assert.equal(parseArn('arn:aws:s3:::bucket')?.resource, 'bucket');
  assert.equal(parseArn('arn:aws:s3::bucket'), undefined);
  assert.equal(parseArn('*'), undefined);
  assert.equal(parseArn('urn:aws:s3:::b'), undefined);
});

// reference_policies_elements_condition_operators.md: ArnLike compares component by component.
test('ArnLike does not let * cross a colon in the first five components', () => {
  const m = compileArnPattern('arn:aws:someservice:*:111122223333:finance/*');
  assert.equal(m('arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt'), false);
  assert.equal(m('arn:aws:someservice:us-east-2:111122223333:finance/document.txt'), true);
});

test('ArnLike patterns', () => {
  assert.equal(compileArnPattern('arn:aws:sns:*:123456789012:topic')('arn:aws:sns:us-east-1:123456789012:topic'), true);
  assert.equal(compileArnPattern('arn:aws:iam::*:role/Admin?')('arn:aws:iam::123456789012:role/Admin1'), true);
  assert.equal(compileArnPattern('arn:aws:iam::*:role/Admin?')('arn:aws:iam::123456789012:role/Admin'), false);
  assert.equal(compileArnPattern('arn:aws:iam::*:role/*')('arn:aws:iam::123456789012:role/a/b:c'), true);
  assert.equal(compileArnPattern('arn:aws:iam::*:role/*')('arn:aws:iam::123456789012:ROLE/x'), false);
  assert.equal(compileArnPattern('arn:aws:iam::*:role/*')('not-an-arn'), false);
  assert.equal(compileArnPattern('*')('anything'), true);
  assert.equal(compileArnPattern('arn:*:*:*:*:*')('arn:aws:s3:::b'), true);
});

test('formatArn is the inverse of parseArn', () => {
  for (const s of ['arn:aws:s3:::bucket/a:b', 'arn:aws-cn:iam::123456789012:role/x', 'arn:::::']) {
    const a = parseArn(s);
    assert.ok(a, s);
    assert.equal(formatArn(a), s);
  }
  assert.equal(parseArn('arn:aws:s3::'), undefined, 'five components');
  assert.equal(parseArn('urn:aws:s3:::b'), undefined);
});

test('isRoleArn', () => {
  assert.equal(isRoleArn('arn:aws:iam::111122223333:role/service-role/Job'), true);
  assert.equal(isRoleArn('arn:aws-cn:iam::111122223333:role/x'), true);
  assert.equal(isRoleArn('arn:aws:iam::111122223333:user/x'), false);
  assert.equal(isRoleArn('arn:aws:iam:us-east-1:111122223333:role/x'), false, 'IAM ARNs have no Region');
  assert.equal(isRoleArn('arn:aws:iam::*:role/x'), false);
  assert.equal(isRoleArn('arn::iam::111122223333:role/x'), false);
  assert.equal(isRoleArn('arn:aws:iam::111122223333:role/aws-service-role/x', 'aws-service-role/'), true);
  assert.equal(isRoleArn('arn:aws:iam::111122223333:role/x', 'aws-service-role/'), false);
});

test('partitionOf', () => {
  assert.equal(partitionOf('arn:aws-us-gov:iam::111122223333:group/g'), 'aws-us-gov');
  assert.equal(partitionOf('arn:aws:s3:::b'), 'aws');
  assert.equal(partitionOf('not-an-arn'), 'aws');
  assert.equal(partitionOf('arn::s3:::b', 'aws-cn'), 'aws-cn');
});
