/** The `iamsim` command: a thin shell over the library. */
import { createRequire } from 'node:module';
import { EXIT, guarded, processIo, type Io } from './io.js';
import { simulateCommand, simulateCustomPolicyCommand } from './simulate.js';
import { lintCommand } from './lint.js';
import { generateCommand } from './generate.js';
import { preflightCommand } from './preflight.js';
import { accountCommand } from './account.js';
import { simulatePrincipalPolicyCommand } from './simulate-principal.js';
import { compareCommand, discoverCommand } from './compare.js';
import { checkAccessNotGrantedCommand, checkNoNewAccessCommand, checkNoPublicAccessCommand } from './reason.js';
import { serveCommand } from './serve.js';
import { assumeChainCommand, rolesAssumableByCommand, whoCanCommand } from './query.js';
import { auditCommand } from './audit.js';

type Command = (argv: readonly string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  simulate: { run: simulateCommand, summary: 'evaluate a SimulateCustomPolicy-shaped JSON request (or a JSON Lines batch)' },
  'simulate-custom-policy': { run: simulateCustomPolicyCommand, summary: "the AWS CLI's simulate-custom-policy, offline" },
  'simulate-principal-policy': { run: simulatePrincipalPolicyCommand, summary: "the AWS CLI's simulate-principal-policy, against imported accounts" },
  account: { run: accountCommand, summary: 'import AWS CLI outputs and bundles into the store; list, show, remove accounts' },
  'who-can': { run: whoCanCommand, summary: 'who can assume or pass a role (and to which services)' },
  'roles-assumable-by': { run: rolesAssumableByCommand, summary: 'the roles a service principal can assume' },
  'assume-chain': { run: assumeChainCommand, summary: 'decide a role chain hop by hop, with session tags' },
  generate: { run: generateCommand, summary: 'write least-privilege policies: execution-role, mlspace-notebook, from-cloudtrail' },
  preflight: { run: preflightCommand, summary: 'check a workflow (notebook job, IoT container, SageMaker roles, MLSpace) against an account; suggest fixes' },
  audit: { run: auditCommand, summary: 'audit whole accounts: admins, escalation paths, risky permissions, public and cross-account access' },
  serve: { run: serveCommand, summary: "serve AWS's IAM and Access Analyzer APIs, a decision API and the console over HTTP" },
  lint: { run: lintCommand, summary: 'check policies like IAM Access Analyzer, offline (text|json|sarif)' },
  'check-no-new-access': { run: checkNoNewAccessCommand, summary: "Access Analyzer's check: does a new policy grant access the existing one does not?" },
  'check-access-not-granted': { run: checkAccessNotGrantedCommand, summary: "Access Analyzer's check: can a policy ever grant these actions/resources?" },
  'check-no-public-access': { run: checkNoPublicAccessCommand, summary: "Access Analyzer's check: can a resource policy grant public access?" },
  compare: { run: compareCommand, summary: 'compare two policies or policy sets over all requests, with counterexamples' },
  discover: { run: discoverCommand, summary: 'the context under which a denied request would be allowed' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(26)} ${c.summary}`);
  return `Usage: iamsim <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'iamsim <command> --help' for a command's options.\n`;
}

function version(): string {
  const require = createRequire(import.meta.url);
  const pkg = require('../../../package.json') as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? EXIT.BAD_INPUT : EXIT.OK;
  }
  if (name === '--version' || name === 'version') {
    io.stdout.write(`iamsim ${version()}\n`);
    return EXIT.OK;
  }
  const cmd = COMMANDS[name];
  if (cmd === undefined) {
    io.stderr.write(`iamsim: unknown command ${JSON.stringify(name)}\n${usage()}`);
    return EXIT.BAD_INPUT;
  }
  return guarded(name, io, () => cmd.run(rest, io));
}
