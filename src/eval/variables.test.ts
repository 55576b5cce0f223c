import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasPolicyVariables, parseTemplate, resolveTemplate, variablesEnabled } from './variables.js';
import { makeContext } from './request.js';

test('parseTemplate splits text, variables, defaults and escapes', () => {
  assert.deepEqual(parseTemplate('home/${aws:username}/*'), [
    { kind: 'text', text: 'home/' },
    { kind: 'variable', key: 'aws:username', keyLower: 'aws:username', raw: '${aws:username}' },
    { kind: 'text', text: '/*' },
  ]);
  assert.deepEqual(parseTemplate("b-${aws:PrincipalTag/team, 'company-wide'}"), [
    { kind: 'text', text: 'b-' },
    {
      kind: 'variable',
      key: 'aws:PrincipalTag/team',
      keyLower: 'aws:principaltag/team',
      raw: "${aws:PrincipalTag/team, 'company-wide'}",
      defaultValue: 'company-wide',
    },
  ]);
  assert.deepEqual(parseTemplate('${*}${?}${$}'), [
    { kind: 'escape', text: '*' },
    { kind: 'escape', text: '?' },
    { kind: 'escape', text: '$' },
  ]);
});

test('malformed variables stay text', () => {
  assert.deepEqual(parseTemplate('a${b'), [{ kind: 'text', text: 'a${b' }]);
  assert.deepEqual(parseTemplate('${}'), [{ kind: 'text', text: '${}' }]);
  assert.deepEqual(parseTemplate("${k, 'x}"), [{ kind: 'text', text: "${k, 'x}" }]);
  assert.deepEqual(parseTemplate('$ {x}'), [{ kind: 'text', text: '$ {x}' }]);
  assert.equal(hasPolicyVariables('plain*'), false);
  assert.equal(hasPolicyVariables('x/${aws:userid}'), true);
  assert.equal(hasPolicyVariables('${*}'), true);
});

test('resolution: case-insensitive keys, defaults, multivalued keys unusable', () => {
  const context = makeContext([
    { key: 'aws:username', type: 'string', values: ['bob'] },
    { key: 'aws:TagKeys', type: 'stringList', values: ['a'] },
  ]);
  assert.equal(resolveTemplate(parseTemplate('${AWS:UserName}/x'), context), 'bob/x');
  assert.equal(resolveTemplate(parseTemplate('${aws:userid}'), context), undefined);
  assert.equal(resolveTemplate(parseTemplate("${aws:userid, 'none'}"), context), 'none');
  assert.equal(resolveTemplate(parseTemplate('${aws:TagKeys}'), context), undefined);
  assert.equal(resolveTemplate(parseTemplate('${*}'), context), '*');
});

test('variables only in 2012-10-17', () => {
  assert.equal(variablesEnabled('2012-10-17'), true);
  assert.equal(variablesEnabled('2008-10-17'), false);
  assert.equal(variablesEnabled(undefined), false);
});
