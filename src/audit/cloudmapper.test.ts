/**
 * cloudmapper's demo account (test/fixtures/cloudmapper-demo, BSD-3): the
 * import, the audit, lint --account and who-can assume on it, compared with
 * the results judged by hand in test/cases/audit/cloudmapper-demo.json
 * (each with the reason it is right).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Universe } from '../account/query.js';
import { lintModel } from '../analyze/model-lint.js';
import { whoCanAssume } from '../authz/queries.js';
import { loadUniverse } from '../authz/universe.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { runAudit, type AuditedPrincipal, type AuditReport } from './index.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/cloudmapper-demo/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => join(DIR, f));

interface JudgedCase {
  readonly kind: string;
  readonly [field: string]: unknown;
}
interface PrincipalCase {
  arn: string;
  isAdmin: boolean;
  allowedEverything: boolean;
  canEscalate: boolean;
  firstPath?: [string, string];
  risks?: Record<string, string[]>;
  noRisks?: string[];
}
interface ExposureCase {
  resource: string;
  audience: string;
  actions: string[];
}
interface LintCase {
  file: string;
  line: number;
  code: string;
}

const cases = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../../../test/cases/audit/cloudmapper-demo.json', import.meta.url)), 'utf8')) as {
    cases: JudgedCase[];
  }
).cases;
const ofKind = <T>(kind: string): T[] => cases.filter((c) => c.kind === kind) as unknown as T[];
const judged = {
  import: {
    warnings: ofKind<{ code: string; line: number }>('import-warning'),
    resourcePolicies: ofKind<{ resourcePolicies: string[] }>('import-resources')[0]?.resourcePolicies ?? [],
  },
  principals: ofKind<PrincipalCase>('principal'),
  exposures: ofKind<ExposureCase>('exposure'),
  notExposed: ofKind<{ resource: string }>('not-exposed'),
  lint: ofKind<LintCase>('lint'),
  lintNot: ofKind<{ code: string }>('lint-not'),
  whoCanAssume: ofKind<{ role: string; allowed: string[] }>('who-can-assume')[0] ?? { role: '', allowed: [] },
};

let universe: Universe | undefined;
let diagnostics: readonly Diagnostic[] = [];
let report: AuditReport | undefined;
before(async () => {
  const loaded = loadUniverse({ accountFiles: FILES });
  universe = loaded.universe;
  diagnostics = loaded.diagnostics;
  assert.ok(universe, diagnostics.map((d) => d.message).join('; '));
  report = await runAudit(universe, { at: new Date('2026-01-01T00:00:00Z') });
});

test('cloudmapper demo: imports with one warning per edited entity ARN, and every resource policy', () => {
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const warned = diagnostics.filter((d) => d.code === 'ENTITY_ARN_ACCOUNT').map((d) => ({ code: d.code, line: d.line }));
  assert.deepEqual(
    warned.sort((a, b) => a.line - b.line),
    judged.import.warnings.map((w) => ({ code: w.code, line: w.line })),
  );
  assert.deepEqual([...(universe?.resourcePolicies.keys() ?? [])].sort(), [...judged.import.resourcePolicies].sort());
  const users = universe?.accounts.get('123456789012')?.users.map((u) => u.arn);
  assert.deepEqual(users?.sort(), ['arn:aws:iam::123456789012:user/USER', 'arn:aws:iam::123456789012:user/USER_WITH_BAD_INLINE_POLICY']);
});

test('cloudmapper demo: audit principals as judged', () => {
  assert.equal(report?.principals.length, judged.principals.length);
  for (const want of judged.principals) {
    const got: AuditedPrincipal | undefined = report?.principals.find((p) => p.arn === want.arn);
    assert.ok(got, want.arn);
    assert.deepEqual([got.isAdmin, got.allowedEverything, got.canEscalate], [want.isAdmin, want.allowedEverything, want.canEscalate], want.arn);
    if (want.firstPath) assert.deepEqual([got.paths[0]?.technique, got.paths[0]?.target], want.firstPath, want.arn);
    for (const [category, actions] of Object.entries(want.risks ?? {})) {
      const risk = got.risks.find((r) => r.category === category);
      assert.ok(risk, `${want.arn}: ${category}`);
      for (const a of actions) assert.ok(risk.actions.includes(a) || risk.count > risk.actions.length, `${want.arn}: ${category} ${a}`);
    }
    for (const category of want.noRisks ?? []) assert.ok(!got.risks.some((r) => r.category === category), `${want.arn}: no ${category}`);
  }
});

test('cloudmapper demo: public access exactly where the policies open it', () => {
  const got = (report?.exposures ?? []).map((e) => ({ resource: e.resource, audience: e.audience, actions: [...e.actions] }));
  const want = judged.exposures.map((e) => ({ resource: e.resource, audience: e.audience, actions: e.actions }));
  const key = (e: { resource: string }): string => e.resource;
  assert.deepEqual(
    got.sort((a, b) => key(a).localeCompare(key(b))),
    want.sort((a, b) => key(a).localeCompare(key(b))),
  );
  for (const n of judged.notExposed) assert.ok(!got.some((e) => e.resource === n.resource), n.resource);
  const codes = (report?.findings ?? []).filter((f) => f.code === 'PUBLIC_ACCESS').map((f) => f.subject);
  assert.equal(codes.length, judged.exposures.length);
});

test('cloudmapper demo: lint --account findings as judged', () => {
  assert.ok(universe);
  const texts = new Map(FILES.map((f) => [f, readFileSync(f, 'utf8')]));
  const got = lintModel(universe, { readFile: (f) => texts.get(f) }).map((f) => ({
    file: basename(f.file ?? ''),
    line: f.span.start.line,
    code: f.issueCode,
  }));
  const order = (a: { file: string; line: number; code: string }, b: typeof a): number =>
    a.file.localeCompare(b.file) || a.line - b.line || a.code.localeCompare(b.code);
  assert.deepEqual(got.sort(order), judged.lint.map((f) => ({ file: f.file, line: f.line, code: f.code })).sort(order));
  for (const n of judged.lintNot) assert.ok(!got.some((f) => f.code === n.code), n.code);
});

test('cloudmapper demo: who-can assume the role trusting {"AWS": "*"}', () => {
  assert.ok(universe);
  const r = whoCanAssume(universe, judged.whoCanAssume.role, { deriveContext: true });
  assert.ok(r);
  assert.deepEqual(r.allowed.map((d) => d.principal).sort(), [...judged.whoCanAssume.allowed].sort());
  assert.deepEqual(r.conditional, []);
});
