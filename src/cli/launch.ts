/**
 * The executable's first step (bin/iamsim.js), bundled by esbuild as the CommonJS file dist/cli/launch.cjs: the
 * help and the version are answered from here, without the ES module loader or any command's code; a one-shot
 * `simulate`/`simulate-custom-policy` runs from its own CommonJS bundle (dist/cli/simulate.cjs, simulate-process.ts),
 * one file, with V8's code cache made at build time (code-cache.ts); every other command loads the command line's ES module bundle (dist/cli/iamsim.js,
 * bin.ts). Start-up is most of a short run (bench row (g)). Only meaningful as that bundle: the paths are its
 * neighbours in dist/cli/.
 */
import { fileURLToPath } from 'node:url';
import { loadCommonJs } from './code-cache.js';
import { exitQuietlyOnBrokenPipe } from './broken-pipe.js';
import { generalAnswer } from './usage.js';

const argv = process.argv.slice(2);
const general = generalAnswer(argv);
if (general !== undefined) {
  exitQuietlyOnBrokenPipe(process.stdout);
  process.stdout.write(general.text);
  process.exitCode = general.code;
} else if (argv[0] === 'simulate' || argv[0] === 'simulate-custom-policy') {
  loadCommonJs(fileURLToPath(new URL('./simulate.cjs', import.meta.url)));
} else {
  void import(new URL('./iamsim.js', import.meta.url).href);
}
