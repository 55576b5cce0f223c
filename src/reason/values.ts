/**
 * Candidate request values for one condition key, per operator family. The
 * candidates are chosen so that every cell of the partition the policy's
 * constants induce has a representative: points, neighbours and midpoints
 * for numbers and dates (intervals), range ends and their neighbours for IP
 * addresses (CIDR sets), shortest automaton witnesses for strings and ARNs.
 * Which cell a candidate falls into is always decided by the evaluator's own
 * operator tests, never here.
 */
import type { ConditionClause } from '../policy/model.js';
import { parseDecimal } from '../eval/conditions/numeric.js';
import { dateRepresentatives } from '../eval/conditions/date.js';
import { ipRepresentatives } from '../eval/conditions/ip.js';
import { binaryRepresentatives } from '../eval/conditions/binary.js';
import { foldCase } from '../primitives/case-fold.js';
import { CONDITION_OPERATORS, type OperatorFamily } from '../policy/operators.js';
import { ALL_STRINGS, Undecided, arnSeq, explore, exploreUnions, ignoreCaseSeq, literalSeq, wildcardSeq, type Step } from './automaton.js';

export type ValueFamily = Exclude<OperatorFamily, 'Null'> | 'Any';

/** The family of values a key is compared as; mixed families are not decided. */
export function familyOf(key: string, clauses: readonly ConditionClause[]): ValueFamily {
  const fams = new Set<ValueFamily>();
  for (const c of clauses) {
    const f = CONDITION_OPERATORS[c.baseOperator] ?? 'String';
    if (f === 'Null') continue;
    fams.add(f === 'Arn' ? 'String' : f);
  }
  if (fams.size > 1) throw new Undecided(`the key ${key} is compared with operators of different families (${[...fams].join(', ')})`);
  return fams.values().next().value ?? 'Any';
}

/** How an attacker may choose a key's value (public-access checks). */
/**
 * `githubSub`: the subject claim of a GitHub Actions token as an outsider can
 * have it — `repo:ORG/REPO:…` for an organization ORG the outsider owns, so
 * any organization the policy does not name literally (federation.ts).
 */
export type ValueMode = 'free' | 'probe' | 'nonLiteral' | 'githubSub';

/** A value no policy names, per family (the value an outsider's request carries). */
export function probeValue(family: ValueFamily): string {
  switch (family) {
    case 'Numeric':
      return '987654321';
    case 'Date':
      return '2031-07-04T05:06:07Z';
    case 'Bool':
      return 'false';
    case 'IpAddress':
      return '198.51.100.213';
    case 'Binary':
      return 'b3V0c2lkZXI=';
    default:
      return 'outsider-7q9z';
  }
}

export function valueCandidates(family: ValueFamily, clauses: readonly ConditionClause[], mode: ValueMode): string[] {
  if (mode === 'probe') return [probeValue(family)];
  if (mode === 'githubSub' && family === 'String') return outsiderSubjects(clauses);
  const values = clauses.filter((c) => c.baseOperator !== 'Null').flatMap((c) => c.values);
  switch (family) {
    case 'Numeric':
      return numericCandidates(values);
    case 'Date':
      return dateRepresentatives(values);
    case 'Bool':
      return ['true', 'false'];
    case 'IpAddress':
      return ipRepresentatives(values);
    case 'Binary':
      return binaryRepresentatives(values);
    case 'Any':
      return ['example'];
    default:
      return stringCandidates(clauses, mode === 'nonLiteral');
  }
}

/**
 * Numbers are compared as exact decimals (eval/conditions/numeric.ts), so the
 * representatives are computed exactly: every constant scaled to a common
 * number of fraction digits (one more than any constant has), then the
 * points, their neighbours one unit away and the midpoints.
 */
function numericCandidates(values: readonly string[]): string[] {
  const decs = values.map(parseDecimal).filter((d) => d !== undefined);
  if (decs.some((d) => Math.abs(d.exp) > 400 || d.digits.length > 400))
    throw new Undecided('a numeric constant has more than 400 digits or an exponent beyond ±400');
  const scale = Math.max(0, ...decs.map((d) => d.digits.length - d.exp)) + 1;
  const scaled = decs.map((d) => {
    const mag = d.digits === '' ? 0n : BigInt(d.digits) * 10n ** BigInt(scale + d.exp - d.digits.length);
    return d.neg ? -mag : mag;
  });
  const show = (v: bigint): string => {
    const neg = v < 0n;
    const abs = (neg ? -v : v).toString().padStart(scale + 1, '0');
    return `${neg ? '-' : ''}${abs.slice(0, abs.length - scale)}.${abs.slice(abs.length - scale)}`;
  };
  const sorted = [...new Set(scaled)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length === 0) return ['0'];
  const out: string[] = [];
  sorted.forEach((p, i) => {
    out.push(show(p), show(p - 1n), show(p + 1n));
    const next = sorted[i + 1];
    if (next !== undefined) out.push(show((p + next) / 2n));
  });
  return out;
}

function clauseSeqs(c: ConditionClause): { seqs: Step[][]; literals: string[] } {
  const op = c.baseOperator;
  const seqs: Step[][] = [];
  const literals: string[] = [];
  for (const v of c.values) {
    if (op.startsWith('Arn')) seqs.push(arnSeq([{ kind: 'text', text: v }]));
    else if (op.endsWith('IgnoreCase')) seqs.push(ignoreCaseSeq(v));
    else if (op === 'StringLike' || op === 'StringNotLike') seqs.push(wildcardSeq(v));
    else seqs.push(literalSeq(v));
    const wild = (op.startsWith('Arn') || op.endsWith('Like')) && (v.includes('*') || v.includes('?'));
    if (!wild) literals.push(v);
  }
  return { seqs, literals };
}

/**
 * Nice representatives first (the policy's own values), then one automaton
 * witness per cell. A clause is one atom whatever the number of its values
 * (the evaluator ORs them), so each clause's values are explored as one union:
 * twelve `*x*` values give two classes per clause, not 2^12.
 */
function stringCandidates(clauses: readonly ConditionClause[], nonLiteral: boolean): string[] {
  const unions: Step[][][] = [];
  const literals: string[] = [];
  const nice: string[] = [];
  for (const c of clauses) {
    if (c.baseOperator === 'Null') continue;
    const r = clauseSeqs(c);
    unions.push(r.seqs);
    literals.push(...r.literals);
    for (const v of c.values) {
      nice.push(v, v.replace(/\*/g, '').replace(/\?/g, 'x'), v.replace(/\*/g, 'example').replace(/\?/g, 'x'), v.toLowerCase(), v.toUpperCase());
    }
  }
  if (!nonLiteral) return [...nice, 'example', ...exploreUnions([ALL_STRINGS], unions)];
  // An outsider cannot take a value the policy names literally (in any case): one more union, of those literals.
  const lits = literals.map(foldCase);
  const all = [...nice, 'example', ...exploreUnions([ALL_STRINGS], [...unions, literals.map(ignoreCaseSeq)])];
  return all.filter((w) => !lits.includes(foldCase(w)));
}

/**
 * The GitHub subjects an outsider's workflow can present: `repo:` + an
 * organization + `/` + anything, where the organization is none the clauses
 * name as a literal `repo:ORG/` prefix. One automaton witness per class of
 * the clauses' languages, among strings in which no named organization is
 * the subject's.
 */
function outsiderSubjects(clauses: readonly ConditionClause[]): string[] {
  const seqs: Step[][] = [];
  const orgs = new Set<string>();
  for (const c of clauses) {
    if (c.baseOperator === 'Null') continue;
    seqs.push(...clauseSeqs(c).seqs);
    for (const v of c.values) {
      const m = /^repo:([^/:*?]+)\//i.exec(v);
      if (m) orgs.add(m[1]!);
    }
  }
  const NO_SLASH_COLON: Step = { cls: { k: 'noColon' }, star: false };
  const domain: Step[] = [
    ...literalSeq('repo:'),
    { ...NO_SLASH_COLON },
    { ...NO_SLASH_COLON, star: true },
    ...literalSeq('/'),
    { cls: { k: 'any' }, star: true },
  ];
  // Organization names are case-insensitive on GitHub: a named organization in any case is not the outsider's.
  const named = [...orgs].map((o) => [...literalSeq('repo:'), ...ignoreCaseSeq(o), ...literalSeq('/'), { cls: { k: 'any' }, star: true }] as Step[]);
  const nice = [`repo:${'iamsim-outsider'}/probe:ref:refs/heads/main`];
  const out = [...nice, ...explore([domain], [...seqs, ...named])];
  return out.filter((w) => {
    const m = /^repo:([^/:]+)\//.exec(w);
    return m !== null && ![...orgs].some((o) => foldCase(o) === foldCase(m[1]!));
  });
}
