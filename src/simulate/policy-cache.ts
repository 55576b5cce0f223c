/**
 * Parsed-policy cache keyed by the policy text, then by (type, lenient, name,
 * file). Batches repeat the same policies on many lines; parsing each once
 * keeps the CLI batch fast. Keying by the text string itself (not a
 * concatenation) lets V8 reuse the string's cached hash. Parsed Policy objects
 * are immutable and their compilation is cached per object (eval/compile.ts),
 * so a hit also skips compilation.
 */
import { parsePolicy, type ParseResult } from '../policy/parse.js';
import type { PolicyType } from '../policy/model.js';

const MAX_TEXTS = 8192;
/** Names one text is cached under (a trust policy shared by hundreds of roles of an audited account). */
const MAX_NAMES = 4096;
const cache = new Map<string, Map<string, ParseResult>>();

export function parsePolicyCached(text: string, type: PolicyType, name: string, lenient: boolean, file?: string): ParseResult {
  let byOptions = cache.get(text);
  if (byOptions === undefined) {
    if (cache.size >= MAX_TEXTS) cache.clear();
    byOptions = new Map();
    cache.set(text, byOptions);
  }
  const key = `${type}|${lenient ? 1 : 0}|${name}|${file ?? ''}`;
  const hit = byOptions.get(key);
  if (hit !== undefined) return hit;
  const res = parsePolicy(text, { type, name, lenient, ...(file !== undefined ? { file } : {}) });
  if (byOptions.size >= MAX_NAMES) byOptions.clear();
  byOptions.set(key, res);
  return res;
}
