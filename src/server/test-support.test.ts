/** Starts servers on port 0 for tests; every server is stopped by the caller's `after`. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildBatch, parseFiles } from '../account/import/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { createServer, type IamsimServer, type ServerOptions } from './http.js';
import { Engine } from './engine.js';
import { openAsyncStore } from '../account/open-store.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/accounts/', import.meta.url));
export const fixture = (n: string): string => join(FIXTURES, n);
export const ACCOUNT = '111122223333';
export const EXEC_ROLE = 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole-20240110T090000';
export const JOB_ROLE = 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole';

export interface Started {
  readonly url: string;
  readonly engine: Engine;
  readonly server: IamsimServer;
  stop(): Promise<void>;
}

/** An in-memory store seeded with `files` (default: the authorization-details fixture). */
export async function startTestServer(
  options: ServerOptions = {},
  files: readonly string[] = [fixture('authorization-details.json')],
  db = ':memory:',
): Promise<Started> {
  const store = await openAsyncStore(db);
  // Seed the store itself (not an overlay) so the API's writes apply to these accounts.
  const diagnostics: Diagnostic[] = [];
  await store.importBatch(buildBatch(parseFiles(files, {}, diagnostics), undefined, diagnostics));
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(diagnostics.map((d) => d.message).join('; '));
  const engine = await Engine.open({ store });
  // A member a handler answers that the model's output shape lacks fails the test (never silently dropped).
  const server = createServer(engine, { strictOutput: true, ...options });
  const url = await server.listen();
  return {
    url,
    engine,
    server,
    stop: async () => {
      await server.close();
      await engine.close();
    },
  };
}

export async function postForm(url: string, params: Record<string, string>): Promise<{ status: number; text: string; headers: Headers }> {
  const r = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Version: '2010-05-08', ...params }).toString(),
  });
  return { status: r.status, text: await r.text(), headers: r.headers };
}

export async function postJson(url: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const r = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: r.headers };
}
