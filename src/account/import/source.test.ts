import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { jsonSource, readDocument, yamlSource } from './source.js';

const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

test('embedded object documents keep their exact source text and position', () => {
  const text = '{\n  "A": {\n    "PolicyDocument": {"Version": "2012-10-17", "Statement": []}\n  }\n}';
  const { source } = jsonSource(text, 'x.json');
  assert.ok(source);
  const out: Diagnostic[] = [];
  const d = readDocument(source, ['A', 'PolicyDocument'], 'p', out);
  assert.deepEqual(out, []);
  assert.equal(d?.text, '{"Version": "2012-10-17", "Statement": []}');
  assert.deepEqual(d?.origin, { file: 'x.json', line: 3, column: 23 });
});

test('URL-encoded documents (raw IAM API) are decoded', () => {
  const encoded = encodeURIComponent(JSON.stringify(doc, null, 2));
  const { source } = jsonSource(JSON.stringify({ D: encoded }), 'raw.json');
  assert.ok(source);
  const out: Diagnostic[] = [];
  const d = readDocument(source, ['D'], 'p', out);
  assert.deepEqual(out, []);
  assert.deepEqual(JSON.parse(d?.text ?? ''), doc);
});

test('plain JSON strings are accepted as they are', () => {
  const { source } = jsonSource(JSON.stringify({ D: JSON.stringify(doc) }), 'x.json');
  assert.ok(source);
  const out: Diagnostic[] = [];
  assert.equal(readDocument(source, ['D'], 'p', out)?.text, JSON.stringify(doc));
});

test('bad documents are diagnostics with positions, not exceptions', () => {
  const text = '{\n  "Bad": "%7B%ZZ",\n  "NotJson": "%7Bnope",\n  "Num": 3\n}';
  const { source } = jsonSource(text, 'bad.json');
  assert.ok(source);
  const out: Diagnostic[] = [];
  assert.equal(readDocument(source, ['Bad'], 'p', out), undefined);
  assert.equal(readDocument(source, ['NotJson'], 'p', out), undefined);
  assert.equal(readDocument(source, ['Num'], 'p', out), undefined);
  assert.deepEqual(
    out.map((d) => [d.code, d.line, d.column]),
    [
      ['DOCUMENT_URL_DECODE', 2, 10],
      ['DOCUMENT_JSON', 3, 14],
      ['DOCUMENT_MISSING', 4, 10],
    ],
  );
});

test('JSON syntax errors report line and column', () => {
  const { source, diagnostics } = jsonSource('{\n  "a": 1,\n  "b": }\n', 'broken.json');
  assert.equal(source, undefined);
  assert.equal(diagnostics[0]?.code, 'JSON_SYNTAX');
  assert.equal(diagnostics[0]?.line, 3);
  assert.equal(diagnostics[0]?.file, 'broken.json');
});

test('YAML sources report positions by path', () => {
  const { source } = yamlSource('a:\n  b:\n    - x\n    - y\n', 'b.yaml');
  assert.ok(source);
  assert.deepEqual(source.value, { a: { b: ['x', 'y'] } });
  const p = source.position(['a', 'b', 1]);
  assert.equal(p.line, 4);
  assert.equal(p.column, 7);
  // A missing path falls back to the nearest existing ancestor.
  assert.equal(source.position(['a', 'nope']).line, 2);
  const bad = yamlSource('a: [1,\n', 'bad.yaml');
  assert.equal(bad.diagnostics[0]?.code, 'YAML_SYNTAX');
});
