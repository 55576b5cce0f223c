/** Fixes for the layers the examples do not reach: SCP allow-list gaps, boundaries, plain Denies, RCPs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadUniverse } from '../authz/universe.js';
import type { Universe } from '../account/query.js';
import { applyFixes } from './apply.js';
import { parseWorkflow } from './load.js';
import { allFixes, preflight } from './run.js';
import type { PreflightResult } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'iamsim-fix-'));
const ACCT = '111122223333';

const workflow = parseWorkflow(
  JSON.stringify({
    id: 'mini',
    title: 'mini',
    description: 'd',
    seeds: ['000'],
    parameters: [{ name: 'role', description: 'r', default: `arn:aws:iam::${ACCT}:role/R` }],
    context: [{ key: 'aws:RequestedRegion', values: ['us-east-1'] }],
    steps: [
      {
        name: 'train',
        principal: '${role}',
        action: 'sagemaker:CreateTrainingJob',
        resource: `arn:aws:sagemaker:us-east-1:${ACCT}:training-job/j`,
        why: 'seed 000',
      },
      { name: 'read', principal: '${role}', action: 's3:GetObject', resource: 'arn:aws:s3:::data-bucket/k', why: 'seed 000' },
    ],
  }),
  'mini.json',
).def!;

function universe(name: string, yaml: string): Universe {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const loaded = loadUniverse({ accountFiles: [file] });
  assert.deepEqual(
    loaded.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return loaded.universe!;
}

function check(u: Universe): PreflightResult {
  const before = preflight(u, workflow, new Map()).result!;
  assert.equal(before.passed, false);
  const after = preflight(applyFixes(u, allFixes(before)), workflow, new Map()).result!;
  assert.deepEqual(
    after.steps.filter((s) => !s.passed).map((s) => s.name),
    [],
  );
  return before;
}

const role = (extra: string): string => `
accounts:
  - id: "${ACCT}"
    policies:
      - name: Boundary
        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}
    roles:
      - name: R
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: sagemaker.amazonaws.com}, Action: "sts:AssumeRole"}]}
${extra}`;

const allowAll = '        policies: {All: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["sagemaker:*", "s3:*"], Resource: "*"}]}}';

test('a permissions boundary that omits the action: the Allow goes into the boundary', () => {
  const r = check(universe('boundary', role(`${allowAll}\n        permissionsBoundary: Boundary`)));
  const fix = r.steps.find((s) => s.name === 'train')?.fix[0];
  assert.equal(fix?.layer, 'boundary');
  assert.equal(fix?.target, `arn:aws:iam::${ACCT}:policy/Boundary`);
});

test('an SCP allow-list without the action: an Allow at that level; a plain Deny gets a principal exception', () => {
  const org = `
organization:
  managementAccount: "999988887777"
  policies:
    - {name: OnlyS3, type: SCP, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}}
    - {name: NoReads, type: SCP, document: {Version: "2012-10-17", Statement: [{Sid: NoReads, Effect: Deny, Action: "s3:GetObject", Resource: "*"}]}}
  root:
    accounts: ["999988887777"]
    ous:
      - name: Workloads
        scps: [OnlyS3, NoReads]
        accounts: ["${ACCT}"]
`;
  const r = check(universe('scp', role(allowAll) + org));
  const train = r.steps.find((s) => s.name === 'train')!;
  assert.equal(train.decision, 'implicitDeny');
  assert.equal(train.fix[0]?.layer, 'scp');
  assert.equal(train.fix[0]?.policyName, 'OnlyS3');
  const read = r.steps.find((s) => s.name === 'read')!;
  assert.equal(read.decision, 'explicitDeny');
  assert.equal(read.decidedBy[0]?.sid, 'NoReads');
  assert.deepEqual(read.fix[0]?.patches?.[0]?.path, ['Condition', 'ArnNotLike', 'aws:PrincipalArn']);
});

test('several problems on one step: the fixes chain until it passes (an RCP Deny, then no identity policy)', () => {
  const org = `
organization:
  managementAccount: "999988887777"
  policies:
    - {name: OnlyPartnerReads, type: RCP, document: {Version: "2012-10-17", Statement: [{Effect: Deny, Principal: "*", Action: "s3:GetObject", Resource: "*", Condition: {StringNotEquals: {"aws:PrincipalAccount": "444455556666"}}}]}}
  root:
    accounts: ["999988887777"]
    ous:
      - name: Workloads
        rcps: [OnlyPartnerReads]
        accounts: ["${ACCT}"]
`;
  const r = check(universe('rcp', role('') + org));
  const read = r.steps.find((s) => s.name === 'read')!;
  assert.equal(read.decision, 'explicitDeny');
  assert.deepEqual(
    read.fix.map((f) => `${f.layer}/${f.kind}`),
    ['rcp/modify-statement', 'identity/add-statement'],
  );
  assert.equal(read.fix[0]?.change.includes('111122223333'), true);
  assert.deepEqual(
    r.steps.find((s) => s.name === 'train')!.fix.map((f) => `${f.layer}/${f.kind}`),
    ['identity/add-statement'],
  );
});
