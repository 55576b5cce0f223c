/** The `iamsim` command: a thin shell over the library. */
import { EXIT, type Io, processIo } from './io.js';
import { commandNames, generalAnswer, usage } from './usage.js';
import { runCommand, type Command } from './run.js';

export { commandNames };

/**
 * Each command's module is imported when the command runs, so that `iamsim --help` or one command loads only
 * what it needs (start-up time is most of a short run). Every command of COMMAND_SUMMARIES (usage.ts) has one.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  simulate: async () => (await import('./simulate.js')).simulateCommand,
  'simulate-custom-policy': async () => (await import('./simulate.js')).simulateCustomPolicyCommand,
  'simulate-principal-policy': async () => (await import('./simulate-principal.js')).simulatePrincipalPolicyCommand,
  account: async () => (await import('./account.js')).accountCommand,
  'who-can': async () => (await import('./query.js')).whoCanCommand,
  'roles-assumable-by': async () => (await import('./query.js')).rolesAssumableByCommand,
  'assume-chain': async () => (await import('./query.js')).assumeChainCommand,
  generate: async () => (await import('./generate.js')).generateCommand,
  preflight: async () => (await import('./preflight.js')).preflightCommand,
  'explain-denied': async () => (await import('./explain-denied.js')).explainDeniedCommand,
  audit: async () => (await import('./audit.js')).auditCommand,
  worker: async () => (await import('./worker.js')).workerCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  'validate-policy': async () => (await import('./validate-policy.js')).validatePolicyCommand,
  lint: async () => (await import('./lint.js')).lintCommand,
  compare: async () => (await import('./compare.js')).compareCommand,
  discover: async () => (await import('./compare.js')).discoverCommand,
  'check-no-new-access': async () => (await import('./reason.js')).checkNoNewAccessCommand,
  'check-access-not-granted': async () => (await import('./reason.js')).checkAccessNotGrantedCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  'check-no-public-access': async () => (await import('./reason.js')).checkNoPublicAccessCommand,
};

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  const general = generalAnswer(argv);
  if (general !== undefined) {
    io.stdout.write(general.text);
    return general.code;
  }
  if (name === 'help' && rest[0] !== undefined) return main([rest[0], '--help'], io);
  const load = name === undefined || !Object.hasOwn(COMMANDS, name) ? undefined : COMMANDS[name];
  if (name === undefined || load === undefined) {
    io.stderr.write(`iamsim: unknown command ${JSON.stringify(name)}\n${usage()}`);
    return EXIT.BAD_INPUT;
  }
  return runCommand(name, load, rest, io);
}
