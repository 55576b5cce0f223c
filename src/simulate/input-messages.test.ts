/**
 * Input errors of a simulate request are values: AWS's wording in `message`
 * (member names as AWS spells them, unchanged for the CLI and the APIs) and
 * the template with its parameters, from which the console words its own
 * controls (web/plain.ts) without searching the prose for member names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMessage } from '../diagnostics/message.js';
import { readSimulateInputValue } from './input.js';
import { CALLER_LISTS_TEMPLATE } from './messages.js';

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });

test('simulate input errors carry their template and parameters beside the AWS wording', () => {
  const r = readSimulateInputValue({
    PolicyInputList: [POLICY],
    ActionNames: ['s3:GetObject', 's3:GetObjekt'],
    CallerArn: 'events.amazonaws.com',
    ResourceOwner: 7,
    ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ipAddress', ContextKeyValues: ['10.0.0.1'] }],
    MaxItems: 0,
  });
  const byPath = new Map(r.diagnostics.map((d) => [d.path.join('.'), d]));
  const caller = byPath.get('PolicyInputList');
  assert.equal(
    caller?.message,
    'PolicyInputList has no effect when CallerArn is "events.amazonaws.com": a service principal has no identity-based policies; give an empty list or an IAM CallerArn',
  );
  assert.equal(caller?.template, CALLER_LISTS_TEMPLATE);
  assert.deepEqual(caller?.params, {
    field: 'PolicyInputList',
    caller: 'CallerArn',
    callerArn: 'events.amazonaws.com',
    callerQuoted: '"events.amazonaws.com"',
    kind: 'service principal',
  });
  assert.equal(byPath.get('ResourceOwner')?.message, 'ResourceOwner must be a string');
  assert.equal(byPath.get('ActionNames.1')?.template, 'unknown action {name}{suggestion}');
  assert.equal(byPath.get('ContextEntries.0.ContextKeyType')?.params?.['member'], 'ContextKeyType');
  assert.equal(byPath.get('MaxItems')?.message, 'MaxItems must be an integer from 1 to 1000');
  // Every error of the reader is coded, and its message is its template worded with AWS's names.
  for (const d of r.diagnostics) {
    assert.ok(d.template !== undefined && d.params !== undefined, d.message);
    assert.equal(renderMessage({ template: d.template, params: d.params }), d.message);
  }
  assert.equal(r.diagnostics.length, 5);
});
