/**
 * The command line's help and version text, and the arguments answered with
 * them alone. Kept apart from the commands (main.ts) so that the executable
 * answers `iamsim --help` and `iamsim --version` without loading any command
 * (launch.ts).
 */
import { packageVersion } from '../package.js';

/** Every command with its one-line summary, in help order. */
export const COMMAND_SUMMARIES: Readonly<Record<string, string>> = Object.freeze({
  simulate: 'evaluate a SimulateCustomPolicy-shaped JSON request (or a JSON Lines batch)',
  'simulate-custom-policy': "the AWS CLI's simulate-custom-policy, offline",
  'simulate-principal-policy': "the AWS CLI's simulate-principal-policy, against imported accounts",
  account: 'import AWS CLI outputs and bundles into the store; list, show, remove accounts',
  'who-can': 'who can assume or pass a role (and to which services)',
  'roles-assumable-by': 'the roles a service principal can assume',
  'assume-chain': 'decide a role chain hop by hop, with session tags',
  generate: 'write least-privilege policies: execution-role, mlspace-notebook, from-cloudtrail',
  preflight: 'check a workflow (notebook job, IoT container, SageMaker roles, MLSpace) against an account; suggest fixes',
  'explain-denied': 'explain an AccessDenied message or CloudTrail record against the model: cause, agreement, verified fix',
  audit: 'audit whole accounts: admins, escalation paths, risky permissions, public and cross-account access',
  worker: "run partitions of 'audit --queue' audits from a PostgreSQL job queue (on any machine)",
  serve: "serve AWS's IAM and Access Analyzer APIs, a decision API and the console over HTTP",
  'validate-policy': "the AWS CLI's accessanalyzer validate-policy, offline (Access Analyzer's response shape)",
  lint: 'check policies like IAM Access Analyzer, offline (text|json|sarif)',
  compare: 'compare two policies or policy sets over all requests, with counterexamples',
  discover: 'the context under which a denied request would be allowed',
  'check-no-new-access': "Access Analyzer's check: does a new policy grant access the existing one does not?",
  'check-access-not-granted': "Access Analyzer's check: can a policy ever grant these actions/resources?",
  diff: 'what a Terraform plan, CloudFormation/SAM template or CDK app change grants: new access, escalation, exposure',
  'check-no-public-access': "Access Analyzer's check: can a resource policy grant public access?",
});

/** The command names, in help order. */
export function commandNames(): string[] {
  return Object.keys(COMMAND_SUMMARIES);
}

export function usage(): string {
  const lines = Object.entries(COMMAND_SUMMARIES).map(([name, summary]) => `  ${name.padEnd(26)} ${summary}`);
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

/** What the arguments ask when they name no command: the help (exit 0, or 2 when nothing was given) or the version. */
export function generalAnswer(argv: readonly string[]): { readonly text: string; readonly code: number } | undefined {
  const [name, next] = argv;
  if (name === undefined) return { text: usage(), code: 2 };
  if ((name === '--help' || name === '-h' || name === 'help') && (name !== 'help' || next === undefined)) return { text: usage(), code: 0 };
  if (name === '--version' || name === 'version') return { text: `iamsim ${packageVersion()}\n`, code: 0 };
  return undefined;
}
