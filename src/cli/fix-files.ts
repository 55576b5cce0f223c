/** Writes a fix output (preflight, explain-denied) as files: the shell's half of workflows/fix-output.ts. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type FixOutput, fixOutputFiles } from '../workflows/fix-output.js';

/** Writes the fix output's files (policies/, accounts/, fixes.diff, apply.sh) into `dir`; returns the paths written. */
export function writeFixOutput(dir: string, out: FixOutput): string[] {
  return fixOutputFiles(out).map((f) => {
    const full = join(dir, f.path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, f.text);
    return full;
  });
}
