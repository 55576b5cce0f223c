// Synthetic `aws iam get-account-authorization-details` exports for timing `iamsim audit` at scale.
// Deterministic (seeded): IAM-Vulnerable's export (test/fixtures/iam-vulnerable, 122 principals) plus generated
// users, groups and roles until the export holds the requested number of principals (users + roles):
//   - users with 1–3 managed policies (mostly AWS managed: read-only, PowerUserAccess, service full access; a few
//     of the lab's customer managed policies), some inline sts:AssumeRole grants, some in generated groups,
//     a few with a permissions boundary;
//   - roles: a quarter trust the account root, some trust specific generated principals, some other accounts
//     (modelled and not), the rest a service that runs code (Lambda, EC2, SageMaker, Glue, ECS, CodeBuild, …).
// An organization (syntheticOrganization) is one such export per account, under account ids of its own, where the
// roles that trust the unmodelled account 444455556666 trust the next account of the organization instead.
// Usage: node bench/audit-export.js PRINCIPALS [SEED] > export.json
//        node bench/audit-export.js --accounts N PRINCIPALS DIR [SEED]   (writes DIR/account-K.json)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = join(ROOT, 'test/fixtures/iam-vulnerable/authorization-details.json');
const ACCOUNT = '200611803367';
/** Modelled (in the fixture) and unmodelled other accounts. */
const OTHER_ACCOUNTS = ['012345678901', '072528804237', '444455556666'];
const SERVICES = [
  'lambda.amazonaws.com',
  'ec2.amazonaws.com',
  'sagemaker.amazonaws.com',
  'glue.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'codebuild.amazonaws.com',
  'cloudformation.amazonaws.com',
  'states.amazonaws.com',
];
/** AWS managed policies with weights (how often one is picked). */
const AWS_MANAGED = [
  ['ReadOnlyAccess', 6],
  ['job-function/ViewOnlyAccess', 4],
  ['AmazonS3ReadOnlyAccess', 6],
  ['AmazonS3FullAccess', 3],
  ['PowerUserAccess', 2],
  ['AmazonEC2FullAccess', 2],
  ['AWSLambda_FullAccess', 2],
  ['AmazonSageMakerFullAccess', 2],
  ['IAMReadOnlyAccess', 3],
  ['CloudWatchFullAccess', 3],
  ['SecurityAudit', 2],
  ['AmazonDynamoDBFullAccess', 2],
  ['AmazonSQSFullAccess', 1],
  ['AWSCodeCommitPowerUser', 1],
];

/** mulberry32: a small deterministic generator. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function picker(random) {
  const total = AWS_MANAGED.reduce((s, [, w]) => s + w, 0);
  const int = (n) => Math.floor(random() * n);
  return {
    int,
    chance: (p) => random() < p,
    one: (list) => list[int(list.length)],
    awsManaged: () => {
      let x = random() * total;
      for (const [name, w] of AWS_MANAGED) {
        x -= w;
        if (x < 0) return name;
      }
      return AWS_MANAGED[0][0];
    },
  };
}

const doc = (...Statement) => ({ Version: '2012-10-17', Statement });
const DATE = '2024-01-01 00:00:00+00:00';
const id = (prefix, n) => `${prefix}${String(n).padStart(17, '0')}`.slice(0, 21);

function attached(p, labPolicies, count) {
  const out = new Map();
  for (let i = 0; i < count; i++) {
    if (labPolicies.length > 0 && p.chance(0.06)) {
      const lab = p.one(labPolicies);
      out.set(lab.Arn, { PolicyName: lab.PolicyName, PolicyArn: lab.Arn });
    } else {
      const name = p.awsManaged();
      out.set(`arn:aws:iam::aws:policy/${name}`, { PolicyName: name.split('/').pop(), PolicyArn: `arn:aws:iam::aws:policy/${name}` });
    }
  }
  return [...out.values()];
}

function user(p, i, labPolicies, groups) {
  const name = `gen-user-${i}`;
  const inline = p.chance(0.15)
    ? [
        {
          PolicyName: 'assume-app-roles',
          PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/gen-role-*` }),
        },
      ]
    : [];
  return {
    Path: '/',
    UserName: name,
    UserId: id('AIDAGEN', i),
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    CreateDate: DATE,
    GroupList: groups.length > 0 && p.chance(0.4) ? [p.one(groups).GroupName] : [],
    AttachedManagedPolicies: attached(p, labPolicies, 1 + p.int(3)),
    UserPolicyList: inline,
    Tags: [],
    ...(p.chance(0.05)
      ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' } }
      : {}),
  };
}

function trustFor(p, generatedUsers, i) {
  const x = p.int(100);
  let principal;
  if (x < 25) principal = { AWS: `arn:aws:iam::${ACCOUNT}:root` };
  else if (x < 37 && generatedUsers.length > 0) principal = { AWS: p.one(generatedUsers).Arn };
  else if (x < 40 && i > 0) principal = { AWS: `arn:aws:iam::${ACCOUNT}:role/gen-role-${p.int(i)}` };
  else if (x < 50) principal = { AWS: `arn:aws:iam::${p.one(OTHER_ACCOUNTS)}:root` };
  else principal = { Service: p.one(SERVICES) };
  const condition = principal.AWS?.endsWith(':root') && p.chance(0.2) ? { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } } : {};
  return doc({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...condition });
}

function role(p, i, labPolicies, generatedUsers) {
  const name = `gen-role-${i}`;
  return {
    Path: '/',
    RoleName: name,
    RoleId: id('AROAGEN', i),
    Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    CreateDate: DATE,
    AssumeRolePolicyDocument: trustFor(p, generatedUsers, i),
    InstanceProfileList: [],
    RolePolicyList: [],
    AttachedManagedPolicies: attached(p, labPolicies, 1 + p.int(2)),
    Tags: [],
    MaxSessionDuration: 3600,
  };
}

function group(p, i, labPolicies) {
  const name = `gen-group-${i}`;
  return {
    Path: '/',
    GroupName: name,
    GroupId: id('AGPAGEN', i),
    Arn: `arn:aws:iam::${ACCOUNT}:group/${name}`,
    CreateDate: DATE,
    GroupPolicyList: [],
    AttachedManagedPolicies: attached(p, labPolicies, 1 + p.int(2)),
  };
}

/** The export with `principals` users and roles in all (at least the fixture's 122). */
export function syntheticExport(principals, seed = 1) {
  const base = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const p = picker(rng(seed));
  const labPolicies = base.Policies.filter((x) => x.Arn.startsWith(`arn:aws:iam::${ACCOUNT}:policy/privesc`));
  const extra = Math.max(0, principals - base.UserDetailList.length - base.RoleDetailList.length);
  const users = Math.round(extra * 0.45);
  const groups = Array.from({ length: Math.ceil(users / 25) }, (_, i) => group(p, i, labPolicies));
  const genUsers = Array.from({ length: users }, (_, i) => user(p, i, labPolicies, groups));
  const genRoles = Array.from({ length: extra - users }, (_, i) => role(p, i, labPolicies, genUsers));
  return {
    ...base,
    UserDetailList: [...base.UserDetailList, ...genUsers],
    GroupDetailList: [...base.GroupDetailList, ...groups],
    RoleDetailList: [...base.RoleDetailList, ...genRoles],
  };
}

/** The ids of an organization's accounts (and of the fixture's second account, one per export). */
export function organizationIds(accounts) {
  return Array.from({ length: accounts }, (_, k) => ({ main: `3000000000${String(k).padStart(2, '0')}`, side: `4000000000${String(k).padStart(2, '0')}` }));
}

/** `principals` users and roles in `accounts` exports, one per account; cross-account trusts between them. */
export function syntheticOrganization(principals, accounts, seed = 1) {
  const ids = organizationIds(accounts);
  const per = Math.ceil(principals / accounts);
  return ids.map(({ main, side }, k) => {
    const next = ids[(k + 1) % accounts].main;
    const text = JSON.stringify(syntheticExport(per, seed + k))
      .replaceAll(ACCOUNT, main)
      .replaceAll('012345678901', side)
      .replaceAll('arn:aws:iam::444455556666:root', `arn:aws:iam::${next}:root`);
    return JSON.parse(text);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--accounts') {
  const [accounts, n, dir, seed] = [Number(process.argv[3]), Number(process.argv[4]), process.argv[5], Number(process.argv[6] ?? 1)];
  if (!(accounts >= 1) || !(n >= 1) || dir === undefined) {
    console.error('usage: node bench/audit-export.js --accounts N PRINCIPALS DIR [SEED]');
    process.exit(2);
  }
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  for (const [k, x] of syntheticOrganization(n, accounts, seed).entries()) writeFileSync(join(dir, `account-${k}.json`), JSON.stringify(x));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 1000);
  const seed = Number(process.argv[3] ?? 1);
  if (!Number.isInteger(n) || n < 1) {
    console.error('usage: node bench/audit-export.js PRINCIPALS [SEED] > export.json');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(syntheticExport(n, seed))}\n`);
}
