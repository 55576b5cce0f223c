/**
 * Input of the checks: policy documents (JSON text or objects) parsed by the
 * project's one parser, AWS's policy-type names, AWS's limits. Every problem
 * is a ReasonInputError naming the input (the CLI flag) and line/column.
 */
import { foldJsonDeviations } from '../diagnostics/json-deviations.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compilePolicy, type CompiledPolicy } from '../eval/compile.js';
import type { PolicyType } from '../policy/model.js';
import { parsePolicy } from '../policy/parse.js';

export class ReasonInputError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'ReasonInputError';
  }
}

/** Access Analyzer's policy types for CheckNoNewAccess / CheckAccessNotGranted. */
export type AwsPolicyType = 'IDENTITY_POLICY' | 'RESOURCE_POLICY';
export const AWS_POLICY_TYPES: readonly AwsPolicyType[] = ['IDENTITY_POLICY', 'RESOURCE_POLICY'];

export function policyTypeOf(t: string | undefined, flag = 'policyType'): AwsPolicyType {
  if (t === 'IDENTITY_POLICY' || t === 'RESOURCE_POLICY') return t;
  throw new ReasonInputError(`${flag}: expected IDENTITY_POLICY or RESOURCE_POLICY, got ${JSON.stringify(t)}`);
}

/** A policy text with the name to cite it by (a file path, a flag). */
export class NamedDocument {
  constructor(
    readonly text: string,
    readonly name: string,
  ) {}
}

export type PolicyDocument = string | Record<string, unknown> | NamedDocument;

/** How documents are read: `lenient` accepts comments and trailing commas (IAM rejects them), with a warning. */
export interface ReadOptions {
  readonly lenient?: boolean;
  /** Collects the warnings to show (lenient deviations, unusual documents AWS accepts). */
  readonly warnings?: string[];
}

/** Options every check, compare and discover take. */
export interface CheckOptions {
  readonly lenient?: boolean;
  /** `any`: every action on any resource, as AWS's checks answer (docs/reason.md, "Differences from AWS"). */
  readonly resourceTypes?: 'restricted' | 'any';
}

const WARNED = new Set(['LENIENT_COMMENT', 'LENIENT_TRAILING_COMMA']);

/**
 * Parses and compiles one policy. `input` names it in messages (e.g.
 * `--new-policy-document` or a file name); grammar errors are input errors.
 */
export function readPolicy(doc: PolicyDocument, type: PolicyType, input: string, id = input, opts: ReadOptions = {}): CompiledPolicy {
  const text = doc instanceof NamedDocument ? doc.text : typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2);
  const file = doc instanceof NamedDocument ? doc.name : input;
  const { policy, diagnostics } = parsePolicy(text, { type, name: file, file, lenient: opts.lenient === true });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const show = (d: (typeof diagnostics)[number]) => (file === input ? formatDiagnostic(d) : `${input}: ${formatDiagnostic(d)}`);
  if (policy === undefined || errors.length > 0) {
    const list = errors.length > 0 ? errors : diagnostics;
    // One line per document for its comments and trailing commas (as lint prints), the diagnostics themselves kept.
    throw new ReasonInputError(foldJsonDeviations(list).map(show).join('\n') || `${input}: not a policy document`, list);
  }
  for (const d of foldJsonDeviations(diagnostics.filter((x) => WARNED.has(x.code)))) opts.warnings?.push(show(d));
  return compilePolicy(policy, id);
}

/** AWS's limits for CheckAccessNotGranted's access entries. */
export const MAX_ACCESS_ITEMS = 100;

/**
 * A RESOURCE_POLICY document: a resource-based policy, or a role trust policy
 * (statements without Resource) — AWS's checks take both under RESOURCE_POLICY.
 */
export function readResourcePolicy(doc: PolicyDocument, input: string, id = input, opts: ReadOptions = {}): CompiledPolicy {
  try {
    return readPolicy(doc, 'resource', input, id, opts);
  } catch (err) {
    if (!(err instanceof ReasonInputError) || err.diagnostics.length === 0 || !err.diagnostics.every((d) => d.code === 'MISSING_RESOURCE')) throw err;
    return readPolicy(doc, 'trust', input, id, opts);
  }
}
