/**
 * Scans the policies of one layer for statements that apply to a request:
 * action, then resource, then principal (resource-based layers only), then
 * conditions. Collects Allows, Denies, missing context keys and errors.
 */
import { statementLabel } from '../policy/model.js';
import type { RequestContext } from './request.js';
import type { CompiledPolicy, CompiledStatement, StatementRef } from './compile.js';
import type { Caller, PrincipalMatch } from './principal.js';
import type { StatementTrace } from './types.js';

export interface ScanResult {
  readonly allows: StatementRef[];
  /** Principal match of each entry in `allows` (resource-based layers). */
  readonly allowMatches: PrincipalMatch[];
  readonly denies: StatementRef[];
  readonly traces: StatementTrace[] | undefined;
}

export interface ScanEnv {
  readonly req: RequestContext;
  readonly actionLower: string;
  readonly caller: Caller;
  /** Shared across layers: missing keys as written, de-duplicated case-insensitively (created on first use). */
  missing: string[] | undefined;
  /** Lower-cased twins of `missing`, for de-duplication. */
  missingLower: string[] | undefined;
  /** Errors met while evaluating (created on first use). */
  errors: string[] | undefined;
  readonly explain: boolean;
  readonly useIndex: boolean;
  /**
   * The caller is an IAM principal with a permissions boundary: a Deny with
   * NotPrincipal then applies whatever NotPrincipal lists
   * (access_policies_boundaries.md; reference_policies_elements_notprincipal.md).
   */
  callerHasBoundary: boolean;
  /** Scratch buffer for resource-variable misses (reused, no allocation per statement). */
  readonly buf: string[];
}

const EMPTY: never[] = [];
/** Shared result for a layer with no candidate statement (never mutated). */
const EMPTY_RESULT: ScanResult = Object.freeze({ allows: EMPTY, allowMatches: EMPTY, denies: EMPTY, traces: undefined });

function addMissing(env: ScanEnv, keys: readonly string[]): void {
  env.missing ??= [];
  env.missingLower ??= [];
  const m = env.missing;
  const lowers = env.missingLower;
  for (const k of keys) {
    const lower = k.toLowerCase();
    if (!lowers.includes(lower)) {
      lowers.push(lower);
      m.push(k);
    }
  }
}

/**
 * Decides whether one statement applies. Returns the principal match for an
 * applying statement ('wildcard' when the layer has no principals), or
 * undefined when it does not apply; records traces and missing keys.
 */
function checkStatement(st: CompiledStatement, env: ScanEnv, usesPrincipal: boolean, trace: StatementTrace[] | undefined): PrincipalMatch | undefined {
  if (!env.useIndex && !st.matchesAction(env.actionLower)) {
    trace?.push({ ref: st.ref, outcome: 'action' });
    return undefined;
  }
  const missingBuf = env.buf;
  if (missingBuf.length !== 0) missingBuf.length = 0;
  if (!st.matchesResource(env.req.resource, env.req, missingBuf)) {
    if (missingBuf.length > 0) addMissing(env, missingBuf);
    trace?.push({ ref: st.ref, outcome: 'resource' });
    return undefined;
  }
  if (missingBuf.length > 0) addMissing(env, missingBuf);
  let pm: PrincipalMatch | undefined;
  if (usesPrincipal) {
    if (st.matchPrincipal === undefined) {
      trace?.push({ ref: st.ref, outcome: 'principal' });
      return undefined;
    }
    pm = st.isDeny && st.notPrincipal && env.callerHasBoundary ? 'not-principal' : st.matchPrincipal(env.caller);
    if (pm === undefined) {
      trace?.push({ ref: st.ref, outcome: 'principal' });
      return undefined;
    }
  }
  if (st.conditions !== undefined) {
    const c = st.conditions(env.req, env.explain);
    if (c.missingKeys.length > 0) addMissing(env, c.missingKeys);
    if (c.error !== undefined) {
      env.errors ??= [];
      env.errors.push(`${st.ref.policyId} statement ${statementLabel(st.ref.index, st.ref.sid)}: ${c.error}`);
      trace?.push({ ref: st.ref, outcome: 'error', error: c.error, ...(c.clauses ? { clauses: c.clauses } : {}) });
      // A Deny whose condition cannot be evaluated applies (fail closed); an Allow does not.
      return st.isDeny ? (pm ?? 'wildcard') : undefined;
    }
    if (!c.matched) {
      trace?.push({ ref: st.ref, outcome: 'condition', ...(c.clauses ? { clauses: c.clauses } : {}) });
      return undefined;
    }
    trace?.push({ ref: st.ref, outcome: 'applied', ...(pm ? { principalMatch: pm } : {}), ...(c.clauses ? { clauses: c.clauses } : {}) });
  } else {
    trace?.push({ ref: st.ref, outcome: 'applied', ...(pm ? { principalMatch: pm } : {}) });
  }
  return pm ?? 'wildcard';
}

/** Scans every policy of a layer. `usesPrincipal` for resource policies and RCPs. */
export function scanPolicies(policies: readonly CompiledPolicy[], env: ScanEnv, usesPrincipal: boolean): ScanResult {
  const traces: StatementTrace[] | undefined = env.explain ? [] : undefined;
  let out: ScanResult | undefined = traces ? { allows: [], allowMatches: [], denies: [], traces } : undefined;
  for (const p of policies) {
    const list = env.useIndex ? p.candidates(env.actionLower) : p.statements;
    for (let i = 0; i < list.length; i++) {
      const st = list[i]!;
      const pm = checkStatement(st, env, usesPrincipal, traces);
      if (pm === undefined) continue;
      out ??= { allows: [], allowMatches: [], denies: [], traces };
      if (st.isDeny) out.denies.push(st.ref);
      else {
        out.allows.push(st.ref);
        out.allowMatches.push(pm);
      }
    }
    if (traces && env.useIndex) {
      for (const st of p.statements) if (!list.includes(st)) traces.push({ ref: st.ref, outcome: 'action' });
    }
  }
  return out ?? EMPTY_RESULT;
}

export const NO_POLICIES: readonly CompiledPolicy[] = EMPTY;
