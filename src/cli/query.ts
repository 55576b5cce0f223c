/**
 * Role queries over the model: `iamsim who-can assume|pass ROLE_ARN`,
 * `iamsim roles-assumable-by SERVICE_PRINCIPAL` and `iamsim assume-chain FROM ROLE…`
 * (see authz/queries.ts for the semantics).
 */
import { relative } from 'node:path';
import type { Tag } from '../account/model.js';
import type { Universe } from '../account/query.js';
import { assumeChain, type ChainResult } from '../authz/chain.js';
import {
  rolesAssumableBy,
  whoCanAssume,
  whoCanPass,
  type CitedStatement,
  type QueryDecision,
  type QueryOptions,
  type RoleQueryResult,
  type WhoCanPassResult,
} from '../authz/queries.js';
import type { ContextValue } from '../eval/request.js';
import { parseContextEntries } from '../simulate/validate.js';
import { checkKnown, flag, has, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { loadModel, outputFormat, singleValued } from './account.js';
import { EXIT, guarded, reportDiagnostics, type Io } from './io.js';
import { parseShorthand } from './shorthand.js';
import { cliContext, type CliContext } from './context.js';
import { customPolicyRequest } from './simulate.js';

const MODEL_HELP = `Model and output:
  --account FILE…          account files read into memory (anything 'iamsim account import' takes)
  --db PATH                an iamsim database (default: $IAMSIM_DB, else .iamsim/iamsim.db)
  --context-entries ENTRY… extra request context (shorthand or JSON, as for simulate-custom-policy)
  --no-derive-context      do not add the keys AWS derives (aws:PrincipalArn, aws:PrincipalTag/…, …)
  --format text|json       default text
`;

export const WHO_CAN_HELP = `Usage: iamsim who-can assume ROLE_ARN [options]
       iamsim who-can pass ROLE_ARN [--services SERVICE…] [options]

assume: every user and role in the model, and every service, account and identity provider the
        role's trust policy names, is checked for sts:AssumeRole on the role (the trust policy,
        and for IAM principals their own permissions; cross-account requests need both).
pass:   every user and role of the role's account is checked for iam:PassRole on the role, with
        iam:PassedToService set to each service in the trust policy and a list of common ones
        (sagemaker, events, lambda, ec2, glue, iotanalytics, ecs-tasks), plus --services.
Principals allowed only with context the request lacks are listed as conditional, with the keys.

${MODEL_HELP}Exit codes: 0 answered, 2 bad input (unknown role, bad file, missing database).
`;

export const ROLES_ASSUMABLE_HELP = `Usage: iamsim roles-assumable-by SERVICE_PRINCIPAL [options]

Lists the roles in the model whose trust policy lets the service principal (e.g.
sagemaker.amazonaws.com) call sts:AssumeRole, and those it could assume only with more context
(typically aws:SourceAccount or aws:SourceArn).

${MODEL_HELP}Exit codes: 0 answered, 2 bad input.
`;

export const ASSUME_CHAIN_HELP = `Usage: iamsim assume-chain FROM ROLE_ARN… [options]

Decides a chain of sts:AssumeRole calls: FROM (a user, role, session or service principal)
assumes the first role, that session assumes the next, and so on. Session tags passed on the
first call need sts:TagSession too; transitive tags persist through the chain.

  --tags TAG…                  session tags: Key=k,Value=v (AWS CLI shorthand) or k=v
  --transitive-tag-keys KEY…   keys of --tags to set as transitive
  --role-session-name NAME     default iamsim
${MODEL_HELP}Exit codes: 0 every hop allowed, 1 a hop is denied, 2 bad input.
`;

const MODEL_FLAGS = ['account', 'db', 'context-entries', 'no-derive-context', 'format', 'output', 'help'];

function queryOptions(args: ParsedArgs): QueryOptions {
  let context: Map<string, ContextValue> | undefined;
  if (has(args, 'context-entries')) {
    const problems: string[] = [];
    context = parseContextEntries(customPolicyRequest(args)['ContextEntries'], (path, msg) => problems.push(`${path.join('.')}: ${msg}`));
    if (problems.length > 0) throw new UsageError(`--context-entries: ${problems.join('; ')}`);
  }
  return { deriveContext: !has(args, 'no-derive-context'), ...(context ? { context } : {}) };
}

function where(s: CitedStatement): string {
  const stmt = s.sid !== undefined ? `Sid ${JSON.stringify(s.sid)}` : `statement #${s.index + 1}`;
  const name = s.policyName !== s.policyId ? ` (${s.policyName})` : '';
  const file = s.file !== undefined ? ` [${relative(process.cwd(), s.file) || s.file}${s.line !== undefined ? `:${s.line}` : ''}]` : '';
  return `${s.effect} ${stmt} in ${s.policyId}${name}${file}`;
}

function decisionLines(d: QueryDecision, subject: string): string[] {
  const label = d.decision === 'allowed' ? 'allowed    ' : 'conditional';
  const needs = d.missingContextValues.length > 0 ? ` — needs ${d.missingContextValues.join(', ')}` : '';
  const out = [`  ${label}  ${subject}${needs}`];
  for (const s of d.statements) out.push(`      ${where(s)}`);
  if (!d.modelled) out.push(`      note: ${d.reason}`);
  return out;
}

function renderRoleQuery(title: string, r: RoleQueryResult, subject: (d: QueryDecision) => string): string {
  const out = [`${title} (${r.action}), ${r.evaluated} checked:`];
  for (const d of [...r.allowed, ...r.conditional]) out.push(...decisionLines(d, subject(d)));
  if (r.allowed.length + r.conditional.length === 0) out.push('  none');
  return `${out.join('\n')}\n`;
}

function renderPass(r: WhoCanPassResult): string {
  const out = [`Who can pass ${r.role} (iam:PassRole), services checked: ${r.servicesChecked.join(', ')}`];
  for (const g of r.principals) {
    out.push(`  ${g.principal} (${g.kind})`);
    for (const d of g.services) out.push(`      ${d.service ?? ''}: allowed by ${d.statements.map(where).join('; ')}`);
    for (const d of g.conditional) out.push(`      ${d.service ?? ''}: conditional, needs ${d.missingContextValues.join(', ')}`);
  }
  if (r.principals.length === 0) out.push('  nobody');
  return `${out.join('\n')}\n`;
}

function write(io: Io, format: 'json' | 'text', value: unknown, text: () => string): void {
  io.stdout.write(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : text());
}

function unknownRole(io: Io, arn: string, u: Universe): number {
  reportDiagnostics(io, [
    {
      code: 'UNKNOWN_ROLE',
      severity: 'error',
      file: 'ROLE_ARN',
      line: 1,
      column: 1,
      path: [],
      message: `${arn} is not a role in the model (accounts loaded: ${[...u.accounts.keys()].join(', ') || 'none'})`,
    },
  ]);
  return EXIT.BAD_INPUT;
}

function parse(argv: readonly string[], booleans: string[]): ParsedArgs {
  return singleValued(parseArgs(argv, new Set(['help', 'no-derive-context', ...booleans])), ['db', 'format', 'output', 'role-session-name']);
}

export async function whoCanCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded('who-can', io, async () => {
    const args = parse(argv, []);
    if (has(args, 'help')) {
      io.stdout.write(WHO_CAN_HELP);
      return EXIT.OK;
    }
    checkKnown(args, new Set([...MODEL_FLAGS, 'services']), 'who-can');
    const [verb, roleArn, ...extra] = args.positionals;
    if ((verb !== 'assume' && verb !== 'pass') || roleArn === undefined || extra.length > 0) {
      throw new UsageError("usage: iamsim who-can assume|pass ROLE_ARN; see 'iamsim who-can --help'");
    }
    if (verb === 'assume' && has(args, 'services')) throw new UsageError('--services applies to who-can pass');
    const format = outputFormat(args, 'text');
    const opts = queryOptions(args);
    const u = await loadModel(args, io);
    if (u === undefined) return EXIT.BAD_INPUT;
    // This run's engine: principals' assembled policies kept across the query's requests, and its evaluator memo.
    const { assemblies, memo } = await cli.engine();
    if (verb === 'assume') {
      const r = whoCanAssume(u, roleArn, { ...opts, assemblies, memo });
      if (r === undefined) return unknownRole(io, roleArn, u);
      write(io, format, r, () => renderRoleQuery(`Who can assume ${r.role}`, r, (d) => `${d.principal} (${d.kind})`));
      return EXIT.OK;
    }
    const r = whoCanPass(u, roleArn, { ...opts, assemblies, memo, services: args.flags.get('services') ?? [] });
    if (r === undefined) return unknownRole(io, roleArn, u);
    write(io, format, r, () => renderPass(r));
    return EXIT.OK;
  });
}

export async function rolesAssumableByCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded('roles-assumable-by', io, async () => {
    const args = parse(argv, []);
    if (has(args, 'help')) {
      io.stdout.write(ROLES_ASSUMABLE_HELP);
      return EXIT.OK;
    }
    checkKnown(args, new Set(MODEL_FLAGS), 'roles-assumable-by');
    const [service, ...extra] = args.positionals;
    if (service === undefined || extra.length > 0) throw new UsageError('usage: iamsim roles-assumable-by SERVICE_PRINCIPAL');
    if (!/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i.test(service)) {
      throw new UsageError(`${JSON.stringify(service)} is not a service principal (e.g. sagemaker.amazonaws.com)`);
    }
    const format = outputFormat(args, 'text');
    const opts = queryOptions(args);
    const u = await loadModel(args, io);
    if (u === undefined) return EXIT.BAD_INPUT;
    // This run's engine: principals' assembled policies kept across the query's requests, and its evaluator memo.
    const { assemblies, memo } = await cli.engine();
    const r = rolesAssumableBy(u, service, { ...opts, assemblies, memo });
    write(io, format, r, () => renderRoleQuery(`Roles ${service} can assume`, r, (d) => d.resource));
    return EXIT.OK;
  });
}

/** `Key=k,Value=v` (AWS CLI shorthand) or `k=v`. */
export function parseTag(text: string): Tag {
  if (/^Key=/.test(text)) {
    const sh = parseShorthand(text);
    const key = sh['Key'];
    const value = sh['Value'];
    if (typeof key !== 'string' || typeof value !== 'string') throw new UsageError(`--tags: expected Key=k,Value=v, not ${JSON.stringify(text)}`);
    return { key, value };
  }
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--tags: expected Key=k,Value=v or k=v, not ${JSON.stringify(text)}`);
  return { key: text.slice(0, eq), value: text.slice(eq + 1) };
}

function renderChain(r: ChainResult): string {
  const out = [`Role chain from ${r.from}:`];
  for (const [i, h] of r.hops.entries()) {
    out.push(`  ${i + 1}. ${h.caller}`, `     -> ${h.role}: ${h.ok ? 'ALLOWED' : 'DENIED'}`);
    const show = (name: string, d: QueryDecision): void => {
      out.push(`     ${name}: ${d.decision}${d.missingContextValues.length > 0 ? ` (needs ${d.missingContextValues.join(', ')})` : ''} — ${d.reason}`);
      for (const s of d.statements) out.push(`       ${where(s)}`);
    };
    show('sts:AssumeRole', h.assume);
    if (h.tagSession) show('sts:TagSession', h.tagSession);
    if (h.ok) {
      const tags = Object.entries(h.principalTags)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      out.push(`     session ${h.sessionArn} (max ${h.maxSessionSeconds}s${h.chained ? ', role chaining' : ''})`);
      if (tags !== '') out.push(`     principal tags: ${tags}${h.transitiveTagKeys.length > 0 ? `; transitive: ${h.transitiveTagKeys.join(', ')}` : ''}`);
    }
  }
  out.push(r.ok ? 'The chain is allowed.' : `The chain stops at hop ${r.hops.length}.`);
  return `${out.join('\n')}\n`;
}

export async function assumeChainCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded('assume-chain', io, async () => {
    const args = parse(argv, []);
    if (has(args, 'help')) {
      io.stdout.write(ASSUME_CHAIN_HELP);
      return EXIT.OK;
    }
    checkKnown(args, new Set([...MODEL_FLAGS, 'tags', 'transitive-tag-keys', 'role-session-name']), 'assume-chain');
    const [from, ...roles] = args.positionals;
    if (from === undefined || roles.length === 0) throw new UsageError('usage: iamsim assume-chain FROM ROLE_ARN…');
    const format = outputFormat(args, 'text');
    const tags = (args.flags.get('tags') ?? []).map(parseTag);
    const sessionName = flag(args, 'role-session-name');
    const opts = {
      ...queryOptions(args),
      tags,
      transitiveTagKeys: args.flags.get('transitive-tag-keys') ?? [],
      ...(sessionName !== undefined ? { sessionName } : {}),
    };
    const u = await loadModel(args, io);
    if (u === undefined) return EXIT.BAD_INPUT;
    // This run's engine: principals' assembled policies kept across the query's requests, and its evaluator memo.
    const { assemblies, memo } = await cli.engine();
    const r = assumeChain(u, from, roles, { ...opts, assemblies, memo });
    if (r.problems.length > 0) {
      reportDiagnostics(
        io,
        r.problems.map((message) => ({ code: 'BAD_CHAIN', severity: 'error' as const, message, file: 'assume-chain', line: 1, column: 1, path: [] })),
      );
      return EXIT.BAD_INPUT;
    }
    write(io, format, r, () => renderChain(r));
    return r.ok ? EXIT.OK : EXIT.DENIED;
  });
}
