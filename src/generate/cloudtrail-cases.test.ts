/**
 * Data-driven cases for generate from-cloudtrail: test/cases/generate/
 * cloudtrail.json. Each case reads a fixture of test/fixtures/cloudtrail/
 * (events printed in the AWS guides, see its README) or inline events,
 * optionally wrapped the way `aws cloudtrail lookup-events` or EventBridge
 * deliver them, and expects exactly the listed statements and, when given,
 * these diagnostic codes (and not those).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateFromCloudTrail } from './cloudtrail.js';
import type { ResourceMode } from './generalize.js';

interface Case {
  readonly name: string;
  readonly source: string;
  readonly fixture?: string;
  readonly events?: readonly Record<string, unknown>[];
  readonly wrap?: 'lookup-events' | 'eventbridge';
  readonly options?: { readonly resources?: ResourceMode };
  readonly expect: { readonly statements: unknown; readonly diagnostics?: readonly string[]; readonly notDiagnostics?: readonly string[] };
}

const cases = JSON.parse(readFileSync(new URL('../../../test/cases/generate/cloudtrail.json', import.meta.url), 'utf8')) as { cases: Case[] };
const fixtures = new URL('../../../test/fixtures/cloudtrail/', import.meta.url);

function records(c: Case): Record<string, unknown>[] {
  if (c.events) return [...c.events];
  const text = readFileSync(new URL(c.fixture ?? '', fixtures), 'utf8');
  const value = JSON.parse(text) as { Records?: Record<string, unknown>[] };
  return value.Records ?? [value];
}

/** The input text: a log file, lookup-events output (CloudTrailEvent strings), or EventBridge events as JSON Lines. */
function input(c: Case): string {
  if (c.fixture && !c.wrap) return readFileSync(new URL(c.fixture, fixtures), 'utf8');
  const recs = records(c);
  if (c.wrap === 'lookup-events') {
    return JSON.stringify({ Events: recs.map((r, i) => ({ EventId: `e-${i}`, EventName: r['eventName'], CloudTrailEvent: JSON.stringify(r) })) }, null, 2);
  }
  if (c.wrap === 'eventbridge') {
    return recs
      .map((r, i) => {
        const { recipientAccountId, awsRegion, ...detail } = r;
        const account = recipientAccountId ?? (r['userIdentity'] as { accountId?: string } | undefined)?.accountId;
        return JSON.stringify({
          version: '0',
          id: `id-${i}`,
          'detail-type': 'AWS API Call via CloudTrail',
          source: `aws.${String(r['eventSource']).split('.')[0]}`,
          account,
          time: r['eventTime'],
          region: awsRegion,
          resources: [],
          detail,
        });
      })
      .join('\n');
  }
  return JSON.stringify({ Records: recs });
}

for (const c of cases.cases) {
  test(`from-cloudtrail: ${c.name}`, () => {
    const r = generateFromCloudTrail(input(c), c.options ?? {}, c.fixture ?? 'events.json');
    const codes = r.diagnostics.map((d) => d.code);
    const detail = `${c.source}\n${JSON.stringify(r.policy, null, 2)}\n${r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n')}`;
    assert.deepEqual(r.policy?.Statement ?? null, c.expect.statements, detail);
    for (const code of c.expect.diagnostics ?? []) assert.ok(codes.includes(code), `missing ${code}\n${detail}`);
    for (const code of c.expect.notDiagnostics ?? []) assert.ok(!codes.includes(code), `unexpected ${code}\n${detail}`);
    assert.ok(!JSON.stringify(r.policy ?? {}).includes('iam:PassRole') || !(c.fixture ?? '').startsWith('sts-'), 'an STS event never yields iam:PassRole');
  });
}
