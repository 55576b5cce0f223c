/**
 * Golden outputs for every example in examples/generate/ (committed files,
 * compared read-only; rewrite with UPDATE_GOLDENS=1), and the promise that each generated policy parses
 * without diagnostics and lints with no ERROR or SECURITY_WARNING.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyType } from '../policy/model.js';
import { generateFromCloudTrail } from './cloudtrail.js';
import { generateExecutionRole } from './execution-role.js';
import { readExecutionRoleSpec } from './execution-spec.js';
import type { ResourceMode } from './generalize.js';
import { generateMlspaceNotebookPolicy, readMlspaceParams } from './mlspace.js';
import type { PolicyDocument } from './policy-doc.js';
import { SourceDoc } from './source.js';
import { expectGolden } from '../../test/support/golden.js';
import { EXAMPLES, parseClean, readExample, severeFindings } from './test-support.test.js';

const EXPECTED = `${EXAMPLES}expected/`;

interface Golden {
  readonly name: string;
  readonly value: unknown;
  readonly policies: readonly { readonly label: string; readonly type: PolicyType; readonly doc: PolicyDocument }[];
  readonly template?: boolean;
}

/** The JSON `iamsim generate execution-role --spec FILE` prints. */
export function executionRoleOutput(file: string): Golden {
  const { spec, diagnostics } = readExecutionRoleSpec(readExample(file), file);
  assert.ok(spec, diagnostics.map((d) => d.message).join('; '));
  const r = generateExecutionRole(spec);
  return {
    name: file.replace(/\.(ya?ml|json)$/, ''),
    value: { RoleName: r.roleName, RoleArn: r.roleArn, PermissionPolicy: r.permissions, TrustPolicy: r.trust, CallerPolicy: r.caller },
    policies: [
      { label: 'permissions', type: 'identity', doc: r.permissions },
      { label: 'trust', type: 'trust', doc: r.trust },
      { label: 'caller', type: 'identity', doc: r.caller },
    ],
  };
}

function mlspaceOutput(): Golden {
  const { params } = readMlspaceParams(new SourceDoc(readExample('mlspace-params.yaml'), 'mlspace-params.yaml'));
  assert.ok(params);
  const r = generateMlspaceNotebookPolicy(params);
  return {
    name: 'mlspace-notebook',
    value: { NotebookPolicies: r.policies },
    policies: r.policies.map((doc, i) => ({ label: `part ${i + 1}`, type: 'identity', doc })),
  };
}

function trailOutput(file: string, mode: ResourceMode, principal?: string): Golden {
  const r = generateFromCloudTrail(readExample(`cloudtrail/${file}`), { resources: mode, ...(principal ? { principal } : {}) }, file);
  assert.ok(r.policy);
  return {
    name: `cloudtrail-${file.replace(/\.jsonl?$/, '')}.${mode}`,
    value: r.policy,
    policies: [{ label: mode, type: 'identity', doc: r.policy }],
    template: mode === 'placeholder',
  };
}

const GOLDENS: (() => Golden)[] = [
  ...['training-job.yaml', 'hpo-vpc-kms.yaml', 'model.json', 'processing-job.yaml', 'notebook-instance.yaml'].map((f) => () => executionRoleOutput(f)),
  mlspaceOutput,
  () => trailOutput('training-pipeline.json', 'wildcard', 'arn:aws:iam::111122223333:role/ml-pipeline'),
  () => trailOutput('training-pipeline.json', 'placeholder', 'arn:aws:iam::111122223333:role/ml-pipeline'),
  () => trailOutput('notebook-activity.jsonl', 'exact'),
];

for (const make of GOLDENS) {
  const g = make();
  test(`golden: ${g.name}`, () => {
    expectGolden(`${EXPECTED}${g.name}.json`, `${JSON.stringify(g.value, null, 2)}\n`);
  });

  test(`parses cleanly and lints without ERROR or SECURITY_WARNING: ${g.name}`, () => {
    for (const p of g.policies) {
      let text = JSON.stringify(p.doc, null, 2);
      // Placeholder output is a template: fill it in the way a user would before use.
      if (g.template === true)
        text = text
          .replace(/\$\{Region\}/g, 'us-east-1')
          .replace(/\$\{Account\}/g, '111122223333')
          .replace(/\$\{[A-Za-z]+\}/g, '*');
      parseClean(text, p.type, `${g.name} ${p.label}`);
      assert.deepEqual(severeFindings(text, p.type, `${g.name}.${p.label}.json`), [], `${g.name} ${p.label}`);
    }
  });
}

test('placeholder output names the parts to fill in', () => {
  const g = trailOutput('training-pipeline.json', 'placeholder', 'arn:aws:iam::111122223333:role/ml-pipeline');
  const text = JSON.stringify(g.value);
  assert.match(text, /arn:aws:sagemaker:\$\{Region\}:\$\{Account\}:training-job\/\$\{TrainingJobName\}/);
  assert.match(text, /arn:aws:s3:::ml-data-111122223333\/datasets\/churn\/\$\{ObjectName\}/);
});
