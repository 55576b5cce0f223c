/**
 * REST routing from a service model: each operation's `http.method` and
 * `http.requestUri` (a template such as `/analyzer/{analyzerName}/archive-rule`,
 * a `{name+}` label taking the rest of the path; a `?…` part names fixed query
 * members and does not route) become a matcher, so a request is tied to the
 * operation AWS's model gives it — served, or answered NotImplemented — rather
 * than to a 404.
 */
import type { ServiceModel } from './model.js';

export interface RestOperation {
  readonly name: string;
  readonly method: string;
  /** The template's path, without its query part. */
  readonly uri: string;
  readonly pattern: RegExp;
  /** Fixed (label-free) segments: a more specific template is tried first. */
  readonly literals: number;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(uri: string): { pattern: RegExp; literals: number } {
  let literals = 0;
  const parts = uri
    .split('/')
    .slice(1)
    .map((seg) => {
      const label = /^\{(\w+)(\+?)\}$/.exec(seg);
      if (label === null) {
        literals++;
        return escapeRegExp(seg);
      }
      return label[2] === '+' ? '.+' : '[^/]+';
    });
  return { pattern: new RegExp(`^/${parts.join('/')}$`), literals };
}

/** The model's REST operations, most specific template first (more literal segments, then longer). */
export function restOperations(model: ServiceModel): RestOperation[] {
  const ops: RestOperation[] = [];
  for (const op of Object.values(model.operations)) {
    if (op.http === undefined) continue;
    const uri = op.http.requestUri.split('?')[0]!;
    ops.push({ name: op.name, method: op.http.method, uri, ...compile(uri) });
  }
  return ops.sort((a, b) => b.literals - a.literals || b.uri.length - a.uri.length);
}

/** The operation a request's method and path name, if any. */
export function matchRestOperation(ops: readonly RestOperation[], method: string, path: string): RestOperation | undefined {
  return ops.find((o) => o.method === method && o.pattern.test(path));
}
