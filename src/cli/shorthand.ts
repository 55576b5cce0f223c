/**
 * The AWS CLI's shorthand syntax for a structure, as used by
 * `--context-entries ContextKeyName=k,ContextKeyValues=v1,v2,ContextKeyType=stringList`:
 * `Key=value` pairs separated by commas; a list in brackets `Key=[a,b]`, or
 * bare values after a pair, which extend that key's value into a list.
 */
import { UsageError } from './args.js';

export function parseShorthand(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  let lastKey: string | undefined;
  let i = 0;
  const readValue = (): string => {
    let v = '';
    while (i < text.length && text[i] !== ',') {
      if (text[i] === '\\' && i + 1 < text.length) {
        v += text[i + 1];
        i += 2;
        continue;
      }
      v += text[i];
      i++;
    }
    return v;
  };
  while (i < text.length) {
    const rest = text.slice(i);
    const m = /^([A-Za-z][A-Za-z0-9]*)=/.exec(rest);
    if (m) {
      const key = m[1]!;
      i += m[0].length;
      if (text[i] === '[') {
        const end = text.indexOf(']', i);
        if (end < 0) throw new UsageError(`shorthand: missing ']' in ${JSON.stringify(text)}`);
        out[key] = text
          .slice(i + 1, end)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        i = end + 1;
      } else {
        out[key] = readValue();
      }
      lastKey = key;
    } else {
      if (lastKey === undefined) throw new UsageError(`shorthand: expected Key=value in ${JSON.stringify(text)}`);
      const v = readValue();
      const prev = out[lastKey];
      out[lastKey] = Array.isArray(prev) ? [...prev, v] : prev === undefined ? [v] : [prev, v];
    }
    if (text[i] === ',') i++;
  }
  return out;
}
