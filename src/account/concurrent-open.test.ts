/**
 * Issue 11, "Concurrent imports fail": several processes importing into the same new
 * database at once all succeed; creating the schema takes the write lock first
 * (BEGIN IMMEDIATE), so the others wait (busy timeout) instead of failing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/iamsim.js', import.meta.url));
const fixture = fileURLToPath(new URL('../../../test/fixtures/accounts/authorization-details.json', import.meta.url));

function importInto(db: string): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'account', 'import', fixture, '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, err }));
  });
}

test('issue 11: concurrent imports into one new database all succeed', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'iamsim-conc-')), 'shared.db');
  const results = await Promise.all(Array.from({ length: 8 }, () => importInto(db)));
  assert.deepEqual(
    results.map((r) => r.code),
    results.map(() => 0),
    results.map((r) => r.err).join('\n'),
  );
});
