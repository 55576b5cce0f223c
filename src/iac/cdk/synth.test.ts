/**
 * A real CDK app (aws-cdk-lib, a devDependency), synthesized in-process without credentials (an
 * environment-agnostic stack): a SageMaker execution role reading a bucket, then widened (read-write) and
 * narrowed (one prefix). `iamsim diff` over the cloud assemblies and the validation plugin inside `app.synth()`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { diffFiles } from '../index.js';
import { IamsimPolicyValidationPlugin } from './plugin.js';

type Access = 'read' | 'read-write' | 'prefix';

function build(app: App, access: Access): void {
  const stack = new Stack(app, 'SageMakerExecutionStack');
  const bucket = new s3.Bucket(stack, 'TrainingData');
  const role = new iam.Role(stack, 'ExecutionRole', {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSageMakerReadOnly')],
  });
  if (access === 'read') bucket.grantRead(role);
  else if (access === 'read-write') bucket.grantReadWrite(role);
  else bucket.grantRead(role, 'train/*');
}

/** What `cdk synth` sets (the CLI's default): construct paths in the templates' metadata. */
const CONTEXT = { 'aws:cdk:enable-path-metadata': true };

function synth(access: Access, context: Record<string, unknown> = CONTEXT): string {
  const outdir = mkdtempSync(join(tmpdir(), `iamsim-cdk-${access}-`));
  const app = new App({ outdir, context });
  build(app, access);
  app.synth();
  return outdir;
}

describe('a CDK app synthesized with aws-cdk-lib', () => {
  const base = synth('read');

  it('widening the execution role fails with a counterexample and the construct path', async () => {
    const r = await diffFiles({ before: base, after: synth('read-write'), accountId: '111122223333', noAudit: true });
    assert.equal(r.result, 'FAIL');
    const p = r.principals.find((x) => x.newAccess.result === 'FAIL')!;
    assert.match(p.source.address ?? '', /^SageMakerExecutionStack\/ExecutionRole\//);
    assert.match(p.newAccess.counterexamples[0]!.ActionNames[0]!, /^s3:(Put|Delete|Abort)/);
  });

  it('without path metadata (in-process synth), the logical id is the address', async () => {
    const r = await diffFiles({ before: base, after: synth('read-write', {}), accountId: '111122223333', noAudit: true });
    assert.match(r.principals.find((x) => x.newAccess.result === 'FAIL')!.source.address ?? '', /^ExecutionRole[0-9A-F]{8}$/);
  });

  it('narrowing it passes, and so does the same app', async () => {
    assert.equal((await diffFiles({ before: base, after: synth('prefix'), accountId: '111122223333', noAudit: true })).result, 'PASS');
    assert.equal((await diffFiles({ before: base, after: synth('read'), accountId: '111122223333', noAudit: true })).result, 'PASS');
  });

  it('the policy-validation plugin makes app.synth() fail on the widened app and pass on the narrowed one', () => {
    const widened = new App({
      outdir: mkdtempSync(join(tmpdir(), 'iamsim-cdk-plugin-')),
      policyValidationBeta1: [new IamsimPolicyValidationPlugin({ before: base, accountId: '111122223333' })],
    });
    build(widened, 'read-write');
    assert.throws(() => widened.synth(), /iamsim|Validation failed/);
    const narrowed = new App({
      outdir: mkdtempSync(join(tmpdir(), 'iamsim-cdk-plugin-')),
      policyValidationBeta1: [new IamsimPolicyValidationPlugin({ before: base, accountId: '111122223333' })],
    });
    build(narrowed, 'prefix');
    narrowed.synth();
  });
});
