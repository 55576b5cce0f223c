/**
 * The engine a server answers from: the loaded account model (a Universe built
 * from the store, with `--account` files on top), reloaded when the store
 * changes. All state lives in the object; two servers in one process share
 * nothing.
 */
import type { Account, ImportBatch } from '../account/model.js';
import { buildBatch, parseFiles } from '../account/import/index.js';
import { createUniverse, type Universe } from '../account/query.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ServerStore } from './store.js';

export interface EngineOptions {
  readonly store: ServerStore;
  /** Account files (anything `iamsim account import` reads) layered over the store's accounts, read-only. */
  readonly accountFiles?: readonly string[];
}

export class EngineLoadError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
  }
}

export class Engine {
  #universe: Universe;
  #version: number;
  #reloading: Promise<void> | undefined;
  readonly #unsubscribe: () => void;
  /** Accounts that come from --account files: served, but not editable through the API. */
  readonly overlayAccounts: ReadonlySet<string>;

  private constructor(readonly store: ServerStore, private readonly overlay: ImportBatch | undefined, universe: Universe, version: number) {
    this.#universe = universe;
    this.#version = version;
    this.overlayAccounts = new Set(overlay?.accounts.map((a) => a.id) ?? []);
    this.#unsubscribe = store.onChange(() => void this.reload());
  }

  static async open(opts: EngineOptions): Promise<Engine> {
    let overlay: ImportBatch | undefined;
    if (opts.accountFiles !== undefined && opts.accountFiles.length > 0) {
      const diagnostics: Diagnostic[] = [];
      const inputs = parseFiles(opts.accountFiles, {}, diagnostics);
      const batch = buildBatch(inputs, undefined, diagnostics);
      if (diagnostics.some((d) => d.severity === 'error')) throw new EngineLoadError(diagnostics.filter((d) => d.severity === 'error'));
      overlay = batch;
    }
    const version = await opts.store.version();
    const universe = await build(opts.store, overlay);
    return new Engine(opts.store, overlay, universe, version);
  }

  /** The current model (a consistent snapshot: a reload swaps it whole). */
  get universe(): Universe {
    return this.#universe;
  }

  get version(): number {
    return this.#version;
  }

  /** Rebuilds the model from the store when its version moved; concurrent calls share one reload. */
  reload(): Promise<void> {
    this.#reloading ??= (async () => {
      try {
        const v = await this.store.version();
        if (v === this.#version) return;
        this.#universe = await build(this.store, this.overlay);
        this.#version = v;
      } finally {
        this.#reloading = undefined;
      }
    })();
    return this.#reloading;
  }

  /** Applies `edit` to one stored account and waits until the model reflects it. */
  async updateAccount(id: string, edit: (current: Account | undefined) => Account): Promise<Account> {
    const next = await this.store.updateAccount(id, edit);
    await this.reload();
    return next;
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    await this.#reloading;
    await this.store.close();
  }
}

async function build(store: ServerStore, overlay: ImportBatch | undefined): Promise<Universe> {
  const c = await store.loadAll();
  const accounts = new Map(c.accounts.map((a) => [a.id, a] as const));
  const resourcePolicies = new Map(c.resourcePolicies.map((r) => [r.arn, r] as const));
  let organization = c.organization;
  if (overlay) {
    for (const a of overlay.accounts) accounts.set(a.id, a);
    for (const r of overlay.resourcePolicies) resourcePolicies.set(r.arn, r);
    if (overlay.organization) organization = overlay.organization;
  }
  return createUniverse({ accounts: [...accounts.values()], resourcePolicies: [...resourcePolicies.values()], ...(organization ? { organization } : {}) });
}
