/**
 * Where a Terraform resource is written: the plan JSON carries no positions,
 * so the `.tf` files of the root folder (and of local module sources, from
 * the configuration's `module_calls[].source`) are scanned for
 * `resource "TYPE" "NAME"` block headers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Json } from './json.js';

export type TfLocator = (configAddress: string, type: string) => { file: string; line: number; column: number } | undefined;

const HEADER = /^[ \t]*resource[ \t]+"([^"]+)"[ \t]+"([^"]+)"/gm;

function scanFolder(dir: string, prefix: string, into: Map<string, { file: string; line: number; column: number }>): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.tf'));
  } catch {
    return;
  }
  for (const n of names.sort()) {
    const path = join(dir, n);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(HEADER)) {
      const before = text.slice(0, m.index);
      const line = before.split('\n').length;
      const column = m.index - before.lastIndexOf('\n');
      const file = relative(process.cwd(), path) || path;
      into.set(`${prefix}${m[1]}.${m[2]}`, { file, line, column: column + (m[0].length - m[0].trimStart().length) });
    }
  }
}

function isObj(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scanModules(mod: Json | undefined, dir: string, prefix: string, into: Map<string, { file: string; line: number; column: number }>): void {
  if (!isObj(mod) || !isObj(mod['module_calls'])) return;
  for (const [name, call] of Object.entries(mod['module_calls'])) {
    if (!isObj(call) || typeof call['source'] !== 'string') continue;
    const src = call['source'];
    if (!src.startsWith('./') && !src.startsWith('../')) continue;
    const sub = join(dir, src);
    const p = `${prefix}module.${name}.`;
    scanFolder(sub, p, into);
    scanModules(call['module'], sub, p, into);
  }
}

/** A locator over the `.tf` files of `dir` (none: every lookup answers undefined). */
export function locateResources(dir: string | undefined, plan: Record<string, Json>): TfLocator {
  const index = new Map<string, { file: string; line: number; column: number }>();
  if (dir !== undefined) {
    scanFolder(dir, '', index);
    const config = plan['configuration'];
    if (isObj(config)) scanModules(config['root_module'], dir, '', index);
  }
  return (address) => index.get(address);
}
