/**
 * Running a CommonJS bundle of the command line with V8's code cache: the
 * bytecode of the bundle's functions as compiled during a representative run,
 * saved beside the bundle at build time (scripts/build-cli.mjs), so a short
 * command skips most of parsing and compiling its code. V8 checks that the
 * cache belongs to the same source, V8 version and flags; a cache that does not
 * (another Node.js, other flags) or none at all only means the source is
 * compiled as usual.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { constants, Script } from 'node:vm';

/** Where a bundle's code cache lives. */
export function codeCachePath(file: string): string {
  return `${file}.v8cache`;
}

type ModuleBody = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

/** Compiles a CommonJS file as Node.js wraps it, with its code cache when there is one. */
export function compileCommonJs(file: string, cachedData?: Buffer): Script {
  const source = readFileSync(file, 'utf8');
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
}

/** Runs a compiled CommonJS file as a module of its own. */
export function runCommonJs(script: Script, file: string): void {
  const body = script.runInThisContext() as ModuleBody;
  const module = { exports: {} };
  body.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
}

/** Loads and runs a CommonJS bundle with its code cache, if any. */
export function loadCommonJs(file: string): void {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(codeCachePath(file));
  } catch {
    // No cache (a build without it): compile from the source.
  }
  runCommonJs(compileCommonJs(file, cachedData), file);
}
