/**
 * `iamsim simulate-principal-policy`: the AWS CLI's `aws iam
 * simulate-principal-policy`, decided offline against imported accounts.
 * The decision itself is simulate/principal.ts (shared with `iamsim serve`).
 */
export { findPolicySource, simulateOne, simulatePrincipal, type PolicySource } from '../simulate/principal.js';
import { cliContext, type CliContext } from './context.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { findPolicySource, simulatePrincipal } from '../simulate/principal.js';
import { awsCliJson, warningLines } from '../simulate/aws-shape.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import { loadModel, outputFormat } from './account.js';
import { formatResponseText } from './format-text.js';
import { EXIT, guarded, reportDiagnostics, type Io } from './io.js';
import { customPolicyRequest, readCommandLineRequest } from './simulate.js';

export const SIMULATE_PRINCIPAL_HELP = `Usage: iamsim simulate-principal-policy --policy-source-arn ARN --action-names NAME… (--account FILE… | --db PATH) [options]

The AWS CLI's 'aws iam simulate-principal-policy', decided against imported accounts.
The source is a user, group or role: its inline and managed policies (for a user, also its
groups'), its permissions boundary, the SCPs on its account's path in the organization, the
resource's policy and the RCPs of the resource owner all come from the model.

AWS options:
  --policy-source-arn ARN                     user, group or role in the model
  --action-names NAME…
  --resource-arns ARN…                        default *
  --policy-input-list DOC…                    extra identity-based policies (JSON or file://path)
  --permissions-boundary-policy-input-list DOC   replaces the entity's boundary
  --resource-policy DOC                       replaces the modelled resource policy
  --resource-owner ARN                        owner account for ARNs without one (S3)
  --caller-arn ARN                            default: the source ARN (none for a group)
  --context-entries ENTRY…                    shorthand or JSON, as for simulate-custom-policy
  --cli-input-json JSON|file://path           the request as JSON (PolicySourceArn, ActionNames, …)
  --resource-handling-option, --max-items, --starting-token, --page-size (accepted, no effect)
Model:
  --account FILE…        account files read into memory (anything 'iamsim account import' takes)
  --db PATH              an iamsim database (default: $IAMSIM_DB, else .iamsim/iamsim.db)
iamsim extensions:
  --derive-context       add the keys AWS derives from the caller and resource (aws:PrincipalArn,
                         aws:PrincipalTag/…, aws:PrincipalOrgID, aws:ResourceAccount, …)
  --session-policy-input-list DOC…   session policies (the source must be a role)
  --vpc-endpoint-id vpce-…           the request goes through this modelled VPC endpoint
  --explain, --lenient, --format json|text (also --output)
Exit codes: 0 simulated, 2 bad input (unknown principal, bad file, missing database), 3 internal error.
`;

const FLAGS = new Set([
  'policy-source-arn',
  'policy-input-list',
  'permissions-boundary-policy-input-list',
  'action-names',
  'resource-arns',
  'resource-policy',
  'resource-owner',
  'caller-arn',
  'context-entries',
  'cli-input-json',
  'resource-handling-option',
  'max-items',
  'starting-token',
  'page-size',
  'account',
  'db',
  'derive-context',
  'session-policy-input-list',
  'vpc-endpoint-id',
  'explain',
  'lenient',
  'format',
  'output',
  'help',
  'no-cli-pager',
  'no-paginate',
  'region',
  'profile',
]);
const BOOLEANS = new Set(['derive-context', 'explain', 'lenient', 'help', 'no-cli-pager', 'no-paginate']);

function inputError(file: string, code: string, message: string): Diagnostic {
  return { code, severity: 'error', message, file, line: 1, column: 1, path: [] };
}

export async function simulatePrincipalPolicyCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded('simulate-principal-policy', io, async () => {
    const args = parseArgs(argv, BOOLEANS);
    if (has(args, 'help')) {
      io.stdout.write(SIMULATE_PRINCIPAL_HELP);
      return EXIT.OK;
    }
    checkKnown(args, FLAGS, 'simulate-principal-policy');
    const format = outputFormat(args, 'json');
    const req = customPolicyRequest(args);
    const sourceArn = flag(args, 'policy-source-arn') ?? req['PolicySourceArn'];
    if (typeof sourceArn !== 'string' || sourceArn === '') throw new UsageError('--policy-source-arn is required: the ARN of a user, group or role');
    delete req['PolicySourceArn'];
    const engine = await cli.engine();
    const res = readCommandLineRequest(args, req, engine);
    if (reportDiagnostics(io, res.diagnostics) || res.request === undefined) return EXIT.BAD_INPUT;
    const u = await loadModel(args, io);
    if (u === undefined) return EXIT.BAD_INPUT;
    const source = findPolicySource(u, sourceArn);
    if (source === undefined) {
      const known = [...u.accounts.keys()].join(', ') || 'none';
      reportDiagnostics(io, [
        inputError('--policy-source-arn', 'UNKNOWN_PRINCIPAL', `${sourceArn} is not a user, group or role in the model (accounts loaded: ${known})`),
      ]);
      return EXIT.BAD_INPUT;
    }
    if (res.request.sessionPolicyInputList.length > 0 && source.kind !== 'role') {
      throw new UsageError('--session-policy-input-list needs a role as --policy-source-arn');
    }
    const vpce = flag(args, 'vpc-endpoint-id');
    const explain = has(args, 'explain') || format === 'text';
    const resp = simulatePrincipal(u, source, res.request, {
      policies: engine.policies,
      memo: engine.memo,
      deriveContext: has(args, 'derive-context'),
      explain,
      ...(vpce !== undefined ? { vpcEndpointId: vpce } : {}),
    });
    io.stdout.write(format === 'text' ? formatResponseText(resp) : explain ? `${JSON.stringify(resp, null, 2)}\n` : awsCliJson(resp));
    if (format === 'json' && !explain) io.stderr.write(warningLines(resp));
    return EXIT.OK;
  });
}
