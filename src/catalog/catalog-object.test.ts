import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicy } from '../analyze/lint.js';
import { Iamsim } from '../engine/iamsim.js';
import { readSimulateInputValue } from '../simulate/input.js';
import { validateActionNames } from '../simulate/validate.js';
import { canonicalActionName, expandActionPattern, getAction, resourceTypeOfArn, resourceTypesForAction } from './actions.js';
import { arnPatternCanMatchFormat } from './arn.js';
import { Catalog } from './catalog-object.js';
import type { ActionInfo } from './types.js';

function entries(c: Catalog, name: string): number {
  const s = c.cacheStats().find((x) => x.cache === name);
  assert.ok(s, name);
  return s.entries;
}

/** A catalog that counts the lookups it is asked: what a test injects to see that a caller uses it. */
class CountingCatalog extends Catalog {
  readonly asked: string[] = [];
  override getAction(action: string): ActionInfo | undefined {
    this.asked.push(action);
    return super.getAction(action);
  }
}

test('a Catalog answers as the catalog functions do, for known, unknown and oddly spelled names', () => {
  const c = new Catalog();
  for (const name of ['s3:GetObject', 'SageMaker:createEndpoint', 's3:NoSuchAction', 'nosuchservice:Get', 'no-colon', ':x', 's3:']) {
    assert.deepEqual(c.getAction(name), getAction(name), name);
    assert.deepEqual(c.getAction(name), getAction(name), `${name} (remembered)`);
    assert.equal(c.canonicalActionName(name), canonicalActionName(name), name);
    assert.deepEqual(c.resourceTypesForAction(name), resourceTypesForAction(name), name);
  }
  for (const p of ['s3:Get*', 'iam:pass?ole', 'sagemaker:CreateEndpoint', 's3:Nothing*', 'ec2:*']) {
    assert.deepEqual(c.expandActionPattern(p), expandActionPattern(p), p);
    assert.equal(c.expandActionPattern(p), c.expandActionPattern(p), `${p}: the expansion is remembered`);
    assert.ok(Object.isFrozen(c.expandActionPattern(p)), `${p}: callers cannot change a remembered expansion`);
  }
  const format = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
  for (const r of ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket', 'arn:aws:ec2:*:*:instance/*', '*', 'arn:aws:s3:::${aws:username}/x']) {
    assert.equal(c.arnPatternCanMatchFormat(r, format), arnPatternCanMatchFormat(r, format), r);
    assert.deepEqual(c.resourceTypeOfArn('s3:GetObject', r), resourceTypeOfArn('s3:GetObject', r), r);
  }
});

test("a Catalog's memos are bounded by its sizes and reported", () => {
  const c = new Catalog({ actions: 4, expansions: 2, resourcePatterns: 2 });
  for (const a of ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'iam:PassRole', 'iam:GetRole', 'sts:AssumeRole']) c.getAction(a);
  assert.ok(entries(c, 'catalog-actions') <= 4);
  for (const p of ['s3:Get*', 's3:Put*', 'iam:*']) c.expandActionPattern(p);
  assert.ok(entries(c, 'catalog-expansions') <= 2);
  assert.deepEqual(
    c.cacheStats().map((s) => [s.cache, s.capacity]),
    [
      ['catalog-actions', 4],
      ['catalog-expansions', 2],
      ['catalog-resource-patterns', 2],
    ],
  );
  assert.throws(() => new Catalog({ actions: 1 }), RangeError);
});

test('the engine owns one catalog, reports its memos and takes an injected one; two engines share none', () => {
  const injected = new Catalog();
  const engine = new Iamsim({ catalog: injected });
  assert.equal(engine.catalog, injected);
  const a = new Iamsim();
  const b = new Iamsim({ catalog: { actions: 16 } });
  a.catalog.getAction('s3:GetObject');
  const stat = (e: Iamsim, name: string) => e.cacheStats().find((s) => s.cache === name);
  assert.equal(stat(a, 'catalog-actions')?.entries, 1);
  assert.equal(stat(b, 'catalog-actions')?.entries, 0);
  assert.equal(stat(b, 'catalog-actions')?.capacity, 16);
});

test('callers ask the catalog they are given: request validation, simulate input, lint', () => {
  const c = new CountingCatalog();
  const problems: string[] = [];
  validateActionNames(['s3:GetObject', 's3:GetObjekt'], (_i, m) => problems.push(m), c);
  assert.deepEqual(c.asked, ['s3:GetObject', 's3:GetObjekt']);
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? '', /unknown action "s3:GetObjekt"/);

  const d = new CountingCatalog();
  const res = readSimulateInputValue(
    {
      PolicyInputList: [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] })],
      ActionNames: ['iam:PassRole'],
    },
    { catalog: d },
  );
  assert.ok(res.request);
  assert.deepEqual(d.asked, ['iam:PassRole']);

  const e = new CountingCatalog();
  const findings = lintPolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObjekt', Resource: '*' }] }), {
    type: 'identity',
    catalog: e,
  });
  assert.ok(e.asked.includes('s3:GetObjekt'), 'the lint rules asked the injected catalog');
  assert.ok(findings.some((f) => f.issueCode === 'INVALID_ACTION'));
});
