/** A captured Io for CLI tests: command output is collected synchronously as text. */
import { Readable, Writable } from 'node:stream';
import type { Io } from '../../src/cli/io.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

export interface FakeIo {
  readonly io: Io;
  out(): string;
  err(): string;
}

export function fakeIo(stdin = ''): FakeIo {
  const stdout = new Sink();
  const stderr = new Sink();
  return {
    io: { stdout, stderr, stdin: Readable.from(stdin === '' ? [] : [Buffer.from(stdin)]) },
    out: () => stdout.text,
    err: () => stderr.text,
  };
}

export type Command = (argv: readonly string[], io: Io) => Promise<number>;

/** Runs a command with a fake Io and returns its exit code and output. */
export async function runCommand(cmd: Command, argv: readonly string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const f = fakeIo(stdin);
  const code = await cmd(argv, f.io);
  return { code, out: f.out(), err: f.err() };
}
