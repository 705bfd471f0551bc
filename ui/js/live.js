// What a register view does when a colleague's change arrives (app.js hands each batch to the
// open view's `live.reload`): its list is re-read in place, then the record shown beside it.
// Shared by the organisations' and the people's view, which differ only in how they read and
// show their record.
import { t } from './i18n.js';
import { formatCount } from './format.js';

/**
 * The `live.reload` of a view with a virtual list and a record beside it. `state` is the view's
 * state (list, countEl, openId, form, panes, shown); `reload` rebuilds the view, needed only when
 * the list empties or fills; `readShown(id)` reads the shown record again, `show(record)` renders
 * it. The list keeps its scroll, filters and selection. A form being typed into is never
 * replaced, nor the record while the user types in one of its own fields (the consent note), nor
 * when nothing changed: what is read (and what "Edytuj" opens) is the colleague's version.
 */
export function registerLiveReload(state, { reload, readShown, show }) {
  const typingBeside = () =>
    state.form || state.panes.detail.contains(document.activeElement?.closest?.('input, textarea, select'));

  async function refreshShown() {
    const id = state.openId;
    if (!id || typingBeside()) return;
    try {
      const record = await readShown(id);
      const json = JSON.stringify(record);
      if (state.openId !== id || state.form || json === state.shown) return;
      state.shown = json;
      show(record);
    } catch (err) {
      console.warn('live detail reload failed', err);
    }
  }

  return async function liveReload() {
    const list = state.list;
    if (!list) return;
    try {
      const same = state.openId ? (row) => row.id === state.openId : null;
      if (!(await list.refreshQuietly(same))) return;
      // The view built a new list meanwhile (demo data, a filter): this answer is about the old one.
      if (state.list !== list) return;
      const total = list.total;
      if ((total === 0) !== list.element.hidden) { await reload(); return; }
      state.countEl.textContent = t('records_count', { n: formatCount(total), count: total });
    } catch (err) {
      console.warn('live reload failed', err);
    }
    await refreshShown();
  };
}
