/**
 * Exposure forms (docs/audit.md "Exposure"): each one a trust or resource
 * policy that is reported, beside a look-alike that is not, all decided by
 * the evaluator. Sources: IAM User Guide reference_policies_elements_principal
 * (principal forms), id_roles_create_for-user_externalid (vendor roles),
 * id_roles_create_for-idp_oidc (GitHub's sub condition), the Cognito
 * developer guide's role trust (aud is the identity pool),
 * id_roles_create_for-idp_saml, access-analyzer-concepts (identifying keys).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Role } from '../account/model.js';
import { createUniverse } from '../account/query.js';
import { runAudit, type AuditReport } from './index.js';

const A = '111111111111';
const OUT = '999999999999';
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const ADMIN = [{ name: 'all', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }];
const GH = `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`;

function role(name: string, trust: object): Role {
  return {
    arn: `arn:aws:iam::${A}:role/${name}`,
    name,
    path: '/',
    trustPolicy: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', ...trust }),
    inlinePolicies: ADMIN,
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
  };
}

async function audit(...roles: Role[]): Promise<AuditReport> {
  const u = createUniverse({
    accounts: [{ id: A, users: [], groups: [], roles, managedPolicies: [], resourcePolicies: [], sources: [] }],
  });
  return runAudit(u, { at: new Date('2026-01-01T00:00:00Z') });
}

/** The exposure findings about one role. */
async function findingsFor(r: Role): Promise<{ code: string; message: string }[]> {
  const report = await audit(r);
  return report.findings.filter((f) => f.subject === r.arn && /ACCESS|REVIEW/.test(f.code));
}

interface Pair {
  readonly name: string;
  readonly reported: object;
  readonly lookAlike: object;
  /** Code and a part of the message the reported case must have. */
  readonly code: string;
  readonly says: RegExp;
}

const webIdentity = (Federated: string, Condition?: object): object => ({
  Principal: { Federated },
  Action: 'sts:AssumeRoleWithWebIdentity',
  ...(Condition ? { Condition } : {}),
});

const PAIRS: readonly Pair[] = [
  {
    name: 'a named user of another account',
    reported: { Principal: { AWS: `arn:aws:iam::${OUT}:user/contractor` } },
    lookAlike: { Principal: { AWS: `arn:aws:iam::${A}:user/contractor` } },
    code: 'CROSS_ACCOUNT_ACCESS',
    says: /arn:aws:iam::999999999999:user\/contractor \(account 999999999999\), outside the model, can assume/,
  },
  {
    name: 'a named role of another account',
    reported: { Principal: { AWS: `arn:aws:iam::${OUT}:role/vendor/deployer` } },
    lookAlike: { Principal: { AWS: `arn:aws:iam::${A}:role/vendor/deployer` } },
    code: 'CROSS_ACCOUNT_ACCESS',
    says: /role\/vendor\/deployer/,
  },
  {
    name: 'a vendor role with an external id',
    reported: { Principal: { AWS: OUT }, Condition: { StringEquals: { 'sts:ExternalId': 'vendor-42' } } },
    lookAlike: { Principal: { AWS: OUT }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } } },
    code: 'CROSS_ACCOUNT_ACCESS',
    says: /account 999999999999, outside the model, can assume the role if its request meets StringEquals sts:ExternalId "vendor-42"/,
  },
  {
    name: 'another account with MFA',
    reported: { Principal: { AWS: `arn:aws:iam::${OUT}:root` }, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
    lookAlike: { Principal: { AWS: `arn:aws:iam::${OUT}:root` }, Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:iam::${A}:role/x` } } },
    code: 'CROSS_ACCOUNT_ACCESS',
    says: /Bool aws:MultiFactorAuthPresent "true"/,
  },
  {
    name: 'a session-tagged vendor',
    reported: {
      Principal: { AWS: OUT },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { StringEquals: { 'aws:RequestTag/team': 'ops', 'sts:RoleSessionName': 'ops' } },
    },
    lookAlike: { Principal: { AWS: OUT }, Condition: { StringEquals: { 'aws:PrincipalAccount': A } } },
    code: 'CROSS_ACCOUNT_ACCESS',
    says: /aws:RequestTag\/team/,
  },
  {
    name: 'GitHub Actions without a sub condition',
    reported: webIdentity(GH, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }),
    lookAlike: webIdentity(GH, {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:my-org/my-repo:*' },
    }),
    code: 'PUBLIC_ACCESS',
    says: /any GitHub Actions workflow of any repository/,
  },
  {
    name: 'GitHub Actions with sub = *',
    reported: webIdentity(GH, { StringLike: { 'token.actions.githubusercontent.com:sub': '*' } }),
    lookAlike: webIdentity(GH, { StringEquals: { 'token.actions.githubusercontent.com:repository_owner': 'my-org' } }),
    code: 'PUBLIC_ACCESS',
    says: /any GitHub Actions workflow/,
  },
  {
    name: 'Cognito identity without aud',
    reported: webIdentity('cognito-identity.amazonaws.com', { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }),
    lookAlike: webIdentity('cognito-identity.amazonaws.com', {
      StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:12345678-1234-1234-1234-123456789012' },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    }),
    code: 'PUBLIC_ACCESS',
    says: /any Amazon Cognito identity pool/,
  },
  {
    name: 'Google without aud',
    reported: webIdentity('accounts.google.com'),
    lookAlike: webIdentity('accounts.google.com', { StringEquals: { 'accounts.google.com:aud': 'mine.apps.googleusercontent.com' } }),
    code: 'PUBLIC_ACCESS',
    says: /any Google application/,
  },
  {
    name: "another account's SAML provider",
    reported: {
      Principal: { Federated: `arn:aws:iam::${OUT}:saml-provider/Okta` },
      Action: 'sts:AssumeRoleWithSAML',
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
    },
    lookAlike: {
      Principal: { Federated: `arn:aws:iam::${A}:saml-provider/Okta` },
      Action: 'sts:AssumeRoleWithSAML',
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
    },
    code: 'EXPOSURE_NEEDS_REVIEW',
    says: /identity provider of account 999999999999/,
  },
];

for (const p of PAIRS) {
  test(`exposure: ${p.name} is reported; its look-alike is not`, async () => {
    const yes = await findingsFor(role('Target', p.reported));
    assert.ok(
      yes.some((f) => f.code === p.code && p.says.test(f.message)),
      JSON.stringify(yes),
    );
    const no = await findingsFor(role('Target', p.lookAlike));
    assert.deepEqual(no, []);
  });
}

test('exposure: naming an account is not taken for "any account" (the stranger is an account no policy names)', async () => {
  const r = await audit(role('Vendor', { Principal: { AWS: '999999999999' } }), role('Other', { Principal: { AWS: '999999999998' } }));
  assert.equal(r.findings.filter((f) => f.code === 'PUBLIC_ACCESS').length, 0);
  assert.equal(r.findings.filter((f) => f.code === 'CROSS_ACCOUNT_ACCESS').length, 2);
});

test('exposure: what the semantic engine leaves UNKNOWN is a finding to review, never silently private', async () => {
  // An identifying key that only a partial wildcard admits: AWS does not say whether that is public.
  const r = role('Wild', { Principal: '*', Condition: { StringLike: { 'aws:PrincipalAccount': '11111111111?' } } });
  const f = await findingsFor(r);
  assert.ok(
    f.some((x) => x.code === 'EXPOSURE_NEEDS_REVIEW' && /aws:PrincipalAccount/.test(x.message)),
    JSON.stringify(f),
  );
  // The same policy pinned to the exact account is private.
  assert.deepEqual(await findingsFor(role('Pinned', { Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': A } } })), []);
});
