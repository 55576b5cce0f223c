/**
 * The console API's handlers, called as the server calls them. Decisions come
 * from the library; these tests check the shapes the pages rely on and that
 * bad input is a 4xx with a message saying where.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadUniverse } from '../../authz/universe.js';
import { fixOutput, fixOutputJson } from '../../workflows/fix-output.js';
import { loadWorkflows } from '../../workflows/load.js';
import { preflight } from '../../workflows/run.js';
import { ConsoleApi } from './api.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
const TRUST = read('examples/policies/notebook-job-trust.json');
const BROKEN = {
  kind: 'files',
  files: [{ name: 'passrole-without-events.yaml', text: read('examples/accounts/notebook-job/broken/passrole-without-events.yaml') }],
};
const JOB_ROLE = 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these assertions
type Body = Record<string, any>;

async function call(api: ConsoleApi, method: string, path: string, body?: unknown, query = ''): Promise<{ status: number; body: Body }> {
  const r = await api.dispatch(method, path, { body, query: new URLSearchParams(query) });
  assert.ok(r, `no route ${method} ${path}`);
  return r as { status: number; body: Body };
}

const api = new ConsoleApi();

describe('console API: simulate', () => {
  it('answers with AWS response shape and the deciding statement position inside the policy text', async () => {
    const r = await call(api, 'POST', 'simulate', {
      request: { CallerArn: 'events.amazonaws.com', PolicyInputList: [], ResourcePolicy: TRUST, ActionNames: ['sts:AssumeRole'], ResourceArns: [JOB_ROLE] },
    });
    assert.equal(r.status, 200);
    const res = r.body['response'].EvaluationResults[0];
    assert.equal(res.EvalDecision, 'allowed');
    assert.deepEqual(
      res.MatchedStatements.map((m: Body) => [m.SourcePolicyId, m.StartPosition.Line, m.StatementIndex]),
      [['ResourcePolicy', 11, 1]],
    );
    assert.ok(res.Explanation[0].Layers.some((l: Body) => l.layer === 'resource' && l.outcome === 'allow'));
  });

  const bad: [string, Body, number, string, RegExp][] = [
    [
      'a file:// policy (a request never makes the server read a file)',
      { request: { PolicyInputList: ['file:///etc/passwd'], ActionNames: ['s3:GetObject'] } },
      400,
      'InvalidInput',
      /file:\/\/ references are not accepted/,
    ],
    [
      'a malformed second policy, cited by its field',
      {
        request: {
          PolicyInputList: ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}', '{bad'],
          ActionNames: ['s3:GetObject'],
        },
      },
      400,
      'MalformedPolicyDocument',
      /^PolicyInputList\.2: /,
    ],
    ['no actions', { request: { PolicyInputList: [] } }, 400, 'InvalidInput', /ActionNames is required/],
    ['a body that is not an object', [] as unknown as Body, 400, 'InvalidInput', /JSON object/],
  ];
  for (const [name, body, status, code, message] of bad) {
    it(`refuses ${name}`, async () => {
      const r = await call(api, 'POST', 'simulate', body);
      assert.equal(r.status, status);
      assert.equal(r.body['error'].code, code);
      assert.match(r.body['error'].message, message);
    });
  }

  it('accepts documentation-style JSON when lenient, refuses it otherwise', async () => {
    const doc = '{\n  // from the docs\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}]\n}';
    const request = { PolicyInputList: [doc], ActionNames: ['s3:GetObject'] };
    assert.equal((await call(api, 'POST', 'simulate', { request, lenient: true })).body['response'].EvaluationResults[0].EvalDecision, 'allowed');
    assert.equal((await call(api, 'POST', 'simulate', { request })).status, 400);
  });
});

describe('console API: lint', () => {
  it('groups findings by document and lints a role resource policy as a trust policy', async () => {
    const withResource =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]}';
    const docs = {
      documents: [
        { name: 'resource.0', type: 'resource', text: withResource },
        { name: 'identity.0', type: 'identity', text: read('examples/policies/notebook-job-permissions.json') },
      ],
    };
    const asTrust = await call(api, 'POST', 'lint', { ...docs, resourceArns: [JOB_ROLE] });
    assert.equal(asTrust.status, 200);
    assert.ok(asTrust.body['findings']['resource.0'].some((f: Body) => f.findingType === 'ERROR' && f.span.start.line === 1));
    assert.ok(asTrust.body['findings']['identity.0'].some((f: Body) => f.issueCode === 'PRIVILEGE_ESCALATION'));
    const asResource = await call(api, 'POST', 'lint', docs);
    assert.equal(asResource.body['findings']['resource.0'].filter((f: Body) => f.findingType === 'ERROR').length, 0);
  });

  it('refuses an unknown policy type', async () => {
    const r = await call(api, 'POST', 'lint', { documents: [{ name: 'x', type: 'bucket', text: '{}' }] });
    assert.equal(r.status, 400);
    assert.match(r.body['error'].message, /type must be one of/);
  });
});

describe('console API: catalog completions', () => {
  const cases: [string, string, string, RegExp][] = [
    ['service prefixes', 'catalog/actions', 'prefix=sagem', /^sagemaker:$/],
    ['actions of a service', 'catalog/actions', 'prefix=iam:Pass', /^iam:PassRole$/],
    ["keys the action's reference entry lists", 'catalog/condition-keys', 'prefix=iam:Pass&actions=iam:PassRole', /^iam:PassedToService$/],
    ['global keys', 'catalog/condition-keys', 'prefix=aws:SourceAc', /^aws:SourceAccount$/],
  ];
  for (const [name, path, query, expected] of cases) {
    it(name, async () => {
      const r = await call(api, 'GET', path, undefined, query);
      assert.ok(
        r.body['items'].some((i: Body) => expected.test(i.label)),
        JSON.stringify(r.body['items'].slice(0, 5)),
      );
    });
  }
});

describe('console API: workflows and preflight', () => {
  it('lists the four seed workflows', async () => {
    const r = await call(api, 'GET', 'workflows');
    assert.deepEqual(r.body['workflows'].map((w: Body) => w.id).sort(), [
      'iot-notebook-container',
      'mlspace-notebook',
      'notebook-job',
      'sagemaker-execution-role',
    ]);
  });

  it('speaks no command-line flag: an unknown role, a missing parameter, an unknown parameter', async () => {
    const unknown = await call(api, 'POST', 'preflight', {
      workflow: 'notebook-job',
      source: BROKEN,
      settings: { studioRoleArn: 'arn:aws:iam::111122223333:role/Nope', nope: '1' },
    });
    assert.equal(unknown.status, 400);
    // The messages (the page shows them; `file` is the input's name, which the page words as its control).
    const messages = (b: Body): string => [b.error.message, ...(b.diagnostics ?? []).map((d: Body) => d.message)].join('\n');
    assert.match(messages(unknown.body), /has no parameter "nope"/);
    assert.doesNotMatch(messages(unknown.body), /--|source\.files/);
    const role = await call(api, 'POST', 'preflight', {
      workflow: 'notebook-job',
      source: BROKEN,
      settings: { studioRoleArn: 'arn:aws:iam::111122223333:role/Nope' },
    });
    assert.match(messages(role.body), /role\/Nope is not in the loaded accounts/);
    assert.doesNotMatch(messages(role.body), /--|source\.files/);
    const none = await new ConsoleApi().dispatch('POST', 'preflight', {
      body: { workflow: 'notebook-job', source: { kind: 'store' } },
      query: new URLSearchParams(),
    });
    assert.equal(none?.status, 400);
    assert.doesNotMatch(messages(none?.body as Body), /--|iamsim account import/);
  });

  it('cites the documentation pages each workflow is written from, not the source numbers users do not have', async () => {
    const r = await call(api, 'GET', 'workflows');
    for (const w of r.body['workflows'] as Body[]) {
      assert.equal('seeds' in w, false, w.id);
      assert.ok(w.sources.length > 0, w.id);
      for (const s of w.sources) assert.match(s.url, /^https:\/\/(docs\.aws\.amazon\.com|awslabs\.github\.io)\//, w.id);
    }
    const job = (r.body['workflows'] as Body[]).find((w) => w.id === 'notebook-job');
    assert.ok(job);
    assert.deepEqual(
      job.sources.map((s: Body) => s.url),
      ['https://docs.aws.amazon.com/sagemaker/latest/dg/scheduled-notebook-policies-studio.html'],
    );
  });

  it('runs the preflight on an uploaded broken account: one failing step, a fix diff, and a pass after applying it', async () => {
    const r = await call(api, 'POST', 'preflight', { workflow: 'notebook-job', source: BROKEN, apply: true });
    assert.equal(r.status, 200);
    assert.equal(r.body['passed'], false);
    const failed = r.body['steps'].filter((s: Body) => !s.passed);
    assert.deepEqual(
      failed.map((s: Body) => s.name),
      ['studio-passes-job-role-to-events'],
    );
    const fix = failed[0].fix[0];
    assert.match(fix.where, /NotebookJobPermissions/);
    assert.doesNotMatch(fix.before, /events\.amazonaws\.com/);
    assert.match(fix.after, /events\.amazonaws\.com/);
    assert.deepEqual({ fixes: r.body['applied'].fixes, passed: r.body['applied'].passed }, { fixes: 1, passed: true });
  });

  it("shows the fixes as iamsim preflight --fix-out does, with each changed document's scope proof", async () => {
    const r = await call(api, 'POST', 'preflight', { workflow: 'notebook-job', source: BROKEN });
    assert.equal(r.status, 200);
    const out = r.body['fixOutput'];
    assert.equal(out.policies.length, 1);
    assert.match(out.policies[0].command, /^aws iam /);
    assert.match(out.policies[0].document, /events\.amazonaws\.com/);
    // The same library call as `iamsim preflight --fix-out` on the same account.
    const u = loadUniverse({ accountFiles: [join(ROOT, 'examples/accounts/notebook-job/broken/passrole-without-events.yaml')] }).universe;
    assert.ok(u);
    const wf = loadWorkflows().workflows.get('notebook-job');
    assert.ok(wf);
    const result = preflight(u, wf, new Map()).result;
    assert.ok(result);
    const cli = fixOutputJson(await fixOutput(u, result), undefined) as Body;
    assert.deepEqual(out.scope, cli['scope']);
    assert.deepEqual(out.newSecurityWarnings, cli['newSecurityWarnings']);
    assert.equal(out.scope.length, 1);
    // This fix allows iam:PassRole on more roles than the failing step needs: the proof says so, with the request.
    assert.equal(out.scope[0].result, 'FAIL');
    assert.deepEqual(out.scope[0].beyond.ActionNames, ['iam:PassRole']);
  });

  const bad: [string, Body, number, string][] = [
    ['an unknown workflow', { workflow: 'nope', source: BROKEN }, 404, 'NoSuchWorkflow'],
    ['no store on this server', { workflow: 'notebook-job', source: { kind: 'store' } }, 400, 'NoAccounts'],
    [
      'an upload that is no account export',
      { workflow: 'notebook-job', source: { kind: 'files', files: [{ name: 'x.json', text: '{"a":1}' }] } },
      400,
      'InvalidAccountExport',
    ],
    ['a parameter that is not a string', { workflow: 'notebook-job', source: BROKEN, settings: { region: 1 } }, 400, 'InvalidInput'],
  ];
  for (const [name, body, status, code] of bad) {
    it(`refuses ${name}`, async () => {
      const r = await call(api, 'POST', 'preflight', body);
      assert.equal(r.status, status);
      assert.equal(r.body['error'].code, code);
    });
  }
});

describe('console API: accounts, principals and the graph', () => {
  const loaded = loadUniverse({ accountFiles: [join(ROOT, 'examples/accounts/notebook-job/bundle.yaml')] });
  const withStore = new ConsoleApi({ storeModel: () => loaded.universe });

  it("lists the store's accounts and a role's effective policies", async () => {
    const a = await call(withStore, 'POST', 'accounts', { source: { kind: 'store' } });
    assert.ok(a.body['accounts'][0].roles.some((r: Body) => r.name === 'NotebookJobExecutionRole'));
    const role = a.body['accounts'][0].roles.find((r: Body) => r.name === 'NotebookJobExecutionRole');
    const p = await call(withStore, 'POST', 'principal', { source: { kind: 'store' }, arn: role.arn });
    assert.equal(p.body['kind'], 'role');
    assert.match(p.body['trustPolicy'], /events\.amazonaws\.com/);
    assert.ok(p.body['identity'].length > 0);
    assert.equal((await call(withStore, 'POST', 'principal', { source: { kind: 'store' }, arn: 'arn:aws:iam::111122223333:role/Nope' })).status, 404);
  });

  it('GET accounts lists the store as POST does (the page asks it on the event loop); without a store it is a 400', async () => {
    const viaGet = await call(withStore, 'GET', 'accounts');
    assert.equal(viaGet.status, 200);
    assert.deepEqual(viaGet.body, (await call(withStore, 'POST', 'accounts', { source: { kind: 'store' } })).body);
    assert.equal((await call(api, 'GET', 'accounts')).status, 400);
  });

  it('draws the edges src/authz decides: EventBridge assumes the job role, Studio passes it to EventBridge', async () => {
    const g = await call(withStore, 'POST', 'graph', { source: { kind: 'store' } });
    const edges = g.body['edges'].map((e: Body) => `${e.from} ${e.kind} ${e.label} ${e.to.split('/').pop()}`);
    assert.ok(edges.includes('events.amazonaws.com assume sts:AssumeRole NotebookJobExecutionRole'), edges.join('\n'));
    assert.ok(
      edges.some((e: string) => /SageMakerStudioExecutionRole pass PassRole → events\.amazonaws\.com NotebookJobExecutionRole$/.test(e)),
      edges.join('\n'),
    );
    // Every edge's ends are nodes.
    const ids = new Set(g.body['nodes'].map((n: Body) => n.id));
    for (const e of g.body['edges']) assert.ok(ids.has(e.from) && ids.has(e.to));
  });

  it("focused on one principal: the whole graph's edges into and out of it, nothing else", async () => {
    const whole = (await call(withStore, 'POST', 'graph', { source: { kind: 'store' } })).body['edges'] as Body[];
    const key = (e: Body): string => `${e.from} ${e.kind} ${e.label} ${e.to} ${e.decision}`;
    for (const focus of [JOB_ROLE.replace(':role/', ':role/service-role/'), 'arn:aws:iam::111122223333:role/service-role/SageMakerStudioExecutionRole']) {
      const g = await call(withStore, 'POST', 'graph', { source: { kind: 'store' }, focus });
      assert.equal(g.status, 200, JSON.stringify(g.body));
      const expected = whole
        .filter((e) => e.from === focus || e.to === focus)
        .map(key)
        .sort();
      assert.ok(expected.length > 0, `${focus} has edges`);
      assert.deepEqual(g.body['edges'].map(key).sort(), expected);
      const ids = new Set(g.body['nodes'].map((n: Body) => n.id));
      for (const e of g.body['edges']) assert.ok(ids.has(e.from) && ids.has(e.to));
    }
    const none = await call(withStore, 'POST', 'graph', { source: { kind: 'store' }, focus: 'arn:aws:iam::111122223333:role/Nope' });
    assert.equal(none.status, 404);
  });

  it('audits a model once: the second answer is the first', async () => {
    const api2 = new ConsoleApi({ storeModel: () => loaded.universe });
    const a = await call(api2, 'POST', 'audit', { source: { kind: 'store' } });
    const b = await call(api2, 'POST', 'audit', { source: { kind: 'store' } });
    assert.equal(a.status, 200);
    assert.equal(a.body, b.body);
  });

  it('reports what this server offers', async () => {
    assert.equal((await call(withStore, 'GET', 'features')).body['store'], true);
    assert.equal((await call(api, 'GET', 'features')).body['store'], false);
  });
});

describe('console API: routing', () => {
  it('has no route for unknown paths and answers 405 for a wrong method', async () => {
    assert.equal(await api.dispatch('GET', 'nope', { body: undefined, query: new URLSearchParams() }), undefined);
    assert.equal((await call(api, 'GET', 'simulate')).status, 405);
  });
});

describe('console API: compare (src/reason)', () => {
  const doc = (actions: string): string =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: 'arn:aws:s3:::notebooks/*' }] });
  const cases: [string, string, string, string][] = [
    ['the same policy twice', doc('s3:GetObject'), doc('s3:GetObject'), 'equivalent'],
    ['a wildcard that covers the other', doc('s3:GetObject'), doc('s3:Get*'), 'b-broader'],
    ['the other way round', doc('s3:Get*'), doc('s3:GetObject'), 'a-broader'],
    ['two different actions', doc('s3:GetObject'), doc('s3:PutObject'), 'incomparable'],
  ];
  for (const [name, a, b, verdict] of cases) {
    it(`${name}: ${verdict}`, async () => {
      const r = await call(api, 'POST', 'compare', { a, b, policyType: 'IDENTITY_POLICY' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body['verdict'], verdict);
      if (verdict === 'b-broader') assert.ok(r.body['bGrantsMore'].counterexample.ActionNames[0].toLowerCase().startsWith('s3:get'));
    });
  }

  it('both directions list every class of requests, grouped by the statement that allows it', async () => {
    const a = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::notebooks/*' },
        { Sid: 'Tags', Effect: 'Allow', Action: ['s3:GetObjectTagging', 'ec2:DescribeInstances'], Resource: '*' },
      ],
    });
    const r = await call(api, 'POST', 'compare', { a, b: doc('s3:PutObject'), policyType: 'IDENTITY_POLICY' });
    assert.equal(r.body['verdict'], 'incomparable');
    const classes = r.body['aGrantsMore'].counterexampleClasses as { statementId: string; counterexamples: { ActionNames: string[] }[] }[];
    assert.deepEqual(
      classes.map((k) => k.statementId),
      ['Read', 'Tags'],
    );
    for (const k of classes) assert.ok(k.counterexamples.length >= 1, k.statementId);
    assert.equal(r.body['bGrantsMore'].counterexampleClasses[0].statementIndex, 0);
  });

  it('refuses a policy that cannot be read, citing it', async () => {
    const r = await call(api, 'POST', 'compare', { a: '{bad', b: doc('s3:GetObject'), policyType: 'IDENTITY_POLICY' });
    assert.equal(r.status, 400);
    assert.equal(r.body['error'].code, 'InvalidInput');
  });
});

describe('console API: audit (src/audit)', () => {
  it('audits the uploaded account: findings and principals that can escalate, with their steps', async () => {
    const r = await call(api, 'POST', 'audit', { source: BROKEN });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(Array.isArray(r.body['findings']));
    assert.ok(r.body['stats'].principals > 0);
    for (const p of r.body['principals']) assert.ok(p.isAdmin || p.canEscalate);
    assert.equal((await call(api, 'GET', 'features')).body['audit'], true);
  });
});

describe('console API: simulate as a principal', () => {
  const vulnerable = loadUniverse({ accountFiles: [join(ROOT, 'test/fixtures/iam-vulnerable/authorization-details.json')] });
  const store = new ConsoleApi({ storeModel: () => vulnerable.universe });

  it("a group's own policies, as AWS's simulator simulates a group", async () => {
    const g = await call(store, 'POST', 'principal', { source: { kind: 'store' }, arn: 'arn:aws:iam::012345678901:group/admin' });
    assert.equal(g.status, 200, JSON.stringify(g.body));
    assert.equal(g.body['kind'], 'group');
    assert.ok(g.body['identity'].length > 0);
    assert.ok(g.body['identity'].every((p: Body) => p.source === 'group-inline' || p.source === 'group-managed'));
    assert.equal(g.body['trustPolicy'], null);
  });

  it('every action of a service, for "select all"', async () => {
    const r = await call(api, 'GET', 'catalog/actions', undefined, 'service=s3');
    assert.ok(r.body['items'].length > 150, `${r.body['items'].length} s3 actions`);
    assert.ok(r.body['items'].every((i: Body) => i.label.startsWith('s3:')));
    assert.ok(r.body['items'].some((i: Body) => i.label === 's3:GetObject'));
  });

  it('the context keys the policies reference, typed; an unreadable document is left out', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: '*',
          Condition: { StringEquals: { 'iam:PassedToService': 'x' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    });
    const r = await call(api, 'POST', 'context-keys', {
      documents: [
        { name: 'a', type: 'identity', text: policy },
        { name: 'b', type: 'identity', text: '{bad' },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body['keys'], [
      { name: 'iam:PassedToService', type: 'string', typeFrom: 'catalog' },
      { name: 'aws:MultiFactorAuthPresent', type: 'boolean', typeFrom: 'catalog' },
    ]);
  });
});
