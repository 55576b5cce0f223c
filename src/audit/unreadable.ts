/**
 * Policies of the model the evaluator cannot read. The evaluator fails
 * closed on them (authz/assemble.ts: a request that needs such a policy is
 * denied), so every decision they take part in is a denial the audit cannot
 * vouch for: a principal whose policy is unreadable may be allowed more, and
 * a resource whose policy is unreadable may be open. Each becomes a finding
 * naming the policy, its file and line; the audit goes on with the rest.
 * Errors AWS stores policies with anyway (account/model.ts
 * acceptedParseErrors: S3 NotPrincipal with Allow, ECR policies without
 * Resource) are not.
 */
import { acceptedParseErrors, type DocumentOrigin } from '../account/model.js';
import type { Universe } from '../account/query.js';
import type { PolicyType } from '../policy/model.js';
import { parseModelPolicy } from '../account/parsed-policies.js';

export interface UnreadablePolicy {
  /** What the policy is: `inline policy P of user U`, `trust policy of role R`, `policy of arn:…`. */
  readonly name: string;
  /** The principal, resource, managed policy or organization policy it belongs to. */
  readonly subject: string;
  /** The first error, as the parser words it, with its line and column in the document. */
  readonly error: string;
  readonly file?: string;
  readonly line?: number;
}

interface Doc {
  readonly name: string;
  readonly subject: string;
  readonly type: PolicyType;
  readonly text: string;
  readonly origin?: DocumentOrigin;
  readonly accepted?: ReadonlySet<string>;
}

/** The inline policies of one user, group or role. */
function* inline(
  kind: 'user' | 'group' | 'role',
  x: {
    readonly name: string;
    readonly arn: string;
    readonly inlinePolicies: readonly { readonly name: string; readonly document: string; readonly origin?: DocumentOrigin }[];
  },
): Generator<Doc> {
  for (const p of x.inlinePolicies)
    yield {
      name: `inline policy ${p.name} of ${kind} ${x.name}`,
      subject: x.arn,
      type: 'identity',
      text: p.document,
      ...(p.origin ? { origin: p.origin } : {}),
    };
}

function* documents(u: Universe): Generator<Doc> {
  for (const a of u.accounts.values()) {
    for (const x of a.users) yield* inline('user', x);
    for (const x of a.groups) yield* inline('group', x);
    for (const x of a.roles) {
      yield* inline('role', x);
      yield {
        name: `trust policy of role ${x.name}`,
        subject: x.arn,
        type: 'trust',
        text: x.trustPolicy,
        ...(x.trustPolicyOrigin ? { origin: x.trustPolicyOrigin } : {}),
      };
    }
    for (const mp of a.managedPolicies) {
      const v = mp.versions.find((x) => x.isDefault);
      const origin = v?.origin;
      yield { name: `managed policy ${mp.name}`, subject: mp.arn, type: 'identity', text: v?.document ?? mp.document, ...(origin ? { origin } : {}) };
    }
  }
  for (const rp of u.resourcePolicies.values()) {
    yield {
      name: `policy of ${rp.arn}`,
      subject: rp.arn,
      type: rp.kind === 'vpc-endpoint' ? 'vpc-endpoint' : 'resource',
      text: rp.document,
      accepted: acceptedParseErrors(rp.kind),
      ...(rp.origin ? { origin: rp.origin } : {}),
    };
  }
  for (const p of u.organization?.policies ?? []) {
    yield {
      name: `${p.type} ${p.name}`,
      subject: p.arn ?? p.id,
      type: p.type === 'SCP' ? 'scp' : 'rcp',
      text: p.content,
      ...(p.origin ? { origin: p.origin } : {}),
    };
  }
}

/** Every policy of the model with a parse error the evaluator would fail closed on. */
export function unreadablePolicies(u: Universe): UnreadablePolicy[] {
  const out: UnreadablePolicy[] = [];
  const seen = new Set<string>();
  for (const d of documents(u)) {
    const key = `${d.subject}\u0000${d.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const res = parseModelPolicy(u, d.text, d.type, d.name, true, d.origin?.file);
    const error = res.policy === undefined ? res.diagnostics[0] : res.diagnostics.find((x) => x.severity === 'error' && !(d.accepted?.has(x.code) ?? false));
    if (error === undefined && res.policy !== undefined) continue;
    out.push({
      name: d.name,
      subject: d.subject,
      error: error !== undefined ? `${error.line}:${error.column}: ${error.code}: ${error.message}` : 'not a policy document',
      ...(d.origin ? { file: d.origin.file, line: d.origin.line } : {}),
    });
  }
  return out;
}
