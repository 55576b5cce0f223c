// Line generators for the batch rows (bench/batch.js). Both write SimulateCustomPolicy-shaped JSON Lines.
//  - `realistic`: the generator the engine was tuned on — one 1.4 KB policy (the same text on every line, always the
//    first member), one action, one resource, one context entry.
//  - `varied`: a generator the engine is not tuned for — 1–10 identity policies of about 1.3 KB per line, drawn
//    from a pool of 40 and in random order, the top-level members in random order, 1–3 actions, 1–5 resources,
//    0–20 context entries of every type, 10 % of lines with a resource policy, 1 % of lines invalid (broken JSON,
//    a wrong field, an invalid policy, an empty line…).
// Both take a seed and are deterministic; `fresh` makes every policy text on every line new (one changed action).
import { load, ACCT } from './lib.js';

/** A small deterministic generator (mulberry32). */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  const shuffle = (xs) => {
    const ys = [...xs];
    for (let i = ys.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [ys[i], ys[j]] = [ys[j], ys[i]];
    }
    return ys;
  };
  return { next, int, pick, shuffle };
}

const REALISTIC_ACTIONS = [
  'sagemaker:CreateNotebookInstance',
  'ecr:BatchGetImage',
  's3:GetObject',
  'logs:PutLogEvents',
  'iam:PassRole',
  'ec2:CreateNetworkInterface',
];

/** The first generator's line i (the bench's own lines since the batch work began). */
export function realisticLine(policyText, i) {
  const action = REALISTIC_ACTIONS[i % REALISTIC_ACTIONS.length];
  const resource = action === 'iam:PassRole' ? `arn:aws:iam::${ACCT}:role/Exec${i % 50}` : action.startsWith('s3:') ? `arn:aws:s3:::data-${i % 20}/k${i}` : '*';
  return JSON.stringify({
    PolicyInputList: [policyText],
    ActionNames: [action],
    ResourceArns: [resource],
    ContextEntries: [
      { ContextKeyName: 'iam:PassedToService', ContextKeyValues: [i % 2 ? 'sagemaker.amazonaws.com' : 'glue.amazonaws.com'], ContextKeyType: 'string' },
    ],
  });
}

/** `count` realistic lines; `fresh`: every line's policy text is new. */
export function realisticLines(count, fresh = false) {
  const policy = JSON.stringify(load('create-notebook-instance-broad.json').json);
  return Array.from({ length: count }, (_, i) =>
    realisticLine(fresh ? policy.replace('"s3:GetObject"', `"s3:GetObject","s3:GetObjectTagging${i}"`) : policy, i),
  );
}

// Services of the varied generator: actions and a resource ARN maker (k varies the name).
const SERVICES = [
  { actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObjectTagging'], arn: (k) => `arn:aws:s3:::bucket-${k % 7}/data/part-${k}` },
  { actions: ['s3:ListBucket', 's3:GetBucketLocation'], arn: (k) => `arn:aws:s3:::bucket-${k % 7}` },
  { actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], arn: (k) => `arn:aws:dynamodb:us-east-1:${ACCT}:table/t${k % 9}` },
  { actions: ['sqs:SendMessage', 'sqs:ReceiveMessage'], arn: (k) => `arn:aws:sqs:us-east-1:${ACCT}:queue-${k % 5}` },
  { actions: ['sns:Publish'], arn: (k) => `arn:aws:sns:us-east-1:${ACCT}:topic-${k % 5}` },
  { actions: ['lambda:InvokeFunction', 'lambda:GetFunction'], arn: (k) => `arn:aws:lambda:us-east-1:${ACCT}:function:fn-${k % 11}` },
  { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], arn: (k) => `arn:aws:kms:us-east-1:${ACCT}:key/0000-${k % 4}` },
  { actions: ['logs:PutLogEvents', 'logs:CreateLogStream'], arn: (k) => `arn:aws:logs:us-east-1:${ACCT}:log-group:/aws/sagemaker/g${k % 6}:log-stream:s${k}` },
  {
    actions: ['sagemaker:CreateTrainingJob', 'sagemaker:CreateEndpoint', 'sagemaker:DescribeEndpoint'],
    arn: (k) => `arn:aws:sagemaker:us-east-1:${ACCT}:training-job/job-${k % 13}`,
  },
  { actions: ['secretsmanager:GetSecretValue'], arn: (k) => `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:app-${k % 8}-AbCdEf` },
  { actions: ['ec2:DescribeInstances', 'ec2:RunInstances'], arn: (k) => `arn:aws:ec2:us-east-1:${ACCT}:instance/i-0${k % 10}abc` },
];

// Condition keys with their context type, an operator, and a value maker (v: 0..9).
const KEYS = [
  { key: 'aws:SourceIp', type: 'ip', op: 'IpAddress', policy: (v) => `10.${v}.0.0/16`, value: (v) => `10.${v}.${v * 3}.4` },
  { key: 'aws:SecureTransport', type: 'boolean', op: 'Bool', policy: (v) => (v % 2 ? 'true' : 'false'), value: (v) => (v % 3 ? 'true' : 'false') },
  { key: 'aws:RequestTag/project', type: 'string', op: 'StringEquals', policy: (v) => `p${v}`, value: (v) => `p${v}` },
  { key: 'aws:PrincipalTag/team', type: 'string', op: 'StringLike', policy: (v) => `team-${v}*`, value: (v) => `team-${v}-ml` },
  { key: 'aws:CurrentTime', type: 'date', op: 'DateLessThan', policy: (v) => `203${v}-01-01T00:00:00Z`, value: (v) => `202${v}-06-01T00:00:00Z` },
  { key: 's3:max-keys', type: 'numeric', op: 'NumericLessThanEquals', policy: (v) => String(100 * (v + 1)), value: (v) => String(90 * (v + 1)) },
  { key: 'aws:SourceVpc', type: 'string', op: 'StringNotEquals', policy: (v) => `vpc-0${v}`, value: (v) => `vpc-0${(v + 1) % 10}` },
  { key: 'aws:TagKeys', type: 'stringList', op: 'ForAllValues:StringEquals', policy: (v) => [`k${v}`, 'owner'], value: (v) => [`k${v}`, 'owner'] },
  { key: 'aws:PrincipalAccount', type: 'string', op: 'StringEquals', policy: () => ACCT, value: () => ACCT },
  { key: 'aws:MultiFactorAuthPresent', type: 'boolean', op: 'BoolIfExists', policy: () => 'true', value: (v) => (v % 2 ? 'true' : 'false') },
];

function statement(rnd) {
  const svc = rnd.pick(SERVICES);
  const actions = rnd.shuffle(svc.actions).slice(0, 1 + rnd.int(svc.actions.length));
  const resources = Array.from({ length: 1 + rnd.int(3) }, () => {
    const arn = svc.arn(rnd.int(40));
    return rnd.int(3) === 0 ? arn.replace(/[^/:]+$/, '*') : arn;
  });
  const s = { Sid: `S${rnd.int(1e6)}`, Effect: rnd.int(6) === 0 ? 'Deny' : 'Allow', Action: actions.length === 1 ? actions[0] : actions, Resource: resources };
  const conds = rnd.int(3);
  if (conds > 0) {
    s.Condition = {};
    for (const k of rnd.shuffle(KEYS).slice(0, conds)) {
      const v = rnd.int(10);
      s.Condition[k.op] = { ...(s.Condition[k.op] ?? {}), [k.key]: k.policy(v) };
    }
  }
  return s;
}

/** An identity policy of about 1.3 KB (compact JSON text). */
function identityPolicy(rnd) {
  const doc = { Version: '2012-10-17', Statement: [] };
  while (JSON.stringify(doc).length < 1200) doc.Statement.push(statement(rnd));
  while (JSON.stringify(doc).length > 1450 && doc.Statement.length > 1) doc.Statement.pop();
  return doc;
}

function resourcePolicy(rnd) {
  const bucket = `bucket-${rnd.int(7)}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCT}:root` },
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      },
      { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  };
}

function contextEntries(rnd) {
  const n = rnd.int(21);
  const entries = [];
  const used = new Set();
  for (let i = 0; i < n; i++) {
    const k = rnd.pick(KEYS);
    const v = rnd.int(10);
    // Keys beyond the ten condition keys: tags the policies never read (a real request carries many).
    const key = used.has(k.key) ? `aws:RequestTag/extra-${i}` : k.key;
    used.add(key);
    const type = key === k.key ? k.type : 'string';
    const value = key === k.key ? k.value(v) : `v${v}`;
    entries.push({ ContextKeyName: key, ContextKeyValues: Array.isArray(value) ? value : [value], ContextKeyType: type });
  }
  return entries;
}

/** A broken line: 1 % of the varied lines. */
function invalidLine(rnd, good) {
  switch (rnd.int(6)) {
    case 0:
      return good.slice(0, Math.floor(good.length / 2));
    case 1:
      return good.replace('"ActionNames"', '"ActionName"');
    case 2:
      return good.replace('\\"Effect\\":\\"Allow\\"', '\\"Effect\\":\\"Perhaps\\"');
    case 3:
      return '';
    case 4:
      return good.replace(/"ContextKeyType":"string"/, '"ContextKeyType":"text"').replace('"ActionNames":[', '"ActionNames":[42,');
    default:
      return `[${good}]`;
  }
}

/** The varied generator: `count` lines from `seed`; `fresh`: every policy text on every line is new. */
export function variedLines(count, { seed = 23, fresh = false } = {}) {
  const rnd = random(seed);
  const pool = Array.from({ length: 40 }, () => identityPolicy(rnd));
  const texts = pool.map((p) => JSON.stringify(p));
  const lines = [];
  for (let i = 0; i < count; i++) {
    const chosen = rnd.shuffle(pool.map((_, k) => k)).slice(0, 1 + rnd.int(10));
    const policies = chosen.map((k, j) =>
      fresh ? texts[k].replace('"Statement":[', `"Statement":[{"Effect":"Allow","Action":"sts:TagSession${i}x${j}","Resource":"*"},`) : texts[k],
    );
    const svc = rnd.pick(SERVICES);
    const actions = rnd.shuffle(svc.actions).slice(0, 1 + rnd.int(Math.min(3, svc.actions.length)));
    const resources = Array.from({ length: 1 + rnd.int(5) }, () => svc.arn(rnd.int(40)));
    const members = [
      ['PolicyInputList', policies],
      ['ActionNames', actions],
      ['ResourceArns', resources],
      ['ContextEntries', contextEntries(rnd)],
      ['CallerArn', `arn:aws:iam::${ACCT}:user/u${rnd.int(20)}`],
    ];
    if (rnd.int(10) === 0) members.push(['ResourcePolicy', JSON.stringify(resourcePolicy(rnd))], ['ResourceOwner', `arn:aws:iam::${ACCT}:root`]);
    const line = JSON.stringify(Object.fromEntries(rnd.shuffle(members)));
    lines.push(rnd.int(100) === 0 ? invalidLine(rnd, line) : line);
  }
  return lines;
}
