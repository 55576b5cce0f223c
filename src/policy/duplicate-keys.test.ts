/**
 * What JSON.parse would hide, and the parser must not: duplicate keys (IAM
 * rejects them; JSON.parse silently keeps the last), "__proto__" keys, and
 * numbers. The strict road (JSON.parse) and the tree road (jsonc-parser, for
 * documentation-style text) must agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { hasErrors, type JsonPath } from '../diagnostics/diagnostic.js';
import type { Policy } from './model.js';
import { parsePolicy } from './parse.js';
import { type Json, policyArb } from './test-policies.test.js';

type JsonObject = { [key: string]: Json };

/** Every object of `value` with its path. */
function objectsOf(value: Json, path: JsonPath = []): { path: JsonPath; object: JsonObject }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectsOf(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return [{ path, object: value }, ...Object.entries(value).flatMap(([k, v]) => objectsOf(v, [...path, k]))];
}

const shape = (policy: Policy | undefined): unknown =>
  JSON.parse(JSON.stringify(policy ?? null, (key, v: unknown) => (key === 'span' || key === 'spans' ? undefined : v)));

const withKey = (object: JsonObject, key: string, value: Json): JsonObject => ({ ...object, [key]: value });

/** `doc` with the object at `path` replaced. */
function replaced(doc: Json, path: JsonPath, object: JsonObject): Json {
  if (path.length === 0) return object;
  const [head, ...rest] = path;
  if (Array.isArray(doc)) return doc.map((v, i) => (i === head ? replaced(v, rest, object) : v));
  const o = doc as JsonObject;
  return { ...o, [head as string]: replaced(o[head as string] as Json, rest, object) };
}

const duplicateCase = fc
  .tuple(policyArb, fc.nat(), fc.nat(), fc.oneof(fc.constantFrom<Json>('Deny', 'Allow', '*', 3, null, [], {}), fc.string()), fc.boolean())
  .map(([generated, pickObject, pickKey, value, before]) => {
    const doc = JSON.parse(JSON.stringify(generated)) as JsonObject;
    const candidates = objectsOf(doc).filter((o) => Object.keys(o.object).length > 0);
    const target = candidates[pickObject % candidates.length] as { path: JsonPath; object: JsonObject };
    const keys = Object.keys(target.object);
    return { doc, target, key: keys[pickKey % keys.length] as string, value, before };
  });

test('a duplicate key anywhere is an error at the repeated name, and the last value is the one read (property)', () => {
  fc.assert(
    fc.property(duplicateCase, ({ doc, target, key, value, before }) => {
      const original = JSON.stringify(doc, null, 2);
      const node = findNodeAtLocation(parseTree(original) as NonNullable<ReturnType<typeof parseTree>>, [...target.path]);
      assert.ok(node?.type === 'object');
      const member = `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
      // Before: the injected member comes first, the original one wins. After: the injected one wins.
      const at = before ? node.offset + 1 : node.offset + node.length - 1;
      const text = `${original.slice(0, at)}${before ? `${member},` : `,${member}`}${original.slice(at)}`;
      const result = parsePolicy(text, { type: 'identity' });
      const dup = result.diagnostics.filter((d) => d.code === 'DUPLICATE_KEY');
      assert.equal(dup.length, 1, text);
      const d = dup[0];
      assert.ok(d?.span);
      assert.equal(d.severity, 'error');
      assert.ok(hasErrors(result.diagnostics), 'never read as a usable policy');
      assert.deepEqual(d.path, [...target.path, key]);
      assert.equal(text.slice(d.span.start.offset, d.span.end.offset), JSON.stringify(key));
      const originalKey = node.children?.find((prop) => prop.children?.[0]?.value === key)?.children?.[0];
      assert.ok(originalKey);
      const second = before ? originalKey.offset + member.length + 1 : at + 1;
      assert.equal(d.span.start.offset, second, 'reported at the second occurrence');
      // As JSON.parse reads it: the name keeps its first place and takes its last value.
      const object = before ? { [key]: target.object[key] as Json, ...target.object } : withKey(target.object, key, value);
      const read = replaced(doc, target.path, object);
      assert.deepEqual(shape(result.policy), shape(parsePolicy(JSON.stringify(read), { type: 'identity' }).policy));
    }),
    { numRuns: 300 },
  );
});

const DENY_ALL = '{"Effect": "Deny", "Action": "*", "Resource": "*"}';

test('a Deny cannot be dropped silently by a duplicate Statement or Effect, escaped or not', () => {
  for (const text of [
    `{"Version": "2012-10-17", "Statement": [${DENY_ALL}], "Statement": []}`,
    `{"Version": "2012-10-17", "Statement": [${DENY_ALL}], "Statem\\u0065nt": []}`,
    '{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Eff\\u0065ct": "Allow", "Action": "*", "Resource": "*"}}',
    // A ':' written as an escape beside a duplicate: the counts of ':' must not balance out.
    '{"Version": "2012-10-17", "Statement": {"Sid": "a\\u003ab", "Effect": "Deny", "Effect": "Allow", "Action": "*", "Resource": "*"}}',
  ]) {
    for (const lenient of [false, true]) {
      const { diagnostics } = parsePolicy(text, { type: 'identity', lenient });
      assert.ok(
        diagnostics.some((d) => d.code === 'DUPLICATE_KEY' && d.severity === 'error'),
        `${text}: ${diagnostics.map((d) => d.code).join(', ')}`,
      );
    }
  }
});

test('"__proto__" is an ordinary (unknown) name on both roads: reported, never a prototype', () => {
  const cases: { text: string; code: string; check?: (p: Policy) => void }[] = [
    {
      text: '{"__proto__": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, "Version": "2012-10-17"}',
      code: 'MISSING_STATEMENT',
      check: (p) => assert.equal(p.statements.length, 0),
    },
    {
      text: '{"Version": "2012-10-17", "Statement": {"__proto__": {"Effect": "Allow"}, "Effect": "Deny", "Action": "*", "Resource": "*"}}',
      code: 'UNKNOWN_ELEMENT',
      check: (p) => assert.equal(p.statements[0]?.effect, 'Deny'),
    },
    {
      text: '{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"__proto__": {"aws:x": "y"}}}}',
      code: 'CONDITION_UNKNOWN_OPERATOR',
    },
    {
      text: '{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"__proto__": "y"}}}}',
      code: 'CONDITION_KEY_MALFORMED',
      check: (p) =>
        assert.deepEqual(
          p.statements[0]?.conditions.map((c) => [c.key, c.values]),
          [['__proto__', ['y']]],
        ),
    },
  ];
  for (const c of cases) {
    for (const text of [c.text, `// documentation-style\n${c.text}`]) {
      const { policy, diagnostics } = parsePolicy(text, { type: 'identity', lenient: true });
      assert.ok(
        diagnostics.some((d) => d.code === c.code),
        `${text}: ${diagnostics.map((d) => d.code).join(', ')}`,
      );
      assert.ok(policy);
      c.check?.(policy);
      assert.equal(Object.getPrototypeOf(policy), Object.prototype);
      assert.equal(({} as { Effect?: unknown }).Effect, undefined, 'Object.prototype untouched');
    }
  }
});

test('condition numbers are read as JavaScript numbers on both roads (as before: String(value))', () => {
  const text =
    '{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"NumericEquals": {"s3:max-keys": [1.50, 1e3, 12345678901234567890, -0]}}}}';
  for (const t of [text, `${text} // documentation-style`]) {
    const values = parsePolicy(t, { type: 'identity', lenient: true }).policy?.statements[0]?.conditions[0]?.values;
    assert.deepEqual(values, ['1.5', '1000', '12345678901234567000', '0']);
  }
});
