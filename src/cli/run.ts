/** Running one command of the command line: its arguments, this run's engine, and the errors that are the user's. */
import { StoreOpenError } from '../account/store-error.js';
import { cliContext, type CliContext } from './context.js';
import { exitQuietlyOnBrokenPipe, guarded, type Io } from './io.js';

export type Command = (argv: readonly string[], io: Io, cli: CliContext) => Promise<number>;

/**
 * Runs the command `name` (its module loaded by `load`) on its arguments. -h is --help for every command (a
 * command's own flags never use -h). A store that cannot be opened (a directory, not a database, a newer schema) is
 * the user's input error. One engine serves the whole run, made when a command first asks for it.
 */
export async function runCommand(name: string, load: () => Promise<Command>, rest: readonly string[], io: Io): Promise<number> {
  const args = rest.map((a) => (a === '-h' ? '--help' : a));
  const cli = cliContext();
  return guarded(name, io, async () => (await load())(args, io, cli), [StoreOpenError]);
}

/**
 * The process around a run: a reader that goes away early (`iamsim … | head -1`) ends iamsim quietly, as it ends
 * Unix tools; the run's status becomes the exit code; an internal error fails closed (exit 3) with one line, and
 * the stack trace only when IAMSIM_DEBUG is set.
 */
export function runAsProcess(run: () => Promise<number>): void {
  exitQuietlyOnBrokenPipe(process.stdout);
  exitQuietlyOnBrokenPipe(process.stderr);
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`iamsim: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      if (process.env['IAMSIM_DEBUG']) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
      process.exitCode = 3;
    },
  );
}
