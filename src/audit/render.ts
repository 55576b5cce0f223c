/** Text, JSON and SARIF renderings of an audit report (HTML: html.ts). */
import type { CitedStatement } from '../authz/queries.js';
import type { AuditedPrincipal, AuditFinding, AuditReport, Severity } from './index.js';
import type { Step } from './graph.js';
import { pathEnd } from './paths.js';

export { pathEnd };
import { sarifLevel, sarifLog } from '../diagnostics/sarif.js';

export const SEVERITIES: readonly Severity[] = ['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION'];

/** Findings at or above `threshold` (ERROR is the highest). */
export function atOrAbove(findings: readonly AuditFinding[], threshold: Severity): AuditFinding[] {
  const max = SEVERITIES.indexOf(threshold);
  return findings.filter((f) => SEVERITIES.indexOf(f.severity) <= max);
}

export function statementText(s: CitedStatement | undefined): string {
  if (s === undefined) return '';
  const stmt = s.sid !== undefined ? `Sid ${JSON.stringify(s.sid)}` : `statement #${s.index + 1}`;
  return `${s.effect} ${stmt} in ${s.policyName}${s.file !== undefined ? ` [${s.file}${s.line !== undefined ? `:${s.line}` : ''}]` : ''}`;
}

export function stepText(s: Step): string {
  const by = s.statement ? ` — ${statementText(s.statement)}` : '';
  return `${s.principal}: ${s.action} on ${s.resource}${s.note ? ` (${s.note})` : ''}${by}`;
}

/**
 * The one definition of admin every rendering uses (AuditedPrincipal.isAdmin):
 * allowed every action on every resource, or able to grant itself that by its
 * own steps. Says which.
 */
export function adminsOf(r: AuditReport): { arn: string; how: 'allowed everything' | 'can grant itself everything' }[] {
  return r.principals
    .filter((p) => p.isAdmin)
    .map((p) => ({ arn: p.arn, how: p.allowedEverything ? ('allowed everything' as const) : ('can grant itself everything' as const) }));
}

/** A principal as the JSON report shows it. */
export function principalJson(p: AuditedPrincipal): object {
  return {
    arn: p.arn,
    type: p.type,
    account: p.account,
    isAdmin: p.isAdmin,
    allowedEverything: p.allowedEverything,
    canEscalate: p.canEscalate,
    paths: p.paths.map((x) => ({
      technique: x.technique,
      techniques: x.techniques,
      target: x.target,
      ...(x.grantedBy !== undefined ? { grantedBy: x.grantedBy } : {}),
      length: x.length,
      hops: x.hops,
      assumesExistingResource: x.assumesExistingResource,
      steps: x.steps,
    })),
    risks: p.risks,
  };
}

/** The JSON document `--format json` prints. */
export function toJson(r: AuditReport): object {
  return {
    generatedAt: r.generatedAt,
    accounts: r.accounts,
    principals: r.principals.map(principalJson),
    exposures: r.exposures,
    unreadable: r.unreadable,
    findings: r.findings,
    stats: r.stats,
  };
}

/**
 * `--format jsonl`: one JSON object a line, whose one key says what it holds —
 * `audit` (the time and accounts, first), `principal` (one a line, written as
 * each is audited), then `exposure`, `unreadable`, `finding`, and `stats` last;
 * each value is what the JSON report holds in that list.
 */
export function jsonlHead(generatedAt: string, accounts: readonly string[]): string {
  return `${JSON.stringify({ audit: { generatedAt, accounts } })}\n`;
}

export function jsonlPrincipal(p: AuditedPrincipal): string {
  return `${JSON.stringify({ principal: principalJson(p) })}\n`;
}

export function* jsonlTail(r: AuditReport): Generator<string> {
  for (const e of r.exposures) yield `${JSON.stringify({ exposure: e })}\n`;
  for (const u of r.unreadable) yield `${JSON.stringify({ unreadable: u })}\n`;
  for (const f of r.findings) yield `${JSON.stringify({ finding: f })}\n`;
  yield `${JSON.stringify({ stats: r.stats })}\n`;
}

export function toText(r: AuditReport): string {
  const lines: string[] = [];
  const admins = adminsOf(r);
  const esc = r.principals.filter((p) => p.canEscalate);
  const outright = admins.filter((a) => a.how === 'allowed everything').length;
  lines.push(
    `Audited ${r.principals.length} principals in ${r.accounts.length} account(s): ${admins.length} admin (${outright} allowed everything, ${admins.length - outright} can grant themselves everything), ${esc.length} can escalate, ${r.exposures.length} exposures.`,
  );
  if (admins.length > 0) {
    lines.push('', 'Admin (allowed every action on every resource, or able to grant itself that):');
    for (const a of admins) lines.push(`  ${a.arn} — ${a.how}`);
  }
  if (esc.length > 0) {
    lines.push('', 'Can escalate to admin (shortest path first):');
    for (const p of esc) {
      const first = p.paths[0];
      if (!first) continue;
      lines.push(
        `  ${p.arn}`,
        `    via ${first.technique} → ${pathEnd(p.arn, first)} in ${first.length} step(s)${first.assumesExistingResource ? ' (needs an existing resource running as that role)' : ''}`,
      );
      for (const s of first.steps) lines.push(`      ${stepText(s)}`);
      if (p.paths.length > 1) lines.push(`    and ${p.paths.length - 1} more path(s)`);
    }
  }
  const other = r.findings.filter((f) => f.code !== 'PRIVILEGE_ESCALATION' && f.code !== 'ADMIN_PRINCIPAL');
  if (other.length > 0) {
    lines.push('', 'Findings:');
    for (const f of other) lines.push(`  ${f.severity.padEnd(16)} ${f.code.padEnd(20)} ${f.message}`);
  }
  lines.push('', `${r.stats.edges} graph edges, ${r.stats.evaluations} requests decided in ${r.stats.milliseconds} ms.`);
  return `${lines.join('\n')}\n`;
}

const RULES: Record<AuditFinding['code'], string> = {
  PRIVILEGE_ESCALATION: 'A principal can reach admin permissions through a chain of allowed actions',
  POTENTIAL_PRIVILEGE_ESCALATION: "A principal's policies allow an escalation technique that the model holds no target for",
  ADMIN_PRINCIPAL: 'A principal is allowed every action on every resource',
  PUBLIC_ACCESS: 'A resource or trust policy lets anyone, any AWS account, or anyone a public identity provider vouches for in',
  CROSS_ACCOUNT_ACCESS: 'A resource or trust policy lets another account, or its principal or identity provider, in',
  UNREADABLE_POLICY: 'A policy of the model cannot be read, so what it allows or exposes is not audited',
  EXPOSURE_NEEDS_REVIEW: 'Whether a resource or trust policy lets outsiders in could not be decided: review it',
  RISKY_PERMISSIONS: 'A principal is allowed credential, data or permission actions on every resource',
};

export interface Location {
  readonly file: string;
  readonly line: number;
}

/** Where a principal's finding points: the file and line of the first step of its first path that cites one. */
export function principalLocation(p: AuditedPrincipal): Location | undefined {
  const st = p.paths[0]?.steps.find((s) => s.statement?.file !== undefined)?.statement;
  return st?.file !== undefined ? { file: st.file, line: st.line ?? 1 } : undefined;
}

function sarifDriver(toolVersion: string): { driver: object; codes: AuditFinding['code'][] } {
  const codes = Object.keys(RULES) as AuditFinding['code'][];
  const driver = {
    name: 'iamsim audit',
    version: toolVersion,
    informationUri: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/',
    rules: codes.map((id) => ({ id, shortDescription: { text: RULES[id] }, properties: { tags: ['security', 'iam'] } })),
  };
  return { driver, codes };
}

function sarifResult(f: AuditFinding, codes: readonly AuditFinding['code'][], loc: Location | undefined, uri: (file: string) => string): object {
  return {
    ruleId: f.code,
    ruleIndex: codes.indexOf(f.code),
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [
      {
        ...(loc ? { physicalLocation: { artifactLocation: { uri: uri(loc.file) }, region: { startLine: loc.line } } } : {}),
        logicalLocations: [{ fullyQualifiedName: f.subject, kind: 'resource' }],
      },
    ],
    properties: { severity: f.severity },
  };
}

/** A finding's location: its own, else its principal's (`principals` by ARN). */
function locate(f: AuditFinding, principals: ReadonlyMap<string, Location | undefined>): Location | undefined {
  if (f.file !== undefined) return { file: f.file, line: f.line ?? 1 };
  return principals.get(f.subject);
}

export function toSarif(r: AuditReport, toolVersion: string, uri: (file: string) => string): object {
  const { driver, codes } = sarifDriver(toolVersion);
  const principals = new Map(r.principals.map((p) => [p.arn, principalLocation(p)]));
  return sarifLog(
    driver,
    r.findings.map((f) => sarifResult(f, codes, locate(f, principals), uri)),
  );
}

/**
 * The SARIF log of toSarif, as pieces to write one after another (one result
 * a piece): no single string of the whole log. `principals` gives the
 * location of principals' findings (collected while the principals were streamed).
 */
export function* sarifChunks(
  findings: readonly AuditFinding[],
  principals: ReadonlyMap<string, Location | undefined>,
  toolVersion: string,
  uri: (file: string) => string,
): Generator<string> {
  const { driver, codes } = sarifDriver(toolVersion);
  const envelope = JSON.stringify(sarifLog(driver, []), null, 2);
  const at = envelope.lastIndexOf('"results": []');
  yield `${envelope.slice(0, at)}"results": [`;
  let first = true;
  for (const f of findings) {
    yield `${first ? '' : ','}\n        ${JSON.stringify(sarifResult(f, codes, locate(f, principals), uri))}`;
    first = false;
  }
  yield `${first ? '' : '\n      '}]${envelope.slice(at + '"results": []'.length)}\n`;
}
