/**
 * End-to-end: the interface parity items of the checks — exit codes (UNKNOWN
 * 4, distinct from an internal error 3), --lenient on every reason command
 * (and discover rejecting comments without it), AWS's own
 * check-no-public-access example (a bucket policy without Resource),
 * --resource-types any — and FAILs replayed through the `iamsim simulate`
 * command exactly as docs/reason.md says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { fakeIo } from '../../test/support/cli.js';
import type { Counterexample } from '../reason/confirm.js';

async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await main(argv, io.io);
  return { code, out: io.out(), err: io.err() };
}

const dir = mkdtempSync(join(tmpdir(), 'iamsim-parity-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const ALLOW_ALL = doc({ Effect: 'Allow', Action: '*', Resource: '*' });

/** Replays a counterexample through the `iamsim simulate` command as docs/reason.md says. */
async function simulate(cx: Counterexample, policy: string, resourcePolicy: boolean): Promise<string> {
  const account = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(cx.CallerArn ?? '')?.[1];
  const input = resourcePolicy
    ? { ...cx, ResourcePolicy: policy, PolicyInputList: account !== undefined && account !== cx.ResourceOwner ? [ALLOW_ALL] : [] }
    : { ...cx, PolicyInputList: [policy] };
  const r = await run(['simulate', '--input', file(`sim-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(input)), '--no-explain']);
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as { EvaluationResults: { EvalDecision: string }[] }).EvaluationResults[0]!.EvalDecision;
}

test('exit codes: UNKNOWN is 4, documented in --help next to internal error 3', async () => {
  const a = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/t': 'i\u0307' } } });
  const b = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEqualsIgnoreCase: { 'aws:PrincipalTag/t': '\u0130' } } });
  const r = await run(['check-no-new-access', '--existing-policy-document', a, '--new-policy-document', b, '--policy-type', 'IDENTITY_POLICY']);
  assert.equal(r.code, 4, r.out);
  assert.equal((JSON.parse(r.out) as { result: string }).result, 'UNKNOWN');
  for (const cmd of ['check-no-new-access', 'check-access-not-granted', 'check-no-public-access', 'compare', 'discover']) {
    const h = await run([cmd, '--help']);
    assert.match(h.out, /3 internal error, 4 (UNKNOWN|not decided)/, cmd);
  }
});

test('--lenient: comments and trailing commas are bad input without it, warnings with it (checks, compare, discover)', async () => {
  const loose = '{"Version":"2012-10-17", /* docs style */ "Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},]}';
  const args = ['check-no-new-access', '--existing-policy-document', loose, '--new-policy-document', loose, '--policy-type', 'IDENTITY_POLICY'];
  const strict = await run(args);
  assert.equal(strict.code, 2);
  assert.match(strict.err, /JSON_COMMENT|comment/i);
  const lenient = await run([...args, '--lenient', '--format', 'text']);
  assert.equal(lenient.code, 0, lenient.err);
  // One summary line per document, as lint prints: the comment and the trailing comma counted together.
  assert.match(lenient.err, /warning LENIENT_COMMENT: Accepted 1 comment and 1 trailing comma because of --lenient/);
  const json = await run([...args, '--lenient']);
  assert.equal((JSON.parse(json.out) as { warnings: string[] }).warnings.length, 2); // one per document
  const path = file('loose.json', loose);
  assert.equal((await run(['compare', path, path])).code, 2);
  const cmp = await run(['compare', path, path, '--lenient']);
  assert.equal(cmp.code, 0, cmp.err);
  const looseDoc = '{"Version":"2012-10-17", /* docs style */ "Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
  const input = file('discover.json', JSON.stringify({ PolicyInputList: [looseDoc], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::b/k'] }));
  const d = await run(['discover', '--input', input]);
  assert.equal(d.code, 2, d.out);
  const dl = await run(['discover', '--input', input, '--lenient']);
  assert.equal(dl.code, 0, dl.err);
  assert.match(dl.err, /LENIENT_COMMENT/);
});

test("check-no-public-access takes AWS's CLI example (a bucket policy without Resource) with a warning", async () => {
  const example = doc({ Sid: 'Bob', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/JohnDoe' }, Action: ['s3:GetObject'] });
  const r = await run([
    'check-no-public-access',
    '--policy-document',
    `file://${file('example.json', example)}`,
    '--resource-type',
    'AWS::S3::Bucket',
    '--format',
    'text',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^PASS/);
  assert.match(r.err, /warning MISSING_RESOURCE: a statement without Resource is read as applying to the AWS::S3::Bucket/);
  const open = doc({ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'] });
  assert.equal((await run(['check-no-public-access', '--policy-document', open, '--resource-type', 'AWS::S3::Bucket'])).code, 1);
});

test('--resource-types any answers as AWS does (s3:GetObject on a bucket ARN), and its FAIL replays through iamsim simulate', async () => {
  const existing = doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' });
  const next = doc({ Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject'], Resource: 'arn:aws:s3:::b' });
  const args = ['check-no-new-access', '--existing-policy-document', existing, '--new-policy-document', next, '--policy-type', 'IDENTITY_POLICY'];
  assert.equal((await run(args)).code, 0);
  const any = await run([...args, '--resource-types', 'any']);
  assert.equal(any.code, 1, any.out);
  const cx = (JSON.parse(any.out) as { counterexample: Counterexample }).counterexample;
  assert.deepEqual(cx.ActionNames, ['s3:GetObject']);
  assert.equal(await simulate(cx, next, false), 'allowed');
  assert.notEqual(await simulate(cx, existing, false), 'allowed');
  assert.equal((await run([...args, '--resource-types', 'some'])).code, 2);
  const cmp = await run(['compare', file('e.json', existing), file('n.json', next), '--resource-types', 'any']);
  assert.equal((JSON.parse(cmp.out) as { relation: string }).relation, 'B allows more');
});

test('resource-policy and trust-policy FAILs replay through the iamsim simulate command', async () => {
  const queue = 'arn:aws:sqs:eu-west-1:111122223333:orders';
  const cases: [string, string][] = [
    [
      doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sqs:SendMessage', Resource: queue }),
      doc({ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: queue, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }),
    ],
    [
      doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/ci' }, Action: 'sts:*' }),
    ],
  ];
  for (const [existing, next] of cases) {
    const r = await run(['check-no-new-access', '--existing-policy-document', existing, '--new-policy-document', next, '--policy-type', 'RESOURCE_POLICY']);
    assert.equal(r.code, 1, r.out);
    const cx = (JSON.parse(r.out) as { counterexample: Counterexample }).counterexample;
    assert.ok(cx.ResourceOwner !== undefined && cx.ResourceArns[0]!.includes(`:${cx.ResourceOwner}:`), JSON.stringify(cx));
    assert.equal(await simulate(cx, next, true), 'allowed', JSON.stringify(cx));
    assert.notEqual(await simulate(cx, existing, true), 'allowed', JSON.stringify(cx));
  }
});

test('compare names the statements of both directions and lists every class of requests (text and JSON)', async () => {
  const a = file('cmp-a.json', doc({ Sid: 'Get', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }));
  const b = file('cmp-b.json', doc({ Sid: 'Put', Effect: 'Allow', Action: ['s3:PutObject', 'sqs:SendMessage'], Resource: 'arn:aws:*' }));
  const text = await run(['compare', a, b, '--format', 'text']);
  assert.equal(text.code, 1);
  assert.match(text.out, new RegExp(`${b.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} statement #1 \\(Sid "Put"\\): 2 classes of requests`));
  assert.match(text.out, new RegExp(`${a.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} statement #1 \\(Sid "Get"\\): 1 class of requests`));
  const json = JSON.parse((await run(['compare', a, b])).out) as { bAllowsMore: { counterexampleClasses: { counterexamples: Counterexample[] }[] } };
  const actions = json.bAllowsMore.counterexampleClasses[0]!.counterexamples.map((c) => c.ActionNames[0]).sort();
  assert.deepEqual(actions, ['s3:PutObject', 'sqs:SendMessage']);
  for (const c of json.bAllowsMore.counterexampleClasses[0]!.counterexamples) assert.equal(await simulate(c, readFileSync(b, 'utf8'), false), 'allowed');
});

test('discover prints structured requirements in JSON and leaves out keys whose value does not matter', async () => {
  const policy = doc(
    { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ml' } } },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
  );
  const input = file('discover-req.json', JSON.stringify({ PolicyInputList: [policy], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::b/k'] }));
  const r = await run(['discover', '--input', input]);
  assert.equal(r.code, 0, r.err);
  type Req = { key: string; absent?: true; clauses?: { operator: string; values: string[]; holds: boolean }[] };
  const alts = (JSON.parse(r.out) as { results: { allowedWhen: { requirements: Req[] }[] }[] }).results[0]!.allowedWhen;
  assert.ok(alts.length >= 2);
  for (const a of alts) {
    assert.equal(a.requirements.length, 1, JSON.stringify(a.requirements));
    assert.equal(a.requirements[0]!.clauses?.[0]?.holds, true);
  }
  assert.deepEqual(alts.map((a) => a.requirements[0]!.key).sort(), ['aws:PrincipalTag/team', 'aws:SecureTransport']);
});
