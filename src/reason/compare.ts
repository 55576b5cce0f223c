/**
 * `compare`: the relation between two policies or policy sets (identity
 * policies, permissions boundary, SCP levels: what one principal's requests
 * meet, in `iamsim simulate`'s field names): equivalent, A allows more,
 * B allows more, or incomparable, with a confirmed counterexample for each
 * direction that holds and, per statement of B, whether it adds access.
 */
import { compilePolicy, type CompiledPolicy } from '../eval/compile.js';
import { readSimulateInputValue } from '../simulate/input.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from '../policy/model.js';
import { newReasonContext, reasonOf, resourceTypesOption, resultOf, type CheckResult, type ReasonContext, type ReasonSummary } from './checks.js';
import { and, not } from './formula.js';
import {
  NamedDocument,
  ReasonInputError,
  policyTypeOf,
  readPolicy,
  readResourcePolicy,
  type CheckOptions,
  type PolicyDocument,
  type ReadOptions,
} from './input.js';
import { layersOf, type PolicySet } from './problem.js';
import { runQuery } from './run.js';

/** A policy set in `iamsim simulate`'s field names. */
export interface PolicySetDocument {
  readonly PolicyInputList: readonly unknown[];
  readonly PermissionsBoundaryPolicyInputList?: readonly unknown[];
  readonly ServiceControlPolicyInputList?: readonly (readonly unknown[])[];
}

export type CompareSide = PolicyDocument | PolicySetDocument;

export interface CompareInput extends CheckOptions {
  readonly a: CompareSide;
  readonly b: CompareSide;
  /** IDENTITY_POLICY (default) or RESOURCE_POLICY (single documents only). */
  readonly policyType?: string;
  /** Folder that file:// references inside a set are relative to. */
  readonly baseDir?: string;
}

export type Relation = 'equivalent' | 'A allows more' | 'B allows more' | 'incomparable' | 'unknown';

export interface StatementAddition extends ReasonSummary {
  /** The policy of B the statement is in. */
  readonly policy: string;
}

export interface CompareResult {
  readonly relation: Relation;
  /** Requests B allows and A does not (a CheckNoNewAccess from A to B). */
  readonly bAllowsMore: CheckResult;
  /** Requests A allows and B does not. */
  readonly aAllowsMore: CheckResult;
  /** Statements of B that grant access A does not. */
  readonly addedByB: readonly StatementAddition[];
  /** Warnings about the input (lenient reading). */
  readonly warnings?: readonly string[];
}

function isSetDocument(side: CompareSide): side is PolicySetDocument {
  return typeof side === 'object' && !(side instanceof NamedDocument) && Array.isArray((side as { PolicyInputList?: unknown }).PolicyInputList);
}

/** A JSON text that is a set document (has PolicyInputList) is read as one. */
function asSet(side: CompareSide): PolicySetDocument | undefined {
  if (isSetDocument(side)) return side;
  const text = side instanceof NamedDocument ? side.text : typeof side === 'string' ? side : undefined;
  if (text === undefined || !text.includes('PolicyInputList')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return isSetDocument(v as CompareSide) ? (v as PolicySetDocument) : undefined;
  } catch {
    return undefined;
  }
}

function readSet(doc: PolicySetDocument, label: string, baseDir: string | undefined, ro: ReadOptions): PolicySet {
  // simulate's own reader (file:// references, per-policy diagnostics); the action is a placeholder it requires.
  const { request, diagnostics } = readSimulateInputValue(
    { ...doc, ActionNames: ['iam:GetUser'] },
    { lenient: ro.lenient === true, ...(baseDir !== undefined ? { baseDir } : {}) },
  );
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics) if (d.code.startsWith('LENIENT_')) ro.warnings?.push(`${label}: ${formatDiagnostic(d)}`);
  if (request === undefined || errors.length > 0) {
    throw new ReasonInputError(errors.map((d) => `${label}: ${formatDiagnostic(d)}`).join('\n') || `${label}: not a policy set`, errors);
  }
  const compile = (list: readonly Policy[], prefix: string): CompiledPolicy[] => list.map((p, i) => compilePolicy(p, `${label}.${prefix}.${i + 1}`));
  return {
    mode: 'identity',
    identity: compile(request.policyInputList, 'PolicyInputList'),
    boundary: compile(request.permissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList'),
    scp: request.serviceControlPolicyInputList.map((l, i) => compile(l, `ServiceControlPolicyInputList.${i + 1}`)),
  };
}

function readSide(side: CompareSide, label: string, resource: boolean, baseDir: string | undefined, ro: ReadOptions): PolicySet {
  const set = asSet(side);
  if (set !== undefined) {
    if (resource)
      throw new ReasonInputError(`${label}: policy sets are identity-side (PolicyInputList, boundary, SCPs); use one document with RESOURCE_POLICY`);
    return readSet(set, label, baseDir, ro);
  }
  const p = resource ? readResourcePolicy(side as PolicyDocument, label, label, ro) : readPolicy(side as PolicyDocument, 'identity', label, label, ro);
  return resource ? { mode: 'resource', identity: [], boundary: [], scp: [], resource: p } : { mode: 'identity', identity: [p], boundary: [], scp: [] };
}

export async function comparePolicies(input: CompareInput, ctx: ReasonContext = newReasonContext()): Promise<CompareResult> {
  const resource = policyTypeOf(input.policyType ?? 'IDENTITY_POLICY', '--policy-type') === 'RESOURCE_POLICY';
  const warnings: string[] = [];
  const ro = { lenient: input.lenient === true, warnings };
  const A = readSide(input.a, 'A', resource, input.baseDir, ro);
  const B = readSide(input.b, 'B', resource, input.baseDir, ro);
  const { reasoner, confirmer } = ctx;
  const groups = reasoner.groups([A, B], resourceTypesOption(input));
  // Both directions name the statements that cause them (the allowing side's first layer: its identity or resource policies).
  const direction = (from: PolicySet, to: PolicySet) =>
    runQuery(reasoner, {
      groups,
      goal: (p, a) => and([p.allowed(to, a), not(p.allowed(from, a))]),
      confirm: (w) => confirmer.allowed(to, w) && !confirmer.allowed(from, w),
      blame: { policies: layersOf(to)[0] ?? [], statementFormula: (p, st, pol) => p.statement(st, pol, resource) },
    });
  const bMore = direction(A, B);
  const aMore = direction(B, A);
  const texts = (x: string, y: string) => ({
    pass: `${x} allows nothing that ${y} does not.`,
    fail: `${x} allows requests that ${y} does not.`,
    reason: () => `This statement grants access that ${y} does not grant.`,
  });
  const bAllowsMore = resultOf(bMore, A.mode, texts('B', 'A'));
  const aAllowsMore = resultOf(aMore, A.mode, texts('A', 'B'));
  const addedByB = bMore.blamed.map((st) => ({ ...reasonOf(st, 'This statement grants access that A does not grant.'), policy: st.ref.policyName }));
  return {
    relation: relationOf(aAllowsMore.result, bAllowsMore.result),
    bAllowsMore,
    aAllowsMore,
    addedByB,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

function relationOf(a: CheckResult['result'], b: CheckResult['result']): Relation {
  if (a === 'UNKNOWN' || b === 'UNKNOWN') {
    // One proven direction with the other undecided is still not a full answer.
    return 'unknown';
  }
  if (a === 'PASS' && b === 'PASS') return 'equivalent';
  if (a === 'FAIL' && b === 'FAIL') return 'incomparable';
  return a === 'FAIL' ? 'A allows more' : 'B allows more';
}
