/**
 * Runs the data-driven corpus in test/cases/reason/*.json (each case cites
 * the AWS page its semantics come from). Every FAIL's counterexample is
 * replayed through `iamsim simulate`'s own reader and runner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { checkAccessNotGranted, checkNoNewAccess, type CheckResult } from './checks.js';
import { checkNoPublicAccess } from './public.js';
import { simulateDecision } from './test-support.test.js';

interface CaseJson {
  readonly name: string;
  readonly source: string;
  readonly check: 'no-new-access' | 'access-not-granted' | 'no-public-access';
  readonly version?: string;
  readonly policyType?: string;
  readonly existing?: unknown[];
  readonly new?: unknown[];
  readonly policy?: unknown[];
  readonly access?: { actions?: string[]; resources?: string[] }[];
  readonly resourceType?: string;
  readonly expect: 'PASS' | 'FAIL' | 'UNKNOWN';
  readonly reasons?: readonly number[];
  /** Whole documents (AWS's samples) instead of `version` + statements. */
  readonly existingDocument?: unknown;
  readonly newDocument?: unknown;
  /** `any`: the check runs with `--resource-types any` (AWS's reading). */
  readonly resourceTypes?: 'any';
}

const doc = (version: string | undefined, statements: unknown[] | undefined, whole?: unknown): string =>
  JSON.stringify(whole ?? { Version: version, Statement: statements ?? [] });

async function run(c: CaseJson): Promise<CheckResult> {
  if (c.check === 'no-new-access') {
    return checkNoNewAccess({
      existingPolicyDocument: doc(c.version, c.existing, c.existingDocument),
      newPolicyDocument: doc(c.version, c.new, c.newDocument),
      policyType: c.policyType ?? '',
      ...(c.resourceTypes !== undefined ? { resourceTypes: c.resourceTypes } : {}),
    });
  }
  if (c.check === 'access-not-granted') {
    return checkAccessNotGranted({ policyDocument: doc(c.version, c.policy), access: c.access ?? [], policyType: c.policyType ?? '' });
  }
  return checkNoPublicAccess({ policyDocument: doc(c.version, c.policy), resourceType: c.resourceType ?? '' });
}

function replay(c: CaseJson, r: CheckResult): void {
  const ce = r.counterexample;
  assert.ok(ce, 'a FAIL carries a counterexample');
  const resource = c.check === 'no-public-access' || c.policyType === 'RESOURCE_POLICY';
  if (c.check === 'no-new-access') {
    assert.equal(simulateDecision(ce, doc(c.version, c.new, c.newDocument), resource), 'allowed', 'the new policy allows the counterexample');
    assert.notEqual(simulateDecision(ce, doc(c.version, c.existing, c.existingDocument), resource), 'allowed', 'the existing policy does not');
  } else {
    assert.equal(simulateDecision(ce, doc(c.version, c.policy), resource), 'allowed', 'the policy allows the counterexample');
  }
}

// Compiled file: dist/src/reason/cases.test.js → repo root is three levels up.
const dir = new URL('../../../test/cases/reason/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the reason corpus exists', () => {
  assert.ok(files.length >= 5, `found ${files.length} case files`);
});

for (const file of files) {
  const cases = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as CaseJson[];
  test(`reason corpus: ${file}`, async (t) => {
    for (const c of cases) {
      await t.test(c.name, async () => {
        assert.match(c.source, /^https:\/\//, 'every case cites its source');
        const r = await run(c);
        assert.equal(r.result, c.expect, `${r.message} ${JSON.stringify(r.unknownReasons ?? r.counterexample ?? '')}`);
        if (r.result === 'FAIL') replay(c, r);
        if (r.result === 'UNKNOWN') assert.ok((r.unknownReasons ?? []).length > 0, 'UNKNOWN says why');
        if (c.reasons !== undefined)
          assert.deepEqual(
            r.reasons.map((x) => x.statementIndex),
            c.reasons,
          );
      });
    }
  });
}
