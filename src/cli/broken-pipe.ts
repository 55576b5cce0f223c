/** A closed output pipe ends the command quietly (kept apart from io.ts so the launcher loads only this). */

/** Exit status of a command whose reader went away (`| head -1`): 128 + SIGPIPE, as Unix tools end. */
export const EXIT_BROKEN_PIPE = 141;

/**
 * Makes a closed output pipe (EPIPE) end the process quietly with
 * EXIT_BROKEN_PIPE instead of an unhandled 'error' event and a stack trace.
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WritableStream, exit: (code: number) => void = (c) => process.exit(c)): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exit(EXIT_BROKEN_PIPE);
    else throw err;
  });
}
