import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree } from 'jsonc-parser';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { parsePolicy, parsePolicyNode } from './parse.js';
import { statementLabel } from './model.js';

const TEXT = `{
  "Version": "2012-10-17",
  "Id": "p1",
  "Statement": [
    {
      "Sid": "ReadHome",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": "arn:aws:s3:::bucket/home/\${aws:username}/*",
      "Condition": {
        "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", 3, true]},
        "Bool": {"aws:SecureTransport": "true"}
      }
    },
    {
      "Effect": "Deny",
      "NotAction": "iam:*",
      "NotResource": ["arn:aws:iam::*:role/x"]
    }
  ]
}`;

test('parsePolicy builds the model with values, spans and indexes', () => {
  const { policy, diagnostics } = parsePolicy(TEXT, { type: 'identity', file: 'p.json' });
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['ELEMENT_DISCOURAGED'],
  );
  assert.ok(policy);
  assert.equal(policy.name, 'p.json');
  assert.equal(policy.type, 'identity');
  assert.equal(policy.version, '2012-10-17');
  assert.equal(policy.id, 'p1');
  assert.equal(policy.statements.length, 2);
  const [s0, s1] = policy.statements;
  assert.ok(s0 && s1);
  assert.equal(s0.index, 0);
  assert.equal(s0.sid, 'ReadHome');
  assert.equal(s0.effect, 'Allow');
  assert.deepEqual(s0.action?.values, ['s3:GetObject', 's3:ListBucket']);
  assert.equal(s0.action?.spans.length, 2);
  assert.deepEqual(s0.action?.spans[0]?.start, { line: 8, column: 18, offset: TEXT.indexOf('"s3:GetObject"') });
  assert.equal(s0.action?.span.start.line, 8);
  assert.equal(s0.action?.span.start.column, 7, 'element span starts at the key');
  assert.deepEqual(s0.resource?.values, ['arn:aws:s3:::bucket/home/${aws:username}/*']);
  assert.equal(s0.conditions.length, 2);
  const [c0, c1] = s0.conditions;
  assert.deepEqual(c0, {
    operator: 'ForAnyValue:StringLikeIfExists',
    baseOperator: 'StringLike',
    setQualifier: 'ForAnyValue',
    ifExists: true,
    key: 'aws:TagKeys',
    values: ['a*', '3', 'true'],
    span: c0?.span,
  });
  assert.equal(c1?.baseOperator, 'Bool');
  assert.equal(c1?.ifExists, false);
  assert.equal(c1?.setQualifier, undefined);
  assert.equal(s1.index, 1);
  assert.equal(s1.effect, 'Deny');
  assert.equal(s1.action, undefined);
  assert.deepEqual(s1.notAction?.values, ['iam:*']);
  assert.deepEqual(s1.notResource?.values, ['arn:aws:iam::*:role/x']);
  assert.equal(s1.span.start.line, 15);
  assert.equal(policy.span.start.offset, 0);
  assert.equal(policy.span.end.offset, TEXT.length);
});

test('name defaults to file, then "policy"; explicit name wins', () => {
  const text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}';
  assert.equal(parsePolicy(text, { type: 'identity' }).policy?.name, 'policy');
  assert.equal(parsePolicy(text, { type: 'identity', file: 'a.json' }).policy?.name, 'a.json');
  assert.equal(parsePolicy(text, { type: 'identity', file: 'a.json', name: 'Inline1' }).policy?.name, 'Inline1');
});

test('diagnostics carry file, span, path and one-line message; no file when none given', () => {
  const text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3","Resource":"*"}]}';
  const withFile = parsePolicy(text, { type: 'identity', file: 'f.json' }).diagnostics;
  assert.equal(withFile.length, 1);
  const d = withFile[0];
  assert.ok(d);
  assert.equal(d.code, 'ACTION_MALFORMED');
  assert.equal(d.file, 'f.json');
  assert.deepEqual(d.path, ['Statement', 0, 'Action']);
  assert.equal(d.line, 1);
  assert.equal(d.column, text.indexOf('"s3"') + 1);
  assert.equal(d.span?.end.offset, text.indexOf('"s3"') + 4);
  const noFile = parsePolicy(text, { type: 'identity' }).diagnostics[0];
  assert.ok(noFile && !('file' in noFile));
});

test('a policy is returned even with grammar errors (best effort)', () => {
  const text = '{"Statement":[{"Effect":"allow","Action":"s3:*"},{"Action":"x:y"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}';
  const { policy, diagnostics } = parsePolicy(text, { type: 'identity' });
  assert.ok(hasErrors(diagnostics));
  assert.ok(policy);
  // "allow" keeps its evident intent; the statement without Effect is dropped.
  assert.deepEqual(
    policy.statements.map((s) => [s.index, s.effect]),
    [
      [0, 'Allow'],
      [2, 'Deny'],
    ],
  );
  assert.equal(policy.statements[1]?.principal?.wildcard, true);
});

test('after a JSON syntax error only syntax errors are reported, but a policy is still built', () => {
  const text = '{"Version":"2012-10-17" "Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}';
  const { policy, diagnostics } = parsePolicy(text, { type: 'identity' });
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['JSON_SYNTAX'],
  );
  assert.ok(policy);
});

test('diagnostics are in document order', () => {
  const text = '{\n"Statement":[\n{"Effect":"Permit","Action":"s3","Resource":"*"},\n{"Sid":"a-b","Effect":"Allow","Action":"*","Resource":"*"}\n]\n}';
  const lines = parsePolicy(text, { type: 'identity' }).diagnostics.map((d) => d.line * 1000 + d.column);
  assert.deepEqual(
    lines,
    [...lines].sort((a, b) => a - b),
  );
});

test('parsePolicyNode: object node positions refer to the outer text', () => {
  const outer = `{
  "PolicyInputList": [
    {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "bad", "Resource": "*"}}
  ]
}`;
  const root = parseTree(outer);
  const node = root?.children?.[0]?.children?.[1]?.children?.[0];
  assert.ok(node && node.type === 'object');
  const { policy, diagnostics } = parsePolicyNode(node, outer, { type: 'identity', name: 'PolicyInputList.1', pathPrefix: ['PolicyInputList', 0] });
  assert.equal(policy?.name, 'PolicyInputList.1');
  assert.equal(diagnostics.length, 1);
  const d = diagnostics[0];
  assert.equal(d?.code, 'ACTION_MALFORMED');
  assert.equal(d?.line, 3);
  assert.equal(d?.column, outer.split('\n')[2]!.indexOf('"bad"') + 1);
  assert.deepEqual(d?.path, ['PolicyInputList', 0, 'Statement', 'Action']);
  assert.equal(policy?.span.start.offset, node.offset);
});

test('parsePolicyNode: comments inside an object node follow the lenient option', () => {
  const outer = '{"p": {"Version": "2012-10-17", /* c */ "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}';
  const node = parseTree(outer)?.children?.[0]?.children?.[1];
  assert.ok(node);
  assert.deepEqual(
    parsePolicyNode(node, outer, { type: 'identity' }).diagnostics.map((d) => d.code),
    ['JSON_COMMENT'],
  );
  assert.deepEqual(
    parsePolicyNode(node, outer, { type: 'identity', lenient: true }).diagnostics.map((d) => [d.code, d.severity]),
    [['LENIENT_COMMENT', 'warning']],
  );
});

test('parsePolicyNode: a string node holding policy JSON maps positions through escapes', () => {
  const inner = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3","Resource":"*"}}';
  const outer = `{\n  "PolicyDocument": ${JSON.stringify(inner)}\n}`;
  const node = parseTree(outer)?.children?.[0]?.children?.[1];
  assert.ok(node && node.type === 'string');
  const { policy, diagnostics } = parsePolicyNode(node, outer, { type: 'identity' });
  assert.ok(policy);
  assert.equal(policy.statements[0]?.effect, 'Allow');
  assert.equal(diagnostics.length, 1);
  const d = diagnostics[0];
  assert.equal(d?.code, 'ACTION_MALFORMED');
  // The "s3" value is written as \"s3\" in the outer file.
  const at = outer.indexOf('\\"s3\\"');
  assert.equal(d?.line, 2);
  assert.equal(d?.span?.start.offset, at);
  assert.equal(d?.column, at - outer.indexOf('\n'));
});

test('parsePolicyNode: non-object, non-string node is rejected', () => {
  const outer = '{"p": [1]}';
  const node = parseTree(outer)?.children?.[0]?.children?.[1];
  assert.ok(node);
  const r = parsePolicyNode(node, outer, { type: 'identity' });
  assert.equal(r.policy, undefined);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.line, d.column]),
    [['NOT_AN_OBJECT', 1, 7]],
  );
});

test('messages number statements from 1, as reasons do (statementLabel)', () => {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Sid: 'A', Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
    ],
  });
  const dup = parsePolicy(text, { type: 'identity' }).diagnostics.find((d) => d.code === 'SID_DUPLICATE');
  assert.ok(dup);
  assert.match(dup.message, /already used by statement #1$/);
  assert.equal(statementLabel(0), '#1');
  assert.equal(statementLabel(2, ''), '#3');
  assert.equal(statementLabel(2, 'ReadOnly'), '"ReadOnly"');
});
