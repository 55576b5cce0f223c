/**
 * The SARIF 2.1.0 envelope (OASIS Static Analysis Results Interchange Format)
 * shared by every report that writes SARIF (lint: analyze/sarif.ts; audit:
 * audit/render.ts): the log of one run, and the level of a finding type.
 */
export type SarifLevel = 'error' | 'warning' | 'note';

/** The SARIF level of a finding type (lint's findings and the audit's share these four). */
export function sarifLevel(type: 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION'): SarifLevel {
  if (type === 'ERROR') return 'error';
  return type === 'SUGGESTION' ? 'note' : 'warning';
}

/** A SARIF 2.1.0 log of one run: the tool's driver (name, version, rules, …) and its results. */
export function sarifLog(driver: object, results: readonly object[]): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver }, results }],
  };
}
