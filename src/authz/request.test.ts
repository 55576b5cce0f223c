/**
 * A request's ARNs are structured once (authz/request.ts) and the structured
 * values flow down: the assembly and the keys AWS derives read them instead
 * of parsing the strings again, with the same decisions as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { buildBatch, parseFiles } from '../account/import/index.js';
import { createUniverse } from '../account/query.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { classifyCaller } from '../eval/principal.js';
import { parseArn } from '../primitives/arn.js';
import { assemble } from './assemble.js';
import { authorize } from './authorize.js';
import { derivedKeys } from './context.js';
import { structured } from './request.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/accounts/authorization-details.json', import.meta.url));

function model() {
  const out: Diagnostic[] = [];
  return createUniverse({ accounts: buildBatch(parseFiles([FIXTURE], {}, out), undefined, out).accounts });
}

const PRINCIPALS = [
  'arn:aws:iam::111122223333:user/alice',
  'arn:aws:iam::111122223333:role/NotebookJobExecutionRole',
  'arn:aws:sts::111122223333:assumed-role/NotebookJobExecutionRole/job',
  'sagemaker.amazonaws.com',
  'arn:aws:iam::999999999999:root',
];
const REQUESTS: readonly [string, string][] = [
  ['s3:GetObject', 'arn:aws:s3:::ml-bucket/data.csv'],
  ['sts:AssumeRole', 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole'],
  ['iam:PassRole', 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole'],
  ['sagemaker:CreateTrainingJob', 'arn:aws:sagemaker:us-east-1:111122223333:training-job/j'],
  ['kms:Decrypt', 'arn:aws:kms:eu-west-1:444455556666:key/k'],
  ['s3:ListAllMyBuckets', '*'],
];

test('structuring is done once: a structured request is passed through as it is', () => {
  const req = structured({ principal: PRINCIPALS[0]!, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' });
  assert.equal(structured(req), req);
  assert.deepEqual(req.caller, classifyCaller(PRINCIPALS[0]));
  assert.deepEqual(req.resourceArn, parseArn('arn:aws:s3:::b/k'));
  assert.equal(structured({ principal: '*', action: 'a:b', resource: '*' }).resourceArn, null);
});

test('the derived keys read the structured request, not the strings again', () => {
  const u = model();
  const req = structured({
    principal: PRINCIPALS[1]!,
    action: 'sagemaker:CreateTrainingJob',
    resource: 'arn:aws:sagemaker:us-east-1:111122223333:training-job/j',
  });
  // A structure that disagrees with the strings shows which one is read.
  const arn = req.resourceArn;
  assert.ok(arn);
  const edited = { ...req, resourceArn: { ...arn, region: 'ap-south-1' }, caller: classifyCaller('arn:aws:iam::777777777777:user/x') };
  const keys = derivedKeys(u, edited, undefined, undefined);
  assert.equal(keys.get('aws:requestedregion')?.values[0], 'ap-south-1');
  assert.equal(keys.get('aws:principalaccount')?.values[0], '777777777777');
  assert.equal(keys.get('aws:resourceaccount')?.values[0], '111122223333');
});

test('decisions with the structured request are those of the strings, for every principal kind and resource', () => {
  const u = model();
  for (const principal of PRINCIPALS) {
    for (const [action, resource] of REQUESTS) {
      const plain = { principal, action, resource, deriveContext: true };
      const s = structured(plain);
      const a = authorize(u, plain, { explain: true });
      const b = authorize(u, s, { explain: true, assembled: assemble(u, s) });
      assert.deepEqual(b.decision, a.decision, `${principal} ${action} ${resource}`);
      assert.deepEqual([...b.context], [...a.context]);
    }
  }
});
