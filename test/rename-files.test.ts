/**
 * scripts/rename-files.mjs on a scratch git repository: dry run by default,
 * `--apply` renames camelCase files to kebab-case with git mv and rewrites
 * every reference (relative specifiers, new URL, bare names in comments,
 * repo paths in Markdown), and removes the old names' build output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/rename-files.mjs', import.meta.url));

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-rename-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
  return dir;
}

function run(dir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT, '--repo', dir, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FILES = {
  'src/a/fooBar.ts': '/** Helper (fooBar.ts). */\nexport const x = 1;\n',
  'src/a/user.ts': "import { x } from './fooBar.js';\nexport const u = new URL('./fooBar.js', import.meta.url);\nexport const y = x;\n",
  'src/b/use.test.ts': "import { x } from '../a/fooBar.js';\nimport { k } from '../a/kebab-ok.js';\nvoid x; void k;\n",
  'src/a/kebab-ok.ts': 'export const k = 2;\n',
  'docs/notes.md': 'See src/a/fooBar.ts.\n',
  'dist/src/a/fooBar.js': 'stale\n',
  '.gitignore': 'dist/\n',
};

test('rename-files: a dry run changes nothing and lists the plan', () => {
  const dir = scratch(FILES);
  try {
    const r = run(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^git mv src\/a\/fooBar\.ts src\/a\/foo-bar\.ts$/m);
    assert.match(r.stdout, /1 renames, 4 files to rewrite; dry run/);
    assert.ok(existsSync(join(dir, 'src/a/fooBar.ts')));
    assert.equal(execFileSync('git', ['-C', dir, 'status', '--porcelain'], { encoding: 'utf8' }), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rename-files --apply: git mv, every reference rewritten, stale build output removed', () => {
  const dir = scratch(FILES);
  try {
    const r = run(dir, '--apply');
    assert.equal(r.status, 0, r.stderr);
    const read = (p: string) => readFileSync(join(dir, p), 'utf8');
    assert.equal(existsSync(join(dir, 'src/a/fooBar.ts')), false);
    assert.equal(read('src/a/foo-bar.ts'), '/** Helper (foo-bar.ts). */\nexport const x = 1;\n');
    assert.equal(read('src/a/user.ts'), "import { x } from './foo-bar.js';\nexport const u = new URL('./foo-bar.js', import.meta.url);\nexport const y = x;\n");
    assert.equal(read('src/b/use.test.ts'), "import { x } from '../a/foo-bar.js';\nimport { k } from '../a/kebab-ok.js';\nvoid x; void k;\n");
    assert.equal(read('docs/notes.md'), 'See src/a/foo-bar.ts.\n');
    assert.equal(existsSync(join(dir, 'dist/src/a/fooBar.js')), false);
    const status = execFileSync('git', ['-C', dir, 'status', '--porcelain'], { encoding: 'utf8' });
    assert.match(status, /^R. src\/a\/fooBar\.ts -> src\/a\/foo-bar\.ts$/m, 'staged as a rename');
    assert.match(run(dir).stdout, /0 renames, 0 files to rewrite/, 'a second run has nothing to do');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rename-files refuses a rename onto an existing file (exit 2)', () => {
  const dir = scratch({ 'src/c/aB.ts': 'export {};\n', 'src/c/a-b.ts': 'export {};\n' });
  try {
    const r = run(dir, '--apply');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /src\/c\/a-b\.ts already exists/);
    assert.ok(existsSync(join(dir, 'src/c/aB.ts')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rename-files: unknown options are a usage error', () => {
  assert.equal(spawnSync(process.execPath, [SCRIPT, '--frobnicate'], { encoding: 'utf8' }).status, 2);
});
