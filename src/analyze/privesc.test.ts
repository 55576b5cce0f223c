/** Privilege escalation judged across all the policies of one principal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicies } from './lint.js';

const pass = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::*:role/*', Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } }],
});
const train = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sagemaker:CreateProcessingJob', Resource: '*' }] });

test('PassRole in one policy and CreateProcessingJob in another: reported once, in the policy with the SageMaker action', () => {
  const findings = lintPolicies([
    { name: 'pass-role.json', text: pass, type: 'identity' },
    { name: 'jobs.json', text: train, type: 'identity' },
  ]);
  const esc = findings.filter((f) => f.issueCode === 'PRIVILEGE_ESCALATION');
  assert.equal(esc.length, 1);
  assert.equal(esc[0]?.file, 'jobs.json');
  assert.match(esc[0]?.message ?? '', /pass-role\.json Statement\[0\]/);
  assert.deepEqual(esc[0]?.path, ['Statement', 0, 'Action']);
});

test('each policy alone is not an escalation', () => {
  for (const [name, text] of [['a', pass], ['b', train]] as const) {
    assert.deepEqual(lintPolicies([{ name, text, type: 'identity' }]).map((f) => f.issueCode), []);
  }
});

test('a permissions boundary that does not allow the action removes the path', () => {
  const boundary = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:PassRole', 's3:*'], Resource: '*' }] });
  const findings = lintPolicies([
    { name: 'pass-role.json', text: pass, type: 'identity' },
    { name: 'jobs.json', text: train, type: 'identity' },
    { name: 'boundary.json', text: boundary, type: 'boundary' },
  ]);
  assert.equal(findings.filter((f) => f.issueCode === 'PRIVILEGE_ESCALATION').length, 0);
});

test('findings of every document are kept, with their own file names', () => {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const findings = lintPolicies([
    { name: 'trust.json', text: trust, type: 'trust' },
    { name: 'broken.json', text: '{', type: 'identity' },
  ]);
  assert.deepEqual(findings.map((f) => `${f.file ?? ''} ${f.issueCode}`).sort(), ['broken.json JSON_SYNTAX_ERROR', 'trust.json EMPTY_SID_VALUE']);
});
