/**
 * Grammar check of every imported policy document with the policy parser.
 * AWS accepted these documents already, so findings are reported as
 * warnings (never blocking an import); the evaluator re-parses them anyway.
 * AWS managed policies from the offline data are not checked.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
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

/** Appends one warning per parser finding, located at the document's start. */
export function validateDocuments(batch: ImportBatch, out: Diagnostic[]): void {
  for (const doc of documentsOf(batch)) {
    const { diagnostics } = parsePolicy(doc.text, { type: doc.type, name: doc.label });
    for (const d of diagnostics) {
      if (d.severity === 'info') continue;
      if (doc.kind !== undefined && impliesResource(doc.kind) && d.code === 'MISSING_RESOURCE') continue;
      out.push({
        code: d.code,
        severity: 'warning',
        message: `${doc.label} (${d.line}:${d.column} in the document): ${d.message}`,
        file: doc.origin?.file ?? '<input>',
        line: doc.origin?.line ?? 1,
        column: doc.origin?.column ?? 1,
        path: d.path,
      });
    }
  }
}
