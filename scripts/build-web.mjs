#!/usr/bin/env node
// Bundles the web console (src/web/) into dist/web/ with esbuild: one script, one stylesheet, index.html.
// The example policies, requests and accounts are embedded so the console can offer them without
// the server reading any file on a request's behalf.
import { readdirSync, readFileSync, mkdirSync, copyFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');

function list(dir, ext) {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(ext))
        .sort()
    : [];
}

/** examples/simulate/*.json with file:// policies replaced by their text. */
function simulateExamples() {
  const dir = join(root, 'examples', 'simulate');
  return list(dir, '.json').map((f) => {
    const req = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const inline = (v) => (typeof v === 'string' && v.startsWith('file://') ? readFileSync(resolve(dir, v.slice(7)), 'utf8') : v);
    for (const [k, v] of Object.entries(req)) {
      if (Array.isArray(v)) req[k] = v.map((x) => (Array.isArray(x) ? x.map(inline) : inline(x)));
      else req[k] = inline(v);
    }
    return { name: f.replace(/\.json$/, ''), request: req };
  });
}

/** examples/accounts/<workflow>/bundle.yaml and broken/*.yaml, as uploads. */
function accountExamples() {
  const dir = join(root, 'examples', 'accounts');
  const outList = [];
  for (const wf of readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const files = [join(dir, wf, 'bundle.yaml'), ...list(join(dir, wf, 'broken'), '.yaml').map((f) => join(dir, wf, 'broken', f))];
    for (const file of files.filter(existsSync)) {
      outList.push({ workflow: wf, name: relative(join(root, 'examples', 'accounts'), file), text: readFileSync(file, 'utf8') });
    }
  }
  return outList;
}

const examplesPlugin = {
  name: 'iamsim-examples',
  setup(b) {
    b.onResolve({ filter: /^iamsim:examples$/ }, () => ({ path: 'examples', namespace: 'iamsim-examples' }));
    b.onLoad({ filter: /.*/, namespace: 'iamsim-examples' }, () => ({
      contents: `export const simulateExamples = ${JSON.stringify(simulateExamples())};\nexport const accountExamples = ${JSON.stringify(accountExamples())};\n`,
      loader: 'js',
    }));
  },
};

// Chunk names change with their content: start from an empty folder so old ones do not pile up.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'web', 'main.ts'), join(root, 'src', 'web', 'styles.css')],
  outdir: out,
  bundle: true,
  format: 'esm',
  // One chunk per page (main.ts imports them when opened) and shared chunks for what pages share.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [examplesPlugin],
});
copyFileSync(join(root, 'src', 'web', 'index.html'), join(out, 'index.html'));

// The page of `iamsim audit --format html` (src/web/audit-report.ts): one script the command inlines into the report.
await build({
  entryPoints: [join(root, 'src', 'web', 'audit-report.ts')],
  outfile: join(out, 'audit-report.js'),
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
