/** Shared helpers for the account tests (a `.test.ts` file so it stays out of the library). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

/** test/fixtures/accounts/ in the repository (tests run from dist/src/account/...). */
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/accounts/', import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'iamsim-account-'));
}

/** Writes `text` to a fresh temporary file named `name` and returns its path. */
export function tempFile(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

test('fixtures directory resolves', () => {
  // Guards the relative path above against layout changes.
  if (!FIXTURES.endsWith('/test/fixtures/accounts/')) throw new Error(FIXTURES);
});
