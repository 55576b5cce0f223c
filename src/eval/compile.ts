/**
 * Compiles a parsed Policy into matchers built once: action, resource and
 * principal matchers and condition evaluators. `candidates(action)` is the
 * fast path: the statements whose Action/NotAction matches, cached per action.
 */
import type { Policy, PolicyType, Statement } from '../policy/model.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { RequestContext } from './request.js';
import { compileActionPattern } from './match/action.js';
import { compileResourcePattern, type ResourceMatcher } from './match/resource.js';
import { compileConditions, type CompiledConditions } from './conditions/index.js';
import { matchNotPrincipalBlock, matchPrincipalBlock, type Caller, type PrincipalMatch } from './principal.js';

/** Identifies a statement in results (AWS's MatchedStatements entry, plus our details). */
export interface StatementRef {
  /** AWS SourcePolicyId, e.g. 'PolicyInputList.1', 'ResourcePolicy'. */
  readonly policyId: string;
  /** The policy's display name (file name, policy name). */
  readonly policyName: string;
  readonly policyType: PolicyType;
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly span: Span;
}

export interface CompiledStatement {
  readonly ref: StatementRef;
  readonly statement: Statement;
  readonly isDeny: boolean;
  matchesAction(actionLower: string): boolean;
  matchesResource(resource: string, req: RequestContext, missing: string[] | undefined): boolean;
  /** Undefined when the statement has neither Principal nor NotPrincipal. */
  readonly matchPrincipal: ((c: Caller) => PrincipalMatch | undefined) | undefined;
  /** True for a statement with NotPrincipal. */
  readonly notPrincipal: boolean;
  readonly conditions: CompiledConditions | undefined;
}

export interface CompiledPolicy {
  readonly policy: Policy;
  readonly id: string;
  readonly statements: readonly CompiledStatement[];
  /** Statements whose Action/NotAction matches the lower-cased action (cached). */
  candidates(actionLower: string): readonly CompiledStatement[];
}

function anyOf<T>(fns: readonly ((v: T) => boolean)[]): (v: T) => boolean {
  if (fns.length === 1) return fns[0]!;
  return (v) => {
    for (const f of fns) if (f(v)) return true;
    return false;
  };
}

const MEMO_LIMIT = 512;

/**
 * A resource pattern without policy variables is a pure function of the
 * resource ARN: remember its last answers (bounded), so repeated requests on
 * the same resources skip the ARN component matching.
 */
function memoized(pattern: string, m: ResourceMatcher, version: string | undefined): ResourceMatcher {
  if (pattern === '*') return () => true;
  if (version === '2012-10-17' && pattern.includes('${')) return m;
  const memo = new Map<string, boolean>();
  return (resource, req, missing) => {
    let hit = memo.get(resource);
    if (hit === undefined) {
      hit = m(resource, req, missing);
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(resource, hit);
    }
    return hit;
  };
}

function resourceMatcher(st: Statement, version: string | undefined): CompiledStatement['matchesResource'] {
  const compileList = (values: readonly string[]): ResourceMatcher[] => values.map((v) => memoized(v, compileResourcePattern(v, version), version));
  if (st.resource) {
    const ms = compileList(st.resource.values);
    return (r, req, missing) => {
      let hit = false;
      for (const m of ms)
        if (m(r, req, missing)) {
          hit = true;
          if (missing === undefined) break;
        }
      return hit;
    };
  }
  if (st.notResource) {
    const ms = compileList(st.notResource.values);
    return (r, req, missing) => {
      for (const m of ms) if (m(r, req, missing)) return false;
      return true;
    };
  }
  // No Resource element (e.g. role trust policies): the resource is the policy's own resource.
  return () => true;
}

/** One predicate for a list of action patterns: names without wildcards in a set, the others compiled. */
function actionListMatcher(values: readonly string[]): (actionLower: string) => boolean {
  const names = new Set<string>();
  const patterns: ((a: string) => boolean)[] = [];
  for (const v of values) {
    if (v.includes('*') || v.includes('?')) patterns.push(compileActionPattern(v));
    else names.add(v.toLowerCase());
  }
  if (patterns.length === 0) return (a) => names.has(a);
  const wild = anyOf(patterns);
  return names.size === 0 ? wild : (a) => names.has(a) || wild(a);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/**
 * Does one of the action patterns match? Without building anything for names
 * that have no wildcard. A name whose lower case is an ASCII action has that
 * action's length (only non-ASCII letters change length when lower-cased), so
 * other lengths need no comparison.
 */
function listMatches(values: readonly string[], actionLower: string): boolean {
  const lengthMustMatch = isAscii(actionLower);
  for (const v of values) {
    if (v.includes('*') || v.includes('?')) {
      if (compileActionPattern(v)(actionLower)) return true;
    } else if ((!lengthMustMatch || v.length === actionLower.length) && v.toLowerCase() === actionLower) return true;
  }
  return false;
}

/** What the statement's compiled action matcher would answer, read straight from its lists (the cold path). */
function actionListAnswer(st: Statement, actionLower: string): boolean {
  if (st.action) return listMatches(st.action.values, actionLower);
  if (st.notAction) return !listMatches(st.notAction.values, actionLower);
  return false;
}

function actionMatcher(st: Statement): (a: string) => boolean {
  if (st.action) return actionListMatcher(st.action.values);
  if (st.notAction) {
    const inner = actionListMatcher(st.notAction.values);
    return (a) => !inner(a);
  }
  return () => false;
}

function principalMatcher(st: Statement): CompiledStatement['matchPrincipal'] {
  if (st.principal) {
    const block = st.principal;
    return (c) => matchPrincipalBlock(block, c);
  }
  if (st.notPrincipal) {
    const block = st.notPrincipal;
    return (c) => matchNotPrincipalBlock(block, c);
  }
  return undefined;
}

const MATCHERS = Symbol('iamsim.matchers');

/**
 * A statement's action and resource matchers and conditions, built when first
 * used: a request against a policy it has never seen (the cold path: a server
 * receiving policies with each request) compiles the resource patterns and
 * conditions of the statements whose action matched, not of every statement.
 * They are kept on the parsed statement itself (a non-enumerable symbol slot),
 * so every compilation of the policy — one per SourcePolicyId: a batch lists
 * the same text as PolicyInputList.2 on one line and .7 on the next — shares
 * them and their memo of resource answers. They depend on the statement and
 * the policy's version only.
 */
class StatementMatchers {
  private action: ((a: string) => boolean) | undefined;
  private actionAsked = false;
  private resource: CompiledStatement['matchesResource'] | undefined;
  private compiledConditions: CompiledConditions | undefined | null = null;

  constructor(
    private readonly statement: Statement,
    readonly version: string | undefined,
  ) {}

  matchesAction(actionLower: string): boolean {
    if (this.action === undefined) {
      // The first question is answered by reading the list; a statement asked again gets a compiled matcher.
      if (!this.actionAsked) {
        this.actionAsked = true;
        return actionListAnswer(this.statement, actionLower);
      }
      this.action = actionMatcher(this.statement);
    }
    return this.action(actionLower);
  }

  matchesResource(resource: string, req: RequestContext, missing: string[] | undefined): boolean {
    if (this.resource === undefined) this.resource = resourceMatcher(this.statement, this.version);
    return this.resource(resource, req, missing);
  }

  get conditions(): CompiledConditions | undefined {
    if (this.compiledConditions === null) {
      const st = this.statement;
      this.compiledConditions = st.conditions.length > 0 ? compileConditions(st.conditions, this.version) : undefined;
    }
    return this.compiledConditions;
  }
}

/** The statement's shared matchers (built anew, unkept, for a statement that cannot be extended). */
function matchersOf(st: Statement, version: string | undefined): StatementMatchers {
  const slot = (st as { readonly [MATCHERS]?: StatementMatchers })[MATCHERS];
  if (slot !== undefined && slot.version === version) return slot;
  const made = new StatementMatchers(st, version);
  if (slot === undefined && Object.isExtensible(st)) Object.defineProperty(st, MATCHERS, { value: made });
  return made;
}

/** A statement as compiled under one SourcePolicyId: its reference, and the statement's shared matchers. */
class LazyStatement implements CompiledStatement {
  readonly isDeny: boolean;
  readonly notPrincipal: boolean;
  readonly matchPrincipal: CompiledStatement['matchPrincipal'];
  private readonly matchers: StatementMatchers;

  constructor(
    readonly ref: StatementRef,
    readonly statement: Statement,
    version: string | undefined,
  ) {
    this.isDeny = statement.effect === 'Deny';
    this.notPrincipal = statement.principal === undefined && statement.notPrincipal !== undefined;
    this.matchPrincipal = principalMatcher(statement);
    this.matchers = matchersOf(statement, version);
  }

  // Arrow properties: callers may pass these around detached from the statement.
  readonly matchesAction = (actionLower: string): boolean => this.matchers.matchesAction(actionLower);

  readonly matchesResource = (resource: string, req: RequestContext, missing: string[] | undefined): boolean =>
    this.matchers.matchesResource(resource, req, missing);

  get conditions(): CompiledConditions | undefined {
    return this.matchers.conditions;
  }
}

function compileStatement(policy: Policy, id: string, st: Statement): CompiledStatement {
  const ref: StatementRef = {
    policyId: id,
    policyName: policy.name,
    policyType: policy.type,
    index: st.index,
    effect: st.effect,
    span: st.span,
    ...(st.sid !== undefined ? { sid: st.sid } : {}),
  };
  return new LazyStatement(ref, st, policy.version);
}

const NO_STATEMENTS: readonly CompiledStatement[] = Object.freeze([]);
const COMPILED = Symbol('iamsim.compiled');

/**
 * A policy's compilations by SourcePolicyId, kept on the policy object itself
 * in a non-enumerable symbol slot (invisible to JSON, spreads and deep
 * equality). A WeakMap keyed by the policy would hold values that point back
 * at their key, and V8's collector pays heavily for such ephemerons when
 * policies are many and short-lived: on the cold path (new policy text per
 * request) that cost more than parsing the policy. A policy object that cannot
 * be extended (frozen) is compiled anew on each call.
 */
function compilations(policy: Policy): Map<string, CompiledPolicy> {
  const slot = (policy as { readonly [COMPILED]?: Map<string, CompiledPolicy> })[COMPILED];
  if (slot !== undefined) return slot;
  const byId = new Map<string, CompiledPolicy>();
  if (Object.isExtensible(policy)) Object.defineProperty(policy, COMPILED, { value: byId });
  return byId;
}

/** Compiles (or returns the cached compilation of) a policy under a SourcePolicyId. */
export function compilePolicy(policy: Policy, id: string): CompiledPolicy {
  const byId = compilations(policy);
  const hit = byId.get(id);
  if (hit) return hit;
  const statements = policy.statements.map((st) => compileStatement(policy, id, st));
  const index = new Map<string, readonly CompiledStatement[]>();
  const compiled: CompiledPolicy = {
    policy,
    id,
    statements,
    candidates(actionLower) {
      let list = index.get(actionLower);
      if (list === undefined) {
        list = statements.filter((s) => s.matchesAction(actionLower));
        if (list.length === 0) list = NO_STATEMENTS;
        // Bounded, but large enough for every action of the catalog (an account audit asks about all of them).
        if (index.size > 32768) index.clear();
        index.set(actionLower, list);
      }
      return list;
    },
  };
  byId.set(id, compiled);
  return compiled;
}
