/**
 * The command line's process for every command the launcher (launch.ts) does not answer itself: bundled by esbuild
 * as dist/cli/iamsim.js, an ES module with a chunk per group of commands.
 */
import { main } from './main.js';
import { runAsProcess } from './run.js';

runAsProcess(() => main(process.argv.slice(2)));
