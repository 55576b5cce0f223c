import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, evaluateBlock } from './clause-builder.js';
import { parseDate } from './date.js';

const m = (block: Parameters<typeof evaluateBlock>[0], c: Record<string, string>): boolean => evaluateBlock(block, ctx(c)).matched;

test('parseDate: W3C ISO 8601 forms and epoch seconds', () => {
  const t = Date.UTC(2020, 0, 1, 0, 0, 1);
  assert.equal(parseDate('2020-01-01T00:00:01Z'), t);
  assert.equal(parseDate('2020-01-01T00:00:01.000Z'), t);
  assert.equal(parseDate('2020-01-01T01:00:01+01:00'), t);
  assert.equal(parseDate('2019-12-31T23:00:01-0100'), t);
  assert.equal(parseDate(String(t / 1000)), t);
  assert.equal(parseDate('2020-01-01'), Date.UTC(2020, 0, 1));
  assert.equal(parseDate('2020-02'), Date.UTC(2020, 1, 1));
  assert.equal(parseDate('2020-01-01T10:30Z'), Date.UTC(2020, 0, 1, 10, 30));
  assert.equal(parseDate('2020-01-01T00:00:00.5Z'), Date.UTC(2020, 0, 1) + 500);
  for (const bad of ['', '2020-13-01', '2021-02-29', '2020-01-01T25:00:00Z', '2020-01-01T00:00:00X', 'yesterday', '2020/01/01']) {
    assert.ok(Number.isNaN(parseDate(bad)), bad);
  }
  assert.equal(parseDate('2020-02-29'), Date.UTC(2020, 1, 29));
});

// reference_policies_elements_condition_operators.md, "Date condition operators".
test('date comparisons across formats', () => {
  const k = 'aws:TokenIssueTime';
  assert.equal(m({ DateGreaterThan: { [k]: '2020-01-01T00:00:01Z' } }, { [k]: '2020-06-01T00:00:00Z' }), true);
  assert.equal(m({ DateGreaterThan: { [k]: '2020-01-01T00:00:01Z' } }, { [k]: '2019-06-01T00:00:00Z' }), false);
  assert.equal(m({ DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '1577836799' }), true);
  assert.equal(m({ DateEquals: { 'aws:EpochTime': '1577836800' } }, { 'aws:EpochTime': '2020-01-01T00:00:00Z' }), true);
  assert.equal(m({ DateNotEquals: { k: '2020-01-01' } }, { k: '2020-01-01T00:00:00Z' }), false);
  assert.equal(m({ DateLessThanEquals: { k: '2020-01-01' } }, { k: '2020-01-01T00:00:00+00:00' }), true);
  assert.equal(m({ DateGreaterThanEquals: { k: '2020-01-01' } }, { k: 'garbage' }), false);
  assert.match(evaluateBlock({ DateEquals: { k: 'tomorrow' } }, ctx({ k: '1' })).error ?? '', /ISO 8601/);
});
