/**
 * The console's shell: a hash router over the four pages; any failure is shown on the page, never a blank screen.
 * Each page is its own chunk, loaded when first opened: the Account and Preflight pages do not wait for the
 * policy editor, nor Simulate for the graph library.
 */
import { type ConsoleApp, consoleApp } from './api.js';
import { clear, errorBox } from './dom.js';

type PageFn = (root: HTMLElement, app: ConsoleApp) => void | Promise<void>;

const PAGES: Record<string, () => Promise<PageFn>> = {
  simulate: () => import('./pages/simulate.js').then((m) => m.simulatePage),
  preflight: () => import('./pages/preflight.js').then((m) => m.preflightPage),
  account: () => import('./pages/account.js').then((m) => m.accountPage),
  compare: () => import('./pages/compare.js').then((m) => m.comparePage),
  explain: () => import('./pages/explain.js').then((m) => m.explainPage),
};

function pageName(): string {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return name in PAGES ? name : 'simulate';
}

/** The console of this load: its state (the page shown, the server's features) lives here, not in the module. */
function startConsole(): void {
  const app = consoleApp();
  let current = '';
  const route = async (): Promise<void> => {
    const name = pageName();
    if (name === current) return;
    current = name;
    const root = document.getElementById('main') as HTMLElement;
    for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a[data-page]')) {
      if (a.dataset['page'] === name) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = `${name[0]?.toUpperCase()}${name.slice(1)} · iamsim console`;
    try {
      const page = await PAGES[name]!();
      if (current === name) await page(root, app);
    } catch (e) {
      clear(root, errorBox(`This page failed to load: ${e instanceof Error ? e.message : String(e)}`));
    }
  };
  window.addEventListener('hashchange', () => void route());
  window.addEventListener('unhandledrejection', (ev) => {
    const root = document.getElementById('main');
    root?.prepend(errorBox(`Something failed: ${ev.reason instanceof Error ? ev.reason.message : String(ev.reason)}`));
  });
  document.getElementById('boot')?.remove();
  void route().then(() => {
    if (!location.hash) history.replaceState(null, '', '#/simulate');
  });
}

startConsole();
