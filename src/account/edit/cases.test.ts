/**
 * IAM's write rules as data (test/cases/edit/writes.json, each case citing the IAM quotas page or the API
 * reference), and a property test: whatever sequence of writes is attempted, the account never breaks a quota and
 * every refusal is an EditError with IAM's code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Account } from '../model.js';
import {
  addUserToGroup,
  attachPolicy,
  createAccessKey,
  createGroup,
  createLoginProfile,
  createVirtualMfaDevice,
  deleteVirtualMfaDevice,
  enableMfaDevice,
  createPolicy,
  createPolicyVersion,
  createRole,
  createUser,
  deleteEntity,
  deletePolicyVersion,
  documentSize,
  EditError,
  emptyAccount,
  putInlinePolicy,
  QUOTAS,
  tagEntity,
  type EditEnv,
} from './index.js';

const ACCOUNT = '111122223333';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

function env(): EditEnv {
  let n = 0;
  return { now: '2026-01-01T00:00:00Z', newId: (prefix) => `${prefix}${String(++n).padStart(17, '0')}` };
}

/** A valid identity policy of exactly `size` counted characters. */
function sized(size: number): string {
  const make = (pad: string): string =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::b/${pad}` }] });
  const base = documentSize(make(''));
  assert.ok(size >= base, `a document of ${size} characters is smaller than the smallest one (${base})`);
  return make('x'.repeat(size - base));
}

function trustSized(size: number): string {
  const make = (pad: string): string =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sagemaker.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': pad } },
        },
      ],
    });
  return make('x'.repeat(size - documentSize(make(''))));
}

type Doc = string | { size: number } | { trustSize: number } | undefined;
const doc = (d: Doc, fallback: string): string =>
  d === undefined ? fallback : typeof d === 'string' ? d : 'size' in d ? sized(d.size) : trustSized(d.trustSize);
const policyArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

type Step = Record<string, unknown> & { op: string };

function apply(a: Account, s: Step, e: EditEnv): Account {
  const str = (k: string): string => String(s[k]);
  const num = (k: string): number => Number(s[k]);
  switch (s.op) {
    case 'createRole':
      return createRole(
        a,
        {
          name: str('name'),
          trustPolicy: doc(s['trust'] as Doc, TRUST),
          ...(s['path'] !== undefined ? { path: str('path') } : {}),
          ...(s['maxSessionDuration'] !== undefined ? { maxSessionDuration: num('maxSessionDuration') } : {}),
        },
        e,
      ).account;
    case 'createUser':
      return createUser(a, { name: str('name') }, e).account;
    case 'createPolicy':
      return createPolicy(a, { name: str('name'), document: doc(s['document'] as Doc, sized(200)) }, e).account;
    case 'createPolicyVersion':
      return createPolicyVersion(a, policyArn(str('policy')), doc(s['document'] as Doc, sized(210)), false, e).account;
    case 'deletePolicyVersion':
      return deletePolicyVersion(a, policyArn(str('policy')), str('version'));
    case 'putRolePolicy':
      return putInlinePolicy(a, 'role', str('role'), str('policy'), doc(s['document'] as Doc, sized(200)));
    case 'putUserPolicy':
      return putInlinePolicy(a, 'user', str('user'), str('policy'), doc(s['document'] as Doc, sized(200)));
    case 'attachMany': {
      let out = a;
      for (let i = 1; i <= num('count'); i++) {
        out = createPolicy(out, { name: `M${i}`, document: sized(200) }, e).account;
        out = attachPolicy(out, 'role', str('role'), policyArn(`M${i}`));
      }
      return out;
    }
    case 'deleteRole':
      return deleteEntity(a, 'role', str('role'));
    case 'tagRole':
      return tagEntity(
        a,
        'role',
        str('role'),
        Array.from({ length: num('count') }, (_, i) => ({ key: `k${i}`, value: 'v' })),
      );
    case 'joinGroups': {
      let out = a;
      for (let i = 1; i <= num('count'); i++) {
        out = createGroup(out, { name: `G${i}` }, e).account;
        out = addUserToGroup(out, `G${i}`, str('user'));
      }
      return out;
    }
    case 'deleteUser':
      return deleteEntity(a, 'user', str('user'));
    case 'createAccessKey':
      return createAccessKey(a, str('user'), e).account;
    case 'createLoginProfile':
      return createLoginProfile(a, { userName: str('user'), password: str('password') }, e).account;
    case 'createVirtualMfaDevice':
      return createVirtualMfaDevice(a, { name: str('name') }, e).account;
    case 'enableMfaDevice':
      return enableMfaDevice(a, str('user'), `arn:aws:iam::${ACCOUNT}:mfa/${str('device')}`, e);
    case 'deleteVirtualMfaDevice':
      return deleteVirtualMfaDevice(a, `arn:aws:iam::${ACCOUNT}:mfa/${str('device')}`);
    case 'enableMfaDevices': {
      let out = a;
      for (let i = 1; i <= num('count'); i++) {
        out = createVirtualMfaDevice(out, { name: `D${i}` }, e).account;
        out = enableMfaDevice(out, str('user'), `arn:aws:iam::${ACCOUNT}:mfa/D${i}`, e);
      }
      return out;
    }
    default:
      throw new Error(`unknown op ${s.op}`);
  }
}

interface Case {
  readonly name: string;
  readonly steps: readonly Step[];
  readonly expect: string;
}

const casesOf = (name: string): Case[] =>
  (JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../test/cases/edit/${name}`, import.meta.url)), 'utf8')) as { cases: Case[] }).cases;
const cases = [...casesOf('writes.json'), ...casesOf('credentials.json')];

for (const c of cases) {
  test(`IAM writes: ${c.name}`, () => {
    const e = env();
    let a = emptyAccount(ACCOUNT);
    c.steps.slice(0, -1).forEach((s) => {
      a = apply(a, s, e);
    });
    const last = c.steps[c.steps.length - 1] as Step;
    let outcome = 'ok';
    try {
      apply(a, last, e);
    } catch (err) {
      if (!(err instanceof EditError)) throw err;
      outcome = err.code;
    }
    assert.equal(outcome, c.expect);
  });
}

test('property: no sequence of writes breaks a quota, and every refusal is an EditError', () => {
  const names = fc.constantFrom('R1', 'R2', 'r1');
  const step = fc.oneof(
    names.map((name) => ({ op: 'createRole', name })),
    fc.tuple(names, fc.constantFrom('A', 'B', 'C'), fc.integer({ min: 200, max: 6000 })).map(([role, policy, size]) => ({
      op: 'putRolePolicy',
      role,
      policy,
      document: { size },
    })),
    fc.constantFrom('P1', 'P2').map((name) => ({ op: 'createPolicy', name })),
    fc.constantFrom('P1', 'P2').map((policy) => ({ op: 'createPolicyVersion', policy })),
    fc.tuple(fc.constantFrom('P1', 'P2'), fc.constantFrom('v1', 'v2', 'v3')).map(([policy, version]) => ({ op: 'deletePolicyVersion', policy, version })),
    fc.tuple(names, fc.integer({ min: 1, max: 12 })).map(([role, count]) => ({ op: 'attachMany', role, count })),
    names.map((role) => ({ op: 'deleteRole', role })),
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
      const e = env();
      let a = emptyAccount(ACCOUNT);
      for (const s of steps) {
        try {
          a = apply(a, s as Step, e);
        } catch (err) {
          if (!(err instanceof EditError)) throw err;
        }
      }
      const lower = a.roles.map((r) => r.name.toLowerCase());
      assert.equal(new Set(lower).size, lower.length, 'role names unique ignoring case');
      for (const r of a.roles) {
        assert.ok(r.managedPolicies.length <= QUOTAS.attachedPolicies);
        const inline = r.inlinePolicies.reduce((n, p) => n + documentSize(p.document), 0);
        assert.ok(inline <= QUOTAS.inlineAggregate.role, `inline total ${inline}`);
      }
      for (const p of a.managedPolicies) {
        assert.ok(p.versions.length <= QUOTAS.policyVersions);
        assert.equal(p.versions.filter((v) => v.isDefault).length, 1);
      }
    }),
    { numRuns: 150 },
  );
});
