/**
 * Corrected copies of the account files a preflight read: each changed policy
 * document is replaced where it stands (located by the origin the importer
 * recorded), and a new inline policy is added to its role or user. JSON files
 * (`aws iam get-account-authorization-details` output, resource-policy
 * outputs) are edited with jsonc-parser, YAML bundles with the yaml
 * library's document model, so the rest of each file is kept as written.
 */
import { applyEdits, findNodeAtOffset, getNodePath, modify, parseTree, type JSONPath } from 'jsonc-parser';
import { isMap, isNode, isSeq, parseDocument, visit, type Document } from 'yaml';
import { parseArn } from '../primitives/arn.js';
import { lineStarts } from '../policy/json-source.js';
import type { PolicyPatch } from './patch.js';

export interface AccountFilePatch {
  /** The file as given (--account). */
  readonly source: string;
  readonly before: string;
  readonly after: string;
  /** Policies of the patch written into this file. */
  readonly policies: readonly string[];
}

export interface FilesPatch {
  readonly files: readonly AccountFilePatch[];
  /** Policies that no account file could take (a new SCP, or a document not read from a file): apply them with their commands. */
  readonly unplaced: readonly PolicyPatch[];
}

function offsetOf(text: string, line: number, column: number): number {
  return (lineStarts(text)[line - 1] ?? 0) + column - 1;
}

function isYaml(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

// ---- JSON account files -------------------------------------------------------

function jsonReplace(text: string, p: PolicyPatch): string | undefined {
  if (p.origin === undefined) return undefined;
  const tree = parseTree(text);
  const node = tree ? findNodeAtOffset(tree, offsetOf(text, p.origin.line, p.origin.column), true) : undefined;
  if (node === undefined) return undefined;
  const doc: unknown = JSON.parse(p.after);
  let value: unknown = doc;
  if (node.type === 'string') {
    const raw = typeof node.value === 'string' ? node.value : '';
    value = /^%7B/i.test(raw) ? encodeURIComponent(JSON.stringify(doc)) : JSON.stringify(doc);
  }
  return applyEdits(text, modify(text, getNodePath(node), value, FORMAT));
}

function jsonNewInline(text: string, p: PolicyPatch): string | undefined {
  const arn = parseArn(p.target);
  if (arn === undefined || p.before !== undefined) return undefined;
  const user = arn.resource.startsWith('user/');
  const list = user ? 'UserDetailList' : 'RoleDetailList';
  const nameKey = user ? 'UserName' : 'RoleName';
  const policyList = user ? 'UserPolicyList' : 'RolePolicyList';
  const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
  const parsed: unknown = JSON.parse(text);
  const entries = (parsed as Record<string, unknown>)[list];
  if (!Array.isArray(entries)) return undefined;
  const i = entries.findIndex((e) => (e as Record<string, unknown>)[nameKey] === name);
  if (i < 0) return undefined;
  const existing = (entries[i] as Record<string, unknown>)[policyList];
  const path: JSONPath = Array.isArray(existing) ? [list, i, policyList, existing.length] : [list, i, policyList];
  const item = { PolicyName: p.policyName, PolicyDocument: JSON.parse(p.after) as unknown };
  return applyEdits(text, modify(text, path, Array.isArray(existing) ? item : [item], { ...FORMAT, isArrayInsertion: Array.isArray(existing) }));
}

// ---- YAML bundles -------------------------------------------------------------

function yamlReplace(doc: Document, text: string, p: PolicyPatch): boolean {
  if (p.origin === undefined) return false;
  const at = offsetOf(text, p.origin.line, p.origin.column);
  let done = false;
  visit(doc, (_key, node) => {
    if (done || !isNode(node) || node.range?.[0] !== at || !(isMap(node) || isSeq(node) || typeof (node as { value?: unknown }).value === 'string'))
      return undefined;
    done = true;
    const value: unknown = JSON.parse(p.after);
    const replacement = isMap(node) || isSeq(node) ? doc.createNode(value) : doc.createNode(JSON.stringify(value));
    return replacement;
  });
  return done;
}

function yamlNewInline(doc: Document, p: PolicyPatch): boolean {
  const arn = parseArn(p.target);
  if (arn === undefined || p.before !== undefined) return false;
  const kind = arn.resource.startsWith('user/') ? 'users' : 'roles';
  const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
  const accounts = doc.get('accounts');
  if (!isSeq(accounts)) return false;
  for (const a of accounts.items) {
    if (!isMap(a) || String(a.get('id')) !== arn.account) continue;
    const list = a.get(kind);
    if (!isSeq(list)) continue;
    for (const e of list.items) {
      if (!isMap(e) || e.get('name') !== name) continue;
      const policies = e.get('policies');
      const value = doc.createNode(JSON.parse(p.after) as unknown);
      if (isMap(policies)) policies.set(p.policyName, value);
      else e.set('policies', doc.createNode({ [p.policyName]: JSON.parse(p.after) as unknown }));
      return true;
    }
  }
  return false;
}

function patchYaml(text: string, patches: readonly PolicyPatch[]): { after: string; placed: PolicyPatch[] } {
  const doc = parseDocument(text);
  const placed = patches.filter((p) => yamlReplace(doc, text, p) || yamlNewInline(doc, p));
  return { after: placed.length > 0 ? doc.toString({ lineWidth: 0 }) : text, placed };
}

function patchJson(text: string, patches: readonly PolicyPatch[]): { after: string; placed: PolicyPatch[] } {
  // Replace from the end of the file backwards so earlier origins stay valid.
  const ordered = [...patches].sort((a, b) => (b.origin?.line ?? 0) - (a.origin?.line ?? 0) || (b.origin?.column ?? 0) - (a.origin?.column ?? 0));
  let after = text;
  const placed: PolicyPatch[] = [];
  for (const p of ordered) {
    const next = jsonReplace(after, p) ?? jsonNewInline(after, p);
    if (next === undefined) continue;
    after = next;
    placed.push(p);
  }
  return { after, placed };
}

/**
 * Writes each policy patch into the account file it came from (or, for a new
 * inline policy, the file that defines its role or user). `files` maps each
 * account file name, as given, to its text.
 */
export function patchAccountFiles(files: ReadonlyMap<string, string>, patches: readonly PolicyPatch[]): FilesPatch {
  const out: AccountFilePatch[] = [];
  let pending = [...patches];
  for (const [source, before] of files) {
    const mine = pending.filter((p) => (p.origin === undefined ? p.before === undefined : p.origin.file === source));
    if (mine.length === 0) continue;
    const { after, placed } = isYaml(source) ? patchYaml(before, mine) : patchJson(before, mine);
    if (placed.length === 0) continue;
    pending = pending.filter((p) => !placed.includes(p));
    out.push({ source, before, after, policies: placed.map((p) => p.file) });
  }
  return { files: out, unplaced: pending };
}
