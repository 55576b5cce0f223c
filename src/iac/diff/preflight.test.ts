/**
 * Preflight verdicts that change: a change that breaks a SageMaker notebook
 * workflow (the notebook's role can no longer pass the execution role to
 * SageMaker: IAM User Guide id_roles_use_passrole, iam:PassedToService), one
 * that fixes it, a change that touches no workload (no verdict at all), and
 * values known only after apply (never a silent pass).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Json } from '../terraform/json.js';
import { ACCT, diffPlan, doc, plan, role, type Change } from '../test-support.test.js';
import { diffChange } from './index.js';
import { SymbolTable } from '../symbols.js';
import { readTerraformPlan } from '../terraform/plan.js';

const NB = `arn:aws:iam::${ACCT}:role/NotebookRole`;
const EXEC = `arn:aws:iam::${ACCT}:role/SageMakerExecutionRole`;

const passRole = (service: string | null): Record<string, Json> => ({
  Effect: 'Allow',
  Action: 'iam:PassRole',
  Resource: EXEC,
  ...(service ? { Condition: { StringEquals: { 'iam:PassedToService': service } } } : {}),
});
const train = { Effect: 'Allow', Action: 'sagemaker:CreateTrainingJob', Resource: '*' };

function notebookRole(before: readonly Record<string, Json>[], after: readonly Record<string, Json>[]): Change {
  return {
    type: 'aws_iam_role',
    name: 'nb',
    before: role('NotebookRole', { inline_policy: [{ name: 'notebook', policy: doc(...before) }] }),
    after: role('NotebookRole', { inline_policy: [{ name: 'notebook', policy: doc(...after) }] }),
  };
}

const execRole: Change = { type: 'aws_iam_role', name: 'exec', before: role('SageMakerExecutionRole'), after: role('SageMakerExecutionRole') };
const notebook: Change = {
  type: 'aws_sagemaker_notebook_instance',
  name: 'nb',
  before: { name: 'analysis', role_arn: NB, instance_type: 'ml.t3.medium' },
  after: { name: 'analysis', role_arn: NB, instance_type: 'ml.t3.medium' },
};

describe('preflight verdicts that change', () => {
  it('narrowing iam:PassedToService breaks the notebook workflow: passed → failed, with the step, reason and source', async () => {
    const r = await diffPlan(plan([execRole, notebookRole([passRole('sagemaker.amazonaws.com'), train], [passRole('ec2.amazonaws.com'), train]), notebook]));
    assert.equal(r.preflight.length, 1, JSON.stringify(r.preflight, null, 1));
    const p = r.preflight[0]!;
    assert.equal(p.workflow, 'sagemaker-execution-role');
    assert.equal(p.workload, 'aws_sagemaker_notebook_instance.nb');
    assert.deepEqual([p.before, p.after], ['passed', 'failed']);
    assert.equal(p.parameters['callerArn'], NB);
    assert.equal(p.parameters['executionRoleArn'], EXEC);
    const step = p.steps.find((s) => s.name === 'caller-passes-execution-role');
    assert.ok(step, JSON.stringify(p.steps));
    assert.deepEqual([step.before, step.after], ['passed', 'failed']);
    assert.match(step.reason, /Denied/);
    assert.ok(step.source.file, 'located at the policy that decides the step');
    assert.equal(r.result, 'FAIL');
  });

  it('removing iam:PassRole breaks it; --fail-on preflight alone fails on it, escalation alone does not', async () => {
    const p = plan([execRole, notebookRole([passRole('sagemaker.amazonaws.com'), train], [train]), notebook]);
    const table = new SymbolTable();
    const read = readTerraformPlan(p, 'plan.json', table, { accountId: ACCT });
    const run = (failOn: ('preflight' | 'escalation')[]) => diffChange({ before: read.before, after: read.after, table, account: ACCT, noAudit: true, failOn });
    const only = await run(['preflight']);
    assert.deepEqual(
      only.preflight.map((e) => [e.before, e.after]),
      [['passed', 'failed']],
    );
    assert.equal(only.result, 'FAIL');
    assert.equal((await run(['escalation'])).result, 'PASS', 'narrowing grants nothing new: only the workflow fails');
  });

  it('the reverse change fixes it: failed → passed, and a preflight-only gate passes', async () => {
    const p = plan([execRole, notebookRole([passRole('ec2.amazonaws.com'), train], [passRole('sagemaker.amazonaws.com'), train]), notebook]);
    const table = new SymbolTable();
    const read = readTerraformPlan(p, 'plan.json', table, { accountId: ACCT });
    const r = await diffChange({ before: read.before, after: read.after, table, account: ACCT, noAudit: true, failOn: ['preflight'] });
    assert.deepEqual(
      r.preflight.map((e) => [e.before, e.after, e.steps.map((s) => s.name)]),
      [['failed', 'passed', ['caller-passes-execution-role']]],
    );
    assert.equal(r.result, 'PASS');
  });

  it('the same change without a SageMaker workload in the plan gives no workflow verdict', async () => {
    const r = await diffPlan(plan([execRole, notebookRole([passRole('sagemaker.amazonaws.com'), train], [passRole('ec2.amazonaws.com'), train])]));
    assert.deepEqual(r.preflight, []);
  });

  it('a role the notebook does not pass is no workflow of it (look-alike: PassRole on another role)', async () => {
    const other = `arn:aws:iam::${ACCT}:role/OtherRole`;
    const otherRole: Change = { type: 'aws_iam_role', name: 'other', before: role('OtherRole'), after: role('OtherRole') };
    const pass = (service: string) => ({ ...passRole(service), Resource: other });
    const r = await diffPlan(
      plan([
        execRole,
        otherRole,
        notebookRole(
          [passRole('sagemaker.amazonaws.com'), pass('sagemaker.amazonaws.com'), train],
          [passRole('sagemaker.amazonaws.com'), pass('ec2.amazonaws.com'), train],
        ),
        notebook,
      ]),
    );
    assert.deepEqual(
      r.preflight.map((e) => e.parameters['executionRoleArn']),
      [other],
      'only the workflow through OtherRole changes; the one through the execution role still passes',
    );
  });

  it("the notebook's own role no longer trusted by SageMaker: the notebook-instance workflow fails", async () => {
    const nbRole: Change = {
      type: 'aws_iam_role',
      name: 'nb',
      before: role('NotebookRole'),
      after: role('NotebookRole', { assume_role_policy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) }),
    };
    const r = await diffPlan(plan([nbRole, notebook]));
    const own = r.preflight.find((e) => e.parameters['api'] === 'CreateNotebookInstance');
    assert.ok(own, JSON.stringify(r.preflight));
    assert.deepEqual([own.before, own.after], ['passed', 'failed']);
    assert.ok(own.steps.some((s) => s.name === 'sagemaker-assumes-execution-role' && s.after === 'failed'));
  });

  it('a new notebook whose role cannot be assumed by SageMaker is reported (absent → failed); a working new one is not', async () => {
    const created = (trust: string): Change[] => [
      { type: 'aws_iam_role', name: 'nb', before: null, after: role('NotebookRole', { assume_role_policy: trust }) },
      { ...notebook, before: null },
    ];
    const bad = await diffPlan(plan(created(doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }))));
    assert.deepEqual(
      bad.preflight.map((e) => [e.before, e.after]),
      [['absent', 'failed']],
    );
    const good = await diffPlan(plan(created(doc({ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }))));
    assert.deepEqual(good.preflight, []);
  });

  it('a PassRole condition known only after apply is never a silent pass: the workflow is UNKNOWN', async () => {
    const r = await diffPlan(
      plan([
        execRole,
        notebookRole([passRole('sagemaker.amazonaws.com'), train], [train]),
        {
          type: 'aws_iam_role_policy',
          name: 'pass',
          before: null,
          after: { role: 'NotebookRole', name: 'pass' },
          unknown: { policy: true },
          expressions: { policy: { references: ['aws_s3_bucket.b.arn', 'aws_s3_bucket.b'] } },
        },
        notebook,
      ]),
    );
    const p = r.preflight.find((e) => e.parameters['executionRoleArn'] === EXEC);
    assert.ok(p, JSON.stringify(r.preflight));
    assert.equal(p.after, 'unknown');
    assert.notEqual(r.result, 'PASS');
  });
});
