// Writes a CommonJS bundle's V8 code cache (src/cli/code-cache.ts) after running it once on the given arguments,
// so the cache holds the functions a run compiles. Used by build-cli.mjs: node scripts/make-code-cache.mjs FILE ARG…
import { writeFileSync } from 'node:fs';
import { codeCachePath, compileCommonJs, runCommonJs } from '../dist/src/cli/code-cache.js';

const [file, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], file, ...args];
const script = compileCommonJs(file);
process.on('exit', (code) => {
  if (code === 0) writeFileSync(codeCachePath(file), script.createCachedData());
});
runCommonJs(script, file);
