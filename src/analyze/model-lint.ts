/**
 * Lints every policy of an account model with its real type — identity
 * (inline and customer-managed), permissions boundary, role trust,
 * resource-based, VPC endpoint, SCP and RCP — once each, and then the
 * cross-policy checks per principal (all the identity-based policies of a
 * user, with its groups', or of a role, under its boundary). Each finding
 * says which policy it is in and, when the policy's text is a verbatim slice
 * of an input file, points into that file.
 */
import { Catalog } from '../catalog/catalog-object.js';
import { impliesResource, type DocumentOrigin, type OrgPolicy, type Role, type User } from '../account/model.js';
import { findPrincipal, principalPolicies } from '../account/query.js';
import type { PrincipalPolicy, Universe } from '../account/query.js';
import { OriginFiles } from '../account/origin-position.js';
import type { PolicyType } from '../policy/model.js';
import { compareFindings } from './finding.js';
import type { Finding } from './finding.js';
import type { LintContext } from './context.js';
import { crossPolicyFindings, lintPolicy } from './lint.js';

export interface ModelDocument {
  readonly type: PolicyType;
  readonly text: string;
  /** Which policy this is, for people: an ARN and what the policy is to it. */
  readonly label: string;
  readonly origin?: DocumentOrigin;
  /** The policy's statements may omit Resource (see impliesResource). */
  readonly impliedResource?: boolean;
}

export interface ModelLintOptions {
  readonly lenient?: boolean;
  /** Lint AWS managed policies too (default: only use them in the per-principal checks). */
  readonly includeAwsManaged?: boolean;
  /** Reads an input file (to map positions into it); undefined when unreadable. */
  readonly readFile?: (file: string) => string | undefined;
  /** Called after each principal's cross-policy check (progress). */
  readonly onPrincipal?: (done: number, total: number) => void;
  /** The catalog the rules ask (an engine's, `Iamsim.catalog`); default: one for this call. */
  readonly catalog?: Catalog;
}

function withOrigin(origin: DocumentOrigin | undefined): { origin?: DocumentOrigin } {
  return origin ? { origin } : {};
}

function principalDocs(u: User | Role, kind: string, out: ModelDocument[]): void {
  for (const p of u.inlinePolicies) out.push({ type: 'identity', text: p.document, label: `${u.arn} (inline policy ${p.name})`, ...withOrigin(p.origin) });
  if (kind === 'role') {
    const r = u as Role;
    out.push({ type: 'trust', text: r.trustPolicy, label: `${r.arn} (trust policy)`, ...withOrigin(r.trustPolicyOrigin) });
  }
}

function orgType(p: OrgPolicy): PolicyType {
  return p.type === 'SCP' ? 'scp' : 'rcp';
}

/** Every policy of the model once, with the type it is used as. */
export function modelDocuments(u: Universe, options: Pick<ModelLintOptions, 'includeAwsManaged'> = {}): ModelDocument[] {
  const out: ModelDocument[] = [];
  for (const account of u.accounts.values()) {
    const boundaries = new Set<string>();
    const attached = new Set<string>();
    for (const e of [...account.users, ...account.roles]) if (e.permissionsBoundary) boundaries.add(e.permissionsBoundary);
    for (const e of [...account.users, ...account.roles, ...account.groups]) for (const m of e.managedPolicies) attached.add(m.arn);
    for (const user of account.users) principalDocs(user, 'user', out);
    for (const group of account.groups) {
      for (const p of group.inlinePolicies)
        out.push({ type: 'identity', text: p.document, label: `${group.arn} (inline policy ${p.name})`, ...withOrigin(p.origin) });
    }
    for (const role of account.roles) principalDocs(role, 'role', out);
    for (const mp of account.managedPolicies) {
      if (mp.awsManaged && options.includeAwsManaged !== true) continue;
      const version = mp.versions.find((v) => v.versionId === mp.defaultVersionId);
      const type: PolicyType = boundaries.has(mp.arn) && !attached.has(mp.arn) ? 'boundary' : 'identity';
      out.push({
        type,
        text: mp.document,
        label: `${mp.arn} (managed policy${type === 'boundary' ? ', permissions boundary' : ''})`,
        ...withOrigin(version?.origin),
      });
    }
  }
  for (const rp of u.resourcePolicies.values()) {
    out.push({
      type: rp.kind === 'vpc-endpoint' ? 'vpc-endpoint' : 'resource',
      text: rp.document,
      label: `${rp.arn} (resource policy)`,
      ...(impliesResource(rp.kind) ? { impliedResource: true } : {}),
      ...withOrigin(rp.origin),
    });
  }
  for (const p of u.organization?.policies ?? []) {
    if (p.awsManaged) continue;
    out.push({ type: orgType(p), text: p.content, label: `${p.type} ${p.id} (${p.name})`, ...withOrigin(p.origin) });
  }
  return out;
}

/**
 * Places findings of one document in the input file (account/origin-position.ts): by JSON path in a YAML bundle,
 * shifted by the origin when the document is a verbatim JSON slice, else at the origin (a document embedded as a
 * JSON string has no positions of its own).
 */
function placer(doc: ModelDocument, files: OriginFiles): (f: Finding) => Finding {
  const origin = doc.origin;
  if (!origin) return (f) => ({ ...f, file: doc.label.replace(/ \(.*\)$/, ''), policy: doc.label });
  return (f) => {
    const start = files.position(origin, doc.text, f.path, f.span.start);
    // A YAML position names the value's start; the end is the same point.
    const end = origin.path !== undefined ? start : files.position(origin, doc.text, f.path, f.span.end);
    return { ...f, file: origin.file, policy: doc.label, span: { start, end } };
  };
}

function principalDocsForCross(
  u: Universe,
  arn: string,
): { docs: { name: string; text: string; type: PolicyType }[]; byName: Map<string, PrincipalPolicy> } | undefined {
  const p = findPrincipal(u, arn);
  if (!p || p.kind === 'root') return undefined;
  const pols = principalPolicies(p);
  const byName = new Map<string, PrincipalPolicy>();
  const docs: { name: string; text: string; type: PolicyType }[] = [];
  pols.identity.forEach((pp) => {
    let name = policyLabel(pp);
    for (let n = 2; byName.has(name); n++) name = `${policyLabel(pp)} #${n}`;
    byName.set(name, pp);
    docs.push({ name, text: pp.document, type: 'identity' });
  });
  if (pols.boundary) {
    byName.set('boundary', pols.boundary);
    docs.push({ name: 'boundary', text: pols.boundary.document, type: 'boundary' });
  }
  return { docs, byName };
}

function policyLabel(pp: PrincipalPolicy): string {
  return pp.policyArn ? `${pp.policyArn} (managed policy)` : `${pp.ownerArn} (inline policy ${pp.name})`;
}

/** Lints the whole model: each document once, then each user's and role's policies together. */
export function lintModel(u: Universe, options: ModelLintOptions = {}): Finding[] {
  const lenient = options.lenient === true ? { lenient: true } : {};
  const catalog = options.catalog ?? new Catalog();
  const all: Finding[] = [];
  const files = new OriginFiles(options.readFile);
  const seen = new Set<string>();
  const add = (f: Finding): void => {
    const id = JSON.stringify([f.file, f.span.start, f.issueCode, f.message]);
    if (!seen.has(id)) all.push(f);
    seen.add(id);
  };
  for (const doc of modelDocuments(u, options)) {
    const place = placer(doc, files);
    for (const f of lintPolicy(doc.text, { type: doc.type, name: doc.label, catalog, ...lenient })) {
      if (!(doc.impliedResource && f.issueCode === 'MISSING_RESOURCE')) add(place(f));
    }
  }
  const principals = [...u.accounts.values()].flatMap((a) => [...a.users, ...a.roles].map((e) => e.arn));
  const cache = new Map<string, LintContext | undefined>();
  principals.forEach((arn, i) => {
    const found = principalDocsForCross(u, arn);
    // One policy alone was already checked on its own above.
    if (found && found.docs.length > 1) {
      for (const f of crossPolicyFindings(found.docs, { ...lenient, cache, catalog })) {
        const pp = f.file !== undefined ? found.byName.get(f.file) : undefined;
        const doc: ModelDocument = pp
          ? { type: 'identity', text: pp.document, label: `${arn}: ${policyLabel(pp)}`, ...withOrigin(pp.origin) }
          : { type: 'identity', text: '', label: arn };
        add(placer(doc, files)(f));
      }
    }
    options.onPrincipal?.(i + 1, principals.length);
  });
  return all.sort(compareFindings);
}
