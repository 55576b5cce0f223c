/**
 * The process of `iamsim simulate` and `iamsim simulate-custom-policy` (launch.ts picks it), bundled by esbuild as
 * the CommonJS file dist/cli/simulate.cjs with everything the command needs, its batch engine included.
 */
import { processIo } from './io.js';
import { runAsProcess, runCommand } from './run.js';
import { simulateCommand, simulateCustomPolicyCommand } from './simulate.js';

const [name = 'simulate', ...rest] = process.argv.slice(2);
const command = name === 'simulate-custom-policy' ? simulateCustomPolicyCommand : simulateCommand;
runAsProcess(() => runCommand(name, async () => command, rest, processIo));
