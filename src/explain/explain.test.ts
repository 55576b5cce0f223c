import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Universe } from '../account/query.js';
import { authorize } from '../authz/authorize.js';
import { loadUniverse } from '../authz/universe.js';
import { makeContext } from '../eval/request.js';
import { parsePolicy } from '../policy/parse.js';
import { applyFixes } from '../workflows/apply.js';
import { contextEntry } from './context.js';
import { explainDenial } from './explain.js';
import { readDenials } from './read.js';
import { exitCodeOf, explainReports } from './run.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIX = `${ROOT}test/fixtures/explain/`;

function model(kind: 'full' | 'iam'): Universe {
  const files = [`${FIX}iam.yaml`, ...(kind === 'full' ? [`${FIX}org-and-resources.yaml`] : [])];
  const l = loadUniverse({ accountFiles: files });
  assert.equal(l.diagnostics.filter((d) => d.severity === 'error').length, 0, l.diagnostics.map((d) => d.message).join('\n'));
  return l.universe as Universe;
}
const MODELS = { full: model('full'), iam: model('iam') };

interface Case {
  readonly name: string;
  readonly message: string;
  readonly model: 'full' | 'iam';
  readonly options: { context?: string[]; vpc?: string; region?: string; session?: boolean };
  readonly expect: {
    exit: number;
    agrees: boolean;
    decision: string;
    layers: string[];
    fix: null | { kind: string; verified: boolean; changes: number };
    gap?: string;
  };
}
const data = JSON.parse(readFileSync(`${ROOT}test/cases/explain/layers.json`, 'utf8')) as { cases: Case[] };

function optionsOf(c: Case) {
  const session = parsePolicy(readFileSync(`${FIX}session-policy.json`, 'utf8'), { type: 'session', name: 'session-policy.json' }).policy;
  return {
    ...(c.options.region ? { region: c.options.region } : {}),
    ...(c.options.vpc ? { vpcEndpointId: c.options.vpc } : {}),
    ...(c.options.session && session ? { sessionPolicies: [session] } : {}),
    ...(c.options.context
      ? {
          context: c.options.context.map((t) => {
            const [k, v] = t.split('=') as [string, string];
            return contextEntry(k, v.split(','));
          }),
        }
      : {}),
  };
}

for (const c of data.cases) {
  test(`explain: ${c.name}`, async () => {
    const u = MODELS[c.model];
    const run = await explainReports(u, c.message, { ...optionsOf(c), patch: false });
    assert.deepEqual(run.problems, []);
    const e = run.reports[0]?.explained;
    assert.ok(e);
    assert.equal(exitCodeOf(run), c.expect.exit, e.verdict);
    assert.equal(e.agrees, c.expect.agrees, e.verdict);
    assert.equal(e.iamsim.decision, c.expect.decision);
    assert.deepEqual(e.iamsim.layers, c.expect.layers);
    if (c.expect.gap !== undefined) assert.ok(e.modelGaps[0]?.startsWith(c.expect.gap), e.modelGaps[0]);
    else assert.deepEqual(e.modelGaps, []);
    if (c.expect.fix === null) assert.equal(e.fixes, null);
    else if (c.expect.fix.changes > 0) {
      assert.equal(e.fixes?.length, c.expect.fix.changes);
      assert.equal(e.fixVerified, c.expect.fix.verified);
      // Applying the fixes ourselves: the very request is then allowed.
      const d = readDenials(c.message).denials[0]!;
      const out = explainDenial(u, d, optionsOf(c));
      assert.ok(out.ok);
      const fixed = applyFixes(u, e.fixes ?? []);
      const after = authorize(
        fixed,
        {
          principal: out.step.principal,
          action: out.step.action,
          resource: out.step.resource,
          context: makeContext(out.step.context),
          deriveContext: true,
          ...(out.step.vpcEndpointId ? { vpcEndpointId: out.step.vpcEndpointId } : {}),
        },
        { explain: false },
      );
      assert.equal(after.decision.decision, 'allowed');
    }
  });
}

test('an S3 message without the Region: a region-deny SCP applies only for want of aws:RequestedRegion, so the report is incomplete (exit 2)', async () => {
  const msg =
    'User: arn:aws:sts::111122223333:assumed-role/NotebookJobRole/SageMaker is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::ml-data-111122223333/output/a.ipynb" because no identity-based policy allows the s3:PutObject action';
  const run = await explainReports(MODELS.full, msg, { patch: false });
  const e = run.reports[0]!.explained;
  assert.equal(e.incomplete, true);
  assert.match(e.verdict, /does not show aws:RequestedRegion/);
  // What to give is a value (each shell words it: --region on the command line, the Region field in the console).
  assert.deepEqual(e.asks, [{ what: 'region' }]);
  assert.doesNotMatch(JSON.stringify([e.verdict, e.modelGaps, e.notes]), /--/);
  assert.equal(exitCodeOf(run), 2);
  const given = await explainReports(MODELS.full, msg, { patch: false, region: 'us-east-1' });
  assert.equal(exitCodeOf(given), 0);
});

test('a report without the principal is a problem on its line; the other reports are explained', async () => {
  const text = [
    'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
    'User: arn:aws:sts::111122223333:assumed-role/NotebookJobRole/SageMaker is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:111122223333:repository/notebook-runtime because no identity-based policy allows the ecr:BatchGetImage action',
  ].join('\n');
  const run = await explainReports(MODELS.iam, text, { patch: false });
  assert.equal(run.reports.length, 1);
  assert.deepEqual(
    run.problems.map((p) => p.line),
    [1],
  );
  assert.match(run.problems[0]!.message, /principal/);
  assert.deepEqual(run.problems[0]!.asks, [{ what: 'principal' }, { what: 'action' }, { what: 'resource' }]);
  assert.equal(exitCodeOf(run), 2);
  // The bare message with the missing parts given is explained.
  const filled = await explainReports(MODELS.iam, text.split('\n')[0]!, {
    patch: false,
    principal: 'arn:aws:sts::111122223333:assumed-role/NotebookJobRole/SageMaker',
    action: 's3:PutObject',
    resource: 'arn:aws:s3:::ml-data-111122223333/output/a.ipynb',
    region: 'us-east-1',
  });
  assert.equal(filled.reports[0]?.explained.agrees, true);
});

test('the fix is proven to grant nothing beyond the request, or the proof names what else it grants', async () => {
  const pass = await explainReports(
    MODELS.iam,
    'User: arn:aws:sts::111122223333:assumed-role/NotebookJobRole/SageMaker is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role/service-role/NotebookJobRole because no identity-based policy allows the iam:PassRole action',
    { context: [contextEntry('iam:PassedToService', ['events.amazonaws.com'])] },
  );
  const p = pass.reports[0]!;
  assert.equal(p.explained.fixes?.[0]?.kind, 'modify-statement');
  assert.deepEqual(
    p.patch?.scope.map((s) => s.result),
    ['PASS'],
  );
  assert.match(p.patch?.patch.policies[0]?.command ?? '', /^aws iam put-role-policy --role-name NotebookJobRole --policy-name JobPolicy/);
  assert.match(p.patch?.patch.diff ?? '', /\+ +"events\.amazonaws\.com"/);
  // The ECR statement also grants GetDownloadUrlForLayer: fixing its Resource grants that too, and the proof says so.
  const fail = await explainReports(
    MODELS.iam,
    'User: arn:aws:sts::111122223333:assumed-role/NotebookJobRole/SageMaker is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:111122223333:repository/notebook-runtime because no identity-based policy allows the ecr:BatchGetImage action',
  );
  const scope = fail.reports[0]?.patch?.scope[0];
  assert.equal(scope?.result, 'FAIL');
  assert.match(scope?.note ?? '', /ecr:GetDownloadUrlForLayer/);
});

test('CloudTrail records: the denied calls are explained with the context the record shows, the others skipped', async () => {
  const text = readFileSync(`${FIX}cloudtrail-denied.json`, 'utf8');
  const run = await explainReports(MODELS.full, text, { cloudtrail: true, patch: false });
  assert.equal(run.skipped, 1);
  // PutTargets passing the job role: iam:PassedToService is the service called (events.amazonaws.com).
  const pass = run.reports.find((r) => r.explained.request.action === 'iam:PassRole')?.explained;
  assert.ok(pass);
  assert.deepEqual(pass.request.context['iam:PassedToService'], ['events.amazonaws.com']);
  assert.deepEqual(pass.request.context['aws:SourceIp'], ['203.0.113.10']);
  assert.deepEqual(pass.request.context['aws:SecureTransport'], ['true']);
  assert.equal(pass.agrees, true);
  assert.equal(pass.fixVerified, true);
  // S3 through the endpoint: aws:VpcSourceIp and aws:SourceVpce, not aws:SourceIp; the endpoint policy denies.
  const s3 = run.reports.find((r) => r.explained.request.action === 's3:GetObject')?.explained;
  assert.ok(s3);
  assert.equal(s3.request.vpcEndpointId, 'vpce-0a1b2c3d4e5f67890');
  assert.deepEqual(s3.request.context['aws:VpcSourceIp'], ['10.0.12.34']);
  assert.equal(s3.request.context['aws:SourceIp'], undefined);
  assert.deepEqual(s3.iamsim.layers, ['endpoint']);
  assert.equal(s3.aws.layer, null);
  assert.equal(s3.agrees, true);
  // RunInstances with an encoded message: decided on the image the record names, with the way to decode it.
  const ec2 = run.reports.find((r) => r.explained.request.action === 'ec2:RunInstances')?.explained;
  assert.equal(ec2?.request.resource, 'arn:aws:ec2:us-east-1::image/ami-0abcdef1234567890');
  assert.ok(ec2?.notes.some((n) => n.includes('aws sts decode-authorization-message')));
  assert.deepEqual(run.problems, []);
  assert.equal(exitCodeOf(run), 0);
});

test('a service principal the trust policy does not name: AWS and iamsim blame the resource-based policy alone', async () => {
  const u = loadUniverse({ accountFiles: [`${ROOT}examples/accounts/notebook-job/broken/job-role-not-trusted-by-events.yaml`] }).universe as Universe;
  const run = await explainReports(
    u,
    'User: events.amazonaws.com is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/service-role/NotebookJobExecutionRole because no resource-based policy allows the sts:AssumeRole action',
    { patch: false },
  );
  const e = run.reports[0]!.explained;
  assert.deepEqual(e.iamsim.layers, ['resource']);
  assert.equal(e.agrees, true);
  assert.equal(e.fixVerified, true);
  assert.equal(e.fixes?.[0]?.layer, 'trust');
});
