/** Small I/O helpers shared by CLI commands. */
import { statSync } from 'node:fs';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { foldJsonDeviations } from '../diagnostics/json-deviations.js';
import { isStackOverflow, readUtf8File } from '../diagnostics/input-text.js';
import { UsageError } from './args.js';

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
}

export const processIo: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  // Created when first read: most commands never read standard input, and creating it costs start-up time.
  get stdin() {
    return process.stdin;
  },
};

/** A file's UTF-8 text (byte order mark dropped); UTF-16 and unreadable files are usage errors (exit 2). */
export function readText(path: string): string {
  const r = readUtf8File(path);
  if ('error' in r) throw new UsageError(`cannot read ${path}: ${r.error}`);
  return r.text;
}

/** A readable file's size; a missing path or a directory is a usage error (exit 2). */
export function fileSize(path: string): number {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  if (st.isDirectory()) throw new UsageError(`cannot read ${path}: is a directory, not a file`);
  return st.size;
}

/** An error class whose instances are the user's input errors. */
export type InputErrorClass = abstract new (...args: never[]) => Error;

/**
 * The one error wrapper of the CLI: runs a command body, turning a UsageError
 * (or an instance of one of `inputErrors`, a library's input error class)
 * into `iamsim NAME: message` on stderr and exit 2. Other errors propagate.
 */
export async function guarded(name: string, io: Io, body: () => Promise<number> | number, inputErrors: readonly InputErrorClass[] = []): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (isStackOverflow(err)) {
      // Readers bound nesting before parsing; this is the last guard for any reader that does not.
      io.stderr.write(`iamsim ${name}: the input nests too deeply to be read\n`);
      return EXIT.BAD_INPUT;
    }
    if (!(err instanceof UsageError) && !inputErrors.some((c) => err instanceof c)) throw err;
    if (!(err instanceof Error)) throw err;
    io.stderr.write(`iamsim ${name}: ${err.message}\n`);
    return EXIT.BAD_INPUT;
  }
}

export { EXIT_BROKEN_PIPE, exitQuietlyOnBrokenPipe } from './broken-pipe.js';

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes diagnostics one per line to stderr (a document's comments and trailing commas as one line); returns true when any is an error. */
export function reportDiagnostics(io: Io, diags: readonly Diagnostic[]): boolean {
  let error = false;
  for (const d of foldJsonDeviations(diags)) {
    io.stderr.write(`${formatDiagnostic(d)}\n`);
    if (d.severity === 'error') error = true;
  }
  return error;
}

export const EXIT = { OK: 0, DENIED: 1, BAD_INPUT: 2, INTERNAL: 3 } as const;
