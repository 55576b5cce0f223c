// Shared pieces of the benchmark: policy loading, the two engines' request shapes, timing helpers, the table.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parsePolicy, compilePolicy, makeContext } from '../dist/src/index.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const policiesDir = join(root, 'examples', 'policies');
export const ACCT = '012345678910';
export const quick = process.argv.includes('--quick');
export const windowMs = quick ? 300 : 1500;

export function load(name) {
  const text = readFileSync(join(policiesDir, name), 'utf8');
  return { name, text, json: JSON.parse(text) };
}

/** iamsim's evaluator input for identity policies given as text. */
export function ours(policyDocs) {
  return { identity: policyDocs.map((p, i) => compilePolicy(parsePolicy(p.text, { type: 'identity', name: p.name }).policy, `PolicyInputList.${i + 1}`)) };
}

export function ourContext(ctx) {
  return makeContext(Object.entries(ctx).map(([key, v]) => ({ key, type: Array.isArray(v) ? 'stringList' : 'string', values: Array.isArray(v) ? v : [v] })));
}

export const ownerOf = (arn) => {
  const a = arn.split(':')[4];
  return a && /^\d{12}$/.test(a) ? a : ACCT;
};

export function ourRequest(r) {
  return { action: r.action, resource: r.resource, principal: r.principal, resourceOwner: ownerOf(r.resource), context: ourContext(r.ctx) };
}

/** The peer's simulation input for identity policies given as JSON values. */
export function peerSim(policies, r) {
  return {
    identityPolicies: policies.map((p) => ({ name: p.name, policy: p.json })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: { action: r.action, principal: r.principal, resource: { resource: r.resource, accountId: ownerOf(r.resource) }, contextVariables: r.ctx },
  };
}

/** The peer's answer in iamsim's decision names ('error' when it refused the input). */
export function peerDecision(result) {
  if (result.resultType === 'error') return 'error';
  return result.overallResult === 'Allowed' ? 'allowed' : result.overallResult === 'ExplicitlyDenied' ? 'explicitDeny' : 'implicitDeny';
}

/** Collects garbage between timed sections when node runs with --expose-gc (npm run bench does). */
export function collect() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

/**
 * Calls per second of fn(i) over a window, after a warm-up. A plain function: a timed loop in an awaiting module
 * body runs in a resumable async frame that V8 optimizes poorly, and would measure that instead of the engine.
 */
export function rate(fn, minMs = windowMs, warm = 200) {
  for (let i = 0; i < warm; i++) fn(i);
  collect();
  let n = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < minMs) {
    for (let i = 0; i < 100; i++) fn(n + i);
    n += 100;
    now = performance.now();
  }
  return (n / (now - t0)) * 1000;
}

/** The same for an async fn (the peer's API is async). */
export async function rateAsync(fn, minMs = windowMs, warm = 50) {
  for (let i = 0; i < warm; i++) await fn(i);
  collect();
  let n = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < minMs) {
    for (let i = 0; i < 20; i++) await fn(n + i);
    n += 20;
    now = performance.now();
  }
  return (n / (now - t0)) * 1000;
}

export const fmt = (x) => Math.round(x).toLocaleString('en-US');

export function printTable(title, unit, rows) {
  console.log(`\n${title}\n`);
  console.log(`${'scenario'.padEnd(56)} ${`iamsim ${unit}`.padStart(16)} ${`peer ${unit}`.padStart(14)} ${'ratio'.padStart(8)}  note`);
  for (const { name, ours: a, peer: b, note } of rows) {
    const ratio = b === undefined ? '' : `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}x`;
    console.log(`${name.padEnd(56)} ${fmt(a).padStart(16)} ${(b === undefined ? '' : fmt(b)).padStart(14)} ${ratio.padStart(8)}  ${note ?? ''}`);
  }
}
