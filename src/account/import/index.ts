/**
 * Import entry point: reads input files, detects each one's format from its
 * JSON/YAML shape, builds one ImportBatch and writes it in one transaction.
 * Any error diagnostic means nothing is written.
 */
import { readUtf8File } from '../../diagnostics/input-text.js';
import { extname } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { AsyncStore, BatchBuilder } from '../async-store.js';
import type { Account, ImportBatch, Organization, ResourcePolicy } from '../model.js';
import { mergeOrganization } from '../org-merge.js';
import type { SourcedOrganization } from '../org-merge.js';
import { importAuthorizationDetails, isAuthorizationDetails, isTruncatedPage } from './auth-details.js';
import { importBundle, isBundle } from './bundle.js';
import { finalizeDraft, mergeDraft } from './draft.js';
import type { AccountDraft } from './draft.js';
import { detectOrgShape, importOrgOutput } from './organizations.js';
import type { OrgImportOptions, SourcedFragment } from './organizations.js';
import { detectResourceShape, importResourceOutput } from './resources.js';
import type { ResourceImportOptions } from './resources.js';
import { jsonSource, makeDiagnostic, yamlSource } from './source.js';
import { validateDocuments } from './validate.js';
import type { InputSource } from './source.js';

export interface ImportOptions extends ResourceImportOptions, OrgImportOptions {
  /** Account id for authorization details without any ARN, and owner of bucket policies. */
  readonly accountId?: string;
  /** Check every imported document with the policy parser (findings are warnings). Default true. */
  readonly validate?: boolean;
  /** Called before each file is read (progress of a long import). */
  readonly onFile?: (index: number, total: number, file: string) => void;
}

export type InputFormat = 'authorization-details' | 'bundle' | 'organizations' | 'resource-policy';

export interface ParsedInputs {
  readonly accounts: AccountDraft[];
  readonly resourcePolicies: ResourcePolicy[];
  readonly fragments: SourcedFragment[];
  readonly organizations: SourcedOrganization[];
  readonly formats: { readonly file: string; readonly format: InputFormat }[];
  /** get-account-authorization-details outputs, per account, and whether each is a truncated page. */
  readonly pages: { readonly accountId: string; readonly source: InputSource; readonly truncated: boolean }[];
}

export interface ImportResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** Ids of the accounts written (empty when nothing was written). */
  readonly accounts: readonly string[];
  readonly resourcePolicies: number;
  readonly organization: boolean;
  readonly formats: readonly { readonly file: string; readonly format: InputFormat }[];
}

/** Parses one file's text as JSON or YAML (by extension; JSON first otherwise). */
export function readSource(text: string, file: string): { source?: InputSource; diagnostics: Diagnostic[] } {
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return yamlSource(text, file);
  const json = jsonSource(text, file);
  if (json.source || ext === '.json') return json;
  const yaml = yamlSource(text, file);
  return yaml.source ? yaml : json;
}

/** Adds one parsed input to `into`, detecting its format from its shape. */
export function addSource(src: InputSource, options: ImportOptions, into: ParsedInputs, out: Diagnostic[]): void {
  const v = src.value;
  const addDraft = (d: AccountDraft): void => {
    const same = into.accounts.find((a) => a.id === d.id);
    if (same) mergeDraft(same, d);
    else into.accounts.push(d);
  };
  if (isBundle(v)) {
    const b = importBundle(src, out);
    b.accounts.forEach(addDraft);
    into.resourcePolicies.push(...b.resourcePolicies);
    if (b.organization) into.organizations.push({ organization: b.organization, source: src });
    into.formats.push({ file: src.file, format: 'bundle' });
    return;
  }
  if (isAuthorizationDetails(v)) {
    for (const d of importAuthorizationDetails(src, out, options.accountId)) {
      addDraft(d);
      into.pages.push({ accountId: d.id, source: src, truncated: isTruncatedPage(v) });
    }
    into.formats.push({ file: src.file, format: 'authorization-details' });
    return;
  }
  const org = detectOrgShape(v);
  if (org) {
    for (const fragment of importOrgOutput(src, org, options, out)) into.fragments.push({ fragment, source: src });
    into.formats.push({ file: src.file, format: 'organizations' });
    return;
  }
  const res = detectResourceShape(v);
  if (res) {
    into.resourcePolicies.push(...importResourceOutput(src, res, options, out));
    into.formats.push({ file: src.file, format: 'resource-policy' });
    return;
  }
  out.push(
    makeDiagnostic(
      src,
      'UNKNOWN_INPUT_FORMAT',
      'error',
      'unrecognized input: expected get-account-authorization-details, organizations or resource-policy command output, or an iamsim bundle',
    ),
  );
}

function emptyInputs(): ParsedInputs {
  return { accounts: [], resourcePolicies: [], fragments: [], organizations: [], formats: [], pages: [] };
}

/** Reads and parses files without touching any store. */
export function parseFiles(paths: readonly string[], options: ImportOptions, out: Diagnostic[]): ParsedInputs {
  const inputs = emptyInputs();
  for (const [i, file] of paths.entries()) {
    options.onFile?.(i, paths.length, file);
    const read = readUtf8File(file);
    if ('error' in read) {
      out.push(makeDiagnostic({ file }, 'FILE_UNREADABLE', 'error', `cannot read file: ${read.error}`));
      continue;
    }
    const { source, diagnostics } = readSource(read.text, file);
    out.push(...diagnostics);
    if (source) addSource(source, options, inputs, out);
  }
  return inputs;
}

/**
 * A truncated get-account-authorization-details page (IsTruncated: true) would
 * replace the account with part of its data. It is accepted only together with
 * the last page (IsTruncated: false) of the same account in the same import.
 */
function checkPages(inputs: ParsedInputs, out: Diagnostic[]): void {
  const pages = inputs.pages;
  for (const accountId of new Set(pages.map((p) => p.accountId))) {
    const mine = pages.filter((p) => p.accountId === accountId);
    const truncated = mine.filter((p) => p.truncated);
    if (truncated.length === 0 || mine.some((p) => !p.truncated)) continue;
    const files = truncated.map((p) => p.source.file).join(', ');
    out.push(
      makeDiagnostic(
        truncated[0]!.source,
        'TRUNCATED_OUTPUT',
        'error',
        `account ${accountId}: ${files} ${truncated.length === 1 ? 'is' : 'are'} truncated (IsTruncated: true) and the last page ` +
          '(IsTruncated: false) is not in this import; nothing was imported. Give all pages of ' +
          '`aws iam get-account-authorization-details` to one `iamsim account import` command (or run it without --max-items)',
        ['IsTruncated'],
      ),
    );
  }
}

/** Parses already-read texts (e.g. uploaded exports), each named for diagnostics; reads no file. */
export function parseTexts(files: readonly { readonly name: string; readonly text: string }[], options: ImportOptions, out: Diagnostic[]): ParsedInputs {
  const inputs = emptyInputs();
  for (const { name, text } of files) {
    const { source, diagnostics } = readSource(text, name);
    out.push(...diagnostics);
    if (source) addSource(source, options, inputs, out);
  }
  return inputs;
}

/** The part of a batch that does not depend on the stored organization. */
interface PreparedBatch {
  readonly accounts: Account[];
  readonly resourcePolicies: ResourcePolicy[];
}

/** Finalizes the accounts and checks resource policies: everything that needs no stored state. */
function prepareBatch(inputs: ParsedInputs, out: Diagnostic[]): PreparedBatch {
  checkPages(inputs, out);
  const accounts: Account[] = inputs.accounts.map((d) => finalizeDraft(d, out));
  const seen = new Map<string, ResourcePolicy>();
  const all = [...inputs.resourcePolicies, ...accounts.flatMap((a) => a.resourcePolicies)];
  for (const rp of all) {
    if (seen.has(rp.arn)) {
      out.push({
        code: 'DUPLICATE_RESOURCE_POLICY',
        severity: 'error',
        message: `two policies for resource ${rp.arn} in one import`,
        file: rp.origin?.file ?? '<input>',
        line: rp.origin?.line ?? 1,
        column: rp.origin?.column ?? 1,
        path: [],
      });
    }
    seen.set(rp.arn, rp);
  }
  return { accounts, resourcePolicies: inputs.resourcePolicies };
}

/** Adds the organization (merged over the stored one) to a prepared batch. */
function withOrganization(prepared: PreparedBatch, inputs: ParsedInputs, existingOrg: Organization | undefined, out: Diagnostic[]): ImportBatch {
  const organization = mergeOrganization(existingOrg, inputs.organizations, inputs.fragments, out);
  const changedOrg = inputs.organizations.length > 0 || inputs.fragments.length > 0;
  return { ...prepared, ...(changedOrg && organization ? { organization } : {}) };
}

/** Turns parsed inputs into a batch (resolving managed policies and the organization). */
export function buildBatch(inputs: ParsedInputs, existingOrg: Organization | undefined, out: Diagnostic[]): ImportBatch {
  return withOrganization(prepareBatch(inputs, out), inputs, existingOrg, out);
}

/**
 * Builds the batch over the stored organization, validating its documents; undefined on errors in `out`.
 * The accounts (managed-policy resolution, document validation: the slow part) are prepared now, before
 * the store's write lock is taken; only the organization merge runs inside the transaction, so concurrent
 * imports into one database queue behind short transactions instead of timing out (issue 11).
 */
function batchBuilder(inputs: ParsedInputs, options: ImportOptions, out: Diagnostic[]): BatchBuilder {
  const prepared = prepareBatch(inputs, out);
  if (!hasErrors(out) && options.validate !== false) validateDocuments({ ...prepared }, out);
  const ready = !hasErrors(out);
  return (existingOrg) => {
    if (!ready) return undefined;
    const batch = withOrganization(prepared, inputs, existingOrg, out);
    if (hasErrors(out)) return undefined;
    if (options.validate !== false && batch.organization) validateDocuments({ accounts: [], resourcePolicies: [], organization: batch.organization }, out);
    return batch;
  };
}

function failed(inputs: ParsedInputs, out: Diagnostic[]): ImportResult {
  return { ok: false, diagnostics: out, accounts: [], resourcePolicies: 0, organization: false, formats: inputs.formats };
}

function succeeded(inputs: ParsedInputs, out: Diagnostic[], written: ImportBatch): ImportResult {
  const rp = written.resourcePolicies.length + written.accounts.reduce((n, a) => n + a.resourcePolicies.length, 0);
  return {
    ok: true,
    diagnostics: out,
    accounts: written.accounts.map((a) => a.id),
    resourcePolicies: rp,
    organization: written.organization !== undefined,
    formats: inputs.formats,
  };
}

function writeFailed(location: string, e: unknown, out: Diagnostic[]): void {
  const why = e instanceof Error ? e.message : String(e);
  out.push(makeDiagnostic({ file: location }, 'STORE_WRITE_FAILED', 'error', `import failed, nothing was changed: ${why}`));
}

/**
 * Imports files into the store (SQLite or PostgreSQL) in one transaction. On
 * any error diagnostic (or a failed write) the store is left exactly as it was.
 */
export async function importFiles(paths: readonly string[], store: AsyncStore, options: ImportOptions = {}): Promise<ImportResult> {
  const out: Diagnostic[] = [];
  const inputs = parseFiles(paths, options, out);
  if (hasErrors(out)) return failed(inputs, out);
  const build = batchBuilder(inputs, options, out);
  try {
    // A retried transaction builds again: keep only the diagnostics of the last attempt.
    const parsed = out.length;
    const written = await store.importBatch((org) => {
      out.length = parsed;
      return build(org);
    });
    return written ? succeeded(inputs, out, written) : failed(inputs, out);
  } catch (e) {
    writeFailed(store.location, e, out);
    return failed(inputs, out);
  }
}

/** The former name of importFiles (when a synchronous one existed). */
export const importFilesAsync = importFiles;
