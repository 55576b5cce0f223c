import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arnPatternCanMatchFormat, arnPatternCanMatchResourceType, formatSpecificity } from './arn.js';
import { expandActionPattern, getResourceType, resourceTypesForAction } from './catalog.js';

const SM = 'arn:${Partition}:sagemaker:${Region}:${Account}:endpoint/${EndpointName}';
const OBJ = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
const BUCKET = 'arn:${Partition}:s3:::${BucketName}';

test('concrete ARNs against formats', () => {
  assert.ok(arnPatternCanMatchFormat('arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-ep', SM));
  assert.ok(arnPatternCanMatchFormat('arn:aws-cn:sagemaker:cn-north-1:123456789012:endpoint/my-ep', SM));
  assert.ok(!arnPatternCanMatchFormat('arn:aws:sagemaker:us-east-1:123456789012:endpoint/', SM), 'empty name');
  assert.ok(!arnPatternCanMatchFormat('arn:aws:sagemaker::123456789012:endpoint/x', SM), 'empty region');
  assert.ok(!arnPatternCanMatchFormat('arn:aws:sagemaker:us:east:1:123:endpoint/x', SM), 'colon in region');
  assert.ok(!arnPatternCanMatchFormat('arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/x', SM));
  assert.ok(arnPatternCanMatchFormat('arn:aws:s3:::bucket/a/b:c', OBJ));
  assert.ok(!arnPatternCanMatchFormat('arn:aws:s3:::bucket', OBJ));
  assert.ok(!arnPatternCanMatchFormat('ARN:AWS:S3:::bucket/k', OBJ), 'ARN text is case-sensitive');
});

test('wildcard patterns against formats', () => {
  assert.ok(arnPatternCanMatchFormat('*', SM));
  assert.ok(arnPatternCanMatchFormat('arn:aws:sagemaker:*:*:endpoint/*', SM));
  assert.ok(arnPatternCanMatchFormat('arn:aws:sagemaker:*', SM));
  assert.ok(arnPatternCanMatchFormat('arn:*:sagemaker:us-east-?:*:*', SM));
  assert.ok(arnPatternCanMatchFormat('arn:aws:s3:::bucket*', OBJ));
  assert.ok(arnPatternCanMatchFormat('arn:aws:s3:::*/*', OBJ));
  assert.ok(!arnPatternCanMatchFormat('arn:aws:s3:::bucket', OBJ));
  assert.ok(!arnPatternCanMatchFormat('arn:aws:sagemaker:*:*:endpoint-config/*', SM));
  assert.ok(!arnPatternCanMatchFormat('arn:aws:bedrock:*:*:*', SM));
  assert.ok(arnPatternCanMatchFormat('arn:aws:s3:::b/${aws:username}/*', OBJ), 'policy variable');
  assert.ok(arnPatternCanMatchFormat('arn:aws:s3:::b/${*}', OBJ), 'literal-star variable');
  assert.ok(!arnPatternCanMatchFormat('arn:aws:s3:::b${*}', OBJ), '${*} is a literal star, not a wildcard');
  // Formats that themselves end in `*`.
  assert.ok(arnPatternCanMatchFormat('arn:aws:dms:us-east-1:123456789012:endpoint:ABC', 'arn:${Partition}:dms:${Region}:${Account}:endpoint:*'));
});

test('formatSpecificity ranks object above bucket', () => {
  assert.ok(formatSpecificity(OBJ) > formatSpecificity(BUCKET));
});

test('arnPatternCanMatchResourceType with catalog types', () => {
  const epc = getResourceType('sagemaker', 'endpoint-config');
  const ep = getResourceType('sagemaker', 'endpoint');
  assert.ok(epc && ep);
  const pattern = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/*';
  assert.equal(arnPatternCanMatchResourceType(pattern, epc), true);
  assert.equal(arnPatternCanMatchResourceType(pattern, ep), false);
  // sagemaker:CreateEndpoint on endpoint-config/* fits one of its types.
  assert.ok(resourceTypesForAction('sagemaker:CreateEndpoint').some((rt) => arnPatternCanMatchResourceType(pattern, rt)));
  // bedrock:* on a sagemaker ARN pattern matches no bedrock type.
  const sagemakerAny = 'arn:aws:sagemaker:us-east-1:123456789012:*';
  const bedrockTypes = expandActionPattern('bedrock:*').flatMap((a) => resourceTypesForAction(a));
  assert.ok(bedrockTypes.length > 0);
  assert.ok(!bedrockTypes.some((rt) => arnPatternCanMatchResourceType(sagemakerAny, rt)));
  assert.ok(bedrockTypes.some((rt) => arnPatternCanMatchResourceType('arn:aws:bedrock:us-east-1:123456789012:*', rt)));
});
