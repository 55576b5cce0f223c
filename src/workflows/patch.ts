/**
 * A preflight's fixes as a patch people can apply: each changed policy
 * document before and after (edited in place, so it keeps its formatting),
 * the AWS CLI command that puts it in place, and a unified diff of all of
 * them. Corrected copies of the account files are made by ./patch-files.ts.
 */
import type { Universe } from '../account/query.js';
import { lintPolicy } from '../analyze/lint.js';
import type { PolicyType } from '../policy/model.js';
import type { DocumentOrigin } from '../account/model.js';
import { parseArn } from '../primitives/arn.js';
import { unifiedDiff } from '../text/diff.js';
import { applyToDocument } from './apply.js';
import type { Fix, FixLayer } from './types.js';

export interface PolicyPatch {
  readonly layer: FixLayer;
  /** What the document belongs to (see Fix.target) and its name. */
  readonly target: string;
  readonly policyName: string;
  /** File name for the corrected document, e.g. `role-SageMakerExecutionRole-TrainingJobScoped.json`. */
  readonly file: string;
  /** The document as it was; undefined for a policy the fixes create. */
  readonly before?: string;
  readonly after: string;
  /** Where the original document stands in an account file, when it came from one. */
  readonly origin?: DocumentOrigin;
  /** The AWS CLI command that applies it, reading the document from `file`. */
  readonly command: string;
}

export interface PreflightPatch {
  readonly policies: readonly PolicyPatch[];
  /** Unified diff of every changed document (new ones against /dev/null). */
  readonly diff: string;
}

interface Located {
  readonly before?: string;
  readonly origin?: DocumentOrigin;
}

function nameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function locate(u: Universe, fix: Fix): Located {
  if (fix.layer === 'scp' || fix.layer === 'rcp') {
    const type = fix.layer === 'scp' ? 'SCP' : 'RCP';
    const p = u.organization?.policies.find((x) => x.type === type && x.name === fix.policyName);
    return p ? { before: p.content, ...(p.origin ? { origin: p.origin } : {}) } : {};
  }
  if (fix.layer === 'resource' || fix.layer === 'vpc-endpoint') {
    const rp = u.resourcePolicies.get(fix.target);
    return rp ? { before: rp.document, ...(rp.origin ? { origin: rp.origin } : {}) } : {};
  }
  for (const a of u.accounts.values()) {
    if (/:policy\//.test(fix.target)) {
      const mp = a.managedPolicies.find((p) => p.arn === fix.target);
      const v = mp?.versions.find((x) => x.versionId === mp.defaultVersionId);
      if (mp) return { before: mp.document, ...(v?.origin ? { origin: v.origin } : {}) };
      continue;
    }
    const owner = [...a.roles, ...a.users].find((e) => e.arn === fix.target);
    if (owner === undefined) continue;
    if (fix.layer === 'trust' && 'trustPolicy' in owner) {
      return { before: owner.trustPolicy, ...(owner.trustPolicyOrigin ? { origin: owner.trustPolicyOrigin } : {}) };
    }
    const inline = owner.inlinePolicies.find((p) => p.name === fix.policyName);
    return inline ? { before: inline.document, ...(inline.origin ? { origin: inline.origin } : {}) } : {};
  }
  return {};
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
}

function fileFor(fix: Fix): string {
  const target = fix.target;
  switch (fix.layer) {
    case 'trust':
      return `trust-${slug(nameOf(target))}.json`;
    case 'resource':
    case 'vpc-endpoint':
      return `${fix.layer === 'resource' ? 'resource' : 'vpc-endpoint'}-${slug(nameOf(parseArn(target)?.resource ?? target))}.json`;
    case 'scp':
    case 'rcp':
      return `${fix.layer}-${slug(fix.policyName)}.json`;
    default:
      if (/:policy\//.test(target)) return `managed-${slug(nameOf(target))}.json`;
      return `${/:user\//.test(target) ? 'user' : 'role'}-${slug(nameOf(target))}-${slug(fix.policyName)}.json`;
  }
}

function quote(s: string): string {
  return /^[A-Za-z0-9_.:/@+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function orgPolicyId(u: Universe, fix: Fix): string | undefined {
  const type = fix.layer === 'scp' ? 'SCP' : 'RCP';
  return u.organization?.policies.find((x) => x.type === type && x.name === fix.policyName)?.id;
}

function resourceCommand(target: string, file: string): string {
  const arn = parseArn(target);
  if (arn?.service === 'kms') return `aws kms put-key-policy --key-id ${quote(target)} --policy-name default --policy file://${file}`;
  if (arn?.service === 's3') return `aws s3api put-bucket-policy --bucket ${quote(arn.resource.split('/')[0] ?? '')} --policy file://${file}`;
  if (arn?.service === 'ecr') {
    return `aws ecr set-repository-policy --region ${arn.region} --repository-name ${quote(arn.resource.replace(/^repository\//, ''))} --policy-text file://${file}`;
  }
  if (arn?.service === 'ec2' && arn.resource.startsWith('vpc-endpoint/')) {
    return `aws ec2 modify-vpc-endpoint --region ${arn.region} --vpc-endpoint-id ${quote(nameOf(arn.resource))} --policy-document file://${file}`;
  }
  return `# ${target}: put file://${file} in place with the service's own resource-policy API`;
}

/** The AWS CLI command that puts the corrected document in place. */
function commandFor(u: Universe, fix: Fix, file: string, isNew: boolean): string {
  const t = fix.target;
  switch (fix.layer) {
    case 'trust':
      return `aws iam update-assume-role-policy --role-name ${quote(nameOf(t))} --policy-document file://${file}`;
    case 'resource':
    case 'vpc-endpoint':
      return resourceCommand(t, file);
    case 'scp':
    case 'rcp': {
      const id = orgPolicyId(u, fix);
      if (!isNew && id !== undefined) return `aws organizations update-policy --policy-id ${quote(id)} --content file://${file}`;
      const type = fix.layer === 'scp' ? 'SERVICE_CONTROL_POLICY' : 'RESOURCE_CONTROL_POLICY';
      const node = t.slice(t.indexOf(':') + 1);
      return (
        `aws organizations create-policy --name ${quote(fix.policyName)} --type ${type} --description 'iamsim preflight fix' --content file://${file}` +
        ` && aws organizations attach-policy --target-id ${quote(node)} --policy-id <the new policy's id>`
      );
    }
    default:
      if (/:policy\//.test(t)) return `aws iam create-policy-version --policy-arn ${quote(t)} --policy-document file://${file} --set-as-default`;
      if (/:user\//.test(t))
        return `aws iam put-user-policy --user-name ${quote(nameOf(t))} --policy-name ${quote(fix.policyName)} --policy-document file://${file}`;
      return `aws iam put-role-policy --role-name ${quote(nameOf(t))} --policy-name ${quote(fix.policyName)} --policy-document file://${file}`;
  }
}

/** A one-line document as the corrected one is laid out, so the diff shows only the change. */
function laidOut(doc: string): string {
  if (doc.includes('\n')) return withNewline(doc);
  try {
    return `${JSON.stringify(JSON.parse(doc), null, 2)}\n`;
  } catch {
    return withNewline(doc);
  }
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

/** Applies the fixes document by document and describes the result. */
export function buildPatch(u: Universe, fixes: readonly Fix[]): PreflightPatch {
  const docs = new Map<string, { fix: Fix; located: Located; after: string }>();
  for (const fix of fixes) {
    const key = JSON.stringify([fix.layer === 'vpc-endpoint' ? 'resource' : fix.layer, fix.target, fix.layer === 'trust' ? '' : fix.policyName]);
    const cur = docs.get(key);
    if (cur === undefined) {
      const located = locate(u, fix);
      docs.set(key, { fix, located, after: applyToDocument(located.before, fix) });
    } else cur.after = applyToDocument(cur.after, fix);
  }
  const used = new Set<string>();
  const policies: PolicyPatch[] = [];
  for (const { fix, located, after } of docs.values()) {
    let file = fileFor(fix);
    for (let n = 2; used.has(file); n++) file = fileFor(fix).replace(/\.json$/, `-${n}.json`);
    used.add(file);
    policies.push({
      layer: fix.layer,
      target: fix.target,
      policyName: fix.policyName,
      file,
      ...(located.before !== undefined ? { before: located.before } : {}),
      after: withNewline(after),
      ...(located.origin ? { origin: located.origin } : {}),
      command: commandFor(u, fix, file, located.before === undefined),
    });
  }
  const diff = policies
    .map((p) => unifiedDiff(p.before === undefined ? '' : laidOut(p.before), p.after, p.before === undefined ? '/dev/null' : `a/${p.file}`, `b/${p.file}`))
    .join('');
  return { policies, diff };
}

const LINT_TYPE: Readonly<Record<FixLayer, PolicyType>> = {
  identity: 'identity',
  boundary: 'boundary',
  trust: 'trust',
  resource: 'resource',
  'vpc-endpoint': 'vpc-endpoint',
  scp: 'scp',
  rcp: 'rcp',
};

export interface LintRegression {
  readonly file: string;
  readonly issueCode: string;
  readonly message: string;
}

/**
 * Security warnings the corrected document has and the original did not
 * (`iamsim lint` on both): a fix must not open a new escalation path or a
 * wildcard grant. Empty when the fixes are clean.
 */
export function newSecurityWarnings(patch: PreflightPatch): LintRegression[] {
  const out: LintRegression[] = [];
  for (const p of patch.policies) {
    const type = LINT_TYPE[p.layer];
    const count = (text: string | undefined): Map<string, number> => {
      const m = new Map<string, number>();
      if (text === undefined) return m;
      for (const f of lintPolicy(text, { type, file: p.file })) {
        if (f.findingType === 'SECURITY_WARNING') m.set(f.issueCode, (m.get(f.issueCode) ?? 0) + 1);
      }
      return m;
    };
    const before = count(p.before);
    const after = lintPolicy(p.after, { type, file: p.file }).filter((f) => f.findingType === 'SECURITY_WARNING');
    for (const f of after) {
      const left = before.get(f.issueCode) ?? 0;
      if (left > 0) before.set(f.issueCode, left - 1);
      else out.push({ file: p.file, issueCode: f.issueCode, message: f.message });
    }
  }
  return out;
}
