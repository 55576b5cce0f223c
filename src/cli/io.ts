/** Small I/O helpers shared by CLI commands. */
import { readFileSync, statSync } from 'node:fs';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { UsageError } from './args.js';

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? String(err)}`);
  }
}

/** The size of a file the user named; a UsageError (exit 2) when it cannot be read. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
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
    if (!(err instanceof UsageError) && !inputErrors.some((c) => err instanceof c)) throw err;
    if (!(err instanceof Error)) throw err;
    io.stderr.write(`iamsim ${name}: ${err.message}\n`);
    return EXIT.BAD_INPUT;
  }
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes diagnostics one per line to stderr; returns true when any is an error. */
export function reportDiagnostics(io: Io, diags: readonly Diagnostic[]): boolean {
  let error = false;
  for (const d of diags) {
    io.stderr.write(`${formatDiagnostic(d)}\n`);
    if (d.severity === 'error') error = true;
  }
  return error;
}

export const EXIT = { OK: 0, DENIED: 1, BAD_INPUT: 2, INTERNAL: 3 } as const;
