/**
 * Near-miss Resource patterns (IAM User Guide, reference_policies_elements_resource: a Resource pattern matches
 * the whole ARN, each ARN component separately; the resource part is case-sensitive; reference_arns: which ARNs
 * have an empty Region or account).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resourceGap } from './near-miss.js';

const cases: { pattern: string; resource: string; fixResource?: string; to: string | undefined; note: string }[] = [
  {
    pattern: 'arn:aws:ecr:::repository/my-repo',
    resource: 'arn:aws:ecr:us-east-1:111122223333:repository/my-repo',
    to: 'arn:aws:ecr:us-east-1:111122223333:repository/my-repo',
    note: 'Region and account left out',
  },
  {
    pattern: 'arn:aws:logs::111122223333:log-group:*',
    resource: 'arn:aws:logs:eu-west-1:111122223333:log-group:g',
    to: 'arn:aws:logs:eu-west-1:111122223333:log-group:*',
    note: 'Region left out',
  },
  {
    pattern: 'arn:aws:ecr:::repository/other',
    resource: 'arn:aws:ecr:us-east-1:111122223333:repository/my-repo',
    to: undefined,
    note: 'filling the gap would still not match: not a near miss',
  },
  {
    pattern: 'arn:aws:s3:::outputbucket/path',
    resource: 'arn:aws:s3:::outputbucket/path/job/model.tar.gz',
    to: 'arn:aws:s3:::outputbucket/path/*',
    note: 'a prefix without a wildcard',
  },
  {
    pattern: 'arn:aws:s3:::outputbucket/path',
    resource: 'arn:aws:s3:::outputbucket/path/job/x',
    fixResource: 'arn:aws:s3:::outputbucket/path/job/*',
    to: 'arn:aws:s3:::outputbucket/path/job/*',
    note: 'the workflow names the narrower pattern',
  },
  { pattern: 'arn:aws:s3:::outputbucket/pa', resource: 'arn:aws:s3:::outputbucket/path/x', to: undefined, note: 'not a path prefix' },
  { pattern: 'arn:aws:s3:::outputbucket/path*', resource: 'arn:aws:s3:::other/x', to: undefined, note: 'wildcard patterns are not rewritten' },
  { pattern: 'arn:aws:s3:::MyBucket', resource: 'arn:aws:s3:::mybucket', to: 'arn:aws:s3:::mybucket', note: 'letter case only' },
  { pattern: 'arn:aws:s3:::${aws:username}/x', resource: 'arn:aws:s3:::bob/x/y', to: undefined, note: 'policy variables are left alone' },
];

for (const c of cases) {
  test(`resourceGap: ${c.note}`, () => {
    assert.equal(resourceGap(c.pattern, c.resource, c.fixResource)?.to, c.to);
  });
}
