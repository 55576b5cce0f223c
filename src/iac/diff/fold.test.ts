/**
 * Resource-based policies that name a principal are part of its effective
 * set (IAM User Guide, reference_policies_evaluation-logic.html: within an
 * account, a resource-based policy naming a user or role grants it the
 * request on that resource; a Deny there applies to it). Both ways, and the
 * look-alikes that must stay quiet: another account's role, a role the policy
 * does not name, the account as principal (delegation to identity policies).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Json } from '../terraform/json.js';
import { ACCT, diffPlan, doc, plan, role, verdict, type Change } from '../test-support.test.js';

const R = `arn:aws:iam::${ACCT}:role/NotebookRole`;
const roleRes: Change = { type: 'aws_iam_role', name: 'r', before: role('NotebookRole'), after: role('NotebookRole') };
const bucket = (policy: string | null, before: string | null = null): Change => ({
  type: 'aws_s3_bucket_policy',
  name: 'b',
  before: before === null ? null : { bucket: 'ml-data', policy: before },
  after: policy === null ? null : { bucket: 'ml-data', policy },
});
const grant = (principal: Json, extra: Record<string, Json> = {}) =>
  doc({ Effect: 'Allow', Principal: { AWS: principal }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::ml-data/*', ...extra });

describe('resource policies folded into the principal they name', () => {
  it('a bucket policy granting the role (same account) is new access of the role, cited in the bucket policy', async () => {
    const r = await diffPlan(plan([roleRes, bucket(grant(R))]));
    const p = r.principals.find((x) => x.arn === R);
    assert.ok(p, JSON.stringify(r.principals.map((x) => x.arn)));
    assert.equal(p.newAccess.result, 'FAIL');
    const ce = p.newAccess.counterexamples[0]!;
    assert.deepEqual(ce.ActionNames, ['s3:GetObject']);
    assert.match(ce.ResourceArns[0]!, /^arn:aws:s3:::ml-data\//);
    assert.ok(
      p.newAccess.statements.some((s) => s.policy === 'resource policy of arn:aws:s3:::ml-data'),
      JSON.stringify(p.newAccess.statements),
    );
  });

  it('removing that grant is no new access for the role (PASS), and nothing outside the bucket is granted', async () => {
    const r = await diffPlan(plan([roleRes, bucket(null, grant(R))]));
    assert.equal(verdict(r, R), 'PASS');
    // Resource "*" in a bucket policy means the bucket and its objects, nothing else.
    const star = (action: string) => bucket(doc({ Effect: 'Allow', Principal: { AWS: R }, Action: action, Resource: '*' }), grant(R));
    assert.equal(verdict(await diffPlan(plan([roleRes, star('s3:GetObject')])), R), 'PASS', 'GetObject on the objects of ml-data only, as before');
    const list = await diffPlan(plan([roleRes, star('s3:ListBucket')]));
    assert.equal(verdict(list, R), 'FAIL');
    assert.deepEqual(list.principals.find((x) => x.arn === R)!.newAccess.counterexamples[0]!.ResourceArns, ['arn:aws:s3:::ml-data']);
  });

  it('a KMS key policy granting the role kms:Decrypt is new access of the role on that key only', async () => {
    const key = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const keyPolicy = doc(
      { Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'use', Effect: 'Allow', Principal: { AWS: R }, Action: 'kms:Decrypt', Resource: '*' },
    );
    const r = await diffPlan(
      plan([roleRes, { type: 'aws_kms_key', name: 'k', before: null, after: { arn: key, key_id: key.split('/')[1]!, policy: keyPolicy } }]),
    );
    const p = r.principals.find((x) => x.arn === R);
    assert.ok(p);
    assert.equal(p.newAccess.result, 'FAIL');
    assert.deepEqual(p.newAccess.counterexamples[0]!.ActionNames, ['kms:Decrypt']);
    assert.deepEqual(p.newAccess.counterexamples[0]!.ResourceArns, [key]);
  });

  it('look-alikes stay quiet: another account’s role of the same name, another role, the account root', async () => {
    for (const principal of [`arn:aws:iam::444455556666:role/NotebookRole`, `arn:aws:iam::${ACCT}:role/OtherRole`, `arn:aws:iam::${ACCT}:root`, ACCT]) {
      const r = await diffPlan(plan([roleRes, bucket(grant(principal))]));
      assert.equal(
        r.principals.find((x) => x.arn === R),
        undefined,
        `${principal}: the role's set does not change`,
      );
    }
  });

  it('a Deny to "*" in the bucket policy applies to the role: adding it is no new access, removing it is', async () => {
    const identity: Change = {
      type: 'aws_iam_role',
      name: 'r',
      before: role('NotebookRole', { inline_policy: [{ name: 'read', policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }] }),
      after: role('NotebookRole', { inline_policy: [{ name: 'read', policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }] }),
    };
    const deny = doc({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::ml-data/secret/*' });
    const added = await diffPlan(plan([identity, bucket(deny)]));
    assert.equal(verdict(added, R), 'PASS');
    const removed = await diffPlan(plan([identity, bucket(null, deny)]));
    assert.equal(verdict(removed, R), 'FAIL');
    const p = removed.principals.find((x) => x.arn === R)!;
    assert.match(p.newAccess.counterexamples[0]!.ResourceArns[0]!, /^arn:aws:s3:::ml-data\/secret\//);
  });

  it('a trust policy naming the role lets it assume that role: new access sts:AssumeRole on it', async () => {
    const target: Change = {
      type: 'aws_iam_role',
      name: 't',
      before: role('TargetRole'),
      after: role('TargetRole', { assume_role_policy: doc({ Effect: 'Allow', Principal: { AWS: R }, Action: 'sts:AssumeRole' }) }),
    };
    const r = await diffPlan(plan([roleRes, target]));
    const p = r.principals.find((x) => x.arn === R);
    assert.ok(p);
    assert.equal(p.newAccess.result, 'FAIL');
    assert.deepEqual(p.newAccess.counterexamples[0]!.ActionNames, ['sts:AssumeRole']);
    assert.deepEqual(p.newAccess.counterexamples[0]!.ResourceArns, [`arn:aws:iam::${ACCT}:role/TargetRole`]);
  });

  it('a user with a permissions boundary named directly is undecided (the grant stands outside the boundary)', async () => {
    const user = `arn:aws:iam::${ACCT}:user/alice`;
    const u = { name: 'alice', path: '/', permissions_boundary: `arn:aws:iam::${ACCT}:policy/Boundary` };
    const boundary = {
      name: 'Boundary',
      path: '/',
      arn: `arn:aws:iam::${ACCT}:policy/Boundary`,
      policy: doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }),
    };
    const r = await diffPlan(
      plan([
        { type: 'aws_iam_policy', name: 'bnd', before: boundary, after: boundary },
        { type: 'aws_iam_user', name: 'u', before: u, after: u },
        bucket(grant(user)),
      ]),
    );
    assert.equal(verdict(r, user), 'UNKNOWN');
    assert.notEqual(r.result, 'PASS');
  });

  it('a bucket policy whose principal is known only after apply may name the role: never a silent pass', async () => {
    const r = await diffPlan(
      plan([
        roleRes,
        {
          type: 'aws_s3_bucket_policy',
          name: 'b',
          before: null,
          after: { bucket: 'ml-data' },
          unknown: { policy: true },
          expressions: { policy: { references: ['aws_iam_role.x.arn', 'aws_iam_role.x'] } },
        },
      ]),
    );
    assert.notEqual(verdict(r, R), 'PASS');
    assert.notEqual(r.result, 'PASS');
  });
});
