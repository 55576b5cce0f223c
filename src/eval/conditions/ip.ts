/**
 * IP address condition operators (IAM User Guide,
 * reference_policies_elements_condition_operators.md, "IP address condition operators"):
 * IpAddress / NotIpAddress with IPv4 or IPv6 addresses or CIDR ranges; a
 * policy address without a prefix means a single address (/32, /128). No
 * policy variables. Host bits beyond the prefix are ignored. An invalid
 * policy value is an error; an invalid request value makes the clause unreadable (the evaluator denies). An
 * IPv4-mapped IPv6 request address (::ffff:a.b.c.d) is compared as IPv4.
 */
import { NO_VARIABLES, failed, q, type CompiledOperator, type OperatorDef } from './operator.js';

/** Layout of a parsed address: [family (4|6), w0, w1, w2, w3, prefix]. IPv4 uses w0. */
export type IpBuffer = Uint32Array;

export function newIpBuffer(): IpBuffer {
  return new Uint32Array(6);
}

function parseV4(s: string, from: number, to: number): number {
  let value = 0;
  let parts = 0;
  let i = from;
  while (parts < 4) {
    let octet = 0;
    let len = 0;
    while (i < to) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      octet = octet * 10 + c;
      len++;
      i++;
    }
    if (len === 0 || len > 3 || octet > 255) return -1;
    value = value * 256 + octet;
    parts++;
    if (parts < 4) {
      if (s.charCodeAt(i) !== 46 /* . */ || i >= to) return -1;
      i++;
    }
  }
  return i === to ? value : -1;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses IPv6 into out[1..4]; false when invalid. Uses no heap memory. */
function parseV6(s: string, from: number, to: number, out: IpBuffer): boolean {
  // Up to 8 16-bit groups, stored as halves of out[1..4].
  const groups = GROUPS;
  let count = 0;
  let gap = -1; // index in groups where '::' sits
  let i = from;
  if (s.charCodeAt(i) === 58 /* : */) {
    if (s.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
  }
  while (i < to) {
    if (count >= 8) return false;
    // Embedded IPv4 tail.
    let j = i;
    while (j < to && s.charCodeAt(j) !== 58 && s.charCodeAt(j) !== 46) j++;
    if (j < to && s.charCodeAt(j) === 46) {
      if (count > 6) return false;
      const v4 = parseV4(s, i, to);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = to;
      break;
    }
    let v = 0;
    let len = 0;
    while (i < to) {
      const h = hexDigit(s.charCodeAt(i));
      if (h < 0) break;
      v = v * 16 + h;
      len++;
      i++;
    }
    if (len === 0 || len > 4) return false;
    groups[count++] = v;
    if (i === to) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
      if (i === to) break;
    } else if (i === to) return false; // trailing single ':'
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  const missing = 8 - count;
  for (let g = 0, k = 0; g < 8; g++) {
    let val: number;
    if (gap >= 0 && g >= gap && g < gap + missing) val = 0;
    else val = groups[k++]!;
    const w = 1 + (g >> 1);
    out[w] = g & 1 ? (out[w]! | val) >>> 0 : (val << 16) >>> 0;
  }
  return true;
}

const GROUPS = new Uint32Array(8);

/**
 * Parses `addr` or `addr/prefix` into `out`. Without a prefix the full
 * length is used. Returns false when invalid.
 */
export function parseIp(s: string, out: IpBuffer): boolean {
  const slash = s.indexOf('/');
  const end = slash < 0 ? s.length : slash;
  if (end === 0) return false;
  let family: number;
  if (s.indexOf(':') >= 0 && s.indexOf(':') < end) {
    if (!parseV6(s, 0, end, out)) return false;
    family = 6;
  } else {
    const v4 = parseV4(s, 0, end);
    if (v4 < 0) return false;
    out[1] = v4;
    family = 4;
  }
  const max = family === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    if (slash + 1 >= s.length || s.length - slash - 1 > 3) return false;
    prefix = 0;
    for (let i = slash + 1; i < s.length; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return false;
      prefix = prefix * 10 + c;
    }
    if (prefix > max) return false;
  }
  out[0] = family;
  out[5] = prefix;
  return true;
}

function mask(bits: number): number {
  if (bits <= 0) return 0;
  if (bits >= 32) return 0xffffffff;
  return (0xffffffff << (32 - bits)) >>> 0;
}

/** True when the request address/range `r` lies inside the policy range `p`. */
export function ipInRange(r: IpBuffer, p: IpBuffer): boolean {
  if (r[0] !== p[0] || r[5]! < p[5]!) return false;
  const words = r[0] === 4 ? 1 : 4;
  let bits = p[5]!;
  for (let w = 1; w <= words; w++) {
    const m = mask(bits);
    if (((r[w]! ^ p[w]!) & m) !== 0) return false;
    bits -= 32;
  }
  return true;
}

/** Rewrites an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as IPv4. */
function unmap(b: IpBuffer): void {
  if (b[0] === 6 && b[1] === 0 && b[2] === 0 && b[3] === 0xffff && b[5] === 128) {
    b[0] = 4;
    b[1] = b[4]!;
    b[5] = 32;
  }
}

const REQUEST = newIpBuffer();

function compileIp(values: readonly string[], name: string): CompiledOperator {
  const ranges: IpBuffer[] = [];
  for (const v of values) {
    const b = newIpBuffer();
    if (!parseIp(v, b)) return failed(`${name}: policy value ${q(v)} is not an IP address or CIDR range`);
    ranges.push(b);
  }
  const test = (value: string): boolean => {
    if (!parseIp(value, REQUEST)) return false;
    unmap(REQUEST);
    for (let i = 0; i < ranges.length; i++) if (ipInRange(REQUEST, ranges[i]!)) return true;
    return false;
  };
  return { test, variables: NO_VARIABLES, readable: (v) => parseIp(v, REQUEST) };
}

export const IP_OPERATORS: readonly OperatorDef[] = [
  { name: 'IpAddress', family: 'IpAddress', negated: false, compile: (v) => compileIp(v, 'IpAddress') },
  { name: 'NotIpAddress', family: 'IpAddress', negated: true, compile: (v) => compileIp(v, 'NotIpAddress') },
];

function bigOf(b: IpBuffer): bigint {
  if (b[0] === 4) return BigInt(b[1]!);
  let v = 0n;
  for (let w = 1; w <= 4; w++) v = (v << 32n) | BigInt(b[w]!);
  return v;
}

function ipText(v: bigint, family: number, prefix?: number): string {
  const addr =
    family === 4
      ? [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.')
      : Array.from({ length: 8 }, (_, i) => ((v >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
  return prefix === undefined ? addr : `${addr}/${prefix}`;
}

/**
 * One request value for every class of values the IP operators can tell
 * apart given these policy ranges. Request values are addresses or CIDR
 * ranges (a range matches a policy range that contains it), and an IPv4-mapped
 * IPv6 *address* is compared as IPv4 while a mapped *range* stays IPv6. CIDR
 * ranges nest, so the ranges containing an address form a chain: every
 * class is realized by an address at a range's first or last address or just
 * outside it (or one default address per family), widened to each policy
 * prefix length, to /0, and (IPv6) to /127.
 */
export function ipRepresentatives(policyValues: readonly string[]): string[] {
  const addrs: { v: bigint; family: number }[] = [
    { v: 0xc0000201n, family: 4 },
    { v: 0x20010db8000000000000000000000001n, family: 6 },
  ];
  const prefixes: Record<number, Set<number>> = { 4: new Set([0, 32]), 6: new Set([0, 127, 128]) };
  for (const value of policyValues) {
    const b = newIpBuffer();
    if (!parseIp(value, b)) continue;
    const family = b[0]!;
    const bits = family === 4 ? 32n : 128n;
    const host = bits - BigInt(b[5]!);
    const start = (bigOf(b) >> host) << host;
    const end = start + (1n << host) - 1n;
    prefixes[family]!.add(b[5]!);
    for (const v of [start, end, start - 1n, end + 1n]) if (v >= 0n && v < 1n << bits) addrs.push({ v, family });
  }
  const out = new Set<string>();
  for (const { v, family } of addrs) {
    const bits = family === 4 ? 32 : 128;
    out.add(ipText(v, family));
    for (const p of prefixes[family]!) {
      const host = BigInt(bits - p);
      out.add(ipText((v >> host) << host, family, p));
    }
  }
  return [...out];
}
