/**
 * What the command line's entry (main.ts) hands every command: the one
 * engine (engine/iamsim.ts `Iamsim`) of this run. It is made on first use, so
 * a command that keeps nothing between steps (and `--help`) never loads it;
 * a command run on its own (a test) gets a context of its own.
 */
import type { Iamsim } from '../engine/iamsim.js';

export interface CliContext {
  /** This run's engine: the same object on every call. */
  engine(): Promise<Iamsim>;
}

export function cliContext(): CliContext {
  let made: Promise<Iamsim> | undefined;
  return {
    engine: () => {
      made ??= import('../engine/iamsim.js').then((m) => new m.Iamsim());
      return made;
    },
  };
}
