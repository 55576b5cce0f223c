/**
 * Who may reach the server from a browser. Three checks, before any route runs:
 * - **Host** (DNS rebinding): the Host header must name this server — localhost,
 *   127.0.0.1, [::1], the --host value (every local address when it is a
 *   wildcard) or an --allowed-host; '*' turns the check off (behind a proxy
 *   that checks it).
 * - **Cross-site requests** (CSRF): a request a browser sends from another
 *   site (`Sec-Fetch-Site` other than same-origin/none, or an `Origin` that is
 *   not this server) is refused on every API; the console's own pages and
 *   assets, and the health endpoints, stay reachable.
 * - **The console**: its writes carry a CSRF token (`x-iamsim-csrf`) the server
 *   puts in the page it serves; with --auth sigv4 its API needs the session
 *   cookie a visit to `/?token=TOKEN` sets (or a SigV4 signature).
 * Tokens derive from one secret per server (shared by its workers), so any
 * worker accepts them.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { ApiError } from './errors.js';

export const CSRF_HEADER = 'x-iamsim-csrf';

export interface GuardOptions {
  /** The address the server listens on (--host). */
  readonly host: string;
  /** More names the Host header may carry (--allowed-host); '*' allows any. */
  readonly allowedHosts?: readonly string[];
  /** The secret tokens derive from (hex); random when absent (one process). */
  readonly secret?: string;
  /** The console's login token (--auth sigv4); without it the console needs no login. */
  readonly consoleToken?: string;
  /** Cookies get the Secure attribute (TLS). */
  readonly secure?: boolean;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** The host name of a Host or Origin authority, lower-case, without port or brackets. */
export function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']') > 0 ? a.indexOf(']') : undefined);
  const colon = a.indexOf(':');
  return colon >= 0 && a.indexOf(':', colon + 1) < 0 ? a.slice(0, colon) : a;
}

function localNames(host: string, extra: readonly string[]): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1', hostName(host), ...extra.map(hostName)]);
  if (WILDCARD.has(host)) {
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(i.address.toLowerCase());
  }
  return names;
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const forbidden = (message: string): ApiError => new ApiError(403, 'AccessDenied', message);

export class RequestGuard {
  readonly #names: Set<string> | undefined;
  readonly #secret: Buffer;
  readonly #consoleToken: string | undefined;
  readonly #secure: boolean;
  /** The CSRF token of this server's console (the same in every worker). */
  readonly csrfToken: string;
  /** The session cookie's name (per server, so two servers on one host name do not collide). */
  readonly sessionCookie: string;

  constructor(opts: GuardOptions) {
    const extra = opts.allowedHosts ?? [];
    this.#names = extra.includes('*') ? undefined : localNames(opts.host, extra);
    this.#secret = opts.secret !== undefined ? Buffer.from(opts.secret, 'hex') : randomBytes(32);
    this.#consoleToken = opts.consoleToken;
    this.#secure = opts.secure ?? false;
    this.csrfToken = this.#mac('csrf');
    this.sessionCookie = `iamsim_session_${this.#mac('cookie-name').slice(0, 8)}`;
  }

  /** True when the console needs a login (a token was configured). */
  get consoleLogin(): boolean {
    return this.#consoleToken !== undefined;
  }

  #mac(what: string): string {
    return createHmac('sha256', this.#secret).update(what).digest('hex');
  }

  /** DNS rebinding: the Host header must name this server. */
  checkHost(headers: IncomingHttpHeaders): void {
    const h = header(headers, 'host');
    if (this.#names === undefined || h === undefined) return;
    if (!this.#names.has(hostName(h))) {
      throw forbidden(`Host '${h}' is not a name of this server; start iamsim serve with --allowed-host ${hostName(h)} to accept it`);
    }
  }

  /** CSRF: refuses a request a browser sent from another site. */
  checkSameOrigin(headers: IncomingHttpHeaders): void {
    const site = header(headers, 'sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw forbidden(`cross-site request refused (Sec-Fetch-Site: ${site})`);
    const origin = header(headers, 'origin');
    if (origin === undefined) return;
    let authority: string;
    try {
      authority = new URL(origin).host;
    } catch {
      throw forbidden(`cross-site request refused (Origin: ${origin})`);
    }
    if (authority.toLowerCase() !== (header(headers, 'host') ?? '').toLowerCase()) throw forbidden(`cross-site request refused (Origin: ${origin})`);
  }

  /** The console's writes carry the CSRF token. */
  checkCsrf(headers: IncomingHttpHeaders): void {
    if (!same(header(headers, CSRF_HEADER) ?? '', this.csrfToken)) {
      throw forbidden(`the console's requests carry the ${CSRF_HEADER} header from the page the server served; reload the console`);
    }
  }

  /** True when the console token is right (a visit to /?token=…). */
  tokenMatches(token: string): boolean {
    return this.#consoleToken !== undefined && same(token, this.#consoleToken);
  }

  /** The Set-Cookie value that opens a console session. */
  sessionSetCookie(): string {
    return `${this.sessionCookie}=${this.#mac('session')}; Path=/; HttpOnly; SameSite=Strict${this.#secure ? '; Secure' : ''}`;
  }

  /** True when the request carries this server's console session cookie. */
  hasSession(headers: IncomingHttpHeaders): boolean {
    const cookies = header(headers, 'cookie');
    if (cookies === undefined) return false;
    for (const part of cookies.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.sessionCookie) return same(part.slice(eq + 1).trim(), this.#mac('session'));
    }
    return false;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
