/** SARIF 2.1.0 shape expected by code-scanning UIs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicy } from './lint.js';
import { ISSUE_CODES } from './registry.js';
import { toSarif } from './sarif.js';

interface SarifLog {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; helpUri: string; defaultConfiguration: { level: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } };
        logicalLocations: { fullyQualifiedName: string }[];
      }[];
    }[];
  }[];
}

const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*" },
    { "Effect": "Allow", "Action": ["s3:GetObjekt"], "Resource": "arn:aws:s3:::b/*" }
  ]
}`;

test('toSarif produces a 2.1.0 log with rules and located results', () => {
  const findings = lintPolicy(POLICY, { type: 'identity', file: 'policies/p.json' });
  const log = JSON.parse(JSON.stringify(toSarif(findings, { toolVersion: '1.2.3' }))) as SarifLog;
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  assert.ok(run);
  assert.equal(run.tool.driver.name, 'iamsim');
  assert.deepEqual(
    run.tool.driver.rules.map((r) => r.id),
    [...ISSUE_CODES],
  );
  for (const r of run.tool.driver.rules) {
    assert.ok(r.shortDescription.text.length > 0);
    assert.equal(r.helpUri, `docs/lint/${r.id}.md`);
    assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration.level));
  }
  assert.equal(run.results.length, findings.length);
  const pass = run.results.find((r) => r.ruleId === 'PASS_ROLE_WITH_STAR_IN_RESOURCE');
  assert.ok(pass);
  assert.equal(pass.level, 'warning');
  assert.equal(run.tool.driver.rules[pass.ruleIndex]?.id, pass.ruleId);
  const loc = pass.locations[0];
  assert.ok(loc);
  assert.equal(loc.physicalLocation.artifactLocation.uri, 'policies/p.json');
  assert.deepEqual(loc.physicalLocation.region, { startLine: 4, startColumn: 64, endLine: 4, endColumn: 67 });
  assert.equal(loc.logicalLocations[0]?.fullyQualifiedName, 'Statement[0].Resource');
  const invalid = run.results.find((r) => r.ruleId === 'INVALID_ACTION');
  // IAM accepts an unknown action (the entry grants nothing): a warning, not an error.
  assert.equal(invalid?.level, 'warning');
  assert.equal(invalid?.locations[0]?.logicalLocations[0]?.fullyQualifiedName, 'Statement[1].Action[0]');
});
