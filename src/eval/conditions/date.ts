/**
 * Date condition operators (IAM User Guide,
 * reference_policies_elements_condition_operators.md, "Date condition operators"):
 * values in the W3C profile of ISO 8601 (reference_policies_elements_datatypes.md)
 * or epoch (UNIX) seconds, on both sides; no wildcards, no policy variables.
 * A string of digits is read as epoch seconds (so the bare-year form `YYYY`
 * is epoch too). A time without a zone designator is taken as UTC.
 */
import { NO_VARIABLES, failed, q, type CompiledOperator, type OperatorDef } from './operator.js';

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Reads `count` digits at `i`; -1 when any is missing. */
function digits(s: string, i: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const d = digit(s, i + k);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

const EPOCH_RE = /^-?\d+(?:\.\d+)?$/;

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Parses a date/time to epoch milliseconds; NaN when invalid. Accepts
 * epoch seconds (optionally fractional), YYYY-MM, YYYY-MM-DD,
 * YYYY-MM-DDThh:mm[:ss[.fraction]][Z|±hh:mm|±hhmm]. Allocation-free.
 */
export function parseDate(s: string): number {
  const n = s.length;
  if (n === 0) return NaN;
  if (EPOCH_RE.test(s)) return Number(s) * 1000;
  const y = digits(s, 0, 4);
  if (y < 0 || s.charCodeAt(4) !== 45 /* - */) return NaN;
  const mo = digits(s, 5, 2);
  if (mo < 1 || mo > 12) return NaN;
  if (n === 7) return Date.UTC(y, mo - 1, 1);
  if (s.charCodeAt(7) !== 45) return NaN;
  const d = digits(s, 8, 2);
  if (d < 1 || d > daysInMonth(y, mo)) return NaN;
  if (n === 10) return Date.UTC(y, mo - 1, d);
  const t = s.charCodeAt(10);
  if (t !== 84 /* T */ && t !== 116 /* t */) return NaN;
  const h = digits(s, 11, 2);
  if (h < 0 || h > 23 || s.charCodeAt(13) !== 58 /* : */) return NaN;
  const mi = digits(s, 14, 2);
  if (mi < 0 || mi > 59) return NaN;
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    sec = digits(s, i + 1, 2);
    if (sec < 0 || sec > 59) return NaN;
    i += 3;
    if (s.charCodeAt(i) === 46 /* . */) {
      i++;
      const start = i;
      let scale = 100;
      while (i < n && digit(s, i) >= 0) {
        ms += digit(s, i) * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return NaN;
      ms = Math.floor(ms);
    }
  }
  let offsetMin = 0;
  if (i < n) {
    const z = s.charCodeAt(i);
    if (z === 90 /* Z */ || z === 122 /* z */) {
      if (i + 1 !== n) return NaN;
    } else if (z === 43 /* + */ || z === 45 /* - */) {
      const oh = digits(s, i + 1, 2);
      if (oh < 0 || oh > 23) return NaN;
      let j = i + 3;
      if (s.charCodeAt(j) === 58) j++;
      const om = digits(s, j, 2);
      if (om < 0 || om > 59 || j + 2 !== n) return NaN;
      offsetMin = (oh * 60 + om) * (z === 45 ? -1 : 1);
    } else return NaN;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offsetMin * 60000;
}

type Cmp = (request: number, policy: number) => boolean;

function dateOperator(name: string, negated: boolean, cmp: Cmp): OperatorDef {
  const compile = (values: readonly string[]): CompiledOperator => {
    const times: number[] = [];
    for (const v of values) {
      const t = parseDate(v);
      if (Number.isNaN(t)) return failed(`${name}: policy value ${q(v)} is not an ISO 8601 date or epoch time`);
      times.push(t);
    }
    const test = (value: string): boolean => {
      const r = parseDate(value);
      if (Number.isNaN(r)) return false;
      for (let i = 0; i < times.length; i++) if (cmp(r, times[i]!)) return true;
      return false;
    };
    return { test, variables: NO_VARIABLES, readable: (v) => !Number.isNaN(parseDate(v)) };
  };
  return { name, family: 'Date', negated, compile };
}

export const DATE_OPERATORS: readonly OperatorDef[] = [
  dateOperator('DateEquals', false, (r, p) => r === p),
  dateOperator('DateNotEquals', true, (r, p) => r === p),
  dateOperator('DateLessThan', false, (r, p) => r < p),
  dateOperator('DateLessThanEquals', false, (r, p) => r <= p),
  dateOperator('DateGreaterThan', false, (r, p) => r > p),
  dateOperator('DateGreaterThanEquals', false, (r, p) => r >= p),
];

/** A float as a plain decimal (no exponent) that reads back as the same float. */
function plainDecimal(x: number): string {
  const s = String(x);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign = '', lead = '', frac = '', e = '0'] = m;
  const digits = lead + frac;
  const point = 1 + Number(e);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const F64 = new Float64Array(1);
const I64 = new BigInt64Array(F64.buffer);

/** The adjacent float towards +∞ (up) or -∞. */
function nextFloat(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  F64[0] = x;
  I64[0]! += x > 0 === up ? 1n : -1n;
  return F64[0]!;
}

/** The text of a request value at instant `t` (ms): ISO 8601 when it has one, else epoch seconds; undefined when none reads back as `t`. */
function dateText(t: number): string | undefined {
  const iso = Number.isInteger(t) && t >= -62167219200000 && t <= 253402300799999 ? new Date(t).toISOString() : undefined;
  if (iso !== undefined && parseDate(iso) === t) return iso;
  const epoch = Number.isFinite(t) ? plainDecimal(t / 1000) : `${t < 0 ? '-' : ''}${'9'.repeat(400)}`;
  return parseDate(epoch) === t ? epoch : undefined;
}

/** A request value strictly between instants a and b (ms, ±∞ allowed), or undefined when parseDate reads none there. */
function between(a: number, b: number): string | undefined {
  const inside = (s: string | undefined): s is string => s !== undefined && parseDate(s) > a && parseDate(s) < b;
  const tries: number[] = [];
  if (a === -Infinity && b === Infinity) tries.push(Date.UTC(2020, 0, 1));
  else if (a === -Infinity) tries.push(b - 1000, b * 2 - 1000, -Number.MAX_VALUE);
  else if (b === Infinity) tries.push(a + 1000, a * 2 + 1000, Number.MAX_VALUE);
  else tries.push(a / 2 + b / 2, Math.floor(a / 2 + b / 2), Math.ceil(a / 2 + b / 2));
  for (const t of tries) {
    const s = dateText(t);
    if (inside(s)) return s;
  }
  // Narrow gaps: every epoch-seconds float near the midpoint (x1000 is monotone, so these are all the values there).
  const mid = a === -Infinity ? b : b === Infinity ? a : a / 2 + b / 2;
  if (!Number.isFinite(mid)) return undefined;
  for (const up of [true, false]) {
    let q = mid / 1000;
    for (let i = 0; i < 12; i++, q = nextFloat(q, up)) {
      const s = plainDecimal(q);
      if (inside(s)) return s;
    }
  }
  // Past the finite range: ±∞ (digit strings too long for a float) are readable values too.
  if (b === Infinity && inside(dateText(Infinity))) return dateText(Infinity);
  if (a === -Infinity && inside(dateText(-Infinity))) return dateText(-Infinity);
  return undefined;
}

/**
 * One request value for every class of values the Date operators can tell
 * apart given these policy values: each point (the policy's own text), and
 * one value in each gap below, between and above them, as `parseDate` reads
 * them (fractions of a millisecond, years past 9999 and ±∞ included).
 */
export function dateRepresentatives(policyValues: readonly string[]): string[] {
  const byTime = new Map<number, string>();
  for (const v of policyValues) {
    const t = parseDate(v);
    if (!Number.isNaN(t) && !byTime.has(t)) byTime.set(t, v);
  }
  const points = [...byTime.keys()].sort((x, y) => x - y);
  const out: (string | undefined)[] = [];
  const bounds = [-Infinity, ...points, Infinity];
  for (let i = 0; i + 1 < bounds.length; i++) {
    out.push(between(bounds[i]!, bounds[i + 1]!));
    if (i + 1 < bounds.length - 1) out.push(byTime.get(bounds[i + 1]!));
  }
  return out.filter((s): s is string => s !== undefined);
}
