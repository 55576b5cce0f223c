/**
 * Applies suggested fixes to an in-memory model of the accounts: each fix
 * edits one policy document (adds a statement, or patches one statement).
 * Applying is idempotent: a statement already present is not added twice and
 * values already listed are not repeated.
 */
import { applyEdits, modify, parse as parseJsonc, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import { isDeepStrictEqual } from 'node:util';
import { createUniverse, type Universe } from '../account/query.js';
import type { Account, InlinePolicy, ManagedPolicy, Organization, OrgPolicy, ResourcePolicy, Role, User } from '../account/model.js';
import { parseArn } from '../primitives/arn.js';
import type { Fix, StatementPatch } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function statementsOf(doc: Obj): Obj[] {
  const s = doc['Statement'];
  if (Array.isArray(s)) return s.filter(isObj);
  return isObj(s) ? [s] : [];
}

/** A copy of a statement with one patch applied. */
export function patchStatement(st: Readonly<Obj>, patch: StatementPatch): Obj {
  const out: Obj = structuredClone(st);
  let node: Obj = out;
  for (const part of patch.path.slice(0, -1)) {
    const next = node[part];
    if (!isObj(next)) node[part] = {};
    node = node[part] as Obj;
  }
  const last = patch.path[patch.path.length - 1] ?? '';
  if (patch.op === 'set') {
    node[last] = structuredClone(patch.value);
    return out;
  }
  const current = node[last];
  const list = current === undefined ? [] : Array.isArray(current) ? [...(current as unknown[])] : [current];
  if (patch.op === 'replace-value') {
    const at = list.indexOf(patch.from);
    if (at >= 0) list.splice(at, 1, ...(list.includes(patch.value) ? [] : [patch.value]));
    node[last] = list.length === 1 ? list[0] : list;
    return out;
  }
  const add = typeof patch.value === 'string' ? [patch.value] : Array.isArray(patch.value) ? patch.value : [];
  for (const v of add) if (!list.includes(v)) list.push(v);
  node[last] = list.length === 1 ? list[0] : list;
  return out;
}

/** The indentation and line ends of a JSON text, so that edits read as the rest of it. */
function formattingOf(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return indent.startsWith('\t') ? { insertSpaces: false, tabSize: 1, eol } : { insertSpaces: true, tabSize: indent.length, eol };
}

function edit(text: string, path: JSONPath, value: unknown, isArrayInsertion = false): string {
  return applyEdits(text, modify(text, path, value, { formattingOptions: formattingOf(text), isArrayInsertion }));
}

function valueAt(st: Readonly<Obj>, path: readonly string[]): unknown {
  let v: unknown = st;
  for (const part of path) v = isObj(v) ? v[part] : undefined;
  return v;
}

/**
 * Applies one fix to a document's text and returns the new text. Only the
 * changed values are rewritten (jsonc-parser edits), so the rest of the
 * document keeps its formatting and comments; a one-line document is first
 * laid out with two-space indentation.
 */
export function applyToDocument(text: string | undefined, fix: Fix): string {
  const parsed: unknown = text === undefined ? undefined : parseJsonc(text, [], { allowTrailingComma: true });
  if (text === undefined || !isObj(parsed)) {
    const statements = fix.kind === 'add-statement' ? [fix.statement] : [];
    return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
  }
  let out = text.includes('\n') ? text : JSON.stringify(parsed, null, 2);
  const raw = parsed['Statement'];
  const statements = statementsOf(parsed);
  if (fix.kind === 'add-statement') {
    if (statements.some((s) => isDeepStrictEqual(s, fix.statement))) return out;
    if (Array.isArray(raw)) return edit(out, ['Statement', raw.length], fix.statement, true);
    return edit(out, ['Statement'], isObj(raw) ? [raw, fix.statement] : [fix.statement]);
  }
  const i = fix.statementIndex ?? -1;
  const st = statements[i];
  if (st === undefined) return out;
  const base: JSONPath = Array.isArray(raw) ? ['Statement', i] : ['Statement'];
  let next: Obj = st;
  for (const p of fix.patches ?? []) {
    next = patchStatement(next, p);
    out = edit(out, [...base, ...p.path], valueAt(next, p.path));
  }
  return out;
}

function withInline<T extends Role | User>(entity: T, fix: Fix): T {
  const existing = entity.inlinePolicies.find((p) => p.name === fix.policyName);
  const doc = applyToDocument(existing?.document, fix);
  const inlinePolicies: InlinePolicy[] = existing
    ? entity.inlinePolicies.map((p) => (p === existing ? { name: p.name, document: doc } : p))
    : [...entity.inlinePolicies, { name: fix.policyName, document: doc }];
  return { ...entity, inlinePolicies };
}

function withManaged(mp: ManagedPolicy, fix: Fix): ManagedPolicy {
  const document = applyToDocument(mp.document, fix);
  const versions = mp.versions.map((v) => (v.versionId === mp.defaultVersionId ? { versionId: v.versionId, isDefault: true, document } : v));
  return { ...mp, document, versions };
}

function applyToAccount(a: Account, fix: Fix): Account {
  if (fix.layer === 'trust') {
    return { ...a, roles: a.roles.map((r) => (r.arn === fix.target ? withoutOrigin({ ...r, trustPolicy: applyToDocument(r.trustPolicy, fix) }) : r)) };
  }
  if (fix.layer === 'identity' || fix.layer === 'boundary') {
    if (/:policy\//.test(fix.target)) {
      return { ...a, managedPolicies: a.managedPolicies.map((p) => (p.arn === fix.target ? withManaged(p, fix) : p)) };
    }
    return {
      ...a,
      roles: a.roles.map((r) => (r.arn === fix.target ? withInline(r, fix) : r)),
      users: a.users.map((u) => (u.arn === fix.target ? withInline(u, fix) : u)),
    };
  }
  return a;
}

function withoutOrigin(r: Role): Role {
  const { trustPolicyOrigin: _drop, ...rest } = r;
  return rest;
}

function applyToOrg(org: Organization, fix: Fix): Organization {
  const type = fix.layer === 'scp' ? 'SCP' : 'RCP';
  const nodeId = fix.target.slice(fix.target.indexOf(':') + 1);
  const existing = org.policies.find((p) => p.type === type && p.name === fix.policyName);
  if (existing) {
    return { ...org, policies: org.policies.map((p) => (p === existing ? { ...p, content: applyToDocument(p.content, fix) } : p)) };
  }
  const created: OrgPolicy = {
    id: `p-${fix.policyName}`,
    name: fix.policyName,
    type,
    awsManaged: false,
    content: applyToDocument(undefined, fix),
    targets: [nodeId],
  };
  return { ...org, policies: [...org.policies, created] };
}

function applyToResource(rp: ResourcePolicy | undefined, fix: Fix): ResourcePolicy {
  const document = applyToDocument(rp?.document, fix);
  if (rp) {
    const { origin: _drop, ...rest } = rp;
    return { ...rest, document };
  }
  const service = parseArn(fix.target)?.service ?? '';
  return { arn: fix.target, service, kind: service === 'kms' ? 'kms-key' : service === 's3' ? 's3-bucket' : 'other', document };
}

/** Returns a new Universe with every fix applied in order. */
export function applyFixes(u: Universe, fixes: readonly Fix[]): Universe {
  const accounts = new Map(u.accounts);
  const resources = new Map(u.resourcePolicies);
  let organization = u.organization;
  for (const fix of fixes) {
    if (fix.layer === 'scp' || fix.layer === 'rcp') {
      if (organization) organization = applyToOrg(organization, fix);
      continue;
    }
    if (fix.layer === 'resource' || fix.layer === 'vpc-endpoint') {
      resources.set(fix.target, applyToResource(resources.get(fix.target), fix));
      continue;
    }
    for (const [id, a] of accounts) {
      const next = applyToAccount(a, fix);
      if (next !== a) accounts.set(id, next);
    }
  }
  // Resource policies owned by an account are also listed on it; keep them in step.
  const list = [...accounts.values()].map((a) => ({ ...a, resourcePolicies: a.resourcePolicies.map((rp) => resources.get(rp.arn) ?? rp) }));
  return createUniverse({ accounts: list, resourcePolicies: [...resources.values()], ...(organization ? { organization } : {}) });
}

/** The current text of the document a fix edits (undefined when the fix creates it). */
export function documentOf(u: Universe, fix: Fix): string | undefined {
  switch (fix.layer) {
    case 'scp':
    case 'rcp': {
      const type = fix.layer === 'scp' ? 'SCP' : 'RCP';
      return u.organization?.policies.find((p) => p.type === type && p.name === fix.policyName)?.content;
    }
    case 'resource':
    case 'vpc-endpoint':
      return u.resourcePolicies.get(fix.target)?.document;
    default:
      break;
  }
  for (const a of u.accounts.values()) {
    if (fix.layer === 'trust') {
      const role = a.roles.find((r) => r.arn === fix.target);
      if (role) return role.trustPolicy;
      continue;
    }
    if (/:policy\//.test(fix.target)) {
      const mp = a.managedPolicies.find((p) => p.arn === fix.target);
      if (mp) return mp.document;
      continue;
    }
    const owner = a.roles.find((r) => r.arn === fix.target) ?? a.users.find((x) => x.arn === fix.target);
    if (owner) return owner.inlinePolicies.find((p) => p.name === fix.policyName)?.document;
  }
  return undefined;
}
