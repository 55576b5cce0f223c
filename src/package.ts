/**
 * Where the iamsim package is installed and its version, found from this
 * module's location — which is dist/src/ for the compiled library and dist/cli/
 * for the bundled command line — so that files shipped beside the code
 * (workflow definitions, the console's assets, package.json) are found from both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function find(): { dir: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'iamsim') return { dir, version: pkg.version ?? '0.0.0' };
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('the iamsim package.json was not found above its code');
    dir = up;
  }
}

/** Found once at load: a few file checks up from this module. */
const ROOT = find();

/** The package's root folder (the one holding its package.json). */
export function packageRoot(): string {
  return ROOT.dir;
}

export function packageVersion(): string {
  return ROOT.version;
}
