/** Small I/O helpers shared by CLI commands. */
import { readFileSync } from 'node:fs';
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
