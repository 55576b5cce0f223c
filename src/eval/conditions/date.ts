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
