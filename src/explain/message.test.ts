import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMessageLine } from './message.js';
import { readDenials } from './read.js';

interface Case {
  readonly name: string;
  readonly input: string;
  readonly expect: Readonly<Record<string, string>>;
}
const FILE = fileURLToPath(new URL('../../../test/cases/explain/messages.json', import.meta.url));
const data = JSON.parse(readFileSync(FILE, 'utf8')) as { cases: Case[]; rejected: { name: string; input: string }[] };

for (const c of data.cases) {
  test(`message: ${c.name}`, () => {
    const d = parseMessageLine(c.input, 1);
    assert.ok(d, 'parsed');
    const got = d as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(c.expect)) assert.equal(got[k], v, k);
    // What the case does not name, the message does not say.
    for (const k of ['layer', 'kind', 'policyArn']) if (!(k in c.expect)) assert.equal(got[k], undefined, k);
  });
}

for (const c of data.rejected) {
  test(`message rejected: ${c.name}`, () => {
    assert.equal(parseMessageLine(c.input, 1), undefined);
    const r = readDenials(`${c.input}\n`);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]?.line, 1);
  });
}

test('several messages, one per line: every line is read, a bad line is reported with its line and the rest kept', () => {
  const text = [data.cases[0]?.input, '', 'not a message', data.cases[1]?.input].join('\n');
  const r = readDenials(text);
  assert.deepEqual(
    r.denials.map((d) => d.line),
    [1, 4],
  );
  assert.deepEqual(
    r.problems.map((p) => p.line),
    [3],
  );
});

test('decode-authorization-message output, as the CLI prints it and as its DecodedMessage text', () => {
  const doc = {
    allowed: false,
    explicitDeny: true,
    matchedStatements: { items: [{ statementId: 'DenyLarge', effect: 'DENY' }] },
    failures: { items: [] },
    context: {
      principal: { id: 'AIDACKCEVSQ6C2EXAMPLE', name: 'Bob', arn: 'arn:aws:iam::123456789012:user/Bob' },
      action: 'ec2:RunInstances',
      resource: 'arn:aws:ec2:us-east-1:123456789012:instance/*',
      conditions: {
        items: [
          { key: 'ec2:InstanceType', values: { items: [{ value: 'p4d.24xlarge' }] } },
          { key: 'aws:RequestedRegion', values: { items: [{ value: 'us-east-1' }] } },
        ],
      },
    },
  };
  for (const text of [JSON.stringify({ DecodedMessage: JSON.stringify(doc) }), JSON.stringify(doc, null, 2)]) {
    const r = readDenials(text);
    assert.deepEqual(r.problems, []);
    const d = r.denials[0];
    assert.equal(d?.form, 'decoded');
    assert.equal(d?.kind, 'explicit');
    assert.equal(d?.principal, 'arn:aws:iam::123456789012:user/Bob');
    assert.equal(d?.action, 'ec2:RunInstances');
    assert.deepEqual(
      d?.context.map((e) => [e.key, e.values[0]]),
      [
        ['ec2:InstanceType', 'p4d.24xlarge'],
        ['aws:RequestedRegion', 'us-east-1'],
      ],
    );
  }
  const allowed = readDenials(JSON.stringify({ ...doc, allowed: true }));
  assert.equal(allowed.denials.length, 0);
  assert.match(allowed.problems[0]?.message ?? '', /allowed/);
});
