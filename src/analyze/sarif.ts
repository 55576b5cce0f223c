/**
 * SARIF 2.1.0 output (OASIS Static Analysis Results Interchange Format), the
 * format code-scanning UIs import: one run, the registry as the tool's rules,
 * one result per finding with a physical (line/column) and a logical (JSON
 * path) location.
 */
import { formatJsonPath } from '../diagnostics/diagnostic.js';
import { sarifLevel, sarifLog } from '../diagnostics/sarif.js';
import type { Finding } from './finding.js';
import { learnMoreLink } from './finding.js';
import { ISSUE_CODES, RULES } from './registry.js';

export { type SarifLevel, sarifLevel } from '../diagnostics/sarif.js';

export interface SarifOptions {
  readonly toolVersion?: string;
  /** Turns a finding's file into the artifact URI (default: as given, with forward slashes). */
  readonly uri?: (file: string) => string;
}

const pascal = (code: string): string =>
  code
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

export function toSarif(findings: readonly Finding[], options: SarifOptions = {}): object {
  const index = new Map<string, number>(ISSUE_CODES.map((c, i) => [c, i]));
  const rules = ISSUE_CODES.map((code) => {
    const rule = RULES[code];
    const security = rule.findingType === 'SECURITY_WARNING';
    return {
      id: code,
      name: pascal(code),
      shortDescription: { text: rule.summary },
      helpUri: learnMoreLink(code),
      help: { text: `${rule.summary}. See ${learnMoreLink(code)}.`, markdown: `${rule.summary}. See [${code}](${learnMoreLink(code)}).` },
      defaultConfiguration: { level: sarifLevel(rule.findingType) },
      properties: {
        findingType: rule.findingType,
        tags: security ? ['security', 'iam', rule.family] : ['iam', rule.family],
        ...(security ? { 'security-severity': '7.0' } : {}),
      },
    };
  });
  const toUri = options.uri ?? ((f: string) => f.replaceAll('\\', '/'));
  const results = findings.map((f) => ({
    ruleId: f.issueCode,
    ...(index.has(f.issueCode) ? { ruleIndex: index.get(f.issueCode) } : {}),
    level: sarifLevel(f.findingType),
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(f.file ?? 'policy.json') },
          region: {
            startLine: f.span.start.line,
            startColumn: f.span.start.column,
            endLine: f.span.end.line,
            endColumn: f.span.end.column,
          },
        },
        // With lint --account/--db the policy (and the principal) comes first: `ROLE_ARN (inline policy NAME).Statement[0]`.
        logicalLocations: [
          ...(f.policy !== undefined ? [{ fullyQualifiedName: f.policy, kind: 'object' }] : []),
          { fullyQualifiedName: formatJsonPath(f.path), kind: 'element' },
        ],
      },
    ],
    properties: { findingType: f.findingType, ...(f.policy !== undefined ? { policy: f.policy } : {}) },
  }));
  return sarifLog({ name: 'iamsim', ...(options.toolVersion !== undefined ? { version: options.toolVersion } : {}), rules }, results);
}
