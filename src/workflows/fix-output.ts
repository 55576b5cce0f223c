/**
 * A preflight's fixes as output people can review and apply: the patched
 * policies, corrected copies of the account files, the lint warnings the
 * patch would add, and per changed document the scope proof (does it grant
 * anything beyond the failing steps?). `fixOutputFiles` lays it out as files
 * (`iamsim preflight --fix-out DIR` writes them), `fixOutputJson` as data.
 */
import { basename, posix } from 'node:path';
import type { Universe } from '../account/query.js';
import { unifiedDiff } from '../text/diff.js';
import { allFixes } from './run.js';
import { buildPatch, newSecurityWarnings, type LintRegression, type PreflightPatch } from './patch.js';
import { patchAccountFiles, type FilesPatch } from './patch-files.js';
import { checkFixScope, type ScopeCheck } from './prove.js';
import type { PreflightResult } from './types.js';
import type { ReasonContext } from '../reason/index.js';

export interface FixOutput {
  readonly patch: PreflightPatch;
  readonly files: FilesPatch;
  readonly lint: readonly LintRegression[];
  /** Per changed document: does it grant anything beyond the failing steps (semantic check)? */
  readonly scope: readonly ScopeCheck[];
}

/**
 * The patch for a preflight's fixes, with corrected copies of the account files given (path → text) and the
 * scope proof (`reason`: the engine's reasoner to prove with).
 */
export async function fixOutput(u: Universe, r: PreflightResult, texts: ReadonlyMap<string, string> = new Map(), reason?: ReasonContext): Promise<FixOutput> {
  const patch = buildPatch(u, allFixes(r));
  return { patch, files: patchAccountFiles(texts, patch.policies), lint: newSecurityWarnings(patch), scope: await checkFixScope(r, patch, reason) };
}

function accountFileName(source: string, used: Set<string>): string {
  let name = basename(source);
  for (let n = 2; used.has(name); n++) name = basename(source).replace(/(\.[^.]*)?$/, `-${n}$1`);
  used.add(name);
  return name;
}

/** One file of the fix output: its path relative to the output folder ("/"-separated) and its text. */
export interface FixFile {
  readonly path: string;
  readonly text: string;
}

/** The fix output as files: policies/, accounts/, fixes.diff and apply.sh. */
export function fixOutputFiles(out: FixOutput): FixFile[] {
  const files: FixFile[] = [];
  const put = (path: string, text: string): void => {
    files.push({ path, text });
  };
  for (const p of out.patch.policies) put(posix.join('policies', p.file), p.after);
  const used = new Set<string>();
  let accountDiff = '';
  for (const f of out.files.files) {
    const name = accountFileName(f.source, used);
    put(posix.join('accounts', name), f.after);
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
  return files;
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
