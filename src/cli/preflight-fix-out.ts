/** `iamsim preflight --fix-out DIR`: writes the fix plan as files people can review and apply. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Universe } from '../account/query.js';
import { unifiedDiff } from '../text/diff.js';
import { allFixes } from '../workflows/run.js';
import { buildPatch, newSecurityWarnings, type LintRegression, type PreflightPatch } from '../workflows/patch.js';
import { patchAccountFiles, type FilesPatch } from '../workflows/patch-files.js';
import { checkFixScope, type ScopeCheck } from '../workflows/prove.js';
import type { PreflightResult } from '../workflows/types.js';
import { readText } from './io.js';

export interface FixOutput {
  readonly patch: PreflightPatch;
  readonly files: FilesPatch;
  readonly lint: readonly LintRegression[];
  /** Per changed document: does it grant anything beyond the failing steps (semantic check)? */
  readonly scope: readonly ScopeCheck[];
}

/** The patch for a preflight's fixes, with corrected copies of the account files given. */
export async function fixOutput(u: Universe, r: PreflightResult, accountFiles: readonly string[]): Promise<FixOutput> {
  const patch = buildPatch(u, allFixes(r));
  const texts = new Map(accountFiles.map((f) => [f, readText(f)] as const));
  return { patch, files: patchAccountFiles(texts, patch.policies), lint: newSecurityWarnings(patch), scope: await checkFixScope(r, patch) };
}

function accountFileName(source: string, used: Set<string>): string {
  let name = basename(source);
  for (let n = 2; used.has(name); n++) name = basename(source).replace(/(\.[^.]*)?$/, `-${n}$1`);
  used.add(name);
  return name;
}

/** Writes policies/, accounts/, fixes.diff and apply.sh into `dir`; returns the paths written. */
export function writeFixOutput(dir: string, out: FixOutput): string[] {
  const written: string[] = [];
  const put = (rel: string, text: string): void => {
    const full = join(dir, rel);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
    written.push(full);
  };
  for (const p of out.patch.policies) put(join('policies', p.file), p.after);
  const used = new Set<string>();
  let accountDiff = '';
  for (const f of out.files.files) {
    const name = accountFileName(f.source, used);
    put(join('accounts', name), f.after);
    accountDiff += unifiedDiff(f.before, f.after, `a/${f.source}`, `b/accounts/${name}`);
  }
  put('fixes.diff', out.patch.diff + accountDiff);
  const script = [
    '#!/bin/sh',
    '# Applies the preflight fixes with the AWS CLI. Review policies/ and fixes.diff first.',
    'set -eu',
    'cd "$(dirname "$0")/policies"',
    ...out.patch.policies.map((p) => p.command),
    '',
  ].join('\n');
  put('apply.sh', script);
  return written;
}

/** The patch as data for --format json. */
export function fixOutputJson(out: FixOutput, dir: string | undefined): unknown {
  return {
    ...(dir !== undefined ? { directory: dir } : {}),
    policies: out.patch.policies.map((p) => ({
      layer: p.layer,
      target: p.target,
      policyName: p.policyName,
      file: `policies/${p.file}`,
      new: p.before === undefined,
      command: p.command,
      document: p.after,
    })),
    accountFiles: out.files.files.map((f) => ({ source: f.source, policies: f.policies })),
    unplaced: out.files.unplaced.map((p) => `policies/${p.file}`),
    diff: out.patch.diff,
    newSecurityWarnings: out.lint,
    scope: out.scope,
  };
}
