/**
 * No single request can freeze the server: an absurd list index is a 400 at
 * once, 20,000 list members parse in linear time, a slow Access Analyzer check
 * is cut by its deadline while /healthz keeps answering, a check that wants
 * too much memory is stopped, a bad path is a 400, and slow headers are cut.
 * Time bounds here are generous: they prove "not frozen", not speed.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { AccessAnalyzerClient, CheckNoNewAccessCommand, ValidatePolicyCommand } from '@aws-sdk/client-accessanalyzer';
import { validatePolicy } from '../analyze/validate-policy.js';
import { IAMClient, SimulateCustomPolicyCommand } from '@aws-sdk/client-iam';
import { IAM_MODEL } from '../protocol/generated/iam.js';
import { parseQueryInput } from '../protocol/query.js';

const parse = (op: string, q: URLSearchParams): Record<string, unknown> => parseQueryInput(IAM_MODEL, IAM_MODEL.operations[op]!, q);
import { startTestServer, type Started } from './test-support.test.js';

let s: Started;
before(async () => {
  s = await startTestServer({ deadline: 2_000, headersTimeout: 1_000 });
});
after(() => s.stop());

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

/** A 10-statement, 3.7 KB policy pair whose CheckNoNewAccess runs far longer than any deadline here. */
function slowPolicy(n: number): string {
  const st = Array.from({ length: n }, (_, i) => ({
    Effect: i % 3 === 2 ? 'Deny' : 'Allow',
    NotAction: [`s3:Get*${i}`, `ec2:*Instance${i}*`, `iam:*Role${i}`],
    NotResource: [`arn:aws:s3:::b${i}/*`, `arn:aws:ec2:*:*:instance/i-${i}*`],
    Condition: {
      StringLike: { 'aws:PrincipalTag/team': [`t${i}*`, `*x${i}`], 's3:prefix': [`p${i}/*`] },
      StringNotEquals: { 'aws:RequestedRegion': [`us-east-${i}`] },
      NumericLessThan: { 's3:max-keys': `${i + 10}` },
      IpAddress: { 'aws:SourceIp': `10.${i}.0.0/16` },
    },
  }));
  return JSON.stringify({ Version: '2012-10-17', Statement: st });
}

/** Polls /healthz until `done` settles; returns the slowest answer in ms. */
async function healthWhile(done: Promise<unknown>): Promise<{ slowest: number; polls: number }> {
  let finished = false;
  void done.then(
    () => (finished = true),
    () => (finished = true),
  );
  let slowest = 0;
  let polls = 0;
  while (!finished) {
    const t = performance.now();
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    slowest = Math.max(slowest, performance.now() - t);
    polls++;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { slowest, polls };
}

test('ContextKeyValues.member.4294967295 is a 400 at once, and /healthz answers meanwhile', async () => {
  const body =
    'Action=SimulateCustomPolicy&Version=2010-05-08&ActionNames.member.1=s3:GetObject&PolicyInputList.member.1=%7B%7D' +
    '&ContextEntries.member.1.ContextKeyName=a&ContextEntries.member.1.ContextKeyType=string&ContextEntries.member.1.ContextKeyValues.member.4294967295=a';
  const t = performance.now();
  const [r, health] = await Promise.all([
    fetch(`${s.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }),
    fetch(`${s.url}/healthz`),
  ]);
  assert.equal(r.status, 400);
  assert.match(await r.text(), /<Code>ValidationError<\/Code>[\s\S]*Member index must be from 1 to/);
  assert.equal(health.status, 200);
  assert.ok(performance.now() - t < 1_000, 'answered within a second');
  for (const index of ['100000000', '0', '01', '-1', '1e3']) {
    const q = new URLSearchParams({ 'ActionNames.member.1': 'x', [`ActionNames.member.${index}`]: 'y' });
    assert.throws(() => parse('SimulateCustomPolicy', q), { status: 400, code: 'ValidationError' }, index);
  }
  assert.throws(() => parse('SimulateCustomPolicy', new URLSearchParams('ActionNames.member.1=a&ActionNames.member.3=c&x=1')), /without gaps/);
});

test('20,000 Tags.member.N parse in linear time and are refused by the documented maximum (50)', async () => {
  const parts = ['Action=TagRole', 'Version=2010-05-08', 'RoleName=NotebookJobExecutionRole'];
  for (let i = 1; i <= 20_000; i++) parts.push(`Tags.member.${i}.Key=k${i}`);
  const t = performance.now();
  const r = await fetch(`${s.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: parts.join('&') });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Member must have length less than or equal to 50/);
  assert.ok(performance.now() - t < 5_000, 'answered within 5 s');
  // The parser itself, on 20,000 structures with a nested list each (no maximum documented for these).
  const q = new URLSearchParams();
  for (let i = 1; i <= 20_000; i++) {
    q.append(`ContextEntries.member.${i}.ContextKeyName`, `k${i}`);
    q.append(`ContextEntries.member.${i}.ContextKeyValues.member.1`, 'v');
  }
  const t2 = performance.now();
  const entries = parse('SimulateCustomPolicy', q)['ContextEntries'] as unknown[] | undefined;
  assert.equal(entries?.length, 20_000);
  assert.deepEqual(entries?.[19_999], { ContextKeyName: 'k20000', ContextKeyValues: ['v'] });
  assert.ok(performance.now() - t2 < 5_000, 'parsed within 5 s');
});

test('a slow CheckNoNewAccess is cut by its deadline (ServiceUnavailable) while /healthz answers; the next check works', async () => {
  const aa = new AccessAnalyzerClient({ endpoint: s.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const slow = aa.send(
      new CheckNoNewAccessCommand({ existingPolicyDocument: slowPolicy(9), newPolicyDocument: slowPolicy(10), policyType: 'IDENTITY_POLICY' }),
    );
    const [outcome, health] = await Promise.all([
      slow.then(
        () => 'answered',
        (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
      ),
      healthWhile(slow),
    ]);
    assert.ok(outcome instanceof Error, 'the check was cut');
    assert.equal(outcome.$metadata?.httpStatusCode, 503);
    assert.match(outcome.message, /deadline of 2000 ms/);
    assert.ok(health.polls >= 3, `health was polled while the check ran (${health.polls})`);
    assert.ok(health.slowest < 1_000, `/healthz answered within a second while the check ran (slowest ${health.slowest.toFixed(0)} ms)`);
    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    const ok = await aa.send(new CheckNoNewAccessCommand({ existingPolicyDocument: doc, newPolicyDocument: doc, policyType: 'IDENTITY_POLICY' }));
    assert.equal(ok.result, 'PASS');
  } finally {
    aa.destroy();
  }
});

test('a check that needs more memory than a request may take is stopped; the server goes on', async () => {
  const small = await startTestServer({ pool: { memoryMb: 16 }, deadline: 60_000 });
  const aa = new AccessAnalyzerClient({ endpoint: small.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    await assert.rejects(
      aa.send(new CheckNoNewAccessCommand({ existingPolicyDocument: slowPolicy(9), newPolicyDocument: slowPolicy(10), policyType: 'IDENTITY_POLICY' })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 503 && /more than 16 MiB/.test(e.message),
    );
    assert.equal((await fetch(`${small.url}/healthz`)).status, 200);
  } finally {
    aa.destroy();
    await small.stop();
  }
});

test('SimulateCustomPolicy: small on the event loop, large in a request thread, the same answers (SDK)', async () => {
  const iam = new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}';
  const small = await iam.send(
    new SimulateCustomPolicyCommand({ PolicyInputList: [doc], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::b/1'] }),
  );
  assert.deepEqual(
    small.EvaluationResults?.map((x) => x.EvalDecision),
    ['allowed', 'implicitDeny'],
  );
  // 2 actions x 40 resources: more than the 64 pairs answered inline.
  const resources = Array.from({ length: 40 }, (_, i) => `arn:aws:s3:::b/${i}`);
  const large = await iam.send(
    new SimulateCustomPolicyCommand({ PolicyInputList: [doc], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: resources }),
  );
  assert.deepEqual(
    large.EvaluationResults?.map((x) => x.EvalDecision),
    ['allowed', 'implicitDeny'],
  );
  assert.equal(large.EvaluationResults?.[0]?.ResourceSpecificResults?.length, 40);
  iam.destroy();
});

test("ValidatePolicy on a large document is answered from a request thread with the library's findings", async () => {
  const statements = Array.from({ length: 400 }, (_, i) => ({
    Sid: `S${i}`,
    Effect: 'Allow',
    Action: ['s3:GetObject', 'iam:PassRole'],
    Resource: `arn:aws:s3:::bucket-${i}/*`,
  }));
  const policyDocument = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  assert.ok(policyDocument.length > 32 * 1024);
  const v = await startTestServer();
  const aa = new AccessAnalyzerClient({ endpoint: v.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const r = await aa.send(new ValidatePolicyCommand({ policyDocument, policyType: 'IDENTITY_POLICY', maxResults: 1000 }));
    const expected = validatePolicy({ policyDocument, policyType: 'IDENTITY_POLICY' }).findings;
    assert.ok(expected.length > 0);
    assert.deepEqual(
      r.findings?.map((f) => [f.issueCode, f.locations?.[0]?.span?.start?.line]),
      expected.map((f) => [f.issueCode, f.locations[0]?.span.start.line]),
    );
  } finally {
    aa.destroy();
    await v.stop();
  }
});

test('GET /%ff is a 400, and headers that never finish are cut near the header timeout', async () => {
  const bad = await fetch(`${s.url}/%ff`);
  assert.equal(bad.status, 400);
  const u = new URL(s.url);
  const t = performance.now();
  const closed = await new Promise<number>((resolve) => {
    const sock = connect(Number(u.port), u.hostname, () => sock.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: '));
    sock.on('data', () => undefined);
    sock.on('close', () => resolve(performance.now() - t));
    sock.on('error', () => undefined);
  });
  assert.ok(closed < 5_000, `closed after ${closed.toFixed(0)} ms (header timeout 1 s; node checks every second)`);
});
