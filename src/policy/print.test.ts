import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Policy, Statement } from './model.js';
import { parsePolicy } from './parse.js';
import { policyToJson, printPolicy } from './print.js';

/** The model without spans, for comparing a policy with its re-parsed print. */
function shape(policy: Policy | undefined): unknown {
  return JSON.parse(JSON.stringify(policy, (key, value: unknown) => (key === 'span' || key === 'spans' || key === 'name' ? undefined : value)));
}

test('policyToJson: canonical element order, single values as strings, grouped conditions', () => {
  const text = `{"Statement": {"Condition": {"StringEquals": {"a:b": ["x"]}, "Bool": {"aws:SecureTransport": false}},
    "Resource": ["*"], "Action": ["s3:GetObject", "s3:PutObject"], "Principal": {"Service": "x.amazonaws.com", "AWS": ["1", "2"]},
    "Effect": "Allow", "Sid": "S1"}, "Id": "i", "Version": "2012-10-17"}`;
  const { policy } = parsePolicy(text, { type: 'resource' });
  assert.ok(policy);
  const json = policyToJson(policy);
  assert.equal(
    JSON.stringify(json),
    JSON.stringify({
      Version: '2012-10-17',
      Id: 'i',
      Statement: [
        {
          Sid: 'S1',
          Effect: 'Allow',
          Principal: { AWS: ['1', '2'], Service: 'x.amazonaws.com' },
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: '*',
          Condition: { StringEquals: { 'a:b': 'x' }, Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    }),
  );
});

test('printPolicy indents and omits absent elements; wildcard principal prints as "*"', () => {
  const { policy } = parsePolicy('{"Statement":[{"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:*","NotResource":"arn:aws:s3:::b"}]}', {
    type: 'resource',
  });
  assert.ok(policy);
  assert.equal(
    printPolicy(policy, 1),
    '{\n "Statement": [\n  {\n   "Effect": "Deny",\n   "NotPrincipal": "*",\n   "NotAction": "s3:*",\n   "NotResource": "arn:aws:s3:::b"\n  }\n ]\n}',
  );
  assert.equal(printPolicy(policy), JSON.stringify(policyToJson(policy), null, 2));
});

const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/);
const action = fc.oneof(
  fc.constant('*'),
  fc.tuple(fc.constantFrom('s3', 'ec2', 'iam'), word).map(([s, a]) => `${s}:${a}`),
);
const resource = fc.oneof(
  fc.constant('*'),
  word.map((w) => `arn:aws:s3:::${w}`),
);
const values = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(arb, { minLength: 1, maxLength: 3 });
const condition = fc.record({
  operator: fc.constantFrom('StringEquals', 'ForAnyValue:StringLike', 'NumericLessThanIfExists', 'Bool', 'Null'),
  key: word.map((w) => `aws:${w}`),
  values: values(word),
});
const statement = fc.record({
  sid: fc.option(word, { nil: undefined }),
  effect: fc.constantFrom('Allow', 'Deny'),
  actions: values(action),
  negateAction: fc.boolean(),
  resources: values(resource),
  conditions: fc.uniqueArray(condition, { maxLength: 3, selector: (c) => `${c.operator} ${c.key}` }),
});

test('round trip: parse(print(parse(x))) has the same model (property)', () => {
  fc.assert(
    fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), (stmts) => {
      const doc = {
        Version: '2012-10-17',
        Statement: stmts.map((s, i) => {
          const out: Record<string, unknown> = { Effect: s.effect };
          if (s.sid !== undefined) out['Sid'] = `${s.sid}${i}`;
          out[s.negateAction ? 'NotAction' : 'Action'] = s.actions;
          out['Resource'] = s.resources;
          if (s.conditions.length > 0) {
            const cond: Record<string, Record<string, string[]>> = {};
            for (const c of s.conditions) {
              cond[c.operator] ??= {};
              cond[c.operator]![c.key] = c.values;
            }
            out['Condition'] = cond;
          }
          return out;
        }),
      };
      const first = parsePolicy(JSON.stringify(doc), { type: 'identity' });
      assert.deepEqual(first.diagnostics, []);
      assert.ok(first.policy);
      const second = parsePolicy(printPolicy(first.policy), { type: 'identity' });
      assert.deepEqual(second.diagnostics, []);
      assert.deepEqual(shape(second.policy), shape(first.policy));
      const statements: readonly Statement[] = second.policy?.statements ?? [];
      assert.equal(statements.length, stmts.length);
    }),
    { numRuns: 60 },
  );
});
