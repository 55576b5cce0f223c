/**
 * Runs the data-driven corpus in test/cases/iac/*.json: each case is a small
 * Terraform plan (resource changes) or a pair of CloudFormation templates,
 * with the verdict `iamsim diff` must reach, the principal and action of the
 * counterexample, the source location, and the AWS page (`source`) and the
 * Terraform or CloudFormation page (`iacSource`) its expectation comes from.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { diffFiles, type Category, type DiffReport } from './index.js';
import { plan, type Change } from './test-support.test.js';

type Verdict = 'PASS' | 'FAIL' | 'UNKNOWN';

interface Expect {
  readonly result: Verdict;
  readonly principals?: readonly { arn: string; newAccess: Verdict; action?: string; resource?: string; address?: string; line?: number }[];
  /** Principals whose effective set the change must not touch (look-alikes). */
  readonly untouched?: readonly string[];
  readonly resources?: readonly { arn: string; policy?: 'trust' | 'resource'; newAccess: Verdict; action?: string; address?: string }[];
  readonly preflight?: readonly { workload: string; before: string; after: string; step?: string }[];
  readonly unknowns?: readonly { address: string; attribute: string }[];
}

interface CaseJson {
  readonly name: string;
  readonly source?: string;
  readonly iacSource: string;
  readonly terraform?: readonly Change[];
  readonly cfnBefore?: unknown;
  readonly cfnAfter?: unknown;
  readonly accountId?: string;
  readonly failOn?: readonly Category[];
  readonly expect: Expect;
}

/** `*` in an expected action or ARN matches any run of characters. */
function like(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}

async function run(c: CaseJson): Promise<DiffReport> {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-iac-case-'));
  const write = (name: string, value: unknown): string => {
    const file = join(dir, name);
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
    return file;
  };
  const common = { accountId: c.accountId ?? '111122223333', noAudit: true, ...(c.failOn ? { failOn: c.failOn } : {}) };
  if (c.terraform) return diffFiles({ after: write('plan.json', plan(c.terraform)), ...common });
  return diffFiles({
    ...(c.cfnBefore !== undefined ? { before: write('before.template.json', c.cfnBefore) } : {}),
    after: write('after.template.json', c.cfnAfter),
    ...common,
  });
}

function check(c: CaseJson, r: DiffReport): void {
  const e = c.expect;
  const dump = JSON.stringify({ principals: r.principals, resources: r.resources, preflight: r.preflight, unknowns: r.unknowns }, null, 1);
  assert.equal(r.result, e.result, dump);
  for (const x of e.principals ?? []) {
    const p = r.principals.find((y) => y.arn === x.arn);
    assert.ok(p, `principal ${x.arn}: ${dump}`);
    assert.equal(p.newAccess.result, x.newAccess, `${x.arn}: ${dump}`);
    const ce = p.newAccess.counterexamples[0];
    if (x.action) assert.ok(ce && like(x.action, ce.ActionNames[0] ?? ''), `${ce?.ActionNames[0]} is not ${x.action}: ${dump}`);
    if (x.resource) assert.ok(ce && like(x.resource, ce.ResourceArns[0] ?? ''), `${ce?.ResourceArns[0]} is not ${x.resource}`);
    if (x.address) assert.equal(p.source.address, x.address);
    if (x.line !== undefined) assert.equal(p.source.line, x.line);
  }
  for (const arn of e.untouched ?? [])
    assert.equal(
      r.principals.find((y) => y.arn === arn),
      undefined,
      `${arn} must be untouched: ${dump}`,
    );
  for (const x of e.resources ?? []) {
    const p = r.resources.find((y) => y.arn === x.arn && (x.policy === undefined || y.policy === x.policy));
    assert.ok(p, `resource ${x.arn}: ${dump}`);
    assert.equal(p.newAccess.result, x.newAccess, dump);
    if (x.action) assert.ok(like(x.action, p.newAccess.counterexamples[0]?.ActionNames[0] ?? ''), dump);
    if (x.address) assert.equal(p.source.address, x.address);
  }
  for (const x of e.preflight ?? []) {
    const p = r.preflight.find((y) => y.workload === x.workload && y.before === x.before && y.after === x.after);
    assert.ok(p, `preflight ${x.workload} ${x.before} → ${x.after}: ${dump}`);
    if (x.step)
      assert.ok(
        p.steps.some((s) => s.name === x.step),
        dump,
      );
  }
  if (e.preflight !== undefined && e.preflight.length === 0) assert.deepEqual(r.preflight, []);
  for (const x of e.unknowns ?? []) {
    const all = [...r.unknowns, ...r.principals.flatMap((p) => p.newAccess.unknowns), ...r.resources.flatMap((p) => p.newAccess.unknowns)];
    assert.ok(
      all.some((u) => u.address === x.address && u.attribute === x.attribute),
      `unknown ${x.address} ${x.attribute}: ${dump}`,
    );
  }
}

// Compiled file: dist/src/iac/cases.test.js → repo root is three levels up.
const dir = new URL('../../../test/cases/iac/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the iac corpus exists', () => {
  assert.ok(files.length >= 3, `found ${files.length} case files`);
});

for (const file of files) {
  const data = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { source: string; cases: CaseJson[] };
  for (const c of data.cases) {
    test(`${file}: ${c.name}`, async () => {
      assert.match(
        c.iacSource,
        /^https:\/\/(registry\.terraform\.io|developer\.hashicorp\.com|docs\.aws\.amazon\.com)\//,
        'cites the Terraform or CloudFormation page',
      );
      check(c, await run(c));
    });
  }
}
