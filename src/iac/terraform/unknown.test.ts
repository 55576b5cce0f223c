/**
 * Values known only after apply are never a silent PASS: decided over their
 * symbolic shape where that suffices, else UNKNOWN naming the resource
 * address and attribute (terraform-iam-policy-validator#27 is the failure
 * this guards against: a policy computed at apply reported as "no findings").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Json } from './json.js';
import { ACCT, diffPlan, doc, plan, role, verdict, type Change } from '../test-support.test.js';

const ROLE = `arn:aws:iam::${ACCT}:role/NotebookRole`;
const roleRes: Change = { type: 'aws_iam_role', name: 'r', before: role('NotebookRole'), after: role('NotebookRole') };

describe('unknown values in a Terraform plan', () => {
  it('a policy computed at apply (no policy document to read) is UNKNOWN naming address and attribute', async () => {
    const r = await diffPlan(
      plan([
        roleRes,
        {
          type: 'aws_iam_role_policy',
          name: 'p',
          before: { role: 'NotebookRole', name: 'data', policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a/*' }) },
          after: { role: 'NotebookRole', name: 'data' },
          unknown: { policy: true },
          expressions: { policy: { references: ['aws_s3_bucket.b.arn', 'aws_s3_bucket.b'] } },
        },
        { type: 'aws_s3_bucket', name: 'b', before: null, after: { bucket: 'new-bucket' }, unknown: { arn: true } },
      ]),
    );
    assert.equal(verdict(r, ROLE), 'UNKNOWN');
    assert.notEqual(r.result, 'PASS');
    const p = r.principals.find((x) => x.arn === ROLE)!;
    assert.ok(
      p.newAccess.unknowns.some((u) => u.address === 'aws_iam_role_policy.p' && u.attribute === 'policy'),
      JSON.stringify(p.newAccess),
    );
  });

  it('a policy document whose resources reference a bucket being created is decided over the bucket ARN shape', async () => {
    const dataSource = (resources: Json, unknown: Json): Change => ({
      type: 'aws_iam_policy_document',
      name: 'd',
      mode: 'data',
      before: null,
      after: { statement: [{ effect: 'Allow', actions: ['s3:GetObject'], resources }] },
      unknown: { json: true, statement: [{ resources: unknown }] },
      expressions: { statement: [{ resources: { references: ['aws_s3_bucket.b.arn', 'aws_s3_bucket.b'] } }] },
    });
    const rolePolicy = (before: string): Change => ({
      type: 'aws_iam_role_policy',
      name: 'p',
      before: { role: 'NotebookRole', name: 'data', policy: before },
      after: { role: 'NotebookRole', name: 'data' },
      unknown: { policy: true },
      expressions: { policy: { references: ['data.aws_iam_policy_document.d.json', 'data.aws_iam_policy_document.d'] } },
    });
    const bucket: Change = { type: 'aws_s3_bucket', name: 'b', before: null, after: {}, unknown: { bucket: true, arn: true } };
    // Before: every object of every bucket. Whatever the new bucket's name, nothing is new.
    const within = await diffPlan(
      plan([roleRes, bucket, dataSource(null, true), rolePolicy(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*' }))]),
    );
    assert.equal(verdict(within, ROLE), 'PASS');
    // Before: one other bucket. Whether the new statement adds access depends on the value: never PASS.
    const depends = await diffPlan(
      plan([roleRes, bucket, dataSource(null, true), rolePolicy(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' }))]),
    );
    assert.equal(verdict(depends, ROLE), 'UNKNOWN');
    assert.ok(depends.principals[0]!.newAccess.unknowns.some((u) => u.address === 'data.aws_iam_policy_document.d' && u.attribute.includes('resources')));
  });

  it('a Deny whose resources are known only after apply is never a PASS', async () => {
    const before = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::prod/*' });
    const r = await diffPlan(
      plan([
        roleRes,
        {
          type: 'aws_iam_policy_document',
          name: 'd',
          mode: 'data',
          before: null,
          after: {
            statement: [
              { effect: 'Allow', actions: ['s3:*'], resources: ['*'] },
              { effect: 'Deny', actions: ['s3:DeleteObject'] },
            ],
          },
          unknown: { json: true, statement: [{}, { resources: true }] },
        },
        {
          type: 'aws_iam_role_policy',
          name: 'p',
          before: { role: 'NotebookRole', name: 'data', policy: before },
          after: { role: 'NotebookRole', name: 'data' },
          unknown: { policy: true },
          expressions: { policy: { references: ['data.aws_iam_policy_document.d.json'] } },
        },
      ]),
    );
    assert.equal(verdict(r, ROLE), 'UNKNOWN');
  });

  it('a role named at apply (name_prefix) is a symbol: its attachments follow it and new access is decided', async () => {
    const r = await diffPlan(
      plan([
        {
          type: 'aws_iam_role',
          name: 'r',
          before: null,
          after: { ...role('x'), name: null, name_prefix: 'nb-' },
          unknown: { name: true, arn: true, id: true },
        },
        {
          type: 'aws_iam_role_policy_attachment',
          name: 'a',
          before: null,
          after: { policy_arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
          unknown: { role: true },
          expressions: { role: { references: ['aws_iam_role.r.name', 'aws_iam_role.r'] } },
        },
      ]),
    );
    const p = r.principals.find((x) => x.arn.includes('iamsim-sym'));
    assert.ok(p, JSON.stringify(r.principals.map((x) => x.arn)));
    assert.equal(p.newAccess.result, 'FAIL');
    assert.ok(p.newAccess.counterexamples[0]!.ActionNames[0]!.startsWith('s3:'));
    assert.ok(r.notes.some((n) => n.includes('aws_iam_role.r')));
  });

  it('an attachment of a policy created in the same plan follows the derived policy ARN', async () => {
    const r = await diffPlan(
      plan([
        roleRes,
        {
          type: 'aws_iam_policy',
          name: 'p',
          before: null,
          after: { name: 'Data', path: '/', policy: doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }) },
          unknown: { arn: true, id: true },
        },
        {
          type: 'aws_iam_role_policy_attachment',
          name: 'a',
          before: null,
          after: { role: 'NotebookRole' },
          unknown: { policy_arn: true },
          expressions: { policy_arn: { references: ['aws_iam_policy.p.arn', 'aws_iam_policy.p'] } },
        },
      ]),
    );
    assert.equal(verdict(r, ROLE), 'FAIL');
    assert.equal(r.principals[0]!.newAccess.counterexamples[0]!.ActionNames[0], 's3:PutObject');
  });

  it('a topic whose policy AWS computes at apply is UNKNOWN, not PASS', async () => {
    const r = await diffPlan(plan([{ type: 'aws_sns_topic', name: 't', before: null, after: { name: 'alerts' }, unknown: { policy: true, arn: true } }]));
    assert.equal(verdict(r, `arn:aws:sns:us-east-1:${ACCT}:alerts`, 'resource'), 'UNKNOWN');
    assert.equal(r.result, 'UNKNOWN');
  });

  it('property: hiding statement fields behind after_unknown gives the exact answer or UNKNOWN, never the other answer', async () => {
    const actions = ['s3:GetObject', 's3:PutObject', 's3:*'];
    const resources = ['arn:aws:s3:::data/*', 'arn:aws:s3:::data/train/*', '*'];
    const statement = fc.record({ effect: fc.constantFrom('Allow', 'Deny'), a: fc.constantFrom(...actions), r: fc.constantFrom(...resources) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(statement, { minLength: 1, maxLength: 3 }),
        fc.array(fc.constantFrom('actions', 'resources', 'effect', 'none'), { minLength: 3, maxLength: 3 }),
        async (sts, hide) => {
          const before = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' });
          const after = sts.map((s) => ({ effect: s.effect, actions: [s.a], resources: [s.r] }));
          const changes = (unknown: Record<string, Json>): Change[] => [
            roleRes,
            { type: 'aws_iam_policy_document', name: 'd', mode: 'data', before: null, after: { statement: after }, unknown },
            {
              type: 'aws_iam_role_policy',
              name: 'p',
              before: { role: 'NotebookRole', name: 'data', policy: before },
              after: { role: 'NotebookRole', name: 'data' },
              unknown: { policy: true },
              expressions: { policy: { references: ['data.aws_iam_policy_document.d.json'] } },
            },
          ];
          const exact = verdict(await diffPlan(plan(changes({ json: true }))), ROLE) ?? 'PASS';
          const mask = { json: true, statement: after.map((_, i) => (hide[i] && hide[i] !== 'none' ? { [hide[i]!]: true } : {})) };
          const masked = verdict(await diffPlan(plan(changes(mask))), ROLE) ?? 'PASS';
          assert.ok(masked === exact || masked === 'UNKNOWN', `exact ${exact}, with unknowns ${masked}: ${JSON.stringify({ after, hide })}`);
        },
      ),
      { numRuns: 25, seed: 22 },
    );
  });
});
