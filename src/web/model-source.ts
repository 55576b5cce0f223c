/**
 * The account model the Preflight and Account pages work on: the accounts
 * loaded in the server's store, or export files chosen in the browser (sent
 * with each request, never stored by the server). Remembered across pages.
 */
import { accountExamples } from 'iamsim:examples';
import { getFeatures } from './api.js';
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

function saved(): Saved {
  const s = loadState<Saved>('model');
  return s && (s.kind === 'store' || s.kind === 'files') && Array.isArray(s.files) ? s : { kind: 'files', files: [] };
}

export function currentSource(): ModelSource {
  const s = saved();
  return s.kind === 'store' ? { kind: 'store' } : { kind: 'files', files: s.files };
}

/** The picker: store or files (upload, or one of iamsim's example accounts). `onChange` runs after each change. */
export function sourcePicker(onChange: () => void, workflow?: () => string | undefined): HTMLElement {
  const state = saved();
  const name = uid('src');
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });
  const storeRadio = h('input', { type: 'radio', name, value: 'store', checked: state.kind === 'store' });
  const filesRadio = h('input', { type: 'radio', name, value: 'files', checked: state.kind === 'files' });
  const upload = h('input', { type: 'file', multiple: true, accept: '.json,.yaml,.yml', 'aria-label': 'Account export files' });
  const examples = h('select', { 'aria-label': 'Use an example account' });
  const fillExamples = (): void => {
    const wf = workflow?.();
    const list = accountExamples.filter((e) => wf === undefined || e.workflow === wf);
    examples.replaceChildren(h('option', { value: '' }, 'or use an example account…'), ...list.map((e) => h('option', { value: e.name }, e.name)));
  };
  fillExamples();
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
  examples.addEventListener('change', () => {
    const ex = accountExamples.find((e) => e.name === examples.value);
    if (ex === undefined) return;
    state.files = [{ name: ex.name, text: ex.text }];
    state.kind = 'files';
    filesRadio.checked = true;
    commit();
  });
  void getFeatures()
    .then((f) => {
      if (!f.store) {
        storeRadio.disabled = true;
        storeRadio.parentElement?.append(h('span', { class: 'hint' }, ' (this server was started without a store)'));
        if (state.kind === 'store') {
          state.kind = 'files';
          filesRadio.checked = true;
          describe();
        }
      }
    })
    .catch(() => undefined);
  describe();
  const picker = h(
    'fieldset',
    { class: 'source' },
    h('legend', {}, 'Accounts'),
    h('label', { class: 'check' }, storeRadio, ' Accounts loaded in the server (iamsim account import)'),
    h(
      'label',
      { class: 'check' },
      filesRadio,
      ' Export files: get-account-authorization-details, organizations and resource-policy outputs, or an iamsim bundle',
    ),
    h('div', { class: 'row' }, upload, examples),
    status,
  );
  (picker as HTMLElement & { refreshExamples?: () => void }).refreshExamples = fillExamples;
  return picker;
}
