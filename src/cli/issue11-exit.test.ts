/**
 * Issue 11, "Exit 3 for user errors": a directory or a text file given as --db, a
 * database whose schema is newer than this iamsim, and a directory given to
 * `generate from-cloudtrail` are bad input: exit 2 with one clear line, no stack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../account/store.js';
import { main } from './main.js';
import { runCommand } from '../../test/support/cli.js';

const iamsim = (argv: readonly string[]): ReturnType<typeof runCommand> => runCommand((a, io) => main(a, io), argv);

test('issue 11: unusable --db files, a newer schema and a directory for from-cloudtrail are exit 2, one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-exit-'));
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'not a database\n'.repeat(100));
  const newer = join(dir, 'newer.db');
  openStore(newer).close();
  const db = new BetterSqlite3(newer);
  db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (999, ?)').run(new Date().toISOString());
  db.close();
  const runs: [readonly string[], RegExp][] = [
    [['account', 'list', '--db', folder], /is a directory/],
    [['account', 'list', '--db', text], /not an iamsim database/],
    [['account', 'list', '--db', newer], /newer than this iamsim/],
    [['generate', 'from-cloudtrail', folder], /is a directory/],
  ];
  for (const [argv, message] of runs) {
    const r = await iamsim(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, message, argv.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});
