/**
 * Issue 11, "Preflight builds role ARNs without the role's path": a role named by a
 * pathless ARN is resolved by name from the account model to its real ARN (role
 * ARNs carry the role's path: IAM User Guide, reference_identifiers), and an ARN
 * that names no role of the model is refused with a suggestion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUniverse } from '../account/query.js';
import { loadWorkflows } from './load.js';
import { preflight } from './run.js';

const ACCT = '111122223333';
const doc = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const trust = (...services: string[]): string => doc(...services.map((s) => ({ Effect: 'Allow', Principal: { Service: s }, Action: 'sts:AssumeRole' })));
const jobArn = `arn:aws:iam::${ACCT}:role/service-role/NotebookJobExecutionRole`;

function role(name: string, path: string, trustPolicy: string, inline: string) {
  return {
    arn: `arn:aws:iam::${ACCT}:role${path}${name}`,
    name,
    path,
    trustPolicy,
    inlinePolicies: [{ name: 'p', document: inline }],
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
  };
}

const universe = () =>
  createUniverse({
    accounts: [
      {
        id: ACCT,
        users: [],
        groups: [],
        managedPolicies: [],
        resourcePolicies: [],
        sources: [],
        roles: [
          // PassRole scoped to the job role's real ARN, with its /service-role/ path.
          role(
            'SageMakerStudioExecutionRole',
            '/service-role/',
            trust('sagemaker.amazonaws.com'),
            doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: jobArn }),
          ),
          role(
            'NotebookJobExecutionRole',
            '/service-role/',
            trust('sagemaker.amazonaws.com', 'events.amazonaws.com'),
            doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
          ),
        ],
      },
    ],
  });

const wf = () => loadWorkflows().workflows.get('notebook-job')!;

test("issue 11: preflight resolves pathless role ARNs by name to the role's real ARN", () => {
  const out = preflight(universe(), wf(), new Map());
  assert.deepEqual(out.diagnostics, []);
  const pass = out.result!.steps.find((s) => s.name === 'studio-passes-job-role-to-sagemaker')!;
  assert.equal(pass.resource, jobArn);
  assert.equal(pass.principal, `arn:aws:iam::${ACCT}:role/service-role/SageMakerStudioExecutionRole`);
  assert.equal(pass.decision, 'allowed');
  assert.deepEqual(pass.fix, []);
});

test('issue 11: preflight refuses a role ARN that names no role of the model, with a suggestion', () => {
  const out = preflight(universe(), wf(), new Map([['jobRoleArn', `arn:aws:iam::${ACCT}:role/NotebookJobExecRole`]]));
  assert.equal(out.result, undefined);
  const d = out.diagnostics.find((x) => x.message.includes('NotebookJobExecRole'));
  assert.ok(d, JSON.stringify(out.diagnostics));
  assert.match(d.message, /did you mean .*role\/service-role\/NotebookJobExecutionRole/);
});
