/**
 * Issue 11, "preflight --set region=": an empty region, or one outside the `aws`
 * partition the workflows build their ARNs in (arn:aws:…; the aws-cn, aws-us-gov and
 * ISO partitions have their own ARN prefix: IAM User Guide, reference_identifiers),
 * is an input error rather than requests against ARNs that cannot exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWorkflows } from './load.js';
import { resolveParameters } from './plan.js';

test('issue 11: the region parameter must be a region of the aws partition', () => {
  const wf = loadWorkflows().workflows.get('notebook-job')!;
  const codes = (region: string): string[] => resolveParameters(wf, new Map([['region', region]])).diagnostics.map((d) => `${d.code}: ${d.message}`);
  assert.deepEqual(codes('eu-west-1'), []);
  assert.match(codes('').join('\n'), /PREFLIGHT_BAD_REGION: .*empty/);
  assert.match(codes('cn-north-1').join('\n'), /PREFLIGHT_BAD_REGION: .*aws-cn/);
  assert.match(codes('us-gov-west-1').join('\n'), /aws-us-gov/);
  assert.match(codes('mars-1').join('\n'), /PREFLIGHT_BAD_REGION/);
});
