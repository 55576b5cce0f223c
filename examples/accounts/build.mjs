#!/usr/bin/env node
// Builds the example accounts for `iamsim preflight` from the seed policies in
// ../policies/: for each workflow a passing account (as a bundle, and as
// `aws iam get-account-authorization-details` output plus the resource-policy
// and organization files), broken variants (one bundle each, one documented
// reason each) and examples.json, the manifest the tests and README follow.
// Run: node examples/accounts/build.mjs   (rewrites the files in place)
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { specs } from './specs.mjs';

const here = new URL('./', import.meta.url);

function roleArn(accountId, r) {
  return `arn:aws:iam::${accountId}:role${r.path ?? '/'}${r.name}`;
}

/** The bundle (docs/account-bundle.md) for a spec. */
function bundle(spec) {
  const out = { version: 1, accounts: spec.accounts.map((a) => ({
    id: a.id, name: a.name,
    ...(a.policies?.length ? { policies: a.policies.map((p) => ({ name: p.name, document: p.document })) } : {}),
    roles: a.roles.map((r) => ({
      name: r.name, ...(r.path ? { path: r.path } : {}), trustPolicy: r.trustPolicy,
      ...(r.policies && Object.keys(r.policies).length ? { policies: r.policies } : {}),
      ...(r.managedPolicies?.length ? { managedPolicies: r.managedPolicies } : {}),
      ...(r.permissionsBoundary ? { permissionsBoundary: r.permissionsBoundary } : {}),
    })),
    ...(a.resourcePolicies?.length ? { resourcePolicies: a.resourcePolicies.map((rp) => ({ arn: rp.arn, policy: rp.policy })) } : {}),
  })) };
  if (spec.organization) out.organization = spec.organization;
  return out;
}

const yamlText = (comment, value) =>
  `# yaml-language-server: $schema=../../../schemas/account-bundle.schema.json\n${comment.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n')}\n${stringify(value, { lineWidth: 0 })}`;

/** `aws iam get-account-authorization-details` output for the account's roles and customer-managed policies. */
function authorizationDetails(a) {
  const managedArn = (name) => {
    const local = a.policies?.find((p) => p.name === name);
    return local ? `arn:aws:iam::${a.id}:policy/${name}` : `arn:aws:iam::aws:policy/${name}`;
  };
  return {
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: a.roles.map((r, i) => ({
      Path: r.path ?? '/', RoleName: r.name, RoleId: `AROAEXAMPLE${String(i + 1).padStart(9, '0')}`, Arn: roleArn(a.id, r),
      CreateDate: '2025-01-15T09:00:00+00:00', AssumeRolePolicyDocument: r.trustPolicy,
      InstanceProfileList: [],
      RolePolicyList: Object.entries(r.policies ?? {}).map(([name, doc]) => ({ PolicyName: name, PolicyDocument: doc })),
      AttachedManagedPolicies: (r.managedPolicies ?? []).map((n) => ({ PolicyName: n, PolicyArn: managedArn(n) })),
      Tags: [], RoleLastUsed: {},
    })),
    Policies: (a.policies ?? []).map((p, i) => ({
      PolicyName: p.name, PolicyId: `ANPAEXAMPLE${String(i + 1).padStart(9, '0')}`, Arn: `arn:aws:iam::${a.id}:policy/${p.name}`, Path: '/',
      DefaultVersionId: 'v1', AttachmentCount: a.roles.filter((r) => r.managedPolicies?.includes(p.name)).length, PermissionsBoundaryUsageCount: 0,
      IsAttachable: true, CreateDate: '2025-01-15T09:00:00+00:00', UpdateDate: '2025-01-15T09:00:00+00:00',
      PolicyVersionList: [{ Document: p.document, VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2025-01-15T09:00:00+00:00' }],
    })),
  };
}

/** CLI outputs for the resource policies: get-key-policy per key, describe-vpc-endpoints for endpoints. */
function resourceFiles(a) {
  const files = [];
  const endpoints = [];
  for (const rp of a.resourcePolicies ?? []) {
    const parts = rp.arn.split(':');
    if (parts[2] === 'kms') {
      const keyId = parts[5].slice('key/'.length);
      files.push([`get-key-policy.${parts[3]}.${keyId}.json`, { Policy: JSON.stringify(rp.policy, null, 4), PolicyName: 'default' }]);
    } else if (parts[2] === 'ec2') {
      endpoints.push({
        VpcEndpointId: parts[5].slice('vpc-endpoint/'.length), VpcEndpointType: 'Gateway', VpcId: 'vpc-0123456789abcdef0',
        ServiceName: `com.amazonaws.${parts[3]}.s3`, State: 'available', PolicyDocument: JSON.stringify(rp.policy),
        RouteTableIds: ['rtb-0123456789abcdef0'], OwnerId: a.id,
      });
    }
  }
  if (endpoints.length) files.push(['describe-vpc-endpoints.json', { VpcEndpoints: endpoints }]);
  return files;
}

export function buildAll() {
  const files = new Map();
  const sections = [];
  const put = (path, text) => files.set(path, text.endsWith('\n') ? text : `${text}\n`);
  for (const wf of specs()) {
    const dir = `${wf.workflow}/`;
    put(`${dir}bundle.yaml`, yamlText(`${wf.title}: the passing account, built from ${wf.seedNote}.\n${wf.passingNote}`, bundle(wf.spec)));
    const account = wf.spec.accounts[0];
    put(`${dir}authorization-details.json`, JSON.stringify(authorizationDetails(account), null, 4));
    const extra = resourceFiles(account);
    for (const [name, value] of extra) put(`${dir}${name}`, JSON.stringify(value, null, 4));
    const detailFiles = [`${dir}authorization-details.json`, ...extra.map(([n]) => `${dir}${n}`)];
    if (wf.spec.organization) {
      put(`${dir}organization.yaml`, yamlText(`${wf.title}: the organization (SCPs) of the passing account, for use with authorization-details.json.`, { version: 1, organization: wf.spec.organization }));
      detailFiles.push(`${dir}organization.yaml`);
    }
    const runs = [];
    for (const r of wf.passingRuns) {
      runs.push({ name: `bundle${r.suffix}`, files: [`${dir}bundle.yaml`], set: r.set, expect: 'pass', reason: r.note });
      runs.push({ name: `authorization-details${r.suffix}`, files: detailFiles, set: r.set, expect: 'pass', reason: r.note });
    }
    for (const v of wf.variants) {
      const spec = structuredClone(wf.spec);
      v.mutate(spec);
      const file = `${dir}broken/${v.name}.yaml`;
      put(file, yamlText(`${wf.title}: BROKEN VARIANT ${v.name}.\nDiffers from ../bundle.yaml in one place: ${v.reason}\nExpected to fail at: ${v.failingSteps.join(', ')}.\nFix: ${v.fix}`, bundle(spec)));
      runs.push({ name: v.name, files: [file], set: v.set ?? {}, expect: 'fail', reason: v.reason, failingSteps: v.failingSteps, fixLayer: v.fixLayer, fixKind: v.fixKind, fix: v.fix });
    }
    put(`${dir}examples.json`, JSON.stringify({ workflow: wf.workflow, title: wf.title, runs }, null, 2));
    sections.push(readmeSection(wf, runs));
  }
  put('README.md', readme(sections));
  return files;
}

const cmd = (r) => {
  const set = Object.entries(r.set).map(([k, v]) => `${k}=${v}`);
  return `npx iamsim preflight ${r.workflow} --account ${r.files.map((f) => `examples/accounts/${f}`).join(' ')}${set.length ? ` --set ${set.join(' ')}` : ''}`;
};

function readmeSection(wf, runs) {
  const passing = runs.filter((r) => r.expect === 'pass');
  const broken = runs.filter((r) => r.expect === 'fail');
  const lines = [
    `## ${wf.workflow}: ${wf.title}`, '',
    `Built from ${wf.seedNote}. ${wf.passingNote.replace(/\n/g, ' ')}`, '',
    'Passing runs (exit 0):', '',
    '```sh',
    ...passing.map((r) => `${cmd({ ...r, workflow: wf.workflow })}   # ${r.reason}`),
    '```', '',
    'Broken variants (exit 1), one file each under `broken/`, each differing from `bundle.yaml` in one place:', '',
    '| Variant | Reason | Fails at | Fix `preflight` suggests |',
    '|---|---|---|---|',
    ...broken.map((r) => `| \`${r.name}\`${Object.keys(r.set).length ? ` (with ${Object.keys(r.set).map((k) => `\`${k}\``).join(', ')})` : ''} | ${r.reason} | ${r.failingSteps.length > 4 ? `${r.failingSteps.length} steps, every regional step (from \`${r.failingSteps[0]}\`)` : r.failingSteps.map((s) => `\`${s}\``).join(', ')} | ${r.fix.replace(/\|/g, '\\|')} |`),
    '', 'For example:', '', '```sh', cmd({ ...broken[0], workflow: wf.workflow }), '```', '',
  ];
  return lines.join('\n');
}

function readme(sections) {
  return `# Example accounts for \`iamsim preflight\`

Generated by \`node examples/accounts/build.mjs\` from the seed policies in [\`../policies/\`](../policies/) (the data is
in [\`specs.mjs\`](specs.mjs)); do not edit the generated files by hand. See [docs/preflight.md](../../docs/preflight.md).

Each workflow folder holds:

- \`bundle.yaml\`: the passing account as an iamsim bundle (IAM roles and policies, resource policies, organization);
- \`authorization-details.json\`: the same IAM roles and policies as \`aws iam get-account-authorization-details\` prints them,
  with \`get-key-policy.*.json\` (\`aws kms get-key-policy\`), \`describe-vpc-endpoints.json\` (\`aws ec2 describe-vpc-endpoints\`)
  and \`organization.yaml\` (the organization as a bundle) where the workflow uses them;
- \`broken/*.yaml\`: broken variants, each failing for one documented reason;
- \`examples.json\`: every run below with its expected outcome; \`src/cli/preflight.test.ts\` runs them all through the CLI and
  checks that applying the suggested fixes makes each broken variant pass.

Run the commands from the repository root after \`npm install\` (which builds \`dist/\`).

${sections.join('\n')}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, text] of buildAll()) {
    const full = new URL(path, here);
    mkdirSync(new URL('./', full), { recursive: true });
    writeFileSync(full, text);
  }
}
