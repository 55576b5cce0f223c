import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectGolden } from './golden.js';

test('expectGolden compares read-only and writes only with UPDATE_GOLDENS=1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-golden-'));
  try {
    const file = join(dir, 'sub', 'out.json');
    assert.throws(() => expectGolden(file, 'a\n', {}), /missing/);
    assert.equal(existsSync(file), false, 'a missing golden is not created by a normal run');
    expectGolden(file, 'a\n', { UPDATE_GOLDENS: '1' });
    assert.equal(readFileSync(file, 'utf8'), 'a\n');
    expectGolden(file, 'a\n', {});
    assert.throws(() => expectGolden(file, 'b\n', {}), /differs/);
    assert.equal(readFileSync(file, 'utf8'), 'a\n', 'a differing golden is left alone');
    writeFileSync(file, 'c\n');
    expectGolden(file, 'b\n', { UPDATE_GOLDENS: '1' });
    assert.equal(readFileSync(file, 'utf8'), 'b\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
