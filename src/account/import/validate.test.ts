import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openAsyncStore } from '../open-store.js';
import { fixture, tempFile } from '../test-support.test.js';
import { importFiles } from './index.js';

test('grammar findings in imported YAML documents are warnings located at the element in the YAML file', async () => {
  const file = tempFile(
    'b.yaml',
    [
      'accounts:',
      '  - id: "123456789012"',
      '    roles:',
      '      - name: R',
      '        trustPolicy:',
      '          Version: "2012-10-17"',
      '          Statement:',
      '            - Efect: Allow',
      '              Principal: {Service: sagemaker.amazonaws.com}',
      '              Action: sts:AssumeRole',
      '',
    ].join('\n'),
  );
  const store = await openAsyncStore(':memory:');
  const r = await importFiles([file], store);
  assert.equal(r.ok, true);
  const w = r.diagnostics.filter((d) => d.code === 'UNKNOWN_ELEMENT' || d.code === 'MISSING_EFFECT');
  assert.ok(w.length > 0, JSON.stringify(r.diagnostics));
  // Line 8 is the statement with "Efect" (the misspelt key and the statement missing its Effect).
  assert.ok(
    w.every((d) => d.severity === 'warning' && d.line === 8 && d.file === file),
    JSON.stringify(w),
  );
  assert.match(w[0]?.message ?? '', /^role R trust policy/);
  assert.equal((await importFiles([file], store, { validate: false })).diagnostics.length, 0);
  await store.close();
});

test('the fixtures validate cleanly apart from known AWS defaults', async () => {
  const store = await openAsyncStore(':memory:');
  const r = await importFiles([fixture('authorization-details.json'), fixture('bundle.yaml'), fixture('get-repository-policy.us-east-1.json')], store);
  assert.equal(r.ok, true);
  assert.deepEqual(r.diagnostics, []);
  await store.close();
});
