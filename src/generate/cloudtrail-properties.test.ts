/**
 * Properties of policies generated from STS and S3 events, checked with the
 * evaluator: every observed call is allowed, nothing is widened past what the
 * events show (another role, another prefix), STS events never yield
 * iam:PassRole, and sts:TagSession appears exactly when tags were passed
 * (IAM User Guide: id_session-tags, permissions required).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { generateFromCloudTrail } from './cloudtrail.js';
import { decide } from './test-support.test.js';

const user = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/Alice', accountId: '111122223333' };
const name = fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,20}$/);

test('property: AssumeRole events give exactly the roles assumed, TagSession iff tags were passed, never PassRole', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ role: name, tagged: fc.boolean() }), { minLength: 1, maxLength: 4, selector: (r) => r.role }),
      fc.constantFrom('exact', 'wildcard') as fc.Arbitrary<'exact' | 'wildcard'>,
      (calls, resources) => {
        const events = calls.map((c) => ({
          eventVersion: '1.08',
          eventSource: 'sts.amazonaws.com',
          eventName: 'AssumeRole',
          awsRegion: 'us-east-1',
          eventType: 'AwsApiCall',
          recipientAccountId: '111122223333',
          userIdentity: user,
          requestParameters: {
            roleArn: `arn:aws:iam::111122223333:role/${c.role}`,
            roleSessionName: 's',
            ...(c.tagged ? { tags: [{ key: 'team', value: 'ml' }] } : {}),
          },
        }));
        const r = generateFromCloudTrail(JSON.stringify({ Records: events }), { resources });
        assert.ok(r.policy);
        assert.ok(!JSON.stringify(r.policy).includes('iam:PassRole'));
        for (const c of calls) {
          const arn = `arn:aws:iam::111122223333:role/${c.role}`;
          assert.equal(decide([r.policy], 'sts:AssumeRole', arn), 'allowed');
          assert.equal(decide([r.policy], 'sts:TagSession', arn), c.tagged ? 'allowed' : 'implicitDeny');
        }
        assert.equal(decide([r.policy], 'sts:AssumeRole', 'arn:aws:iam::111122223333:role/not-observed-role'), 'implicitDeny');
      },
    ),
    { numRuns: 60 },
  );
});

test('property: listings with prefixes allow those prefixes and not a sibling one', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 3 }), (dirs) => {
      const events = dirs.map((d) => ({
        eventVersion: '1.09',
        eventSource: 's3.amazonaws.com',
        eventName: 'ListObjectsV2',
        awsRegion: 'us-east-1',
        eventType: 'AwsApiCall',
        recipientAccountId: '111122223333',
        userIdentity: user,
        requestParameters: { bucketName: 'amzn-s3-demo-bucket', prefix: `home/${d}/` },
      }));
      const r = generateFromCloudTrail(JSON.stringify({ Records: events }), { resources: 'wildcard' });
      assert.ok(r.policy);
      const list = (prefix: string): string =>
        decide([r.policy as NonNullable<typeof r.policy>], 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', [{ key: 's3:prefix', values: [prefix] }]);
      for (const d of dirs) assert.equal(list(`home/${d}/`), 'allowed');
      assert.equal(list('other/'), 'implicitDeny');
    }),
    { numRuns: 40 },
  );
});
