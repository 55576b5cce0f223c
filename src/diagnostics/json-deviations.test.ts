import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from '../policy/parse.js';
import { foldJsonDeviations } from './json-deviations.js';

const TEXT = '{\n  // one\n  "Version": "2012-10-17", /* two */\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",},],\n}\n';

test('strict: one error per document at the first comment, counting all and suggesting --lenient', () => {
  const { diagnostics } = parsePolicy(TEXT, { type: 'identity', name: 'p', file: 'a.json' });
  assert.equal(diagnostics.filter((d) => d.code === 'JSON_COMMENT' || d.code === 'JSON_TRAILING_COMMA').length, 5);
  const folded = foldJsonDeviations(diagnostics).filter((d) => d.code.startsWith('JSON_'));
  assert.equal(folded.length, 1);
  assert.equal(folded[0]?.code, 'JSON_COMMENT');
  assert.equal(folded[0]?.severity, 'error');
  assert.equal(folded[0]?.line, 2);
  assert.match(folded[0]?.message ?? '', /2 comments and 3 trailing commas .*--lenient/);
});

test('lenient: one warning per document; other diagnostics and other files are kept', () => {
  const a = parsePolicy(TEXT, { type: 'identity', name: 'p', file: 'a.json', lenient: true }).diagnostics;
  const b = parsePolicy(TEXT.replace('"Version": "2012-10-17", ', ''), { type: 'identity', name: 'p', file: 'b.json', lenient: true }).diagnostics;
  const folded = foldJsonDeviations([...a, ...b]);
  const lenient = folded.filter((d) => d.code.startsWith('LENIENT_'));
  assert.deepEqual(
    lenient.map((d) => `${d.file}:${d.line} ${d.severity}`),
    ['a.json:2 warning', 'b.json:2 warning'],
  );
  assert.match(lenient[0]?.message ?? '', /^Accepted 2 comments and 3 trailing commas because of --lenient/);
  // b.json has no Version: that warning stays.
  assert.ok(folded.some((d) => d.file === 'b.json' && d.code === 'MISSING_VERSION'));
});
