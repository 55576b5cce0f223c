/**
 * `iamsim compare A B` and `iamsim discover --input FILE`: thin shells over
 * src/reason/compare.ts and src/reason/discover.ts.
 */
import { dirname, resolve } from 'node:path';
import type { CheckResult } from '../reason/checks.js';
import type { Counterexample } from '../reason/confirm.js';
import { comparePolicies, type CompareResult } from '../reason/compare.js';
import { discover, type DiscoveryResult } from '../reason/discover.js';
import { statementText } from '../reason/discover-why.js';
import { NamedDocument, ReasonInputError } from '../reason/input.js';
import { readSimulateInputText } from '../simulate/input.js';
import { checkKnown, flag, formatOption, parseArgs, UsageError } from './args.js';
import { CHECK_EXIT, checkOptions, formatCheckText } from './reason.js';
import { guarded, readText, reportDiagnostics, type Io } from './io.js';
import { cliContext, type CliContext } from './context.js';

export const COMPARE_HELP = `Usage: iamsim compare A B [--policy-type IDENTITY_POLICY|RESOURCE_POLICY] [--format json|text] [--lenient] [--resource-types any]

Compares two policies (files, file://path or inline JSON) over all requests: equivalent, A allows
more, B allows more, or incomparable, with a counterexample (confirmed by the evaluator) for each
direction that holds, and the statements of B that add access. A or B may be a policy set in
'iamsim simulate' field names: {"PolicyInputList": [...], "PermissionsBoundaryPolicyInputList": [...],
"ServiceControlPolicyInputList": [[root...], [ou...], [account...]]}.
--lenient accepts comments and trailing commas (with a warning); --resource-types any answers as AWS does.
Exit codes: 0 equivalent, 1 not equivalent, 2 bad input, 3 internal error, 4 not decided. See docs/reason.md.
`;

export const DISCOVER_HELP = `Usage: iamsim discover --input FILE [--format json|text] [--lenient]

For a request in 'iamsim simulate' input shape: the context under which each action/resource
would be allowed (keys the request sends stay fixed, the others are free), with confirmed
examples; for a resource with wildcards, whether some or every matching resource is allowed.
--lenient accepts comments and trailing commas in the input (with a warning; without it they are errors).
Exit codes: 0 some alternative found, 1 none (never allowed), 2 bad input, 3 internal error, 4 not decided.
`;

function side(v: string): NamedDocument {
  if (v.startsWith('file://')) return new NamedDocument(readText(v.slice('file://'.length)), v.slice('file://'.length));
  if (v.trimStart().startsWith('{')) return new NamedDocument(v, 'inline');
  return new NamedDocument(readText(v), v);
}

/** Keys every counterexample carries (the request AWS would send); the JSON output has them, the one-line summary not. */
const ALWAYS_SENT = new Set([
  'aws:requestedregion',
  'aws:currenttime',
  'aws:epochtime',
  'aws:securetransport',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
]);

/** One line per counterexample: action, resource, caller and the context it needs. */
function counterexampleLine(c: Counterexample): string {
  const ctx = c.ContextEntries.filter((e) => !ALWAYS_SENT.has(e.ContextKeyName.toLowerCase())).map(
    (e) => `${e.ContextKeyName}=${e.ContextKeyValues.map((v) => JSON.stringify(v)).join(',')}`,
  );
  return `${c.ActionNames.join(', ')} on ${c.ResourceArns.join(', ')}${c.CallerArn !== undefined ? ` by ${c.CallerArn}` : ''}${ctx.length > 0 ? ` when ${ctx.join(' ')}` : ''}`;
}

/** Every counterexample class of a direction, grouped by the statement that causes it. */
function classesText(r: CheckResult): string[] {
  const out: string[] = [];
  for (const k of r.counterexampleClasses ?? []) {
    const sid = k.statementId !== undefined ? ` (Sid ${JSON.stringify(k.statementId)})` : '';
    out.push(
      `  ${k.policy} statement #${k.statementIndex + 1}${sid}: ${k.counterexamples.length} class${k.counterexamples.length === 1 ? '' : 'es'} of requests`,
    );
    for (const c of k.counterexamples) out.push(`    - ${counterexampleLine(c)}`);
  }
  return out;
}

function compareText(r: CompareResult): string {
  const out = [`relation: ${r.relation}`, '', 'Does B allow more than A?', formatCheckText(r.bAllowsMore).trimEnd(), ...classesText(r.bAllowsMore)];
  out.push('', 'Does A allow more than B?', formatCheckText(r.aAllowsMore).trimEnd(), ...classesText(r.aAllowsMore));
  return `${out.join('\n')}\n`;
}

export function compareCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded(
    'compare',
    io,
    async () => {
      const args = parseArgs(argv, new Set(['help', 'lenient']));
      if (args.flags.has('help')) {
        io.stdout.write(COMPARE_HELP);
        return CHECK_EXIT.PASS;
      }
      checkKnown(args, new Set(['policy-type', 'format', 'output', 'help', 'lenient', 'resource-types']), 'compare');
      const format = formatOption(args);
      const [a, b, ...extra] = args.positionals;
      if (a === undefined || b === undefined || extra.length > 0) throw new UsageError('give exactly two policies: iamsim compare A B');
      const baseDir = a.startsWith('{') ? process.cwd() : dirname(resolve(a.replace(/^file:\/\//, '')));
      const r = await comparePolicies(
        { a: side(a), b: side(b), policyType: flag(args, 'policy-type') ?? 'IDENTITY_POLICY', baseDir, ...checkOptions(args) },
        await (await cli.engine()).reasoning(),
      );
      if (format === 'text') for (const w of r.warnings ?? []) io.stderr.write(`${w}\n`);
      io.stdout.write(format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : compareText(r));
      return r.relation === 'equivalent' ? CHECK_EXIT.PASS : r.relation === 'unknown' ? CHECK_EXIT.UNKNOWN : CHECK_EXIT.FAIL;
    },
    [ReasonInputError],
  );
}

function discoverText(results: readonly DiscoveryResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`${r.action} on ${r.resource}${r.decisionAsGiven ? ` (as given: ${r.decisionAsGiven})` : ''}`);
    if (r.unknown !== undefined) out.push(`  not decided: ${r.unknown}`);
    else if (r.allowedWhen.length === 0) {
      out.push('  never allowed, whatever the context:');
      for (const why of r.neverAllowedBecause ?? []) {
        out.push(`    ${why.message}`);
        if (why.kind !== 'denied') for (const s of why.statements) out.push(`      - ${statementText(s)}`);
      }
    }
    r.allowedWhen.forEach((alt, i) => {
      out.push(`  allowed when (${i + 1}):`);
      for (const c of alt.conditions) out.push(`    ${c}`);
      if (alt.conditions.length === 0) out.push('    (no condition needed)');
      out.push(`    e.g. resource ${alt.example.ResourceArns.join(', ')}`);
    });
    if (r.truncated) out.push('  (more alternatives exist)');
    if (r.someResource !== undefined)
      out.push(`  some matching resource allowed: ${r.someResource ? 'yes' : 'no'}; every matching resource: ${r.everyResource ? 'yes' : 'no'}`);
  }
  return `${out.join('\n')}\n`;
}

export function discoverCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded(
    'discover',
    io,
    async () => {
      const args = parseArgs(argv, new Set(['help', 'lenient']));
      if (args.flags.has('help')) {
        io.stdout.write(DISCOVER_HELP);
        return CHECK_EXIT.PASS;
      }
      checkKnown(args, new Set(['input', 'format', 'output', 'help', 'lenient']), 'discover');
      const format = formatOption(args);
      const path = flag(args, 'input');
      if (path === undefined) throw new UsageError('--input FILE is required');
      const lenient = args.flags.has('lenient');
      const { request, diagnostics } = readSimulateInputText(readText(path), { file: path, baseDir: dirname(resolve(path)), lenient });
      if (
        reportDiagnostics(
          io,
          diagnostics.filter((d) => d.severity === 'error' || d.code.startsWith('LENIENT_')),
        ) ||
        request === undefined
      )
        return CHECK_EXIT.BAD_INPUT;
      const results = discover(request, await (await cli.engine()).reasoning());
      io.stdout.write(format === 'json' ? `${JSON.stringify({ results }, null, 2)}\n` : discoverText(results));
      if (results.some((r) => r.unknown !== undefined)) return CHECK_EXIT.UNKNOWN;
      return results.some((r) => r.allowedWhen.length > 0) ? CHECK_EXIT.PASS : CHECK_EXIT.FAIL;
    },
    [ReasonInputError],
  );
}
