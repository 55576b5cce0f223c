/**
 * Grammar check of every imported policy document with the policy parser.
 * AWS accepted these documents already, so findings are reported as
 * warnings (never blocking an import); the evaluator re-parses them anyway.
 * AWS managed policies from the offline data are not checked.
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { OriginFiles } from '../origin-position.js';
import type { PolicyType } from '../../policy/model.js';
import { parsePolicy } from '../../policy/parse.js';
import { impliesResource } from '../model.js';
import type { DocumentOrigin, ImportBatch, InlinePolicy, ResourceKind } from '../model.js';

interface Doc {
  readonly text: string;
  readonly type: PolicyType;
  readonly label: string;
  readonly origin?: DocumentOrigin | undefined;
  readonly kind?: ResourceKind;
}

function documentsOf(batch: ImportBatch): Doc[] {
  const docs: Doc[] = [];
  for (const a of batch.accounts) {
    const inline = (kind: string, name: string, list: readonly InlinePolicy[]): void => {
      for (const p of list) docs.push({ text: p.document, type: 'identity', label: `${kind} ${name} inline policy ${p.name}`, origin: p.origin });
    };
    for (const u of a.users) inline('user', u.name, u.inlinePolicies);
    for (const g of a.groups) inline('group', g.name, g.inlinePolicies);
    for (const r of a.roles) {
      inline('role', r.name, r.inlinePolicies);
      docs.push({ text: r.trustPolicy, type: 'trust', label: `role ${r.name} trust policy`, origin: r.trustPolicyOrigin });
    }
    for (const m of a.managedPolicies) {
      if (m.awsManaged) continue;
      const def = m.versions.find((v) => v.versionId === m.defaultVersionId);
      docs.push({ text: m.document, type: 'identity', label: `managed policy ${m.name}`, origin: def?.origin });
    }
    for (const r of a.resourcePolicies) docs.push(resourceDoc(r.document, r.kind, r.arn, r.origin));
  }
  for (const r of batch.resourcePolicies) docs.push(resourceDoc(r.document, r.kind, r.arn, r.origin));
  for (const p of batch.organization?.policies ?? []) {
    if (p.awsManaged || !p.origin) continue; // only policies that came from this import's files
    docs.push({ text: p.content, type: p.type === 'SCP' ? 'scp' : 'rcp', label: `${p.type} ${p.name}`, origin: p.origin });
  }
  return docs;
}

function resourceDoc(text: string, kind: ResourceKind, arn: string, origin: DocumentOrigin | undefined): Doc {
  return { text, type: kind === 'vpc-endpoint' ? 'vpc-endpoint' : 'resource', label: `resource policy of ${arn}`, origin, kind };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Appends one warning per parser finding, located in the input file (account/origin-position.ts): at the element
 * itself for a YAML bundle or a verbatim JSON document, else at the document's start with its position inside it.
 */
export function validateDocuments(batch: ImportBatch, out: Diagnostic[], readFile: (file: string) => string | undefined = readText): void {
  const files = new OriginFiles(readFile);
  for (const doc of documentsOf(batch)) {
    const { diagnostics } = parsePolicy(doc.text, { type: doc.type, name: doc.label });
    for (const d of diagnostics) {
      if (d.severity === 'info') continue;
      if (doc.kind !== undefined && impliesResource(doc.kind) && d.code === 'MISSING_RESOURCE') continue;
      const origin = doc.origin;
      const at = origin ? files.position(origin, doc.text, d.path, d) : { line: 1, column: 1 };
      const placed = origin !== undefined && (at.line !== origin.line || at.column !== origin.column || d.line === 1);
      out.push({
        code: d.code,
        severity: 'warning',
        message: placed ? `${doc.label}: ${d.message}` : `${doc.label} (${d.line}:${d.column} in the document): ${d.message}`,
        file: origin?.file ?? '<input>',
        line: at.line,
        column: at.column,
        path: d.path,
      });
    }
  }
}
