/**
 * The console's static files from dist/web (built by the console's build):
 * GET / is index.html; other paths map to files inside that folder only.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { ApiError } from '../errors.js';
import type { Reply, Route } from '../types.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const staticRoute: Route = {
  method: 'GET',
  path: '/*',
  name: 'static',
  async handle(ctx): Promise<Reply> {
    if (ctx.staticDir === undefined) throw new ApiError(404, 'NotFound', 'the console is not built (dist/web is missing)');
    const rel = ctx.url.pathname === '/' ? 'index.html' : decodeURIComponent(ctx.url.pathname).replace(/^\/+/, '');
    const full = normalize(join(ctx.staticDir, rel));
    if (!full.startsWith(ctx.staticDir.endsWith(sep) ? ctx.staticDir : ctx.staticDir + sep) || rel.includes('\0')) {
      throw new ApiError(404, 'NotFound', `no such file: ${ctx.url.pathname}`);
    }
    let body: Buffer;
    try {
      body = await readFile(full);
    } catch {
      throw new ApiError(404, 'NotFound', `no such file: ${ctx.url.pathname}`);
    }
    return {
      status: 200,
      headers: {
        'content-type': TYPES[extname(full)] ?? 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        ...(rel === 'index.html' ? { 'cache-control': 'no-cache' } : {}),
      },
      body,
    };
  },
};
