/**
 * Suppressions: `{"suppress": [{"issueCode": "…", "file"?: "glob", "path"?: "Statement[3]"}]}`.
 * A finding is suppressed when its code equals issueCode and, when given,
 * its file matches the glob and its JSON path is `path` or lies inside it.
 */
import { formatJsonPath } from '../diagnostics/diagnostic.js';
import picomatch from 'picomatch';
import type { Finding } from './finding.js';

export interface Suppression {
  readonly issueCode: string;
  /** Glob (picomatch syntax: `*`, `**`, `?`, `[…]`, `{a,b}`) or plain path, compared with the finding's file as keyed by the caller. */
  readonly file?: string;
  /** A JSON path as printed by formatJsonPath, e.g. `Statement[3]` or `Statement[3].Condition`. */
  readonly path?: string;
}

export interface SuppressionConfig {
  readonly suppress: readonly Suppression[];
}

/** Validates a parsed config file; returns the config or a list of problems. */
export function readSuppressionConfig(value: unknown): { config?: SuppressionConfig; errors: string[] } {
  const errors: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { errors: ['the configuration must be a JSON object'] };
  for (const key of Object.keys(value)) if (key !== 'suppress') errors.push(`unknown setting "${key}" (expected "suppress")`);
  const list: unknown = (value as { suppress?: unknown }).suppress ?? [];
  if (!Array.isArray(list)) return { errors: [...errors, '"suppress" must be an array'] };
  const suppress: Suppression[] = [];
  list.forEach((item: unknown, i) => {
    const where = `suppress[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push(`${where} must be an object`);
      return;
    }
    const rec = item as Record<string, unknown>;
    for (const key of Object.keys(rec)) if (!['issueCode', 'file', 'path'].includes(key)) errors.push(`${where}: unknown key "${key}"`);
    const { issueCode, file, path } = rec;
    if (typeof issueCode !== 'string' || issueCode === '') errors.push(`${where}.issueCode must be a non-empty string`);
    if (file !== undefined && typeof file !== 'string') errors.push(`${where}.file must be a string`);
    if (path !== undefined && typeof path !== 'string') errors.push(`${where}.path must be a string`);
    if (typeof issueCode === 'string') {
      suppress.push({ issueCode, ...(typeof file === 'string' ? { file } : {}), ...(typeof path === 'string' ? { path } : {}) });
    }
  });
  return errors.length ? { errors } : { config: { suppress }, errors };
}

/**
 * Compiles a suppression's file glob with picomatch (POSIX paths): a `**`
 * segment spans any number of whole folders, `*` and `?` stay inside one
 * segment. So the glob policies/(double star)/prod.json matches
 * policies/prod.json and policies/a/b/prod.json but never policies/nonprod.json.
 * Names starting with a dot are matched like any other name.
 */
export function fileGlob(pattern: string): (file: string) => boolean {
  return picomatch(pattern, { dot: true, windows: false });
}

function pathMatches(findingPath: string, wanted: string): boolean {
  return findingPath === wanted || findingPath.startsWith(`${wanted}.`) || findingPath.startsWith(`${wanted}[`);
}

/**
 * Drops suppressed findings. `fileKeys(file)` gives the forms of a finding's
 * file a glob may match (e.g. as given, and relative to the config's folder).
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  fileKeys: (file: string) => readonly string[] = (f) => [f],
): Finding[] {
  if (suppressions.length === 0) return [...findings];
  const compiled = suppressions.map((s) => ({ ...s, matches: s.file !== undefined ? fileGlob(s.file) : undefined }));
  return findings.filter((f) => {
    const path = formatJsonPath(f.path);
    return !compiled.some(
      (s) =>
        s.issueCode === f.issueCode &&
        (s.matches === undefined || (f.file !== undefined && fileKeys(f.file).some((k) => s.matches?.(k)))) &&
        (s.path === undefined || pathMatches(path, s.path)),
    );
  });
}
