/** Shared helpers for reading the hand-written bundle format (docs/account-bundle.md). */
import type { Diagnostic, JsonPath } from '../../diagnostics/diagnostic.js';
import { isRecord, makeDiagnostic } from './source.js';
import type { InputSource } from './source.js';

export interface BundleCtx {
  readonly src: InputSource;
  readonly out: Diagnostic[];
}

export function err(ctx: BundleCtx, code: string, message: string, path: JsonPath): void {
  ctx.out.push(makeDiagnostic(ctx.src, code, 'error', message, path));
}

/** Warns about keys the bundle format does not define (likely typos). */
export function checkKeys(ctx: BundleCtx, obj: Record<string, unknown>, allowed: readonly string[], path: JsonPath): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      ctx.out.push(makeDiagnostic(ctx.src, 'BUNDLE_UNKNOWN_KEY', 'warning', `unknown key ${key} (expected one of: ${allowed.join(', ')})`, [...path, key]));
    }
  }
}

export function str(ctx: BundleCtx, obj: Record<string, unknown>, key: string, path: JsonPath, required = false): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) err(ctx, 'BUNDLE_MISSING_FIELD', `missing required field ${key}`, path);
    return undefined;
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  err(ctx, 'BUNDLE_FIELD_TYPE', `${key} must be a string`, [...path, key]);
  return undefined;
}

export function list(ctx: BundleCtx, obj: Record<string, unknown>, key: string, path: JsonPath): unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    err(ctx, 'BUNDLE_FIELD_TYPE', `${key} must be a list`, [...path, key]);
    return [];
  }
  return v;
}

export function strList(ctx: BundleCtx, obj: Record<string, unknown>, key: string, path: JsonPath): { value: string; path: JsonPath }[] {
  const result: { value: string; path: JsonPath }[] = [];
  list(ctx, obj, key, path).forEach((v, i) => {
    if (typeof v === 'string' || typeof v === 'number') result.push({ value: String(v), path: [...path, key, i] });
    else err(ctx, 'BUNDLE_FIELD_TYPE', `${key} entries must be strings`, [...path, key, i]);
  });
  return result;
}

/** Objects of a list, with their paths; non-objects are reported. */
export function objects(ctx: BundleCtx, obj: Record<string, unknown>, key: string, path: JsonPath): { obj: Record<string, unknown>; path: JsonPath }[] {
  const result: { obj: Record<string, unknown>; path: JsonPath }[] = [];
  list(ctx, obj, key, path).forEach((v, i) => {
    if (isRecord(v)) result.push({ obj: v, path: [...path, key, i] });
    else err(ctx, 'BUNDLE_FIELD_TYPE', `${key} entries must be mappings`, [...path, key, i]);
  });
  return result;
}
