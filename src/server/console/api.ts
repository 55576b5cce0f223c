/**
 * The console's API as one object per server: the loaded workflow
 * definitions, the model resolver (store or uploads) and the route table the
 * server mounts under CONSOLE_API_PREFIX. Every route is a thin shell over the
 * library; see docs/console.md for the shapes.
 */
import type { Universe } from '../../account/query.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { newReasonContext, type ReasonContext } from '../../reason/index.js';
import { loadWorkflows } from '../../workflows/load.js';
import type { WorkflowDef } from '../../workflows/types.js';
import { graph, listAccounts, principal } from './account.js';
import { audit } from './audit.js';
import { actions, conditionKeys } from './catalog.js';
import { compare } from './compare.js';
import { explainError } from './explain.js';
import { ModelResolver, type StoreModel } from './model.js';
import { listWorkflows, runPreflight } from './preflight.js';
import { contextKeys, lint, simulate } from './simulate.js';
import { ApiError, errorReply, ok, type ApiInput, type ApiReply, type ConsoleRoute } from './types.js';

export const CONSOLE_API_PREFIX = '/api/console/';

export interface ConsoleOptions {
  /** The server's current model of its store; absent when the server has none. */
  readonly storeModel?: StoreModel;
  /** Workflow definitions folder (default: the packaged ones). */
  readonly workflowsDir?: string;
  /** The reasoner of the engine the server answers with (default: one of the console's own). */
  readonly reason?: () => ReasonContext;
}

export class ConsoleApi {
  readonly routes: readonly ConsoleRoute[];
  private readonly workflows: ReadonlyMap<string, WorkflowDef>;
  private readonly models: ModelResolver;
  /** The semantic engine's state (action universe, caches): the server engine's, else the console's own, built on first use. */
  private readonly reasonOf: (() => ReasonContext) | undefined;
  private reason: ReasonContext | undefined;
  /** One audit answer per loaded model (the store's or an upload's). */
  private readonly audits = new WeakMap<Universe, Promise<ApiReply>>();
  /** Problems loading the workflow definitions (an installation fault, reported by `features`). */
  readonly diagnostics: readonly Diagnostic[];

  constructor(options: ConsoleOptions = {}) {
    const loaded = loadWorkflows(...(options.workflowsDir !== undefined ? [options.workflowsDir] : []));
    this.workflows = loaded.workflows;
    this.diagnostics = loaded.diagnostics;
    this.models = new ModelResolver(options.storeModel);
    this.reasonOf = options.reason;
    this.routes = [
      { method: 'GET', path: 'features', handle: () => this.features() },
      { method: 'POST', path: 'simulate', handle: simulate },
      { method: 'POST', path: 'lint', handle: lint },
      { method: 'POST', path: 'context-keys', handle: contextKeys },
      { method: 'GET', path: 'catalog/actions', handle: actions },
      { method: 'GET', path: 'catalog/condition-keys', handle: conditionKeys },
      { method: 'GET', path: 'workflows', handle: () => listWorkflows(this.workflows) },
      { method: 'POST', path: 'preflight', handle: (i) => runPreflight(this.workflows, this.models, i, this.reasonContext()) },
      { method: 'POST', path: 'accounts', handle: (i) => listAccounts(this.models, i) },
      { method: 'GET', path: 'accounts', handle: (i) => listAccounts(this.models, { ...i, body: undefined }) },
      { method: 'POST', path: 'principal', handle: (i) => principal(this.models, i) },
      { method: 'POST', path: 'graph', handle: (i) => graph(this.models, i, this.reasonContext().memo) },
      { method: 'POST', path: 'audit', handle: (i) => audit(this.models, i, this.audits) },
      { method: 'POST', path: 'compare', handle: (i) => compare(this.reasonContext(), i) },
      { method: 'POST', path: 'explain', handle: (i) => explainError(this.models, i) },
    ];
  }

  private reasonContext(): ReasonContext {
    if (this.reasonOf !== undefined) return this.reasonOf();
    this.reason ??= newReasonContext();
    return this.reason;
  }

  /** What this build and this server offer, so the pages say what is not available instead of failing. */
  async features(): Promise<ApiReply> {
    return ok({
      store: await this.models.hasAccounts(),
      workflows: this.workflows.size,
      audit: true,
      compare: true,
    });
  }

  /**
   * Answers one API request: `path` is below CONSOLE_API_PREFIX. Input
   * problems are 4xx with a message and diagnostics; undefined means no such route.
   */
  async dispatch(method: string, path: string, input: ApiInput): Promise<ApiReply | undefined> {
    const matches = this.routes.filter((r) => r.path === path);
    if (matches.length === 0) return undefined;
    const route = matches.find((r) => r.method === method);
    if (route === undefined)
      return { status: 405, body: { error: { code: 'MethodNotAllowed', message: `${path} takes ${matches.map((r) => r.method).join(', ')}` } } };
    try {
      return await route.handle(input);
    } catch (e) {
      if (e instanceof ApiError) return errorReply(e);
      throw e;
    }
  }
}
