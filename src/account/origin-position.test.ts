/**
 * A YAML bundle's policies are re-serialized as JSON for the parser; every position reported to the user is in the
 * YAML file they wrote (import warnings, lint --account findings, preflight citations), never "line N of the policy JSON".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../test/support/cli.js';
import { lintCommand } from '../cli/lint.js';
import { preflightCommand } from '../cli/preflight.js';
import { accountCommand } from '../cli/account.js';

const BUNDLE = `version: 1
accounts:
  - id: "111122223333"
    roles:
      - name: Job
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { Service: sagemaker.amazonaws.com }
              Action: sts:AssumeRole
        policies:
          s3:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: arn:aws:s3:::bucket/*
              - Effect: Allow
                Action: eventsPutRule
                Resource: "*"
                Bogus: 1
`;

const dir = mkdtempSync(join(tmpdir(), 'iamsim-yaml-pos-'));
const file = join(dir, 'bundle.yaml');
writeFileSync(file, BUNDLE);
const lineOf = (text: string): number => BUNDLE.split('\n').findIndex((l) => l.includes(text)) + 1;

test('import warnings point at the element in the YAML file', async () => {
  const r = await runCommand(accountCommand, ['import', file, '--db', join(dir, 'm.db')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, new RegExp(`bundle\\.yaml:${lineOf('Bogus: 1')}:\\d+: warning UNKNOWN_ELEMENT: role Job inline policy s3: Unknown`));
  assert.match(r.err, new RegExp(`bundle\\.yaml:${lineOf('eventsPutRule')}:\\d+: warning ACTION_MALFORMED: `));
  assert.doesNotMatch(r.err, /in the document/);
});

test('lint --account findings point into the YAML file', async () => {
  const r = await runCommand(lintCommand, ['--account', file]);
  assert.match(r.out, new RegExp(`bundle\\.yaml:${lineOf('Bogus: 1')}:\\d+: ERROR INVALID_POLICY_ELEMENT `));
  assert.match(r.out, new RegExp(`bundle\\.yaml:${lineOf('eventsPutRule')}:\\d+: ERROR INVALID_ACTION `));
});

test('preflight cites statements at their line in the YAML bundle', async () => {
  const r = await runCommand(preflightCommand, [
    'sagemaker-execution-role',
    '--account',
    file,
    '--set',
    'executionRoleArn=arn:aws:iam::111122223333:role/Job',
    '--set',
    'callerArn=arn:aws:iam::111122223333:role/Job',
  ]);
  assert.match(
    r.out,
    new RegExp(`allowed by statement #1 of trust policy Job trust policy .* at ${file.replaceAll('.', '\\.')}:${lineOf('Principal: {') - 1}\n`),
  );
  assert.doesNotMatch(r.out, /of the policy JSON/);
});
