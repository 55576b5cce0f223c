import { test } from 'node:test';
import assert from 'node:assert/strict';
import { POLICY_TYPES } from './model.js';
import { cap, POLICY_TYPE_RULES, rulesFor, withArticle } from './rules.js';
import { PARSE_CODES } from './codes.js';

test('every policy type has rules and a label', () => {
  for (const type of POLICY_TYPES) {
    const rules = rulesFor(type);
    assert.ok(rules.label.length > 0, type);
    assert.ok(rules.effects.length > 0, type);
  }
  assert.deepEqual(Object.keys(POLICY_TYPE_RULES).sort(), [...POLICY_TYPES].sort());
});

test('documented per-type facts', () => {
  assert.equal(rulesFor('identity').principal, 'forbidden');
  assert.equal(rulesFor('trust').principal, 'required');
  assert.equal(rulesFor('trust').notPrincipal, 'forbidden');
  assert.equal(rulesFor('resource').notPrincipal, 'allowed');
  assert.equal(rulesFor('scp').principal, 'forbidden');
  assert.equal(rulesFor('scp').notAction, 'allowed');
  assert.equal(rulesFor('rcp').principalWildcardOnly, true);
  assert.equal(rulesFor('rcp').notAction, 'forbidden');
  assert.deepEqual(rulesFor('rcp').effects, ['Deny']);
  assert.equal(rulesFor('rcp').version, 'required');
});

test('labels read well in messages', () => {
  assert.equal(withArticle(rulesFor('identity')), 'an identity-based policy');
  assert.equal(withArticle(rulesFor('vpc-endpoint')), 'a VPC endpoint policy');
  assert.equal(cap(withArticle(rulesFor('rcp'))), 'A resource control policy');
});

test('PARSE_CODES: UPPER_SNAKE_CASE keys with one-line descriptions', () => {
  for (const [code, description] of Object.entries(PARSE_CODES)) {
    assert.match(code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    assert.ok(description.length > 0 && !description.includes('\n'), code);
  }
});
