/**
 * Reads a SimulateCustomPolicy-shaped request (AWS's field names, plus our
 * documented extensions) from JSON text or an already-parsed value.
 * Policies may be JSON strings, JSON objects, or `file://path` references
 * (relative to the input file's folder).
 */
import { checkJsonBounds, MAX_NESTING_DEPTH, MAX_REQUEST_CHARS, readUtf8File, stripBom } from '../diagnostics/input-text.js';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Catalog } from '../catalog/catalog-object.js';
import { findNodeAtLocation, getNodeValue, parseTree, type Node, type ParseError, printParseErrorCode } from 'jsonc-parser';
import type { Diagnostic, JsonPath } from '../diagnostics/diagnostic.js';
import { NO_POSITION } from '../diagnostics/diagnostic.js';
import { positionAt } from '../diagnostics/position.js';
import type { Policy, PolicyType } from '../policy/model.js';
import { parsePolicy, parsePolicyNode } from '../policy/parse.js';
import type { ParseResult } from '../policy/parse.js';
import { MemoCache } from '../primitives/memo-cache.js';
import type { PolicyTextCache } from '../policy/policy-cache.js';
import type { SimulateRequest } from './request.js';
import { parseContextEntries, validateActionNames } from './validate.js';
import { readPagingOptions } from './options.js';
import { classifyCaller } from '../eval/principal.js';
import { isRoleArn } from '../primitives/arn.js';
import { type CodedMessage, said } from '../diagnostics/message.js';
import { CALLER_LISTS_TEMPLATE } from './messages.js';
import { listEntryName } from './list-names.js';

export interface InputOptions {
  /** File the input came from, for diagnostics. */
  readonly file?: string;
  /** Folder that `file://` references are relative to. */
  readonly baseDir?: string;
  /** Accept documentation-style policy JSON (comments, trailing commas) with warnings. */
  readonly lenient?: boolean;
  /** False where input comes from the network: a `file://` policy is then an input error (default true). */
  readonly allowFileReferences?: boolean;
  /** Cite each policy's diagnostics by its field (`PolicyInputList.2`) when no input file is known. */
  readonly citePolicies?: boolean;
  /** The parsed-policy cache to read policy texts through (an engine's, `Iamsim.policies`); default none (each text parsed). */
  readonly policies?: PolicyTextCache;
  /** `file://` policy texts already read (a batch's, shared by its lines: `policyFiles()`); default none (each reference read). */
  readonly files?: PolicyFiles;
  /** The catalog to look action names up in (an engine's, `Iamsim.catalog`, or a batch thread's); default none (each looked up afresh). */
  readonly catalog?: Catalog;
}

export interface InputResult {
  readonly request?: SimulateRequest;
  /** Errors and warnings; `errorCode` tells which AWS error code an error maps to. */
  readonly diagnostics: readonly Diagnostic[];
  readonly errorCode?: 'MalformedPolicyDocument' | 'InvalidInput';
}

const KNOWN_FIELDS = new Set([
  'PolicyInputList',
  'PermissionsBoundaryPolicyInputList',
  'SessionPolicyInputList',
  'ActionNames',
  'ResourceArns',
  'ResourcePolicy',
  'ResourceOwner',
  'CallerArn',
  'ContextEntries',
  'ResourceHandlingOption',
  'MaxItems',
  'Marker',
  'ServiceControlPolicyInputList',
  'ResourceControlPolicyInputList',
  'CallerIsManagementAccount',
  'ResourceOwnerIsManagementAccount',
  'CallerIsServiceLinkedRole',
  'PolicySourceArn',
  'VpcEndpointPolicy',
]);

interface FileEntry {
  readonly text: string;
  /** The path as cited in results: relative to the working directory. */
  readonly shown: string;
}

/** `file://` policy texts by (base folder, reference), kept by a batch for all its lines. */
export type PolicyFiles = MemoCache<string, FileEntry>;

/** A new memo of `file://` policy texts (the most references a batch keeps read at once). */
export function policyFiles(capacity = 256): PolicyFiles {
  return new MemoCache(capacity);
}

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  errorCode: 'MalformedPolicyDocument' | 'InvalidInput' | undefined;

  constructor(
    private readonly opts: InputOptions,
    private readonly text: string | undefined,
    private readonly root: Node | undefined,
  ) {}

  get catalog(): Catalog | undefined {
    return this.opts.catalog;
  }

  node(path: JsonPath): Node | undefined {
    return this.root ? findNodeAtLocation(this.root, [...path]) : undefined;
  }

  /** An input error: AWS's wording and the message as a value (`...said(template, params)`). */
  error(
    path: JsonPath,
    message: string,
    coded?: CodedMessage,
    code: 'MalformedPolicyDocument' | 'InvalidInput' = 'InvalidInput',
    diagCode = 'INVALID_INPUT',
  ): void {
    const n = this.node(path);
    let pos = NO_POSITION;
    if (n && this.text !== undefined) pos = positionAt(this.text, n.offset);
    this.diagnostics.push({
      code: diagCode,
      severity: 'error',
      message,
      line: pos.line,
      column: pos.column,
      path,
      ...(coded !== undefined ? { template: coded.template, params: coded.params } : {}),
      ...(this.opts.file !== undefined ? { file: this.opts.file } : {}),
    });
    this.errorCode ??= code;
  }

  /** Reads a file:// reference (relative to baseDir), cached by the reference itself. */
  private readReferenced(value: string, path: JsonPath, name: string): FileEntry | undefined {
    const baseDir = this.opts.baseDir ?? process.cwd();
    const key = `${baseDir}\u0000${value}`;
    const hit = this.opts.files?.get(key);
    if (hit !== undefined) return hit;
    const rel = value.slice('file://'.length);
    const full = isAbsolute(rel) ? rel : resolve(baseDir, rel);
    const read = readUtf8File(full);
    if ('error' in read) {
      this.error(path, ...said('{f:name}: cannot read {value}: {why}', { name, value, why: read.error }));
      return undefined;
    }
    const entry = { text: read.text, shown: relative(process.cwd(), full) || full };
    this.opts.files?.set(key, entry);
    return entry;
  }

  private parseCached(text: string, type: PolicyType, name: string, lenient: boolean, file?: string): ParseResult {
    const cache = this.opts.policies;
    return cache !== undefined
      ? cache.parse(text, type, name, lenient, file)
      : parsePolicy(text, { type, name, lenient, ...(file !== undefined ? { file } : {}) });
  }

  /** Parses one policy given as a string, an object, or file://. */
  policy(value: unknown, path: JsonPath, type: PolicyType, name: string): Policy | undefined {
    const lenient = this.opts.lenient ?? false;
    let res: ParseResult | undefined;
    if (typeof value === 'string' && value.startsWith('file://')) {
      if (this.opts.allowFileReferences === false) {
        this.error(path, ...said('{f:name}: file:// references are not accepted here; send the policy document itself', { name }));
        return undefined;
      }
      const file = this.readReferenced(value, path, name);
      if (file === undefined) return undefined;
      res = this.parseCached(file.text, type, file.shown, lenient, file.shown);
    } else if (typeof value === 'string') {
      // Inside an input file, a policy string is parsed in place so positions refer to the file.
      const n = this.node(path);
      res =
        n && this.text !== undefined
          ? parsePolicyNode(n, this.text, { type, name: this.opts.file ?? name, lenient, ...(this.opts.file !== undefined ? { file: this.opts.file } : {}) })
          : this.parseCached(value, type, name, lenient, this.opts.file);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const n = this.node(path);
      if (n && this.text !== undefined) {
        res = parsePolicyNode(n, this.text, { type, name: this.opts.file ?? name, lenient, ...(this.opts.file !== undefined ? { file: this.opts.file } : {}) });
      } else {
        res = this.parseCached(JSON.stringify(value, null, 2), type, name, lenient);
      }
    } else {
      this.error(path, ...said('{f:name} must be a policy document (a JSON string, an object, or file://path)', { name }));
      return undefined;
    }
    let errors = false;
    if (res.diagnostics.length > 0) {
      const cite = this.opts.citePolicies === true && this.opts.file === undefined;
      for (const d of res.diagnostics) {
        if (d.severity === 'error') errors = true;
        this.diagnostics.push(cite && d.file === undefined ? { ...d, file: name } : d);
      }
    }
    if (errors || res.policy === undefined) {
      this.errorCode ??= 'MalformedPolicyDocument';
      return undefined;
    }
    return res.policy;
  }

  policyList(obj: Record<string, unknown>, field: string, type: PolicyType, required = false): Policy[] {
    const v = obj[field];
    if (v === undefined || v === null) {
      if (required) this.error([field], ...said('{f:field} is required', { field }));
      return [];
    }
    if (!Array.isArray(v)) {
      this.error([field], ...said('{f:field} must be a list of policy documents', { field }));
      return [];
    }
    const out: Policy[] = [];
    for (let i = 0; i < v.length; i++) {
      const p = this.policy(v[i], [field, i], type, listEntryName(field, i));
      if (p) out.push(p);
    }
    return out;
  }

  policyLevels(obj: Record<string, unknown>, field: string, type: PolicyType): Policy[][] {
    const v = obj[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.error([field], ...said('{f:field} must be a list of levels (root first), each a list of policy documents', { field }));
      return [];
    }
    return v.map((level, li) => {
      if (!Array.isArray(level)) {
        this.error([field, li], ...said('{f:field}[{index}] must be a list of policy documents (one organization level)', { field, index: li }));
        return [];
      }
      const out: Policy[] = [];
      level.forEach((item, i) => {
        const p = this.policy(item, [field, li, i], type, `${field}.${li + 1}.${i + 1}`);
        if (p) out.push(p);
      });
      return out;
    });
  }

  strings(obj: Record<string, unknown>, field: string): string[] | undefined {
    const v = obj[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      this.error([field], ...said('{f:field} must be a list of strings', { field }));
      return undefined;
    }
    return v as string[];
  }

  optString(obj: Record<string, unknown>, field: string): string | undefined {
    const v = obj[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.error([field], ...said('{f:field} must be a string', { field }));
      return undefined;
    }
    return v;
  }

  bool(obj: Record<string, unknown>, field: string): boolean {
    const v = obj[field];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') {
      this.error([field], ...said('{f:field} must be true or false', { field }));
      return false;
    }
    return v;
  }
}

/** A request's ResourcePolicy is a role trust policy when every resource is a role, else a resource-based policy. */
export function resourcePolicyType(resourceArns: readonly string[]): 'trust' | 'resource' {
  return resourceArns.length > 0 && resourceArns.every((a) => isRoleArn(a)) ? 'trust' : 'resource';
}

const CALLER_LISTS = ['PolicyInputList', 'PermissionsBoundaryPolicyInputList', 'SessionPolicyInputList'] as const;

/**
 * Identity-based, boundary and session policies belong to IAM principals: a
 * service principal or an anonymous ("*") caller has none, so such lists would
 * be ignored by the evaluation. That is an input error, never a silent no-op.
 */
function checkCallerLists(r: Reader, obj: Record<string, unknown>, callerArn: string | undefined): void {
  const kind = classifyCaller(callerArn).kind;
  if (kind !== 'service' && kind !== 'anonymous' && kind !== 'canonical-user') return;
  for (const field of CALLER_LISTS) {
    const v = obj[field];
    if (Array.isArray(v) && v.length > 0) {
      const what = kind === 'service' ? 'service principal' : kind === 'anonymous' ? 'anonymous caller' : 'canonical user or CloudFront origin access identity';
      r.error(
        [field],
        ...said(CALLER_LISTS_TEMPLATE, { field, caller: 'CallerArn', callerArn: callerArn ?? '', callerQuoted: JSON.stringify(callerArn), kind: what }),
      );
    }
  }
}

function readRequest(r: Reader, value: unknown): SimulateRequest | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    r.error([], ...said('the input must be a JSON object with the fields of a SimulateCustomPolicy request'));
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!KNOWN_FIELDS.has(k) && !k.startsWith('_'))
      r.error([k], ...said('unknown field {name} (fields starting with "_" are ignored as comments)', { name: JSON.stringify(k) }));
  }
  const actionNames = r.strings(obj, 'ActionNames');
  if (actionNames === undefined || actionNames.length === 0)
    r.error(['ActionNames'], ...said('{f:field} is required: a non-empty list of actions such as "s3:GetObject"', { field: 'ActionNames' }));
  else validateActionNames(actionNames, (i, msg, m) => r.error(['ActionNames', i], msg, m), r.catalog);
  const resourceArns = r.strings(obj, 'ResourceArns') ?? [];
  const callerArn = r.optString(obj, 'CallerArn');
  const resourceOwner = r.optString(obj, 'ResourceOwner');
  const context = parseContextEntries(obj['ContextEntries'], (path, msg, m) => r.error(path, msg, m));
  const resourcePolicyValue = obj['ResourcePolicy'];
  const resourcePolicy =
    resourcePolicyValue === undefined || resourcePolicyValue === null
      ? undefined
      : r.policy(resourcePolicyValue, ['ResourcePolicy'], resourcePolicyType(resourceArns), 'ResourcePolicy');
  const endpointValue = obj['VpcEndpointPolicy'];
  const vpcEndpointPolicy =
    endpointValue === undefined || endpointValue === null ? undefined : r.policy(endpointValue, ['VpcEndpointPolicy'], 'vpc-endpoint', 'VpcEndpointPolicy');
  const paging = readPagingOptions(obj, resourceArns, (path, msg, m) => r.error(path, msg, m));
  if (obj['PolicySourceArn'] !== undefined) {
    r.error(
      ['PolicySourceArn'],
      ...said('{f:field} belongs to SimulatePrincipalPolicy: use `iamsim simulate-principal-policy --policy-source-arn ARN` with --account FILE or --db', {
        field: 'PolicySourceArn',
      }),
    );
  }
  checkCallerLists(r, obj, callerArn);
  const request: SimulateRequest = {
    paging,
    policyInputList: r.policyList(obj, 'PolicyInputList', 'identity'),
    permissionsBoundaryPolicyInputList: r.policyList(obj, 'PermissionsBoundaryPolicyInputList', 'boundary'),
    sessionPolicyInputList: r.policyList(obj, 'SessionPolicyInputList', 'session'),
    serviceControlPolicyInputList: r.policyLevels(obj, 'ServiceControlPolicyInputList', 'scp'),
    resourceControlPolicyInputList: r.policyLevels(obj, 'ResourceControlPolicyInputList', 'rcp'),
    actionNames: actionNames ?? [],
    resourceArns,
    context,
    callerIsManagementAccount: r.bool(obj, 'CallerIsManagementAccount'),
    resourceOwnerIsManagementAccount: r.bool(obj, 'ResourceOwnerIsManagementAccount'),
    callerIsServiceLinkedRole: r.bool(obj, 'CallerIsServiceLinkedRole'),
    ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
    ...(vpcEndpointPolicy !== undefined ? { vpcEndpointPolicy } : {}),
    ...(callerArn !== undefined ? { callerArn } : {}),
    ...(resourceOwner !== undefined ? { resourceOwner } : {}),
  };
  if (resourcePolicyValue !== undefined && resourcePolicyValue !== null && resourcePolicy === undefined) return undefined;
  return request;
}

function finish(r: Reader, request: SimulateRequest | undefined): InputResult {
  const hasError = r.diagnostics.some((d) => d.severity === 'error');
  if (hasError || request === undefined) return { diagnostics: r.diagnostics, errorCode: r.errorCode ?? 'InvalidInput' };
  return { request, diagnostics: r.diagnostics };
}

/** Reads a request from JSON text, keeping positions for diagnostics and statements. */
export function readSimulateInputText(raw: string, opts: InputOptions = {}): InputResult {
  const text = stripBom(raw);
  const bounds = checkJsonBounds(text, MAX_NESTING_DEPTH, MAX_REQUEST_CHARS);
  if (bounds !== undefined) {
    const pos = positionAt(text, bounds.offset);
    const diagnostic = {
      code: bounds.code,
      severity: 'error' as const,
      line: pos.line,
      column: pos.column,
      path: [],
      message: bounds.message,
      ...(opts.file !== undefined ? { file: opts.file } : {}),
    };
    return { diagnostics: [diagnostic], errorCode: 'InvalidInput' };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const r = new Reader(opts, text, root);
  if (errors.length > 0 || root === undefined) {
    const e = errors[0];
    const pos = positionAt(text, e?.offset ?? 0);
    r.diagnostics.push({
      code: 'JSON_SYNTAX',
      severity: 'error',
      line: pos.line,
      column: pos.column,
      path: [],
      message: `input is not valid JSON: ${e ? printParseErrorCode(e.error) : 'empty input'}`,
      ...(opts.file !== undefined ? { file: opts.file } : {}),
    });
    return { diagnostics: r.diagnostics, errorCode: 'InvalidInput' };
  }
  return finish(r, readRequest(r, getNodeValue(root)));
}

/** Reads a request from an already-parsed JSON value (one line of a batch). */
export function readSimulateInputValue(value: unknown, opts: InputOptions = {}): InputResult {
  const r = new Reader(opts, undefined, undefined);
  return finish(r, readRequest(r, value));
}
