/**
 * Golden files: committed expected outputs, compared read-only. `npm test`
 * never writes them; after an intended change rewrite them explicitly with
 * `UPDATE_GOLDENS=1 npm test` and review the diff.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when the run was asked to rewrite goldens. */
export function updatingGoldens(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['UPDATE_GOLDENS'] === '1';
}

/**
 * Asserts `actual` equals the golden file at `path` (a URL or path). With
 * UPDATE_GOLDENS=1 the file is rewritten first; otherwise a missing file fails.
 */
export function expectGolden(path: URL | string, actual: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = typeof path === 'string' ? path : fileURLToPath(path);
  if (updatingGoldens(env)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  assert.ok(existsSync(file), `golden ${file} is missing; create it with UPDATE_GOLDENS=1 npm test and commit it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${file} differs; if the change is intended rerun with UPDATE_GOLDENS=1 and review the diff`);
}
