/**
 * Generated policies pass the matching preflight: each execution-role spec in
 * examples/generate/ is generated, installed in an account (caller role with
 * the caller policy, execution role with its permission and trust policies,
 * default key policies for its KMS keys) and run through the
 * sagemaker-execution-role workflow once per API, with the workflow
 * parameters that match the spec; the MLSpace notebook policy is attached to
 * the notebook role and run through mlspace-notebook, including the steps that
 * must be denied. Every generated document also lints with no ERROR or
 * SECURITY_WARNING, alone and together with the other policies of its
 * principal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintPolicies, lintPolicy } from '../src/analyze/index.js';
import type { Finding } from '../src/analyze/index.js';
import { addSource, buildBatch, readSource, type ParsedInputs } from '../src/account/import/index.js';
import { createUniverse, type Universe } from '../src/account/query.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import {
  generateExecutionRole,
  generateMlspaceNotebookPolicy,
  readExecutionRoleSpec,
  readMlspaceParams,
  SourceDoc,
  type ExecutionRolePolicies,
  type ExecutionRoleSpec,
  type PolicyDocument,
} from '../src/generate/index.js';
import type { S3Location } from '../src/generate/arn.js';
import { loadWorkflows, preflight, type PreflightResult, type WorkflowDef } from '../src/workflows/index.js';
import type { PolicyType } from '../src/policy/model.js';
import { isAcceptedWarning } from './support/accepted-warnings.js';

const EXAMPLES = new URL('../../examples/generate/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, EXAMPLES), 'utf8');

const WORKFLOWS = loadWorkflows().workflows;
function workflow(id: string): WorkflowDef {
  const wf = WORKFLOWS.get(id);
  assert.ok(wf, `workflow ${id} is defined`);
  return wf;
}

// ---------------------------------------------------------------------------
// Accounts: a bundle built in memory and read by the bundle importer.

interface RoleDef {
  readonly name: string;
  readonly path: string;
  readonly trust: PolicyDocument | Record<string, unknown>;
  readonly policies: Readonly<Record<string, PolicyDocument>>;
}

/** The trust policy of the caller role (a notebook instance role, as in the workflow's default caller). */
const TRANSLATE_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'translate.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const NOTEBOOK_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** The default key policy (AWS KMS Developer Guide: default key policy): the account's IAM policies decide. */
function defaultKeyPolicy(account: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}

function buildUniverse(account: string, roles: readonly RoleDef[], keyArns: readonly string[] = []): Universe {
  const bundle = {
    version: 1,
    accounts: [
      {
        id: account,
        name: 'generated',
        roles: roles.map((r) => ({ name: r.name, path: r.path, trustPolicy: r.trust, policies: r.policies })),
        resourcePolicies: [...new Set(keyArns)].map((arn) => ({ arn, policy: defaultKeyPolicy(account) })),
      },
    ],
  };
  const diagnostics: Diagnostic[] = [];
  const { source, diagnostics: readDiags } = readSource(JSON.stringify(bundle, null, 2), 'generated-bundle.json');
  diagnostics.push(...readDiags);
  assert.ok(source, 'the bundle parses');
  const inputs: ParsedInputs = { accounts: [], resourcePolicies: [], fragments: [], organizations: [], formats: [], pages: [] };
  addSource(source, {}, inputs, diagnostics);
  const batch = buildBatch(inputs, undefined, diagnostics);
  // Generated documents are strict JSON that parses cleanly: the importer's validation finds nothing at all.
  assert.deepEqual(
    diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`),
    [],
  );
  return createUniverse({ accounts: batch.accounts, resourcePolicies: batch.resourcePolicies });
}

// ---------------------------------------------------------------------------
// Lint

function severe(findings: readonly Finding[]): string[] {
  return findings
    .filter((f) => f.findingType === 'ERROR' || f.findingType === 'SECURITY_WARNING')
    .map((f) => `${f.findingType} ${f.issueCode}: ${f.message}`)
    .filter((line) => !isAcceptedWarning(line));
}

interface NamedDoc {
  readonly name: string;
  readonly type: PolicyType;
  readonly doc: PolicyDocument;
}

/** Each document alone, then the identity-based ones of one principal together (cross-policy checks). */
function assertLintsClean(docs: readonly NamedDoc[]): void {
  for (const d of docs) {
    const text = `${JSON.stringify(d.doc, null, 2)}\n`;
    assert.deepEqual(severe(lintPolicy(text, { type: d.type, file: `${d.name}.json` })), [], d.name);
  }
  const identity = docs.filter((d) => d.type === 'identity');
  if (identity.length > 1) {
    const together = lintPolicies(identity.map((d) => ({ name: `${d.name}.json`, text: JSON.stringify(d.doc, null, 2), type: d.type })));
    assert.deepEqual(severe(together), [], identity.map((d) => d.name).join(' + '));
  }
}

// ---------------------------------------------------------------------------
// Reporting

function failures(r: PreflightResult): string[] {
  return r.steps.filter((s) => !s.passed).map((s) => `${s.name}: ${s.principal} ${s.action} ${s.resource} -> ${s.decision} (${s.reason})`);
}

function run(u: Universe, wf: WorkflowDef, settings: Readonly<Record<string, string>>): PreflightResult {
  const out = preflight(u, wf, new Map(Object.entries(settings)));
  assert.deepEqual(
    out.diagnostics.map((d) => `${d.code}: ${d.message}`),
    [],
    'parameters and principals resolve',
  );
  assert.ok(out.result);
  return out.result;
}

// ---------------------------------------------------------------------------
// sagemaker-execution-role

const CALLER_NAME = 'SageMakerCaller';
const SPECS = ['training-job.yaml', 'processing-job.yaml', 'hpo-vpc-kms.yaml', 'model.json', 'notebook-instance.yaml'];

function loadSpec(file: string): ExecutionRoleSpec {
  const { spec, diagnostics } = readExecutionRoleSpec(read(file), file);
  assert.ok(spec, diagnostics.map((d) => d.message).join('; '));
  return spec;
}

/** An object key inside an S3 location, as a job would read it. */
function keyIn(loc: S3Location): string {
  if (loc.kind === 'object') return loc.key;
  if (loc.key === '' || loc.key.endsWith('/')) return `${loc.key}part-00000.csv`;
  return `${loc.key}/part-00000.csv`;
}

/** The workflow parameters (`--set`) that describe the spec's workload for one API, reading one of its input locations. */
function settingsFor(spec: ExecutionRoleSpec, gen: ExecutionRolePolicies, api: string, input: S3Location | undefined): Record<string, string> {
  const { account, region, partition } = spec.scope;
  const s: Record<string, string> = {
    accountId: account,
    region,
    api,
    executionRoleArn: gen.roleArn,
    callerArn: `arn:${partition}:iam::${account}:role/${CALLER_NAME}`,
  };
  if (input !== undefined) {
    s['inputBucket'] = input.bucket;
    s['inputKey'] = keyIn(input);
  }
  const output = spec.outputs[0];
  if (output !== undefined) {
    s['outputBucket'] = output.bucket;
    s['outputPrefix'] = output.key.replace(/\/+$/, '');
  }
  const repo = spec.repositories[0];
  if (repo !== undefined) s['imageRepositoryArn'] = `arn:${partition}:ecr:${repo.region}:${repo.account}:repository/${repo.name}`;
  if (input !== undefined) s['inputPrefix'] = input.key;
  if (spec.vpc !== undefined) {
    s['subnetId'] = spec.vpc.subnets[0] as string;
    s['securityGroupId'] = spec.vpc.securityGroups[0] as string;
  }
  // The workflow models one request tag; the example specs carry at most one.
  const [tag] = Object.entries(spec.tags);
  if (tag !== undefined) {
    s['tagKey'] = tag[0];
    s['tagValue'] = tag[1];
  }
  const keys = { inputKmsKeyArn: spec.kms.input, outputKmsKeyArn: spec.kms.output, volumeKmsKeyArn: spec.kms.volume };
  for (const [param, list] of Object.entries(keys)) if (list[0] !== undefined) s[param] = list[0];
  return s;
}

for (const file of SPECS) {
  const spec = loadSpec(file);
  const gen = generateExecutionRole(spec);

  test(`execution role ${file}: every generated document lints without ERROR or SECURITY_WARNING`, () => {
    assertLintsClean([{ name: `${gen.roleName}.permissions`, type: 'identity', doc: gen.permissions }]);
    assertLintsClean([{ name: `${gen.roleName}.trust`, type: 'trust', doc: gen.trust }]);
    assertLintsClean([{ name: `${gen.roleName}.caller`, type: 'identity', doc: gen.caller }]);
  });

  const universe = buildUniverse(
    spec.scope.account,
    [
      { name: CALLER_NAME, path: '/', trust: NOTEBOOK_TRUST, policies: { [`${gen.roleName}-caller`]: gen.caller } },
      { name: gen.roleName, path: spec.rolePath, trust: gen.trust, policies: { [`${gen.roleName}-permissions`]: gen.permissions } },
    ],
    [...spec.kms.input, ...spec.kms.output, ...spec.kms.volume],
  );

  // Every input location once (the workflow reads one input per run); no inputs: the workflow's defaults, unused.
  const inputs: readonly (S3Location | undefined)[] = spec.inputs.length > 0 ? spec.inputs : [undefined];
  for (const api of spec.apis) {
    test(`execution role ${file}: sagemaker-execution-role preflight for ${api} passes`, () => {
      assert.ok(Object.keys(spec.tags).length <= 1, 'the workflow models one request tag');
      for (const input of inputs) {
        const r = run(universe, workflow('sagemaker-execution-role'), settingsFor(spec, gen, api, input));
        assert.deepEqual(failures(r), [], input?.uri);
        assert.equal(r.passed, true);
        // The spec's VPC, volume key and tags switched the option steps on, and they passed.
        if (spec.vpc !== undefined) assert.ok(r.steps.some((st) => st.name === 'execution-role-create-eni' && st.passed));
        if (spec.kms.volume.length > 0) assert.ok(r.steps.some((st) => st.name === 'execution-role-creates-volume-grant' && st.passed));
        if (Object.keys(spec.tags).length > 0) assert.ok(r.steps.some((st) => st.name.startsWith('caller-tags-') && st.passed));
      }
    });
  }
}

// ---------------------------------------------------------------------------
// mlspace-notebook

test('mlspace-notebook: the generated notebook policies lint cleanly and pass the preflight', () => {
  const { params, diagnostics } = readMlspaceParams(new SourceDoc(read('mlspace-params.yaml'), 'mlspace-params.yaml'));
  assert.ok(params, diagnostics.map((d) => d.message).join('; '));
  const gen = generateMlspaceNotebookPolicy(params);
  const docs = gen.policies.map((doc, i) => ({ name: `mlspace-notebook.part${i + 1}`, type: 'identity' as const, doc }));
  assertLintsClean(docs);
  const { account } = params.scope;
  const universe = buildUniverse(
    account,
    [
      { name: 'MLSpaceNotebookRole', path: '/', trust: NOTEBOOK_TRUST, policies: Object.fromEntries(docs.map((d) => [d.name, d.doc])) },
      // The role the notebook passes to Amazon Translate: preflight requires every role it names to exist.
      { name: 'MLSpaceTranslateRole', path: '/', trust: TRANSLATE_TRUST, policies: {} },
    ],
    params.kmsKeyArn !== undefined ? [params.kmsKeyArn] : [],
  );
  const r = run(universe, workflow('mlspace-notebook'), {
    accountId: account,
    region: params.scope.region,
    subnetId: params.subnets[0] as string,
    securityGroupId: params.securityGroups[0] as string,
    ...(params.kmsKeyArn !== undefined ? { kmsKeyArn: params.kmsKeyArn } : {}),
  });
  assert.deepEqual(failures(r), []);
  assert.equal(r.passed, true);
  // The governance steps ran and were denied: a missing or wrong tag, no VPC, a grant not for an AWS resource, …
  const denied = r.steps.filter((s) => s.expect === 'denied');
  assert.ok(denied.length >= 8, `${denied.length} must-be-denied steps`);
  for (const s of denied) assert.notEqual(s.decision, 'allowed', s.name);
  for (const s of r.steps.filter((x) => x.expect === 'allowed')) assert.equal(s.decision, 'allowed', s.name);
});
