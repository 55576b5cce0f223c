/**
 * New access between two sides of a change, decided by the semantic engine
 * (src/reason) over all requests: CheckNoNewAccess over whole policy sets,
 * minus access a team accepted. With values known only after apply, the
 * answer is bounded: PASS needs the most the after side can allow to be
 * within the least the before side allows; FAIL needs a confirmed request
 * the least of the after side allows and the most of the before side does
 * not. Anything between is UNKNOWN, naming the values it depends on.
 */
import { newReasonContext, reasonOf, type ReasonContext, type ReasonSummary } from '../../reason/checks.js';
import { counterexampleOf, type Counterexample } from '../../reason/confirm.js';
import { and, not, type Formula } from '../../reason/formula.js';
import { layersOf, type PolicySet } from '../../reason/problem.js';
import { runQuery, type QueryOutcome } from '../../reason/run.js';
import type { IacUnknown } from '../model.js';
import { stringsOf, type SymbolTable } from '../symbols.js';
import type { ReadSet } from './sets.js';

export type Verdict = 'PASS' | 'FAIL' | 'UNKNOWN';

/** The upper and lower bound of one side (the same set twice when nothing is unknown). */
export interface Bounded {
  readonly upper: ReadSet;
  readonly lower: ReadSet;
}

export interface StatementCitation extends ReasonSummary {
  readonly policy: string;
  readonly file?: string;
  readonly line?: number;
}

export interface AccessResult {
  readonly result: Verdict;
  /** Confirmed by the evaluator; in `iamsim simulate`'s input shape. */
  readonly counterexamples: readonly Counterexample[];
  /** What a counterexample's placeholders stand for. */
  readonly notes: readonly string[];
  readonly statements: readonly StatementCitation[];
  readonly unknownReasons: readonly string[];
  readonly unknowns: readonly IacUnknown[];
}

function query(ctx: ReasonContext, from: ReadSet, to: ReadSet, accepted: PolicySet | undefined): QueryOutcome {
  const { reasoner, confirmer } = ctx;
  const sets = [from.set, to.set, ...(accepted ? [accepted] : [])];
  const resource = to.set.mode === 'resource';
  return runQuery(reasoner, {
    groups: reasoner.groups(sets),
    goal: (p, a): Formula => and([p.allowed(to.set, a), not(p.allowed(from.set, a)), ...(accepted ? [not(p.allowed(accepted, a))] : [])]),
    confirm: (w) => confirmer.allowed(to.set, w) && !confirmer.allowed(from.set, w) && !(accepted !== undefined && confirmer.allowed(accepted, w)),
    blame: { policies: layersOf(to.set)[0] ?? [], statementFormula: (p, st, pol) => p.statement(st, pol, resource) },
  });
}

function citations(out: QueryOutcome, to: ReadSet): StatementCitation[] {
  return out.blamed.map((st) => {
    const o = to.origins.get(st.ref.policyId);
    return {
      ...reasonOf(st, 'This statement grants access the before side does not grant.'),
      policy: o?.name ?? st.ref.policyName,
      ...(o?.origin ? { file: o.origin.file, line: o.origin.line } : {}),
    };
  });
}

function isExact(b: Bounded): boolean {
  return b.upper === b.lower || b.upper.signature === b.lower.signature;
}

export function newAccess(
  before: Bounded,
  after: Bounded,
  accepted: PolicySet | undefined,
  table: SymbolTable,
  ctx: ReasonContext = newReasonContext(),
): AccessResult {
  const texts = [...before.upper.texts, ...after.upper.texts];
  const holes: IacUnknown[] = [...before.lower.texts, ...after.lower.texts, ...texts].flatMap((t) =>
    table.holesIn(t).map((h) => ({ address: h.address, attribute: h.attribute, reason: h.reason, ...(h.source ? { source: h.source } : {}) })),
  );
  let verdict: Verdict;
  let out: QueryOutcome;
  let unknownReasons: string[] = [];
  if (isExact(before) && isExact(after)) {
    out = query(ctx, before.lower, after.upper, accepted);
    verdict = out.witness ? 'FAIL' : out.unknown.length > 0 ? 'UNKNOWN' : 'PASS';
    unknownReasons = [...out.unknown];
  } else {
    const most = query(ctx, before.lower, after.upper, accepted);
    if (!most.witness && most.unknown.length === 0) {
      verdict = 'PASS';
      out = most;
    } else {
      out = query(ctx, before.upper, after.lower, accepted);
      verdict = out.witness ? 'FAIL' : 'UNKNOWN';
      if (verdict === 'UNKNOWN') {
        unknownReasons = [...most.unknown, ...out.unknown];
        if (most.witness)
          unknownReasons.push(
            `new access depends on values known only after apply (e.g. ${table.describe(most.witness.action)} on ${table.describe(most.witness.resource)})`,
          );
        out = most;
      }
    }
  }
  const unknowns: IacUnknown[] = verdict === 'UNKNOWN' ? dedupe(holes) : [];
  if (verdict !== 'UNKNOWN') {
    const strings = texts.flatMap(stringsOf);
    const tellApart = table.discriminating(strings);
    if (tellApart.length > 0) {
      verdict = 'UNKNOWN';
      for (const s of tellApart) {
        const what =
          s.kind === 'account'
            ? 'the account the change deploys to is not known (give --account-id or a baseline)'
            : 'a policy pattern can match some names of this resource and not others';
        unknownReasons.push(`${s.address}.${s.attribute}: ${what}`);
        unknowns.push({ address: s.address, attribute: s.attribute, reason: what, ...(s.source ? { source: s.source } : {}) });
      }
    }
  }
  const mode = after.upper.set.mode;
  const counterexamples = out.witness && verdict === 'FAIL' ? [counterexampleOf(mode, out.witness)] : [];
  const notes = counterexamples.flatMap((c) =>
    table
      .symbolsIn(JSON.stringify(c))
      .map((s) => `${s.token} stands for ${s.kind === 'account' ? 'the account the change deploys to' : `${s.attribute} of ${s.address} (known after apply)`}`),
  );
  return {
    result: verdict,
    counterexamples,
    notes,
    statements: verdict === 'FAIL' ? citations(out, after.lower) : [],
    unknownReasons,
    unknowns: dedupe(unknowns),
  };
}

function dedupe(list: readonly IacUnknown[]): IacUnknown[] {
  const seen = new Set<string>();
  return list.filter((u) => {
    const k = `${u.address}\u0000${u.attribute}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
