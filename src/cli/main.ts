/** The `iamsim` command: a thin shell over the library. */
import { EXIT, guarded, processIo, type Io } from './io.js';
import { StoreOpenError } from '../account/store-error.js';
import { packageVersion } from '../package.js';
import { cliContext, type CliContext } from './context.js';

type Command = (argv: readonly string[], io: Io, cli: CliContext) => Promise<number>;

/**
 * Each command's module is imported when the command runs, so that `iamsim --help` or one command loads only
 * what it needs (start-up time is most of a short run).
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  simulate: {
    load: async () => (await import('./simulate.js')).simulateCommand,
    summary: 'evaluate a SimulateCustomPolicy-shaped JSON request (or a JSON Lines batch)',
  },
  'simulate-custom-policy': {
    load: async () => (await import('./simulate.js')).simulateCustomPolicyCommand,
    summary: "the AWS CLI's simulate-custom-policy, offline",
  },
  'simulate-principal-policy': {
    load: async () => (await import('./simulate-principal.js')).simulatePrincipalPolicyCommand,
    summary: "the AWS CLI's simulate-principal-policy, against imported accounts",
  },
  account: {
    load: async () => (await import('./account.js')).accountCommand,
    summary: 'import AWS CLI outputs and bundles into the store; list, show, remove accounts',
  },
  'who-can': { load: async () => (await import('./query.js')).whoCanCommand, summary: 'who can assume or pass a role (and to which services)' },
  'roles-assumable-by': { load: async () => (await import('./query.js')).rolesAssumableByCommand, summary: 'the roles a service principal can assume' },
  'assume-chain': { load: async () => (await import('./query.js')).assumeChainCommand, summary: 'decide a role chain hop by hop, with session tags' },
  generate: {
    load: async () => (await import('./generate.js')).generateCommand,
    summary: 'write least-privilege policies: execution-role, mlspace-notebook, from-cloudtrail',
  },
  preflight: {
    load: async () => (await import('./preflight.js')).preflightCommand,
    summary: 'check a workflow (notebook job, IoT container, SageMaker roles, MLSpace) against an account; suggest fixes',
  },
  'explain-denied': {
    load: async () => (await import('./explain-denied.js')).explainDeniedCommand,
    summary: 'explain an AccessDenied message or CloudTrail record against the model: cause, agreement, verified fix',
  },
  audit: {
    load: async () => (await import('./audit.js')).auditCommand,
    summary: 'audit whole accounts: admins, escalation paths, risky permissions, public and cross-account access',
  },
  worker: {
    load: async () => (await import('./worker.js')).workerCommand,
    summary: "run partitions of 'audit --queue' audits from a PostgreSQL job queue (on any machine)",
  },
  serve: {
    load: async () => (await import('./serve.js')).serveCommand,
    summary: "serve AWS's IAM and Access Analyzer APIs, a decision API and the console over HTTP",
  },
  'validate-policy': {
    load: async () => (await import('./validate-policy.js')).validatePolicyCommand,
    summary: "the AWS CLI's accessanalyzer validate-policy, offline (Access Analyzer's response shape)",
  },
  lint: { load: async () => (await import('./lint.js')).lintCommand, summary: 'check policies like IAM Access Analyzer, offline (text|json|sarif)' },
  compare: {
    load: async () => (await import('./compare.js')).compareCommand,
    summary: 'compare two policies or policy sets over all requests, with counterexamples',
  },
  discover: {
    load: async () => (await import('./compare.js')).discoverCommand,
    summary: 'the context under which a denied request would be allowed',
  },
  'check-no-new-access': {
    load: async () => (await import('./reason.js')).checkNoNewAccessCommand,
    summary: "Access Analyzer's check: does a new policy grant access the existing one does not?",
  },
  'check-access-not-granted': {
    load: async () => (await import('./reason.js')).checkAccessNotGrantedCommand,
    summary: "Access Analyzer's check: can a policy ever grant these actions/resources?",
  },
  diff: {
    load: async () => (await import('./diff.js')).diffCommand,
    summary: 'what a Terraform plan, CloudFormation/SAM template or CDK app change grants: new access, escalation, exposure',
  },
  'check-no-public-access': {
    load: async () => (await import('./reason.js')).checkNoPublicAccessCommand,
    summary: "Access Analyzer's check: can a resource policy grant public access?",
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(26)} ${c.summary}`);
  return (
    `Usage: iamsim <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n` +
    "Run 'iamsim <command> --help' (or -h, or 'iamsim help <command>') for a command's options.\n\n" +
    'Environment:\n  IAMSIM_DB     the account store when --db is not given (default .iamsim/iamsim.db)\n' +
    '  IAMSIM_DEBUG  print the stack trace of an internal error\n\n' +
    "Exit codes:\n  0 done (simulate: whatever the decisions)\n  1 lint: findings at or above --fail-on; preflight: a step not as expected;\n    explain-denied: iamsim disagrees with AWS's message\n" +
    '  2 bad input: one line per problem on stderr (file:line:column)\n  3 internal error (the decision fails closed)\n' +
    '  141 the output pipe was closed early (e.g. | head)\n\n' +
    'Documentation: README.md and docs/ (simulate.md, accounts.md, preflight.md, generate.md, lint/).\n'
  );
}

/** The command names, in help order. */
export function commandNames(): string[] {
  return Object.keys(COMMANDS);
}

function version(): string {
  return packageVersion();
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] !== undefined) return main([rest[0], '--help'], io);
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
  // A store that cannot be opened (a directory, not a database, a newer schema) is the user's input error.
  // -h is --help for every command (a command's own flags never use -h).
  const args = rest.map((a) => (a === '-h' ? '--help' : a));
  // One engine for the whole run, made when a command first asks for it.
  const cli = cliContext();
  return guarded(name, io, async () => (await cmd.load())(args, io, cli), [StoreOpenError]);
}
