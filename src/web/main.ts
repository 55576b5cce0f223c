/** The console's shell: a hash router over the four pages; any failure is shown on the page, never a blank screen. */
import { clear, errorBox } from './dom.js';
import { accountPage } from './pages/account.js';
import { comparePage } from './pages/compare.js';
import { explainPage } from './pages/explain.js';
import { preflightPage } from './pages/preflight.js';
import { simulatePage } from './pages/simulate.js';

const PAGES: Record<string, (root: HTMLElement) => void | Promise<void>> = {
  simulate: simulatePage,
  preflight: preflightPage,
  account: accountPage,
  compare: comparePage,
  explain: explainPage,
};

function pageName(): string {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return name in PAGES ? name : 'simulate';
}

let current = '';

async function route(): Promise<void> {
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
    await PAGES[name]!(root);
  } catch (e) {
    clear(root, errorBox(`This page failed to load: ${e instanceof Error ? e.message : String(e)}`));
  }
}

window.addEventListener('hashchange', () => void route());
window.addEventListener('unhandledrejection', (ev) => {
  const root = document.getElementById('main');
  root?.prepend(errorBox(`Something failed: ${ev.reason instanceof Error ? ev.reason.message : String(ev.reason)}`));
});
document.getElementById('boot')?.remove();
void route().then(() => {
  if (!location.hash) history.replaceState(null, '', '#/simulate');
});
