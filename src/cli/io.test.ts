import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeIo } from '../../test/support/cli.js';
import { UsageError } from './args.js';
import { EXIT, fileSize, guarded } from './io.js';

class LibraryInputError extends Error {}

test('guarded: a usage error, or a listed input error class, is one line on stderr and exit 2', async () => {
  const f = fakeIo();
  assert.equal(
    await guarded('lint', f.io, () => {
      throw new UsageError('no policy files given');
    }),
    EXIT.BAD_INPUT,
  );
  assert.equal(
    await guarded(
      'check',
      f.io,
      async () => {
        throw new LibraryInputError('bad document');
      },
      [LibraryInputError],
    ),
    EXIT.BAD_INPUT,
  );
  assert.equal(f.err(), 'iamsim lint: no policy files given\niamsim check: bad document\n');
  assert.equal(await guarded('x', f.io, () => 0), EXIT.OK);
});

test('guarded: any other error propagates (an internal error, exit 3 in bin/iamsim.js)', async () => {
  const f = fakeIo();
  await assert.rejects(
    guarded('x', f.io, () => {
      throw new TypeError('bug');
    }),
    TypeError,
  );
  await assert.rejects(
    guarded('x', f.io, () => {
      throw new LibraryInputError('not listed');
    }),
    LibraryInputError,
  );
  assert.equal(f.err(), '');
});

test('fileSize: a missing file is a usage error naming it', () => {
  assert.throws(
    () => fileSize('/nonexistent/iamsim-input.json'),
    (e: unknown) => e instanceof UsageError && /cannot read \/nonexistent\/iamsim-input\.json: no such file/.test(e.message),
  );
});
