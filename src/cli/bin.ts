/** The `iamsim` executable's body (bin/iamsim.js loads it from the bundle esbuild makes of it, dist/cli/iamsim.js). */
import { exitQuietlyOnBrokenPipe } from './io.js';
import { main } from './main.js';

// A reader that goes away early (`iamsim … | head -1`) ends iamsim quietly, as it ends Unix tools.
exitQuietlyOnBrokenPipe(process.stdout);
exitQuietlyOnBrokenPipe(process.stderr);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Internal error: fail closed, no stack trace unless IAMSIM_DEBUG is set.
    process.stderr.write(`iamsim: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env['IAMSIM_DEBUG']) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    process.exitCode = 3;
  },
);
