/**
 * Parsed-policy cache keyed by (type, lenient, text). Batches repeat the same
 * policies on many lines; parsing each once keeps the CLI batch fast. Parsed
 * Policy objects are immutable and their compilation is cached per object
 * (eval/compile.ts), so a cache hit also skips compilation.
 */
import { parsePolicy, type ParseResult } from '../policy/parse.js';
import type { PolicyType } from '../policy/model.js';

const MAX_ENTRIES = 2048;
const cache = new Map<string, ParseResult>();

export function parsePolicyCached(text: string, type: PolicyType, name: string, lenient: boolean, file?: string): ParseResult {
  const key = `${type}\u0000${lenient ? 1 : 0}\u0000${name}\u0000${file ?? ''}\u0000${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const res = parsePolicy(text, { type, name, lenient, ...(file !== undefined ? { file } : {}) });
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, res);
  return res;
}
