#!/usr/bin/env node
// Bundles the web console (src/web/) into dist/web/ with esbuild: one script, one stylesheet, index.html.
// The example policies, requests and accounts are embedded so the console can offer them without
// the server reading any file on a request's behalf.
import { readdirSync, readFileSync, mkdirSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** Chunks above this size are left to load when a page asks for them (the editor, the graph drawing, the examples). */
const PRELOAD_MAX_BYTES = 64 * 1024;

/**
 * index.html with a modulepreload link for every page chunk main.js imports and the chunks those import
 * statically, small ones only: the browser fetches them at once instead of one import level after another.
 */
function withPreloads(html) {
  const text = (f) => readFileSync(join(out, f), 'utf8');
  const staticImports = (f) => [...text(f).matchAll(/(?:from|import)\s*"\.\/(chunk-[A-Z0-9]+\.js)"/g)].map((m) => m[1]);
  const pages = [...text('main.js').matchAll(/import\("\.\/(chunk-[A-Z0-9]+\.js)"\)/g)].map((m) => m[1]);
  const chosen = new Set();
  const visit = (f) => {
    if (chosen.has(f) || statSync(join(out, f)).size > PRELOAD_MAX_BYTES) return;
    chosen.add(f);
    for (const g of staticImports(f)) visit(g);
  };
  for (const f of [...staticImports('main.js'), ...pages]) visit(f);
  const links = [...chosen]
    .sort()
    .map((f) => `<link rel="modulepreload" href="${f}">`)
    .join('\n');
  return html.replace('<script type="module" src="main.js"></script>', `<script type="module" src="main.js"></script>\n${links}`);
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
writeFileSync(join(out, 'index.html'), withPreloads(readFileSync(join(root, 'src', 'web', 'index.html'), 'utf8')));

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
