/**
 * Page state that survives a reload (localStorage) and travels in a shared
 * link (the URL's hash: `#/page?s=<base64url JSON>`).
 */
const KEY = 'iamsim.console.';

export function loadState<T>(page: string): T | undefined {
  const fromLink = new URLSearchParams(location.hash.split('?')[1] ?? '').get('s');
  if (fromLink !== null) {
    try {
      return JSON.parse(decodeBase64Url(fromLink)) as T;
    } catch {
      // A damaged link falls back to what this browser kept.
    }
  }
  try {
    const raw = localStorage.getItem(KEY + page);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

export function saveState(page: string, state: unknown): void {
  try {
    localStorage.setItem(KEY + page, JSON.stringify(state));
  } catch {
    // Storage full or disabled: the page still works, it just will not remember.
  }
}

/** A link that restores this state in another browser. */
export function shareLink(page: string, state: unknown): string {
  return `${location.origin}${location.pathname}#/${page}?s=${encodeBase64Url(JSON.stringify(state))}`;
}

/** Drops `?s=…` from the address once the state is loaded, so later edits are not shadowed by the link. */
export function forgetLinkState(page: string): void {
  if (location.hash.includes('?s=')) history.replaceState(null, '', `#/${page}`);
}

function encodeBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeBase64Url(s: string): string {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
