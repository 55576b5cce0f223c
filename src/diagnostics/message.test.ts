import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coded, renderMessage, said } from './message.js';

test('a coded message is worded from its template: parameters as given, members as each surface names them', () => {
  const m = coded('{f:field} has no effect when {f:caller} is {arn}', { field: 'PolicyInputList', caller: 'CallerArn', arn: '"events.amazonaws.com"' });
  assert.equal(m.message, 'PolicyInputList has no effect when CallerArn is "events.amazonaws.com"', "AWS's wording: member names as AWS spells them");
  const console = renderMessage(m, (name) => (name === 'CallerArn' ? 'the caller' : `the ${name}`));
  assert.equal(console, 'the PolicyInputList has no effect when the caller is "events.amazonaws.com"');
  // A placeholder without a parameter, and braces that are no placeholder, stay as written.
  assert.equal(renderMessage({ template: 'a list of {ContextKeyName, X} and {missing}', params: {} }), 'a list of {ContextKeyName, X} and {missing}');
  assert.equal(renderMessage({ template: 'unclosed {f:field', params: { field: 'F' } }), 'unclosed {f:field');
  assert.equal(renderMessage({ template: '{n} of {n}', params: { n: 3 } }), '3 of 3');
  const [message, value] = said('{f:field} must be a string', { field: 'CallerArn' });
  assert.equal(message, 'CallerArn must be a string');
  assert.deepEqual(value, { template: '{f:field} must be a string', params: { field: 'CallerArn' } });
});
