/**
 * The console's static files from dist/web (built by the console's build):
 * GET / is index.html (with the console's CSRF token in a meta element);
 * other paths map to files inside that folder only.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { ApiError } from '../errors.js';
import { CSRF_HEADER } from '../guard.js';
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
  access: 'static',
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
    if (rel === 'index.html' && ctx.csrfToken !== undefined) body = withCsrfMeta(body, ctx.csrfToken);
    return {
      status: 200,
      headers: {
        'content-type': TYPES[extname(full)] ?? 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        ...(rel === 'index.html' ? { 'cache-control': 'no-store' } : {}),
      },
      body,
    };
  },
};

/** The console's CSRF token, as `<meta name="iamsim-csrf">` in the page (src/web/api.ts sends it back). */
function withCsrfMeta(page: Buffer, token: string): Buffer {
  const html = page.toString('utf8');
  const meta = `<meta name="${CSRF_HEADER.slice(2)}" content="${token}">`;
  const at = html.indexOf('</head>');
  return Buffer.from(at >= 0 ? html.slice(0, at) + meta + html.slice(at) : meta + html);
}
