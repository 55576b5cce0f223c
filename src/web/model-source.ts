/**
 * The account model the Preflight and Account pages work on: the accounts
 * loaded in the server's store, or export files chosen in the browser (sent
 * with each request, never stored by the server). Remembered across pages.
 *
 * First open: when the server has accounts loaded, they are the default;
 * when it has none and no files are chosen, the pages show what to do
 * (noAccounts) instead of asking the server and showing its error.
 */
import type { ConsoleApp } from './api.js';
import { h, uid } from './dom.js';
import { loadState, saveState } from './state.js';

export interface UploadedFile {
  readonly name: string;
  readonly text: string;
}
export type ModelSource = { readonly kind: 'store' } | { readonly kind: 'files'; readonly files: readonly UploadedFile[] };

interface Saved {
  kind: 'store' | 'files';
  files: UploadedFile[];
}

/** What this browser chose before, if anything. */
function saved(): Saved | undefined {
  const s = loadState<Saved>('model');
  return s && (s.kind === 'store' || s.kind === 'files') && Array.isArray(s.files) ? s : undefined;
}

/** The choice in effect: the saved one, else the server's accounts when it has some, else files (none yet). */
async function effective(app: ConsoleApp): Promise<Saved> {
  const s = saved();
  const store = await app
    .features()
    .then((f) => f.store)
    .catch(() => false);
  if (s === undefined) return { kind: store ? 'store' : 'files', files: [] };
  if (s.kind === 'store' && !store) return { kind: 'files', files: s.files };
  if (s.kind === 'files' && s.files.length === 0 && store) return { kind: 'store', files: [] };
  return s;
}

/** The accounts to send with a request, or undefined when none are chosen yet (show noAccounts()). */
export async function currentSource(app: ConsoleApp): Promise<ModelSource | undefined> {
  const s = await effective(app);
  if (s.kind === 'store') return { kind: 'store' };
  return s.files.length > 0 ? { kind: 'files', files: s.files } : undefined;
}

/** The empty state: no accounts on the server and none chosen here. */
export function noAccounts(): HTMLElement {
  return h(
    'div',
    { class: 'empty' },
    h('p', {}, h('strong', {}, 'No accounts to work on yet.')),
    h(
      'p',
      {},
      'Choose your account export files above (what the AWS CLI prints for get-account-authorization-details, Organizations and resource policies, or an iamsim bundle), or pick one of the example accounts. The files stay in this browser and are sent with each request; the server does not keep them.',
    ),
    h(
      'p',
      {},
      'To have your accounts here every time you open the console, start the server with them: ',
      h('code', {}, 'iamsim serve --account export.json'),
      '.',
    ),
  );
}

/** Runs `f` a few seconds after the page opened, when the browser is idle (its first answers drawn by then). */
function whenIdle(f: () => void): void {
  setTimeout(() => (typeof requestIdleCallback === 'function' ? requestIdleCallback(f, { timeout: 2000 }) : f()), 3000);
}

/** The picker: store or files (upload, or one of iamsim's example accounts). `onChange` runs after each change. */
export function sourcePicker(app: ConsoleApp, onChange: () => void, workflow?: () => string | undefined): HTMLElement {
  const state: Saved = saved() ?? { kind: 'files', files: [] };
  const name = uid('src');
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });
  const storeRadio = h('input', { type: 'radio', name, value: 'store', checked: state.kind === 'store' });
  const filesRadio = h('input', { type: 'radio', name, value: 'files', checked: state.kind === 'files' });
  const upload = h('input', { type: 'file', multiple: true, accept: '.json,.yaml,.yml', 'aria-label': 'Account export files' });
  const examples = h('select', { 'aria-label': 'Use an example account' }, h('option', { value: '' }, 'or use an example account…'));
  // The examples are a chunk of their own (300 KB), loaded once the page is idle or the list is opened,
  // so they never hold up the page's first answer.
  let loading: Promise<typeof import('iamsim:examples')['accountExamples']> | undefined;
  const loaded = (): Promise<typeof import('iamsim:examples')['accountExamples']> => {
    loading ??= import('iamsim:examples').then((m) => m.accountExamples);
    return loading;
  };
  for (const ev of ['focus', 'pointerdown', 'keydown']) examples.addEventListener(ev, () => void loaded(), { once: true });
  const fillExamples = (): void => {
    void loaded().then((all) => {
      const wf = workflow?.();
      const list = all.filter((e) => wf === undefined || e.workflow === wf);
      const chosen = examples.value;
      examples.replaceChildren(
        h('option', { value: '' }, 'or use an example account…'),
        ...list.map((e) => h('option', { value: e.name, selected: e.name === chosen }, e.name)),
      );
    });
  };
  whenIdle(fillExamples);
  const describe = (): void => {
    status.textContent =
      state.kind === 'store'
        ? 'Using the accounts loaded in the server.'
        : state.files.length === 0
          ? 'No files chosen yet.'
          : `Using ${state.files.map((f) => f.name).join(', ')}.`;
  };
  const commit = (): void => {
    saveState('model', state);
    describe();
    onChange();
  };
  storeRadio.addEventListener('change', () => {
    state.kind = 'store';
    commit();
  });
  filesRadio.addEventListener('change', () => {
    state.kind = 'files';
    commit();
  });
  upload.addEventListener('change', async () => {
    const files = [...(upload.files ?? [])];
    state.files = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
    state.kind = 'files';
    filesRadio.checked = true;
    commit();
  });
  examples.addEventListener('change', async () => {
    const ex = (await loaded()).find((e) => e.name === examples.value);
    if (ex === undefined) return;
    state.files = [{ name: ex.name, text: ex.text }];
    state.kind = 'files';
    filesRadio.checked = true;
    commit();
  });
  const storeNote = h('span', { class: 'hint' });
  void app
    .features()
    .then(async (f) => {
      if (!f.store) {
        storeRadio.disabled = true;
        storeNote.textContent = ' (none: this server was started without accounts)';
      }
      const e = await effective(app);
      state.kind = e.kind;
      storeRadio.checked = e.kind === 'store';
      filesRadio.checked = e.kind === 'files';
      describe();
    })
    .catch(() => undefined);
  describe();
  const picker = h(
    'fieldset',
    { class: 'source' },
    h('legend', {}, 'Accounts'),
    h('label', { class: 'check' }, storeRadio, ' Accounts loaded in the server', storeNote),
    h(
      'label',
      { class: 'check' },
      filesRadio,
      ' Export files: get-account-authorization-details, Organizations and resource-policy outputs, or an iamsim bundle',
    ),
    h('div', { class: 'row' }, upload, examples),
    status,
  );
  (picker as HTMLElement & { refreshExamples?: () => void }).refreshExamples = fillExamples;
  return picker;
}
