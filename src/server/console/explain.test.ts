/** The console's explain route, called as the server calls it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleApi } from './api.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const BROKEN = {
  kind: 'files',
  files: [
    {
      name: 'kms-key-policy-excludes-role.yaml',
      text: readFileSync(join(ROOT, 'examples/accounts/notebook-job/broken/kms-key-policy-excludes-role.yaml'), 'utf8'),
    },
  ],
};
const MESSAGE =
  'User: arn:aws:sts::111122223333:assumed-role/NotebookJobExecutionRole/SageMaker is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab because no resource-based policy allows the kms:Decrypt action';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these assertions
type Body = Record<string, any>;

async function call(body: unknown): Promise<{ status: number; body: Body }> {
  const r = await new ConsoleApi().dispatch('POST', 'explain', { body, query: new URLSearchParams() });
  assert.ok(r);
  return r as { status: number; body: Body };
}

describe('console API: explain', () => {
  it('explains a pasted message against uploaded files; with apply, the request is then allowed', async () => {
    const r = await call({ message: MESSAGE, source: BROKEN });
    assert.equal(r.status, 200);
    const e = r.body['explanations'][0];
    assert.equal(e.agrees, true);
    assert.equal(e.fix.verified, true);
    assert.equal(e.after, undefined);
    const applied = await call({ message: MESSAGE, source: BROKEN, apply: true });
    assert.equal(applied.body['explanations'][0].after.decision, 'allowed');
  });

  it('gives the text of the policies its statements cite, with the statement lines to highlight', async () => {
    const r = await call({
      message:
        'User: arn:aws:sts::111122223333:assumed-role/NotebookJobRole/SageMaker is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:111122223333:repository/notebook-runtime because no identity-based policy allows the ecr:BatchGetImage action',
      source: { kind: 'files', files: [{ name: 'iam.yaml', text: readFileSync(join(ROOT, 'test/fixtures/explain/iam.yaml'), 'utf8') }] },
    });
    const e = r.body['explanations'][0];
    const s = e.iamsim.statements.find((x: Body) => x.role === 'near-miss');
    const doc: string = e.documents[`${s.policy}|${s.target}`];
    const lines = doc
      .split('\n')
      .slice(s.span.start - 1, s.span.end)
      .join('\n');
    assert.match(lines, /"Sid": "EcrPull"/);
  });

  it('bad input is a 400 naming it', async () => {
    for (const body of [{}, { message: MESSAGE, context: 'x' }, { message: MESSAGE, context: ['nokey'] }, { message: MESSAGE, source: { kind: 'x' } }]) {
      const r = await call(body);
      assert.equal(r.status, 400, JSON.stringify(body));
    }
  });
});
