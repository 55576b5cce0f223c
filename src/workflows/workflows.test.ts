/** Workflow definitions: every file validates; the template/condition interpreter; validation errors; applyFixes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUniverse } from '../account/query.js';
import { openAsyncStore } from '../account/open-store.js';
import { importFiles } from '../account/commands.js';
import { loadUniverse, loadUniverseAsync } from '../authz/universe.js';
import { applyFixes, applyToDocument } from './apply.js';
import { defaultDefsDir, loadWorkflows, parseWorkflow } from './load.js';
import { planSteps, resolveParameters } from './plan.js';
import { preflight } from './run.js';
import { docSources } from './sources.js';
import { evalWhen, expand } from './template.js';
import type { Fix } from './types.js';

test('every definition file validates and has a unique id', () => {
  const files = readdirSync(defaultDefsDir()).filter((f) => f.endsWith('.json'));
  const { workflows, diagnostics } = loadWorkflows();
  assert.deepEqual(diagnostics, []);
  assert.equal(workflows.size, files.length);
  assert.deepEqual([...workflows.keys()].sort(), ['iot-notebook-container', 'mlspace-notebook', 'notebook-job', 'sagemaker-execution-role']);
  for (const wf of workflows.values()) {
    // Users do not have the project's seed copies: every step cites the documentation page it comes from by name,
    // and the workflow's pages are printed with their addresses (workflows/sources.ts).
    const sources = docSources(wf.seeds);
    assert.ok(sources.length > 0 && sources.every((d) => d.url.startsWith('https://')), `${wf.id} names its documentation`);
    for (const s of wf.steps) {
      assert.ok(
        sources.some((d) => s.why.includes(d.name)) || /Service Authorization Reference|User Guide|Developer Guide/.test(s.why),
        `${wf.id}/${s.name} cites a documentation page: ${s.why}`,
      );
      assert.doesNotMatch(s.why, /\bseeds?\b/i, `${wf.id}/${s.name}`);
    }
    assert.doesNotMatch(wf.description, /\bseeds?\b/i, wf.id);
    for (const p of wf.parameters) assert.doesNotMatch(p.description, /\bseeds?\b/i, `${wf.id} ${p.name}`);
  }
});

test('templates and when conditions', () => {
  const p = new Map([
    ['a', 'x'],
    ['b', ''],
    ['c', 'false'],
    ['d', 'x'],
  ]);
  assert.equal(expand('arn:${a}:${b}:${zzz}', p), 'arn:x::');
  assert.equal(evalWhen(undefined, p), true);
  assert.equal(evalWhen('${a}', p), true);
  assert.equal(evalWhen('${b}', p), false);
  assert.equal(evalWhen('${c}', p), false);
  assert.equal(evalWhen('!${b}', p), true);
  assert.equal(evalWhen('${a} == ${d}', p), true);
  assert.equal(evalWhen('${a} != x', p), false);
  assert.equal(evalWhen(['${a}', '${b}'], p), false);
});

test('parameters: defaults over earlier parameters, --set wins, required and choices are checked', () => {
  const wf = loadWorkflows().workflows.get('notebook-job')!;
  const r = resolveParameters(wf, new Map([['accountId', '444455556666']]));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.params.get('studioRoleArn'), 'arn:aws:iam::444455556666:role/SageMakerStudioExecutionRole');
  assert.equal(r.params.get('bucket'), 'sagemaker-automated-execution-444455556666-us-east-1');
  const steps = planSteps(wf, r.params);
  assert.ok(!steps.some((s) => s.action.startsWith('kms:')), 'KMS steps only with kmsKeyArn');
  assert.ok(!steps.some((s) => s.vpcEndpointId !== undefined));
  const withOptions = planSteps(
    wf,
    resolveParameters(
      wf,
      new Map([
        ['kmsKeyArn', 'arn:aws:kms:us-east-1:1:key/k'],
        ['vpcEndpointId', 'vpce-1'],
      ]),
    ).params,
  );
  assert.equal(withOptions.filter((s) => s.action.startsWith('kms:')).length, 3);
  assert.equal(withOptions.find((s) => s.name === 'job-role-reads-driver')?.vpcEndpointId, 'vpce-1');
  const region = withOptions[0]?.context.find((e) => e.key === 'aws:RequestedRegion');
  assert.deepEqual(region?.values, ['us-east-1']);
  const sm = loadWorkflows().workflows.get('sagemaker-execution-role')!;
  assert.equal(resolveParameters(sm, new Map([['api', 'Nope']])).diagnostics[0]?.code, 'PREFLIGHT_BAD_CHOICE');
  const model = planSteps(sm, resolveParameters(sm, new Map([['api', 'CreateModel']])).params).map((s) => s.name);
  assert.ok(
    model.includes('caller-calls-create-model') && !model.includes('caller-calls-create-training-job') && !model.includes('execution-role-writes-output'),
  );
});

test('validation reports errors with their JSON position', () => {
  const text = JSON.stringify(
    {
      id: 'Bad Id',
      title: 't',
      description: 'd',
      seeds: ['000'],
      parameters: [
        { name: 'a', description: 'x', default: '${b}' },
        { name: 'b', description: 'y' },
      ],
      steps: [
        { name: 's1', principal: '${a}', action: 'iam:PassRole', resource: '${nope}', why: 'w', when: '== x' },
        { name: 's1', principal: '${a}', action: 'PassRole', resource: '*', why: 'w', expect: 'maybe', extra: 1 },
      ],
    },
    null,
    2,
  );
  const { def, diagnostics } = parseWorkflow(text, 'bad.json');
  assert.equal(def, undefined);
  const codes = diagnostics.map((d) => d.code).sort();
  assert.deepEqual(codes, [
    'WORKFLOW_ACTION',
    'WORKFLOW_DUPLICATE_STEP',
    'WORKFLOW_EXPECT',
    'WORKFLOW_ID',
    'WORKFLOW_UNKNOWN_KEY',
    'WORKFLOW_UNKNOWN_PARAMETER',
    'WORKFLOW_UNKNOWN_PARAMETER',
    'WORKFLOW_WHEN',
  ]);
  const unknown = diagnostics.find((d) => d.code === 'WORKFLOW_UNKNOWN_PARAMETER' && d.path.includes('resource'));
  assert.equal(unknown?.line, text.split('\n').findIndex((l) => l.includes('${nope}')) + 1);
  assert.equal(parseWorkflow('{"id": ', 'x.json').diagnostics[0]?.code, 'WORKFLOW_JSON');
});

test('applyToDocument adds statements once and patches values without repeats', () => {
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'a' } } },
  });
  const add: Fix = {
    layer: 'identity',
    target: 't',
    policyName: 'p',
    kind: 'add-statement',
    statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    change: '',
  };
  const once = applyToDocument(doc, add);
  assert.equal(applyToDocument(once, add), once);
  assert.equal((JSON.parse(once) as { Statement: unknown[] }).Statement.length, 2);
  const patch: Fix = {
    layer: 'identity',
    target: 't',
    policyName: 'p',
    kind: 'modify-statement',
    statement: {},
    statementIndex: 0,
    change: '',
    patches: [{ op: 'add-values', path: ['Condition', 'StringEquals', 'iam:PassedToService'], value: ['a', 'b'] }],
  };
  // A single-statement document keeps its shape: the statement is patched where it stands.
  const patched = JSON.parse(applyToDocument(applyToDocument(doc, patch), patch)) as { Statement: { Condition: Record<string, Record<string, unknown>> } };
  assert.deepEqual(patched.Statement.Condition['StringEquals']?.['iam:PassedToService'], ['a', 'b']);
  const fresh = JSON.parse(applyToDocument(undefined, add)) as { Version: string; Statement: unknown[] };
  assert.equal(fresh.Version, '2012-10-17');
});

test('applyToDocument edits only the changed values and keeps the rest of the text as written', () => {
  const doc =
    '{\n    "Version": "2012-10-17",\n    "Statement": [\n        {\n            "Effect": "Allow",\n            "Action": "s3:PutObject",\n            "Resource": ["arn:aws:s3:::b/path", "arn:aws:s3:::b/other"]\n        }\n    ]\n}\n';
  const fix: Fix = {
    layer: 'identity',
    target: 't',
    policyName: 'p',
    kind: 'modify-statement',
    statement: {},
    statementIndex: 0,
    change: '',
    patches: [{ op: 'replace-value', path: ['Resource'], from: 'arn:aws:s3:::b/path', value: 'arn:aws:s3:::b/path/*' }],
  };
  const out = applyToDocument(doc, fix);
  assert.equal(out.split('\n').slice(0, 6).join('\n'), doc.split('\n').slice(0, 6).join('\n'));
  assert.deepEqual((JSON.parse(out) as { Statement: { Resource: string[] }[] }).Statement[0]?.Resource, ['arn:aws:s3:::b/path/*', 'arn:aws:s3:::b/other']);
  assert.match(out, /\n {12}"Resource"/);
});

test('applyFixes creates the inline fix policy on the role and leaves the input model unchanged', () => {
  const role = {
    arn: 'arn:aws:iam::111122223333:role/R',
    name: 'R',
    path: '/',
    trustPolicy: '{"Version":"2012-10-17","Statement":[]}',
    inlinePolicies: [],
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
  };
  const u = createUniverse({
    accounts: [{ id: '111122223333', users: [], groups: [], roles: [role], managedPolicies: [], resourcePolicies: [], sources: [] }],
  });
  const fix: Fix = {
    layer: 'identity',
    target: role.arn,
    policyName: 'iamsim-preflight-fixes',
    kind: 'add-statement',
    statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    change: '',
  };
  const trust: Fix = {
    layer: 'trust',
    target: role.arn,
    policyName: 'trust',
    kind: 'add-statement',
    statement: { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' },
    change: '',
  };
  const v = applyFixes(u, [fix, trust]);
  const after = v.accounts.get('111122223333')!.roles[0]!;
  assert.equal(after.inlinePolicies[0]?.name, 'iamsim-preflight-fixes');
  assert.match(after.trustPolicy, /events\.amazonaws\.com/);
  assert.equal(u.accounts.get('111122223333')!.roles[0]!.inlinePolicies.length, 0);
});

test('preflight reads an imported database as well as files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-preflight-'));
  try {
    const bundle = fileURLToPath(new URL('../../../examples/accounts/notebook-job/bundle.yaml', import.meta.url));
    const db = join(dir, 'iamsim.db');
    const store = await openAsyncStore(db);
    try {
      assert.equal((await importFiles([bundle], store)).ok, true);
    } finally {
      await store.close();
    }
    assert.deepEqual(
      loadUniverse({ db }).diagnostics.map((d) => d.code),
      ['DB_UNSUPPORTED'],
    );
    const loaded = await loadUniverseAsync({ db });
    assert.ok(loaded.universe);
    const wf = loadWorkflows().workflows.get('notebook-job')!;
    assert.equal(preflight(loaded.universe, wf, new Map()).result?.passed, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('docs/preflight.md documents every workflow and parameter', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../../docs/preflight.md', import.meta.url)), 'utf8');
  for (const wf of loadWorkflows().workflows.values()) {
    assert.match(doc, new RegExp(`### \`${wf.id}\``), wf.id);
    for (const p of wf.parameters) assert.ok(doc.includes(`| \`${p.name}\` |`), `${wf.id}: ${p.name}`);
  }
});
