/** Completions from the server's service catalog (actions, condition keys), shared by the editors and the forms. */
import { get } from './api.js';

interface Items {
  readonly items: readonly { readonly label: string; readonly detail?: string }[];
}

/** Completions from the catalog: actions for Action/NotAction values, keys inside Condition. */
export async function catalogCompletions(kind: 'action' | 'key', prefix: string, actions: readonly string[] = []): Promise<Items['items']> {
  const q = new URLSearchParams({ prefix });
  if (kind === 'key' && actions.length > 0) q.set('actions', actions.join(','));
  const res = await get<Items>(`${kind === 'action' ? 'catalog/actions' : 'catalog/condition-keys'}?${q.toString()}`);
  return res.items;
}
