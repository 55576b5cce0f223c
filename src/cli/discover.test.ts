/**
 * End-to-end: `iamsim discover` on requests no context can allow says why, in
 * text and JSON: the layer with no Allow that names the action, the Allows that
 * never apply to the resource, or the Deny that applies in every context an
 * Allow applies in (unconditionally, when it has no condition).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { fakeIo } from '../../test/support/cli.js';
import type { DiscoveryResult } from '../reason/discover.js';

const dir = mkdtempSync(join(tmpdir(), 'iamsim-discover-'));
const write = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
};
const doc = (...Statement: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

async function discover(input: Record<string, unknown>, format: 'json' | 'text'): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await main(['discover', '--input', write('in.json', input), '--format', format], io.io);
  return { code, out: io.out(), err: io.err() };
}

async function results(input: Record<string, unknown>): Promise<DiscoveryResult[]> {
  const r = await discover(input, 'json');
  return (JSON.parse(r.out) as { results: DiscoveryResult[] }).results;
}

const READ = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' };
const NO_DELETE = { Sid: 'NoDelete', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' };

test('discover: no Allow names the action, and an unconditional Deny (text and JSON)', async () => {
  const input = { PolicyInputList: [doc(READ, NO_DELETE)], ActionNames: ['s3:DeleteObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::data/k'] };
  const text = await discover(input, 'text');
  assert.equal(text.code, 1, text.err);
  assert.match(
    text.out,
    /s3:DeleteObject on arn:aws:s3:::data\/k \(as given: explicitDeny\)\n {2}never allowed, whatever the context:\n {4}no Allow statement in the identity policies names s3:DeleteObject\n {4}statement #2 \(Sid "NoDelete"\) of \S+in\.json, line 3 denies s3:DeleteObject unconditionally\n/,
  );
  const [del, put] = await results(input);
  assert.deepEqual(
    del?.neverAllowedBecause?.map((w) => [w.kind, w.layer, w.statements.map((s) => [s.effect, s.index, s.sid])]),
    [
      ['no-allow', 'identity policies', []],
      ['denied', undefined, [['Deny', 1, 'NoDelete']]],
    ],
  );
  // Nothing denies PutObject: the only reason is the missing Allow.
  assert.deepEqual(
    put?.neverAllowedBecause?.map((w) => w.kind),
    ['no-allow'],
  );
});

test('discover: the Allow that names the action never applies to the resource', async () => {
  const [r] = await results({ PolicyInputList: [doc(READ)], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::other/k'] });
  assert.equal(r?.neverAllowedBecause?.length, 1);
  const [why] = r?.neverAllowedBecause ?? [];
  assert.equal(why?.kind, 'allow-never-applies');
  assert.match(why?.message ?? '', /Allow statements of the identity policies that name s3:GetObject never apply to this resource/);
  // Cited where the statement is: the policy is inline in the input file, on its third line.
  assert.deepEqual(
    why?.statements.map((s) => [s.effect, s.index, s.line]),
    [['Allow', 0, 3]],
  );
});

test('discover: a conditional Deny that applies wherever the Allow does', async () => {
  const allow = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a' } } };
  const deny = { Sid: 'NotTeamA', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': ['a', 'b'] } } };
  const [r] = await results({ PolicyInputList: [doc(allow, deny)], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::data/k'] });
  assert.deepEqual(
    r?.neverAllowedBecause?.map((w) => [w.kind, w.message]),
    [['denied', `statement #2 (Sid "NotTeamA") of ${join(dir, 'in.json')}, line 3 denies s3:GetObject in every context an Allow applies in`]],
  );
  // A Deny that leaves some allowed context open is no reason: the request is allowed then, with no reasons given.
  const open = { ...deny, Condition: { StringEquals: { 'aws:PrincipalTag/team': 'b' } } };
  const [allowed] = await results({ PolicyInputList: [doc(allow, open)], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::data/k'] });
  assert.ok((allowed?.allowedWhen.length ?? 0) > 0);
  assert.equal(allowed?.neverAllowedBecause, undefined);
});

test('discover: the permissions boundary or an SCP level that allows no such request', async () => {
  const all = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
  const ec2 = doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
  const [b] = await results({
    PolicyInputList: [all],
    PermissionsBoundaryPolicyInputList: [ec2],
    ActionNames: ['s3:GetObject'],
    ResourceArns: ['arn:aws:s3:::data/k'],
  });
  assert.deepEqual(
    b?.neverAllowedBecause?.map((w) => w.message),
    ['no Allow statement in the permissions boundary names s3:GetObject'],
  );
  const [s] = await results({
    PolicyInputList: [all],
    ServiceControlPolicyInputList: [[all], [ec2]],
    ActionNames: ['s3:GetObject'],
    ResourceArns: ['arn:aws:s3:::data/k'],
  });
  assert.deepEqual(
    s?.neverAllowedBecause?.map((w) => w.message),
    ['no Allow statement in the SCPs at organization level 2 of 2 (root first) names s3:GetObject'],
  );
});

test('discover never proposes leaving out a key AWS sends in every request (aws:SecureTransport, aws:CurrentTime)', async () => {
  // reference_policies_condition-keys.md, "Availability": aws:SecureTransport and aws:CurrentTime are always included.
  const tls = { Sid: 'DenyPlainHttp', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
  const late = {
    Sid: 'DenyAfter',
    Effect: 'Deny',
    Action: 's3:*',
    Resource: '*',
    Condition: { DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
  };
  const [r] = await results({ PolicyInputList: [doc(READ, tls, late)], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::data/k'] });
  assert.ok(r && r.allowedWhen.length > 0, JSON.stringify(r));
  for (const alt of r.allowedWhen) {
    assert.ok(
      alt.requirements.every((q) => q.absent !== true),
      JSON.stringify(alt.requirements),
    );
  }
  // The only way: TLS (SecureTransport true) before 2030.
  const st = r.allowedWhen.flatMap((a) => a.requirements).filter((q) => q.key === 'aws:SecureTransport');
  assert.ok(st.length > 0 && st.every((q) => q.example?.[0] === 'true'), JSON.stringify(st));
  // A key that may be absent (aws:SourceVpce: only through a VPC endpoint) still may be.
  const vpce = { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } };
  const [v] = await results({ PolicyInputList: [doc(READ, vpce)], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::data/k'] });
  assert.ok(v?.allowedWhen.some((a) => a.requirements.some((q) => q.key === 'aws:SourceVpce' && q.absent !== true)));
});
