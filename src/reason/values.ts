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
import { parseDate } from '../eval/conditions/date.js';
import { newIpBuffer, parseIp } from '../eval/conditions/ip.js';
import { foldCase } from '../eval/match/case-fold.js';
import { CONDITION_OPERATORS, type OperatorFamily } from '../policy/operators.js';
import { ALL_STRINGS, Undecided, arnSeq, explore, ignoreCaseSeq, literalSeq, wildcardSeq, type Step } from './automaton.js';

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
export type ValueMode = 'free' | 'probe' | 'nonLiteral';

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
  const values = clauses.filter((c) => c.baseOperator !== 'Null').flatMap((c) => c.values);
  switch (family) {
    case 'Numeric':
      return numericCandidates(values);
    case 'Date':
      return dateCandidates(values);
    case 'Bool':
      return ['true', 'false'];
    case 'IpAddress':
      return ipCandidates(values);
    case 'Binary':
      return [...values, 'ZXhhbXBsZQ=='];
    case 'Any':
      return ['example'];
    default:
      return stringCandidates(clauses, mode === 'nonLiteral');
  }
}

function around(points: readonly number[], step: number, show: (n: number) => string | undefined): string[] {
  const sorted = [...new Set(points)].sort((a, b) => a - b);
  const out: (string | undefined)[] = sorted.length === 0 ? [show(0)] : [];
  sorted.forEach((p, i) => {
    out.push(show(p), show(p - step), show(p + step));
    const next = sorted[i + 1];
    if (next !== undefined) out.push(show(p + (next - p) / 2));
  });
  return out.filter((v) => v !== undefined);
}

/**
 * Numbers are compared as exact decimals (eval/conditions/numeric.ts), so the
 * representatives are computed exactly: every constant scaled to a common
 * number of fraction digits (one more than any constant has), then the
 * points, their neighbours one unit away and the midpoints.
 */
function numericCandidates(values: readonly string[]): string[] {
  const decs = values.map(parseDecimal).filter((d) => d !== undefined);
  if (decs.some((d) => Math.abs(d.exp) > 60 || d.digits.length > 60)) throw new Undecided('a numeric constant has more than 60 digits or a large exponent');
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

function dateCandidates(values: readonly string[]): string[] {
  const times = values.map(parseDate).filter((t) => !Number.isNaN(t));
  // Out-of-range instants have no ISO form; epoch seconds are read too.
  return around(times, 1, (t) => {
    const d = new Date(Math.floor(t));
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  });
}

function ipToBig(b: Uint32Array): bigint {
  if (b[0] === 4) return BigInt(b[1]!);
  let v = 0n;
  for (let w = 1; w <= 4; w++) v = (v << 32n) | BigInt(b[w]!);
  return v;
}

function showIp(v: bigint, family: number): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((v >> s) & 0xffffn).toString(16));
  return groups.join(':');
}

function ipCandidates(values: readonly string[]): string[] {
  const out = ['192.0.2.1', '2001:db8::1'];
  for (const v of values) {
    const b = newIpBuffer();
    if (!parseIp(v, b)) continue;
    const family = b[0]!;
    const bits = family === 4 ? 32n : 128n;
    const host = bits - BigInt(b[5]!);
    const max = (1n << bits) - 1n;
    const start = (ipToBig(b) >> host) << host;
    const end = start + (1n << host) - 1n;
    for (const x of [start, end, start - 1n, end + 1n]) if (x >= 0n && x <= max) out.push(showIp(x, family));
  }
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

/** Nice representatives first (the policy's own values), then one automaton witness per cell. */
function stringCandidates(clauses: readonly ConditionClause[], nonLiteral: boolean): string[] {
  const seqs: Step[][] = [];
  const literals: string[] = [];
  const nice: string[] = [];
  for (const c of clauses) {
    if (c.baseOperator === 'Null') continue;
    const r = clauseSeqs(c);
    seqs.push(...r.seqs);
    literals.push(...r.literals);
    for (const v of c.values) {
      nice.push(v, v.replace(/\*/g, '').replace(/\?/g, 'x'), v.replace(/\*/g, 'example').replace(/\?/g, 'x'), v.toLowerCase(), v.toUpperCase());
    }
  }
  if (!nonLiteral) return [...nice, 'example', ...explore([ALL_STRINGS], seqs)];
  // An outsider cannot take a value the policy names literally (in any case).
  const lits = literals.map(foldCase);
  const extra = literals.map(ignoreCaseSeq);
  const all = [...nice, 'example', ...explore([ALL_STRINGS], [...seqs, ...extra])];
  return all.filter((w) => !lits.includes(foldCase(w)));
}
