/**
 * GetContextKeysFor*Policy: every key a Condition references, once, in order
 * (IAM API reference: GetContextKeysForCustomPolicy), with the ContextKeyType a
 * simulation should give it: the Service Authorization Reference's type, else
 * the operators' family (reference_policies_elements_condition_operators).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from '../policy/parse.js';
import { contextKeysOf, typedContextKeysOf } from './context-keys.js';

const doc = (condition: object): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: condition }] });

function policy(text: string) {
  const p = parsePolicy(text, { type: 'identity' }).policy;
  assert.ok(p);
  return p;
}

describe('typed context keys', () => {
  it('lists each key once, case-insensitively, first spelling kept, in order of appearance', () => {
    const a = policy(doc({ StringEquals: { 'aws:RequestTag/Team': 'ml', 's3:prefix': 'home/' }, Bool: { 'aws:SecureTransport': 'true' } }));
    const b = policy(doc({ StringLike: { 'AWS:REQUESTTAG/team': 'm*' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }));
    assert.deepEqual(contextKeysOf([a, b]), ['aws:RequestTag/Team', 's3:prefix', 'aws:SecureTransport', 'aws:SourceIp']);
  });

  const cases: [string, object, string, string, string][] = [
    ['a global Bool key: the catalog says Bool', { Bool: { 'aws:SecureTransport': 'true' } }, 'aws:SecureTransport', 'boolean', 'catalog'],
    ['a multivalued global key', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } }, 'aws:TagKeys', 'stringList', 'catalog'],
    ['an ARN key is a string', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/x' } }, 'aws:PrincipalArn', 'string', 'catalog'],
    ['an IP key', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, 'aws:SourceIp', 'ip', 'catalog'],
    ['a date key', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, 'aws:CurrentTime', 'date', 'catalog'],
    ['a key no service lists: its operator', { NumericLessThan: { 'example:Size': '5' } }, 'example:Size', 'numeric', 'operator'],
    [
      'a key no service lists, under a set operator: a list',
      { 'ForAllValues:StringEquals': { 'example:Names': ['a'] } },
      'example:Names',
      'stringList',
      'operator',
    ],
    ['a key only tested with Null: string', { Null: { 'example:Thing': 'true' } }, 'example:Thing', 'string', 'operator'],
  ];
  for (const [name, condition, key, type, from] of cases) {
    it(name, () => {
      assert.deepEqual(typedContextKeysOf([policy(doc(condition))]), [{ name: key, type, typeFrom: from }]);
    });
  }
});
