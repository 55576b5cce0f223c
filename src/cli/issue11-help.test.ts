/**
 * Issue 11, "Messages": `-h` works for every command, `iamsim help CMD` shows that
 * command's help, and the top-level help lists IAMSIM_DB, the exit codes and the docs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main, commandNames } from './main.js';
import { runCommand } from '../../test/support/cli.js';

const iamsim = (argv: readonly string[]): ReturnType<typeof runCommand> => runCommand((a, io) => main(a, io), argv);

test("issue 11: -h and `help CMD` show each command's help (exit 0), the same as --help", async () => {
  for (const name of commandNames()) {
    const long = await iamsim([name, '--help']);
    const short = await iamsim([name, '-h']);
    const viaHelp = await iamsim(['help', name]);
    assert.equal(short.code, 0, `${name} -h: ${short.err}`);
    assert.equal(viaHelp.code, 0, `help ${name}: ${viaHelp.err}`);
    assert.equal(short.out, long.out, name);
    assert.equal(viaHelp.out, long.out, name);
    assert.match(long.out, /Usage: iamsim/, name);
  }
  assert.equal((await iamsim(['help', 'nope'])).code, 2);
});

test('issue 11: the top-level help names IAMSIM_DB, the exit codes and the docs', async () => {
  const r = await iamsim(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /IAMSIM_DB/);
  assert.match(r.out, /Exit codes:[\s\S]*0[\s\S]*1[\s\S]*2 bad input[\s\S]*3/);
  assert.match(r.out, /docs\//);
});
