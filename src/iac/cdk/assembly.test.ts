/**
 * CDK cloud assemblies (the shape `cdk synth` writes: manifest.json with
 * `aws:cloudformation:stack` artifacts, templates with `aws:cdk:path`
 * metadata) and the policy-validation plugin's report.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { diffFiles } from '../index.js';
import { SymbolTable } from '../symbols.js';
import { readCloudAssembly } from './assembly.js';
import { IamsimPolicyValidationPlugin } from './plugin.js';

const CDK = fileURLToPath(new URL('../../../../test/fixtures/iac/cdk/', import.meta.url));

describe('CDK cloud assembly', () => {
  it('reads every stack, citing resources by construct path and template line', () => {
    const side = readCloudAssembly(join(CDK, 'before.out', 'manifest.json'), new SymbolTable(), { accountId: '111122223333' });
    const role = side.facts.find((f) => f.kind === 'role')!;
    assert.equal(role.source.address, 'SageMakerStack/ExecutionRole/Resource');
    assert.equal(role.source.logicalId, 'ExecutionRole605A040B');
    assert.match(role.source.file, /SageMakerStack\.template\.json$/);
    assert.ok((role.source.line ?? 0) > 1);
  });

  it('a widened execution role fails with its construct path; the same assembly passes', async () => {
    const w = await diffFiles({ before: join(CDK, 'before.out'), after: join(CDK, 'widen.out'), accountId: '111122223333', noAudit: true });
    assert.equal(w.result, 'FAIL');
    const p = w.principals.find((x) => x.newAccess.result === 'FAIL')!;
    assert.equal(p.source.address, 'SageMakerStack/ExecutionRole/Resource');
    assert.match(p.newAccess.counterexamples[0]!.ActionNames[0]!, /^s3:(Delete|Put)Object/);
    const same = await diffFiles({ before: join(CDK, 'before.out'), after: join(CDK, 'before.out'), accountId: '111122223333', noAudit: true });
    assert.equal(same.result, 'PASS');
  });

  it('the validation plugin fails synthesis of the widened app, naming the logical id and template', () => {
    const plugin = new IamsimPolicyValidationPlugin({ before: join(CDK, 'before.out'), accountId: '111122223333' });
    const bad = plugin.validate({ templatePaths: [join(CDK, 'widen.out', 'SageMakerStack.template.json')] });
    assert.equal(bad.success, false);
    const v = bad.violations.find((x) => x.ruleName === 'iamsim-new-access')!;
    assert.equal(v.violatingResources[0]!.resourceLogicalId, 'ExecutionRole605A040B');
    assert.match(v.violatingResources[0]!.templatePath, /widen\.out/);
    assert.match(v.description, /s3:(Delete|Put)Object/);
    const good = plugin.validate({ templatePaths: [join(CDK, 'before.out', 'SageMakerStack.template.json')] });
    assert.equal(good.success, true, JSON.stringify(good.violations));
  });
});
