/**
 * Issue 11, "EPIPE": when the reader of iamsim's output goes away early
 * (`iamsim … | head -1`), iamsim ends quietly with 141 (128 + SIGPIPE), as Unix
 * tools do: no stack trace, no "internal error".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/iamsim.js', import.meta.url));
const batch = fileURLToPath(new URL('../../../examples/simulate/batch.jsonl', import.meta.url));

function firstLineThenClose(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('issue 11: a closed output pipe ends iamsim quietly with 141', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-epipe-'));
  const lines = readFileSync(batch, 'utf8');
  const big = join(dir, 'big.jsonl');
  writeFileSync(big, lines.repeat(Math.ceil(20000 / lines.split('\n').length)));
  const r = await firstLineThenClose(['simulate', '--input', big, '--explain']);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 141);
});
