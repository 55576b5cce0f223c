/**
 * The policy sets a request meets, read from a model: a principal's
 * effective identity side (identity policies with its groups', permissions
 * boundary, the SCPs on its account's path) and a resource's policy.
 */
import type { DocumentOrigin } from '../../account/model.js';
import { findPrincipal, orgPoliciesFor, principalPolicies, type Universe } from '../../account/query.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { compilePolicy, type CompiledPolicy } from '../../eval/compile.js';
import { parseArn } from '../../primitives/arn.js';
import type { PolicyType } from '../../policy/model.js';
import { parsePolicy } from '../../policy/parse.js';
import type { PolicySet } from '../../reason/problem.js';
import { denyAll } from '../symbols.js';
import { compileAttached, foldFor } from './fold.js';

/** A compiled set with the texts it was built from (for symbol checks) and where each policy came from. */
export interface ReadSet {
  readonly set: PolicySet;
  readonly texts: readonly string[];
  readonly origins: ReadonlyMap<string, { readonly name: string; readonly origin?: DocumentOrigin }>;
  /** A signature of the texts: equal signatures, equal sets. */
  readonly signature: string;
  /** Why the set cannot say exactly what the principal may do (a resource-based grant it cannot express). */
  readonly undecided?: readonly string[];
}

/** Parses and compiles policies, collecting errors as diagnostics at the policy's origin. */
export class SetReader {
  readonly diagnostics: Diagnostic[] = [];
  private n = 0;
  private readonly cache = new Map<string, CompiledPolicy | undefined>();

  /** `holed(text)`: whether a policy text holds a value known only after apply (resource policies folded into a set). */
  constructor(private readonly holed: (text: string) => boolean = () => false) {}

  private readonly attached = new Map<string, CompiledPolicy | undefined>();
  private readonly compileAttached = (text: string, type: 'resource' | 'trust'): CompiledPolicy | undefined => {
    const key = `${type}\u0000${text}`;
    if (!this.attached.has(key)) this.attached.set(key, compileAttached(text, type));
    return this.attached.get(key);
  };

  compile(
    text: string,
    type: PolicyType,
    name: string,
    origin: DocumentOrigin | undefined,
    origins: Map<string, { name: string; origin?: DocumentOrigin }>,
    impliedResource = false,
  ): CompiledPolicy | undefined {
    const id = `P${++this.n}`;
    const key = `${type}\u0000${impliedResource}\u0000${text}`;
    let compiled = this.cache.get(key);
    if (!this.cache.has(key)) {
      const { policy, diagnostics } = parsePolicy(text, { type, name, file: origin?.file ?? name });
      // Policies of some resource types name no Resource (impliesResource: ECR repository policies).
      const errors = diagnostics.filter((d) => d.severity === 'error' && !(impliedResource && d.code === 'MISSING_RESOURCE'));
      if (policy === undefined || errors.length > 0) {
        for (const d of errors.length > 0 ? errors : diagnostics) {
          this.diagnostics.push({
            ...d,
            file: origin?.file ?? name,
            line: origin?.line ?? d.line,
            column: origin?.column ?? d.column,
            message: `${name}: ${d.message}`,
          });
        }
        compiled = undefined;
      } else compiled = compilePolicy(policy, id);
      this.cache.set(key, compiled);
    }
    if (compiled) origins.set(compiled.id, { name, ...(origin ? { origin } : {}) });
    return compiled;
  }

  /** The effective identity-side set of a user or role; undefined when the model has no such principal. */
  principal(u: Universe, arn: string): ReadSet | undefined {
    // The models of a run do not change: each principal's set is read once per model.
    const byArn = this.sets.get(u) ?? new Map<string, ReadSet | undefined>();
    this.sets.set(u, byArn);
    if (!byArn.has(arn)) byArn.set(arn, this.readPrincipal(u, arn));
    return byArn.get(arn);
  }

  private readonly sets = new WeakMap<Universe, Map<string, ReadSet | undefined>>();

  private readPrincipal(u: Universe, arn: string): ReadSet | undefined {
    const p = findPrincipal(u, arn);
    if (!p || (p.kind !== 'user' && p.kind !== 'role')) return undefined;
    const pols = principalPolicies(p);
    const origins = new Map<string, { name: string; origin?: DocumentOrigin }>();
    const texts: string[] = [];
    const sig: string[] = [];
    const identity: CompiledPolicy[] = [];
    for (const pp of pols.identity) {
      texts.push(pp.document);
      sig.push(`I${pp.document}`);
      const c = this.compile(pp.document, 'identity', pp.name, pp.origin, origins);
      if (c) identity.push(c);
    }
    // Resource-based and trust policies of its account that name it (fold.ts).
    const subject = { arn: p.kind === 'user' ? p.user.arn : p.role.arn, kind: p.kind, account: p.account.id, hasBoundary: pols.boundary !== undefined };
    const folded = foldFor(u, subject, this.holed, this.compileAttached);
    for (const f of folded.policies) {
      texts.push(f.from);
      sig.push(`R${f.text}`);
      const c = this.compile(f.text, 'identity', f.name, f.origin, origins);
      if (c) identity.push(c);
    }
    for (const why of folded.undecided) sig.push(`U${why}`);
    const boundary: CompiledPolicy[] = [];
    if (pols.boundary) {
      texts.push(pols.boundary.document);
      sig.push(`B${pols.boundary.document}`);
      const c = this.compile(pols.boundary.document, 'boundary', pols.boundary.name, pols.boundary.origin, origins);
      if (c) boundary.push(c);
    }
    const scp: CompiledPolicy[][] = [];
    const path = orgPoliciesFor(u, p.account.id, 'SCP');
    if (path?.enabled && !path.managementAccount) {
      for (const level of path.levels) {
        const list: CompiledPolicy[] = [];
        for (const op of level.policies) {
          texts.push(op.content);
          sig.push(`S${level.nodeId}${op.content}`);
          const c = this.compile(op.content, 'scp', op.name, op.origin, origins);
          if (c) list.push(c);
        }
        if (list.length === 0) list.push(this.compile(denyAll('scp'), 'scp', `no SCP at ${level.name}`, undefined, origins)!);
        scp.push(list);
      }
    }
    for (const m of pols.missing) sig.push(`M${m}`);
    return {
      set: { mode: 'identity', identity, boundary, scp },
      texts,
      origins,
      signature: sig.join('\n'),
      ...(folded.undecided.length > 0 ? { undecided: folded.undecided } : {}),
    };
  }

  /** A resource-based or trust policy as a resource-mode set; a missing policy allows nothing. */
  resource(text: string | undefined, type: 'resource' | 'trust', name: string, origin: DocumentOrigin | undefined, impliedResource = false): ReadSet {
    const origins = new Map<string, { name: string; origin?: DocumentOrigin }>();
    const t = text ?? denyAll(type);
    const c = this.compile(t, type, name, origin, origins, impliedResource) ?? this.compile(denyAll(type), type, name, undefined, origins)!;
    return { set: { mode: 'resource', identity: [], boundary: [], scp: [], resource: c }, texts: text ? [text] : [], origins, signature: t };
  }
}

/** Every user and role ARN of a model. */
export function principalsOf(u: Universe): string[] {
  return [...u.accounts.values()].flatMap((a) => [...a.users.map((x) => x.arn), ...a.roles.map((x) => x.arn)]);
}

/** The account of an ARN, or undefined. */
export function accountOf(arn: string): string | undefined {
  return parseArn(arn)?.account || undefined;
}
