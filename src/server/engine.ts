/**
 * The engine a server answers from: the loaded account model (a Universe built
 * from the store, with `--account` files on top), reloaded when the store
 * changes, over one library engine (engine/iamsim.ts: the policy, assembly
 * and reasoner caches) that every route and the console use. All state lives
 * in the object; two servers in one process share nothing.
 */
import type { AccountUpdate, AsyncStore, VersionedContents } from '../account/async-store.js';
import type { Account, ImportBatch } from '../account/model.js';
import { buildBatch, parseFiles } from '../account/import/index.js';
import { createUniverse, type Universe } from '../account/query.js';
import { type ModelInputs, type ModelSnapshot, serializeModel } from './model-snapshot.js';
import { overlayContents } from '../account/overlay.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ReasonContext } from '../reason/index.js';
import { Iamsim, type IamsimOptions } from '../engine/iamsim.js';
import type { ConsoleApi } from './console/api.js';
import { authorize, type Authorization, type AuthorizeRequest } from '../authz/authorize.js';
import { structured } from '../authz/request.js';

export interface EngineOptions {
  readonly store: AsyncStore;
  /** Account files (anything `iamsim account import` reads) layered over the store's accounts, read-only. */
  readonly accountFiles?: readonly string[];
  /** The library engine's options (cache sizes); ignored when `iamsim` is given. */
  readonly engine?: IamsimOptions;
  /** The library engine to answer with (default: a new one). */
  readonly iamsim?: Iamsim;
}

export class EngineLoadError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
  }
}

export class Engine {
  #universe: Universe;
  #inputs: ModelInputs;
  #version: number;
  /** The current version's snapshot for request threads, serialized on first use. */
  #snapshot: ModelSnapshot | undefined;
  #reloading: Promise<void> = Promise.resolve();
  readonly #unsubscribe: () => void;
  /** Requests that asked for a fresh model, and the last of them the running check covers. */
  #arrivals = 0;
  #covers = 0;
  #check: Promise<void> | undefined;
  /** The web console's API over this engine (workflow definitions, parsed uploads), made by its route on first use. */
  consoleApi: ConsoleApi | undefined;
  /** Accounts that come from --account files: served, but not editable through the API. */
  readonly overlayAccounts: ReadonlySet<string>;

  private constructor(
    /** The caches and the reasoner every route and the console answer with. */
    readonly iamsim: Iamsim,
    readonly store: AsyncStore,
    private readonly overlay: ImportBatch | undefined,
    model: Model,
    version: number,
  ) {
    this.#universe = model.universe;
    this.#inputs = model.inputs;
    this.#version = version;
    this.overlayAccounts = new Set(overlay?.accounts.map((a) => a.id) ?? []);
    this.#unsubscribe = store.onChange(() => void this.reload().catch(() => undefined), version);
  }

  static async open(opts: EngineOptions): Promise<Engine> {
    let overlay: ImportBatch | undefined;
    if (opts.accountFiles !== undefined && opts.accountFiles.length > 0) overlay = readAccountFiles(opts.accountFiles);
    const contents = await opts.store.loadAll();
    const iamsim = opts.iamsim ?? new Iamsim(opts.engine);
    // The Access Analyzer routes and the console reason synchronously with it.
    await iamsim.reasoning();
    return new Engine(iamsim, opts.store, overlay, build(contents, overlay), contents.version);
  }

  /** The current model (a consistent snapshot: a reload swaps it whole). */
  get universe(): Universe {
    return this.#universe;
  }

  /**
   * The current model for request threads (pool.ts): serialized once per
   * version, so each hand-off to a thread costs the event loop nothing that
   * grows with the model.
   */
  snapshot(): ModelSnapshot {
    if (this.#snapshot?.version !== this.#version) this.#snapshot = serializeModel(this.#version, this.#inputs);
    return this.#snapshot;
  }

  /** The policy reasoner's caches (Access Analyzer checks and the console's Compare), created on first use. */
  get reasonContext(): ReasonContext {
    return this.iamsim.reason;
  }

  /**
   * Decides a request of a modelled principal over the current model (authz's
   * `authorize`), reusing the principal's compiled policies between requests.
   */
  authorize(request: AuthorizeRequest, options: { explain?: boolean } = {}): Authorization {
    const u = this.#universe;
    // The request's ARNs are parsed once here (authz/request.ts) and read by the assembly key, the assembly and the derived keys.
    const req = structured(request);
    const assembled = this.iamsim.assemblies.get(u, req);
    const explain = options.explain ?? true;
    const memo = this.iamsim.memo;
    return authorize(
      u,
      req,
      req.deriveContext ? { explain, assembled, memo, derivedKeys: this.iamsim.assemblies.derivedKeys(u, req, assembled) } : { explain, assembled, memo },
    );
  }

  get version(): number {
    return this.#version;
  }

  /**
   * Rebuilds the model from the store when its version moved. Calls run one
   * after another, so a reload requested after a write always reads it.
   */
  reload(): Promise<void> {
    const run = async (): Promise<void> => {
      if ((await this.store.version()) === this.#version) return;
      const contents = await this.store.loadAll();
      if (contents.version <= this.#version) return;
      const model = build(contents, this.overlay);
      this.#universe = model.universe;
      this.#inputs = model.inputs;
      this.#version = contents.version;
      this.iamsim.assemblies.clear();
    };
    const next = this.#reloading.then(run, run);
    this.#reloading = next.catch(() => undefined);
    return next;
  }

  /**
   * Read-your-writes across workers and replicas: resolves once the model is
   * at least at the store's version as of this call (a write another process
   * committed before the request arrived is seen). Concurrent callers share
   * one version check; a check already running when a call arrives does not
   * count for it. An in-memory store has no other writer: nothing to check.
   * When the store cannot be read the current model is served.
   */
  async fresh(): Promise<void> {
    if (this.store.location === ':memory:') return;
    const arrival = ++this.#arrivals;
    for (;;) {
      const running = this.#check;
      if (running !== undefined && this.#covers >= arrival) return running;
      if (running !== undefined) {
        await running;
        continue;
      }
      this.#covers = this.#arrivals;
      const check = this.reload()
        .catch(() => undefined)
        .finally(() => {
          if (this.#check === check) this.#check = undefined;
        });
      this.#check = check;
      return check;
    }
  }

  /** Whether the store answers within `ms` (readiness): undefined when it does, else the reason. */
  async storeProblem(ms: number): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`the store did not answer within ${ms} ms`), ms);
    });
    const probe = this.store.version().then(
      () => undefined,
      (e: unknown) => `the store cannot be read: ${e instanceof Error ? e.message : String(e)}`,
    );
    try {
      return await Promise.race([probe, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Applies `edit` to one stored account in one transaction and waits until the model reflects it. */
  async updateAccount<T>(id: string, edit: (current: Account | undefined) => AccountUpdate<T>): Promise<T> {
    const result = await this.store.updateAccount(id, edit);
    await this.reload();
    return result;
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    await this.#reloading;
    await this.store.close();
  }
}

/** Reads account files into one batch; throws EngineLoadError with the errors. */
export function readAccountFiles(files: readonly string[]): ImportBatch {
  const diagnostics: Diagnostic[] = [];
  const batch = buildBatch(parseFiles(files, {}, diagnostics), undefined, diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new EngineLoadError(errors);
  return batch;
}

interface Model {
  readonly inputs: ModelInputs;
  readonly universe: Universe;
}

function build(c: VersionedContents, overlay: ImportBatch | undefined): Model {
  const inputs = overlayContents(c, overlay);
  return { inputs, universe: createUniverse(inputs) };
}
