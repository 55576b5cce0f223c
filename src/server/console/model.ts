/**
 * Where the console's account model comes from: the server's loaded store,
 * or account exports the browser uploaded (parsed in memory, never written).
 * Parsed uploads are kept per content in a small cache owned by the object.
 */
import { createHash } from 'node:crypto';
import type { Universe } from '../../account/query.js';
import { universeFromTexts } from '../../authz/universe.js';
import { ApiError } from './types.js';

export interface UploadedFile {
  readonly name: string;
  readonly text: string;
}

export type ModelSource = { readonly kind: 'store' } | { readonly kind: 'files'; readonly files: readonly UploadedFile[] };

/** The server's current model of the store (undefined when no store is loaded). */
export type StoreModel = () => Promise<Universe | undefined> | Universe | undefined;

const MAX_CACHED = 8;

export class ModelResolver {
  private readonly cache = new Map<string, Universe>();

  constructor(private readonly store: StoreModel | undefined) {}

  /** True when the server has a store with at least one account. */
  async hasAccounts(): Promise<boolean> {
    const u = this.store ? await this.store() : undefined;
    return u !== undefined && u.accounts.size > 0;
  }

  async resolve(source: ModelSource): Promise<Universe> {
    if (source.kind === 'store') {
      const u = this.store ? await this.store() : undefined;
      if (u === undefined || u.accounts.size === 0) {
        throw new ApiError(
          400,
          'NoAccounts',
          'the server has no accounts loaded: send account export files as the source, or import accounts into the store the server reads',
        );
      }
      return u;
    }
    const key = createHash('sha256').update(JSON.stringify(source.files)).digest('hex');
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const loaded = universeFromTexts(source.files);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0 || loaded.universe === undefined) {
      throw new ApiError(400, 'InvalidAccountExport', 'the uploaded files are not a readable account export', errors);
    }
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, loaded.universe);
    return loaded.universe;
  }
}

/** Reads `source` from a request body: `{"kind":"store"}` or `{"kind":"files","files":[{"name","text"}]}`. */
export function readSource(value: unknown): ModelSource {
  if (value === undefined || value === null) return { kind: 'store' };
  const o = value as Record<string, unknown>;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError(400, 'InvalidInput', 'source must be an object');
  if (o['kind'] === 'store') return { kind: 'store' };
  if (o['kind'] !== 'files') throw new ApiError(400, 'InvalidInput', 'source.kind must be "store" or "files"');
  const files = o['files'];
  if (!Array.isArray(files) || files.length === 0) throw new ApiError(400, 'InvalidInput', 'source.files must list at least one file');
  return {
    kind: 'files',
    files: files.map((f, i) => {
      const name = (f as Record<string, unknown> | null)?.['name'];
      const text = (f as Record<string, unknown> | null)?.['text'];
      if (typeof name !== 'string' || typeof text !== 'string') throw new ApiError(400, 'InvalidInput', `source.files[${i}] needs a string name and text`);
      return { name, text };
    }),
  };
}
