/**
 * lintModel places each finding of a document in the input file: the text at
 * the placed position is the text at the finding's position in the document
 * (for documents that are verbatim slices of the file), on the real export
 * of test/fixtures/public/cloudsplaining and on the lint-account bundle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadUniverse } from '../authz/universe.js';
import { lineStarts } from '../policy/json-source.js';
import { lintPolicy } from './lint.js';
import { lintModel, modelDocuments } from './model-lint.js';

const FILES = ['../../../test/fixtures/public/cloudsplaining/example-authz-details.json', '../../../test/fixtures/lint-account/bundle.json'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);

function textAt(text: string, line: number, column: number, n = 12): string {
  const start = lineStarts(text)[line - 1] ?? -1;
  return start < 0 ? '' : text.slice(start + column - 1, start + column - 1 + n);
}

for (const file of FILES) {
  test(`positions map into the input file: ${file.split('/').slice(-2).join('/')}`, () => {
    const { universe, diagnostics } = loadUniverse({ accountFiles: [file] });
    assert.ok(universe, diagnostics.map((d) => d.message).join('; '));
    const input = readFileSync(file, 'utf8');
    const model = lintModel(universe, { readFile: (f) => (f === file ? input : undefined) });
    let checked = 0;
    for (const doc of modelDocuments(universe)) {
      for (const alone of lintPolicy(doc.text, { type: doc.type, name: doc.label })) {
        const placed = model.find((f) => f.policy === doc.label && f.issueCode === alone.issueCode && f.message === alone.message);
        assert.ok(placed, `${doc.label}: ${alone.issueCode} missing from the model lint`);
        assert.equal(placed.file, file);
        assert.equal(textAt(input, placed.span.start.line, placed.span.start.column), textAt(doc.text, alone.span.start.line, alone.span.start.column));
        checked++;
      }
    }
    assert.ok(checked > 0);
  });
}
