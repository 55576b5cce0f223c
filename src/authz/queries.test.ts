import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadUniverse } from './universe.js';
import { assumeChain } from './chain.js';
import { decide, rolesAssumableBy, trustedPrincipals, whoCanAssume, whoCanPass } from './queries.js';
import type { Universe } from '../account/query.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/accounts/', import.meta.url));
const fx = (n: string): string => join(FIXTURES, n);
const ORG = readdirSync(fx('org')).map((f) => fx(`org/${f}`));

function load(files: readonly string[]): Universe {
  const r = loadUniverse({ accountFiles: files });
  assert.ok(r.universe, JSON.stringify(r.diagnostics));
  return r.universe;
}

const fixtureModel = load([fx('authorization-details.json'), ...ORG]);
const JOB_ROLE = 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole';
const STUDIO_ROLE = 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole-20240110T090000';

/** Two modelled accounts (dev assumes into prod), an external account, conditions and session tags. */
const CHAIN_BUNDLE = `
accounts:
  - id: "111111111111"
    name: dev
    users:
      - name: alice
        tags: {team: ml}
        policies:
          AssumeDev:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [sts:AssumeRole, sts:TagSession]
                Resource: arn:aws:iam::111111111111:role/*
      - name: bob
    roles:
      - name: Deployer
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: arn:aws:iam::111111111111:root}
              Action: sts:AssumeRole
            - Effect: Allow
              Principal: {AWS: arn:aws:iam::111111111111:root}
              Action: sts:TagSession
              Condition: {StringEquals: {aws:RequestTag/team: ml}}
        policies:
          AssumeProd:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: arn:aws:iam::222222222222:role/ProdAccess
      - name: MfaRole
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "111111111111"}
              Action: sts:AssumeRole
              Condition: {Bool: {aws:MultiFactorAuthPresent: "true"}}
  - id: "222222222222"
    name: prod
    roles:
      - name: ProdAccess
        tags: {team: platform}
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: arn:aws:iam::111111111111:role/Deployer}
              Action: sts:AssumeRole
              Condition: {StringEquals: {aws:ResourceTag/team: platform}}
            - Effect: Allow
              Principal: {AWS: "333333333333"}
              Action: sts:AssumeRole
              Condition: {StringEquals: {sts:ExternalId: partner-123}}
      - name: SageMakerJob
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {Service: sagemaker.amazonaws.com}
              Action: sts:AssumeRole
              Condition: {StringEquals: {aws:SourceAccount: "222222222222"}}
      - name: Open
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "*"}
              Action: sts:AssumeRole
              Condition: {StringEquals: {aws:PrincipalOrgID: o-abc}}
`;

function bundleModel(): Universe {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-queries-'));
  const file = join(dir, 'chain.yaml');
  writeFileSync(file, CHAIN_BUNDLE);
  return load([file]);
}
const chainModel = bundleModel();
const DEV = 'arn:aws:iam::111111111111';
const PROD = 'arn:aws:iam::222222222222';

test('who can assume the notebook job role: sagemaker and events, nobody else', () => {
  const r = whoCanAssume(fixtureModel, JOB_ROLE);
  assert.ok(r);
  assert.deepEqual(r.allowed.map((d) => d.principal).sort(), ['events.amazonaws.com', 'sagemaker.amazonaws.com']);
  assert.deepEqual(r.conditional, []);
  // Users and roles of the model, plus the two services named in the trust policy.
  assert.equal(r.evaluated, 5);
  const sm = r.allowed.find((d) => d.principal === 'sagemaker.amazonaws.com');
  assert.equal(sm?.kind, 'service');
  assert.equal(sm?.statements[0]?.layer, 'trust');
  assert.equal(sm?.statements[0]?.policyType, 'resource');
  assert.equal(sm?.statements[0]?.target, JOB_ROLE);
  assert.match(sm?.statements[0]?.file ?? '', /authorization-details\.json$/);
});

test('unknown role: undefined', () => {
  assert.equal(whoCanAssume(fixtureModel, 'arn:aws:iam::111122223333:role/Nope'), undefined);
  assert.equal(whoCanPass(fixtureModel, 'arn:aws:iam::111122223333:role/Nope'), undefined);
});

test('roles a service principal can assume', () => {
  assert.deepEqual(
    rolesAssumableBy(fixtureModel, 'sagemaker.amazonaws.com')
      .allowed.map((d) => d.resource)
      .sort(),
    [JOB_ROLE, STUDIO_ROLE],
  );
  assert.deepEqual(
    rolesAssumableBy(fixtureModel, 'events.amazonaws.com').allowed.map((d) => d.resource),
    [JOB_ROLE],
  );
  const glue = rolesAssumableBy(fixtureModel, 'glue.amazonaws.com');
  assert.deepEqual([glue.allowed.length, glue.conditional.length, glue.evaluated], [0, 0, 2]);
});

test('who can pass the job role, and to which services', () => {
  const r = whoCanPass(fixtureModel, JOB_ROLE);
  assert.ok(r);
  assert.deepEqual(r.servicesChecked.slice(0, 2), ['sagemaker.amazonaws.com', 'events.amazonaws.com']);
  assert.ok(r.servicesChecked.includes('ecs-tasks.amazonaws.com'));
  const by = new Map(r.principals.map((g) => [g.principal, g.services.map((d) => d.service)]));
  // The job role's own inline policy lets it pass roles to SageMaker and EventBridge (within its boundary).
  assert.deepEqual(by.get(JOB_ROLE), ['sagemaker.amazonaws.com', 'events.amazonaws.com']);
  // AmazonSageMakerFullAccess lets the Studio role pass any role to SageMaker only.
  assert.deepEqual(by.get(STUDIO_ROLE), ['sagemaker.amazonaws.com']);
  assert.equal(by.has('arn:aws:iam::111122223333:user/alice'), false);
  const studio = r.principals.find((g) => g.principal === STUDIO_ROLE);
  assert.equal(studio?.services[0]?.statements[0]?.policyId, 'AmazonSageMakerFullAccess');
  assert.equal(studio?.services[0]?.statements[0]?.policyType, 'aws-managed');
});

test("who can pass: extra services, and only principals of the role's account", () => {
  const r = whoCanPass(chainModel, `${PROD}:role/SageMakerJob`, { services: ['bedrock.amazonaws.com'] });
  assert.ok(r);
  assert.ok(r.servicesChecked.includes('bedrock.amazonaws.com'));
  // alice (dev account) cannot pass a prod role whatever her policies say (id_roles_use_passrole).
  assert.deepEqual(r.principals, []);
});

test('IAM principals: same account needs trust and identity; cross-account needs both sides', () => {
  const deployer = whoCanAssume(chainModel, `${DEV}:role/Deployer`);
  assert.ok(deployer);
  assert.deepEqual(
    deployer.allowed.map((d) => d.principal),
    [`${DEV}:user/alice`],
  );
  const alice = deployer.allowed[0];
  assert.deepEqual(alice?.statements.map((s) => s.layer).sort(), ['identity', 'trust']);
  const prod = whoCanAssume(chainModel, `${PROD}:role/ProdAccess`);
  assert.ok(prod);
  assert.deepEqual(
    prod.allowed.map((d) => d.principal),
    [`${DEV}:role/Deployer`],
  );
  // The external account is named with an external id condition: conditional, trust side only.
  assert.deepEqual(
    prod.conditional.map((d) => [d.principal, d.kind, d.modelled, d.missingContextValues]),
    [['arn:aws:iam::333333333333:root', 'account', false, ['sts:ExternalId']]],
  );
});

test('a condition on a key the request lacks is reported as conditional', () => {
  const r = whoCanAssume(chainModel, `${DEV}:role/MfaRole`);
  assert.ok(r);
  assert.deepEqual(r.allowed, []);
  // alice may call sts:AssumeRole; bob has no permission, so he is not even conditional.
  assert.deepEqual(
    r.conditional.map((d) => [d.principal, d.missingContextValues]),
    [[`${DEV}:user/alice`, ['aws:MultiFactorAuthPresent']]],
  );
  const mfa = new Map([['aws:multifactorauthpresent', { key: 'aws:MultiFactorAuthPresent', type: 'boolean' as const, values: ['true'], multivalued: false }]]);
  assert.deepEqual(
    whoCanAssume(chainModel, `${DEV}:role/MfaRole`, { context: mfa })?.allowed.map((d) => d.principal),
    [`${DEV}:user/alice`],
  );
});

test('service principals with aws:SourceAccount conditions, and "*" trust', () => {
  const sm = rolesAssumableBy(chainModel, 'sagemaker.amazonaws.com');
  assert.deepEqual(sm.allowed, []);
  assert.deepEqual(
    sm.conditional.map((d) => [d.resource, d.missingContextValues]),
    [[`${PROD}:role/SageMakerJob`, ['aws:SourceAccount']]],
  );
  const open = whoCanAssume(chainModel, `${PROD}:role/Open`);
  assert.ok(open);
  const any = open.conditional.find((d) => d.principal === '*');
  assert.deepEqual([any?.kind, any?.missingContextValues], ['any', ['aws:PrincipalOrgID']]);
});

test('trustedPrincipals lists services, accounts and the wildcard', () => {
  const role = chainModel.accounts.get('222222222222')?.roles.find((r) => r.name === 'ProdAccess');
  assert.ok(role);
  assert.deepEqual(trustedPrincipals(role), { services: [], aws: [`${DEV}:role/Deployer`, '333333333333'], federated: [], wildcard: false });
});

test('decide: explicit denies stay denied, never conditional', () => {
  // The SCP at the MachineLearning OU denies leaving the organization.
  const d = decide(fixtureModel, { principal: 'arn:aws:iam::111122223333:user/alice', action: 'organizations:LeaveOrganization', resource: '*' });
  assert.equal(d.decision, 'denied');
  assert.equal(d.statements[0]?.layer, 'scp');
});

test('role chain: user → Deployer → cross-account ProdAccess with transitive session tags', () => {
  const r = assumeChain(chainModel, `${DEV}:user/alice`, [`${DEV}:role/Deployer`, `${PROD}:role/ProdAccess`], {
    tags: [
      { key: 'team', value: 'ml' },
      { key: 'project', value: 'x' },
    ],
    transitiveTagKeys: ['project'],
    sessionName: 's1',
  });
  assert.deepEqual(r.problems, []);
  assert.equal(r.ok, true, JSON.stringify(r.hops.map((h) => [h.assume.reason, h.tagSession?.reason])));
  const [h1, h2] = r.hops;
  assert.equal(h1?.tagSession?.decision, 'allowed');
  assert.equal(h1?.chained, false);
  assert.equal(h1?.sessionArn, 'arn:aws:sts::111111111111:assumed-role/Deployer/s1');
  assert.deepEqual(h1?.principalTags, { team: 'ml', project: 'x' });
  assert.equal(h2?.caller, h1?.sessionArn);
  assert.equal(h2?.tagSession, undefined);
  // Deployer session → ProdAccess is role chaining: one hour at most.
  assert.equal(h2?.chained, true);
  assert.equal(h2?.maxSessionSeconds, 3600);
  // Only the transitive tag persists; the role's own tag team=platform applies to the new session.
  assert.deepEqual(h2?.transitiveTagKeys, ['project']);
  assert.deepEqual(h2?.principalTags, { team: 'platform', project: 'x' });
});

test("role chain: a transitive tag replaces the role's aws:ResourceTag in the next trust policy", () => {
  // ProdAccess trusts Deployer only while aws:ResourceTag/team is "platform"; a transitive team=ml replaces it.
  const r = assumeChain(chainModel, `${DEV}:user/alice`, [`${DEV}:role/Deployer`, `${PROD}:role/ProdAccess`], {
    tags: [{ key: 'team', value: 'ml' }],
    transitiveTagKeys: ['team'],
  });
  assert.equal(r.ok, false);
  assert.equal(r.hops.length, 2);
  assert.equal(r.hops[0]?.ok, true);
  assert.equal(r.hops[1]?.assume.decision, 'denied');
});

test('role chain: sts:TagSession is required when tags are passed; the chain stops at a denied hop', () => {
  const bad = assumeChain(chainModel, `${DEV}:user/alice`, [`${DEV}:role/Deployer`, `${PROD}:role/ProdAccess`], { tags: [{ key: 'team', value: 'web' }] });
  assert.equal(bad.ok, false);
  assert.equal(bad.hops.length, 1);
  assert.equal(bad.hops[0]?.assume.decision, 'allowed');
  assert.equal(bad.hops[0]?.tagSession?.decision, 'denied');
  // bob has no permission of his own: the trust policy names the account, so identity must allow (both sides).
  const bob = assumeChain(chainModel, `${DEV}:user/bob`, [`${DEV}:role/Deployer`]);
  assert.equal(bob.ok, false);
  assert.equal(bob.hops[0]?.assume.decision, 'denied');
  // Without a hop through Deployer, alice cannot reach prod.
  assert.equal(assumeChain(chainModel, `${DEV}:user/alice`, [`${PROD}:role/ProdAccess`]).ok, false);
});

test('role chain: input problems', () => {
  const r = assumeChain(chainModel, `${DEV}:user/alice`, [`${DEV}:role/Nope`], { tags: [{ key: 'a', value: 'b' }], transitiveTagKeys: ['c'] });
  assert.equal(r.ok, false);
  assert.equal(r.hops.length, 0);
  assert.equal(r.problems.length, 2);
  assert.match(r.problems.join('\n'), /"c" is not among the session tags/);
  assert.match(r.problems.join('\n'), /role\/Nope is not in the model/);
});

const VULN = fileURLToPath(new URL('../../../test/fixtures/iam-vulnerable/authorization-details.json', import.meta.url));

test('who-can assume names session principals of a modelled account (an SSO session ARN), not just users and roles', () => {
  const u = load([VULN]);
  const r = whoCanAssume(u, 'arn:aws:iam::200611803367:role/privesc9-AttachRolePolicy-role');
  assert.ok(r);
  const sso = 'arn:aws:sts::200611803367:assumed-role/AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc/elad@codsec.io';
  assert.deepEqual(
    r.allowed.map((d) => [d.principal, d.kind]),
    [[sso, 'session']],
  );
  // A similar role trusting the account root: only principals whose own policies allow sts:AssumeRole.
  const root = whoCanAssume(u, 'arn:aws:iam::200611803367:role/privesc-permissive-role-trust');
  assert.ok(root?.allowed.every((d) => d.kind === 'role' || d.kind === 'user'));
  assert.ok(root?.allowed.some((d) => d.principal.endsWith(':role/privesc14-UpdatingAssumeRolePolicy-role')));
});

test('who-can assume: "*" and Federated in a trust policy', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'iamsim-q-')), 'b.yaml');
  writeFileSync(
    file,
    `
accounts:
  - id: "123456789012"
    roles:
      - name: Open
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}]}
      - name: Guarded
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole, Condition: {StringEquals: {aws:PrincipalOrgID: o-abc}}}]}
      - name: Web
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Federated: accounts.google.com}, Action: sts:AssumeRoleWithWebIdentity}]}
`,
  );
  const u = load([file]);
  const open = whoCanAssume(u, 'arn:aws:iam::123456789012:role/Open');
  // "*" grants on its own: any AWS principal, including the account's own roles without permissions of their own.
  assert.ok(open?.allowed.some((d) => d.principal === '*' && d.kind === 'any'));
  const guarded = whoCanAssume(u, 'arn:aws:iam::123456789012:role/Guarded');
  assert.deepEqual(guarded?.allowed, []);
  assert.ok(guarded?.conditional.some((d) => d.principal === '*'));
  const web = whoCanAssume(u, 'arn:aws:iam::123456789012:role/Web');
  assert.deepEqual(
    web?.allowed.map((d) => [d.principal, d.action]),
    [['accounts.google.com', 'sts:AssumeRoleWithWebIdentity']],
  );
});
