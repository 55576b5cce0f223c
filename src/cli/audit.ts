/** `iamsim audit`: a thin shell over src/audit. */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../package.js';
import { runAudit, type Severity } from '../audit/index.js';
import { toHtml } from '../audit/html.js';
import { atOrAbove, SEVERITIES, toJson, toSarif, toText } from '../audit/render.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import { loadModel } from './account.js';
import { EXIT, guarded, type Io } from './io.js';

export const AUDIT_HELP = `Usage: iamsim audit (--account FILE… | --db PATH) [--format text|json|sarif|html] [--fail-on LEVEL]

Audits every principal of the model (all accounts and files together, one universe):
  - admin: allowed every action on every resource, or able to grant itself that;
  - escalation paths to admin, shortest first (assume role, pass role to a service that runs code,
    policy and policy-version edits, credentials of other users, group membership, trust-policy edits,
    code on existing compute), each step with the statement that allows it;
  - cloudsplaining's risk categories (credentials exposure, data exfiltration, resource exposure,
    infrastructure modification) on every resource;
  - resource and trust policies open to anyone, to any AWS account, to any GitHub repository or Cognito
    identity pool, or to principals of other accounts (with the conditions they set themselves);
  - what cannot be decided (to review) and policies that cannot be read (named; the rest is audited).
Every decision is made by the evaluator; see docs/audit.md.

  --account FILE…      account files read into memory (anything 'iamsim account import' takes)
  --db PATH            an iamsim database (default: $IAMSIM_DB, else .iamsim/iamsim.db)
  --format F           text (default), json, sarif or html (one self-contained page)
  --fail-on LEVEL      ERROR (default), SECURITY_WARNING, WARNING or SUGGESTION
  --at TIME            decide time conditions at this ISO 8601 time (default: now)

Exit codes: 0 no finding at or above --fail-on, 1 some, 2 bad input.
`;

const FORMATS = ['text', 'json', 'sarif', 'html'] as const;
type Format = (typeof FORMATS)[number];

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../../package.json') as { version: string }).version;
}

/** The HTML report's page script (src/web/audit-report.ts, bundled into dist/web by npm run build); undefined when missing. */
function reportScript(): string | undefined {
  const file = join(packageRoot(), 'dist', 'web', 'audit-report.js');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

export async function auditCommand(argv: readonly string[], io: Io): Promise<number> {
  return guarded('audit', io, async () => {
    const args = parseArgs(argv, new Set(['help']));
    if (has(args, 'help')) {
      io.stdout.write(AUDIT_HELP);
      return EXIT.OK;
    }
    checkKnown(args, new Set(['account', 'db', 'format', 'output', 'fail-on', 'at', 'help']), 'audit');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}; files go after --account`);
    const format = (flag(args, 'format') ?? flag(args, 'output') ?? 'text') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${JSON.stringify(format)}`);
    const failOn = (flag(args, 'fail-on') ?? 'ERROR').toUpperCase() as Severity;
    if (!SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
    const atText = flag(args, 'at');
    const at = atText !== undefined ? new Date(atText) : new Date();
    if (Number.isNaN(at.getTime())) throw new UsageError(`--at: not an ISO 8601 time: ${JSON.stringify(atText)}`);
    const script = format === 'html' ? reportScript() : '';
    if (script === undefined) {
      io.stderr.write("audit: the HTML report's script dist/web/audit-report.js is missing from this installation (npm run build makes it)\n");
      return EXIT.INTERNAL;
    }
    const u = await loadModel(args, io);
    if (u === undefined) return EXIT.BAD_INPUT;
    const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
    let last = 0;
    const report = await runAudit(u, {
      at,
      ...(tty
        ? {
            onProgress: (phase: string, done: number, total: number): void => {
              const now = Date.now();
              if (now - last < 100 && done < total) return;
              last = now;
              io.stderr.write(`\r\x1b[Kaudit: ${phase} ${done}/${total}`);
            },
          }
        : {}),
    });
    if (tty) io.stderr.write('\r\x1b[K');
    const uri = (f: string): string => (relative(process.cwd(), f) || f).replaceAll('\\', '/');
    if (format === 'json') io.stdout.write(`${JSON.stringify(toJson(report), null, 2)}\n`);
    else if (format === 'sarif') io.stdout.write(`${JSON.stringify(toSarif(report, version(), uri), null, 2)}\n`);
    else if (format === 'html') io.stdout.write(toHtml(report, script));
    else io.stdout.write(toText(report));
    return atOrAbove(report.findings, failOn).length > 0 ? EXIT.DENIED : EXIT.OK;
  });
}
