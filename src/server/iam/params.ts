/**
 * AWS Query protocol parameters: `Name=value`, lists as `Name.member.N`,
 * structures in lists as `Name.member.N.Field` (1-based, in order).
 */
import { ApiError } from '../errors.js';

export class QueryParams {
  constructor(readonly raw: URLSearchParams) {}

  get action(): string | undefined {
    return this.raw.get('Action') ?? undefined;
  }

  string(name: string): string | undefined {
    return this.raw.get(name) ?? undefined;
  }

  required(name: string): string {
    const v = this.raw.get(name);
    if (v === null || v === '')
      throw new ApiError(
        400,
        'ValidationError',
        `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
      );
    return v;
  }

  /** `Name.member.1`, `Name.member.2`, … up to the first gap. */
  list(name: string): string[] | undefined {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const v = this.raw.get(`${name}.member.${i}`);
      if (v === null) break;
      out.push(v);
    }
    if (out.length === 0 && this.raw.has(name)) return []; // `Name=` is an explicitly empty list
    return out.length > 0 ? out : undefined;
  }

  /** `Name.member.N.Field…` as records of the fields given (nested lists as `Field.member.M`). */
  structs(name: string): Record<string, string | string[]>[] | undefined {
    const out: Record<string, string | string[]>[] = [];
    for (let i = 1; ; i++) {
      const prefix = `${name}.member.${i}.`;
      const rec: Record<string, string | string[]> = {};
      let found = false;
      for (const [k, v] of this.raw) {
        if (!k.startsWith(prefix)) continue;
        found = true;
        const field = k.slice(prefix.length);
        const m = /^([A-Za-z]+)\.member\.(\d+)$/.exec(field);
        if (m) {
          rec[m[1]!] ??= [];
          const list = rec[m[1]!] as string[];
          list[Number(m[2]) - 1] = v;
        } else rec[field] = v;
      }
      if (!found) break;
      out.push(rec);
    }
    return out.length > 0 ? out : undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.raw.get(name);
    if (v === null) return undefined;
    if (v !== 'true' && v !== 'false') throw new ApiError(400, 'ValidationError', `${name} must be true or false`);
    return v === 'true';
  }

  int(name: string, min: number, max: number): number | undefined {
    const v = this.raw.get(name);
    if (v === null) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ApiError(
        400,
        'ValidationError',
        `1 validation error detected: Value '${v}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
      );
    }
    return n;
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
