#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';
import { exitQuietlyOnBrokenPipe } from '../dist/src/cli/io.js';

// A reader that goes away early (`iamsim … | head -1`) ends iamsim quietly, as it ends Unix tools.
exitQuietlyOnBrokenPipe(process.stdout);
exitQuietlyOnBrokenPipe(process.stderr);

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // Internal error: fail closed, no stack trace unless IAMSIM_DEBUG is set.
    process.stderr.write(`iamsim: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.IAMSIM_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    process.exitCode = 3;
  },
);
