#!/usr/bin/env node
/**
 * One file-name style: renames camelCase source files to kebab-case (the
 * project's majority style, e.g. policy-doc.ts) with `git mv`, and rewrites
 * every relative specifier that names them (import/export ... from, import(),
 * new URL(...)) and every repo-relative path to them in Markdown.
 *
 *   node scripts/rename-files.mjs            # dry run: prints what it would do
 *   node scripts/rename-files.mjs --apply    # does it (then: npm test)
 *   node scripts/rename-files.mjs --repo DIR # another checkout (default: cwd)
 *
 * Only files git tracks under src/, test/, scripts/, bin/ and bench/ with a
 * .ts, .js or .mjs extension are renamed. Exit 0 when done (or nothing to
 * do), 2 on a usage error or a name collision, 3 on an unexpected error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';

const CODE_ROOTS = ['src/', 'test/', 'scripts/', 'bin/', 'bench/'];
const CODE_EXT = /\.(ts|js|mjs)$/;
const TEXT_EXT = /\.(ts|js|mjs|md)$/;

/** `authDetails.test.ts` → `auth-details.test.ts`; only the part before the first dot changes. */
export function kebabName(base) {
  const dot = base.indexOf('.');
  const stem = dot < 0 ? base : base.slice(0, dot);
  const rest = dot < 0 ? '' : base.slice(dot);
  const kebab = stem
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
  return kebab + rest;
}

/** The renames for a list of repo-relative paths: Map old → new. */
export function planRenames(files) {
  const renames = new Map();
  for (const f of files) {
    if (!CODE_ROOTS.some((r) => f.startsWith(r)) || !CODE_EXT.test(f) || f.includes('node_modules/')) continue;
    const base = posix.basename(f);
    const next = kebabName(base);
    if (next !== base) renames.set(f, posix.join(posix.dirname(f), next));
  }
  return renames;
}

/** Source file a compiled `.js` specifier stands for (`x.js` → `x.ts` when only the .ts exists). */
function targetOf(fromFile, spec, tracked) {
  const joined = posix.normalize(posix.join(posix.dirname(fromFile), spec));
  if (tracked.has(joined)) return joined;
  const ts = joined.replace(/\.js$/, '.ts');
  if (tracked.has(ts)) return ts;
  return undefined;
}

/**
 * Rewrites the relative specifiers in one file's text whose target is
 * renamed. Returns the new text and how many specifiers changed.
 */
export function rewriteSpecifiers(file, text, renames, tracked) {
  let count = 0;
  const out = text.replace(/(['"`])(\.{1,2}\/[^'"`\s]+)\1/g, (whole, quote, spec) => {
    const target = targetOf(file, spec, tracked);
    const renamed = target === undefined ? undefined : renames.get(target);
    if (renamed === undefined) return whole;
    const oldBase = posix.basename(spec);
    const newBase = kebabName(oldBase);
    if (newBase === oldBase) return whole;
    count++;
    return `${quote}${spec.slice(0, spec.length - oldBase.length)}${newBase}${quote}`;
  });
  return { text: out, count };
}

/**
 * Rewrites mentions of a renamed file by its bare name (`orgMerge.ts` in a
 * comment or a doc), when no other renamed file has the same name.
 */
export function rewriteBareNames(text, renames) {
  const byBase = new Map();
  for (const from of renames.keys()) {
    const base = posix.basename(from).replace(/\.(ts|js|mjs)$/, '');
    byBase.set(base, byBase.has(base) ? undefined : kebabName(base));
  }
  let count = 0;
  let out = text;
  for (const [base, next] of byBase) {
    if (next === undefined) continue;
    const re = new RegExp(`(?<![\\w./-])${base.replace(/[.]/g, '\\.')}\\.(ts|js|mjs)\\b`, 'g');
    out = out.replace(re, (_, ext) => {
      count++;
      return `${next}.${ext}`;
    });
  }
  return { text: out, count };
}

/** Rewrites repo-relative paths (`src/account/orgMerge.ts`, also the `.js` form) in Markdown. */
export function rewriteDocPaths(text, renames) {
  let count = 0;
  let out = text;
  for (const [from, to] of renames) {
    for (const [a, b] of [
      [from, to],
      [from.replace(/\.ts$/, '.js'), to.replace(/\.ts$/, '.js')],
    ]) {
      const parts = out.split(a);
      if (parts.length > 1) {
        count += parts.length - 1;
        out = parts.join(b);
      }
    }
  }
  return { text: out, count };
}

/** Removes dist/ output of the old names, so `node --test dist/` does not run stale copies. */
function removeStaleBuild(repo, oldPaths) {
  let removed = 0;
  for (const from of oldPaths) {
    const dir = join(repo, 'dist', posix.dirname(from));
    const stem = posix.basename(from).replace(/\.(ts|js|mjs)$/, '');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name === `${stem}.js` || name.startsWith(`${stem}.js.`) || name.startsWith(`${stem}.d.ts`)) {
        rmSync(join(dir, name));
        removed++;
      }
    }
  }
  return removed;
}

function git(repo, args) {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
}

function main(argv) {
  const apply = argv.includes('--apply');
  const at = argv.indexOf('--repo');
  const repo = resolve(at >= 0 ? (argv[at + 1] ?? '') : process.cwd());
  const unknown = argv.filter((a, i) => a.startsWith('--') && a !== '--apply' && a !== '--repo' && argv[i - 1] !== '--repo');
  if (unknown.length > 0 || (at >= 0 && argv[at + 1] === undefined)) {
    process.stderr.write('usage: node scripts/rename-files.mjs [--apply] [--repo DIR]\n');
    return 2;
  }
  const files = git(repo, ['ls-files']).split('\n').filter(Boolean);
  const tracked = new Set(files);
  const renames = planRenames(files);
  for (const to of renames.values()) {
    if (tracked.has(to)) {
      process.stderr.write(`rename-files: ${to} already exists; rename by hand first\n`);
      return 2;
    }
  }
  const edits = [];
  for (const f of files) {
    if (!TEXT_EXT.test(f) || f.includes('node_modules/') || f === 'scripts/rename-files.mjs') continue;
    const text = readFileSync(join(repo, f), 'utf8');
    const r = f.endsWith('.md') ? rewriteDocPaths(text, renames) : rewriteSpecifiers(f, text, renames, tracked);
    const bare = rewriteBareNames(r.text, renames);
    if (r.count + bare.count > 0) edits.push({ file: f, text: bare.text, count: r.count + bare.count });
  }
  for (const [from, to] of renames) process.stdout.write(`git mv ${from} ${to}\n`);
  for (const e of edits) process.stdout.write(`rewrite ${e.file} (${e.count} reference${e.count === 1 ? '' : 's'})\n`);
  if (!apply) {
    process.stdout.write(`${renames.size} renames, ${edits.length} files to rewrite; dry run (use --apply)\n`);
    return 0;
  }
  // Rewrite first (paths as they are now), then move.
  for (const e of edits) writeFileSync(join(repo, e.file), e.text);
  for (const [from, to] of renames) git(repo, ['mv', from, to]);
  const stale = removeStaleBuild(repo, renames.keys());
  process.stdout.write(`${renames.size} files renamed, ${edits.length} files rewritten, ${stale} stale build files removed; now build and test\n`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(dirname(new URL(import.meta.url).pathname), 'rename-files.mjs')) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`rename-files: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 3;
  }
}
