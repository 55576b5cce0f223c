/** Calls the server's console API; failures become ApiFailure with the server's message and diagnostics, in the page's words. */
import type { MessageParams } from '../diagnostics/message.js';
import { plainMessage, plainWhere } from './plain.js';

export interface Diag {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly file?: string;
  readonly line: number;
  readonly column: number;
  /** The message as a value (diagnostics/message.ts), which the console words itself. */
  readonly template?: string;
  readonly params?: MessageParams;
}

/** The server's message for a request whose first error is `first` (`where: message`), in the console's words; other messages as written. */
function consoleWords(message: string, diagnostics: readonly Diag[]): string {
  const first = diagnostics.find((d) => d.severity === 'error');
  if (first?.template === undefined) return message;
  const server = first.file !== undefined ? `${first.file}: ${first.message}` : first.message;
  if (message !== server) return message;
  return first.file !== undefined ? `${plainWhere(first.file)}: ${plainMessage(first)}` : plainMessage(first);
}

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly diagnostics: readonly Diag[] = [],
  ) {
    super(consoleWords(message, diagnostics));
  }

  /** One line per diagnostic, `where: message`. */
  details(): string[] {
    return this.diagnostics
      .filter((d) => d.severity === 'error')
      .slice(0, 20)
      .map((d) =>
        d.file?.startsWith('-') ? `${plainWhere(d.file)}: ${plainMessage(d)}` : `${plainWhere(d.file)}, line ${d.line}, column ${d.column}: ${plainMessage(d)}`,
      );
  }
}

const PREFIX = 'api/console/';

async function call<T>(path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(PREFIX + path, init);
  } catch {
    throw new ApiFailure('The iamsim server cannot be reached. Is `iamsim serve` still running?', 'NetworkError');
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiFailure(`The server answered ${res.status} ${res.statusText} without a JSON body.`, 'BadResponse');
  }
  if (!res.ok) {
    const b = body as { error?: { code?: string; message?: string; Code?: string; Message?: string }; diagnostics?: Diag[] };
    const e = b.error ?? {};
    throw new ApiFailure(e.message ?? e.Message ?? `Request failed (${res.status})`, e.code ?? e.Code ?? String(res.status), b.diagnostics ?? []);
  }
  return body as T;
}

export function get<T>(path: string): Promise<T> {
  return call<T>(path, { method: 'GET', headers: { accept: 'application/json' } });
}

/** The server's CSRF token, from the page it served (`<meta name="iamsim-csrf">`); writes send it back. */
function csrfToken(): string {
  return document.querySelector('meta[name="iamsim-csrf"]')?.getAttribute('content') ?? '';
}

export function post<T>(path: string, body: unknown): Promise<T> {
  const headers = { 'content-type': 'application/json', accept: 'application/json', 'x-iamsim-csrf': csrfToken() };
  return call<T>(path, { method: 'POST', headers, body: JSON.stringify(body) });
}

export interface Features {
  readonly store: boolean;
  readonly workflows: number;
  readonly audit: boolean;
  readonly compare: boolean;
}

/**
 * What one load of the console keeps between its pages: made once by main.ts (`consoleApp`) and handed to every
 * page, so the console has no module-level state.
 */
export interface ConsoleApp {
  /** The server's features, asked once per load of the console. */
  features(): Promise<Features>;
}

export function consoleApp(): ConsoleApp {
  let features: Promise<Features> | undefined;
  return {
    features: () => {
      features ??= get<Features>('features');
      return features;
    },
  };
}
