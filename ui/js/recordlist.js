// The list pane shared by the record views (advice, consultations, events, grant calls, mail):
// a title with the count and the view's buttons, its filters and column heads, the paged list,
// and the view's empty state when nothing matches. Views pass in only what differs.

import { h } from './dom.js';
import { t } from './i18n.js';
import { formatCount } from './format.js';
import { VirtualList } from './vlist.js';
import { reportError } from './ui.js';

export class RecordList extends VirtualList {
  /**
   * @param {object} o
   * @param {string} o.titleKey   the pane's heading (also the list's accessible name)
   * @param {Node[]} o.actions    buttons beside the heading
   * @param {Node[]} o.above      filters, tabs and column heads, between heading and list
   * @param {() => Node} o.empty  what to show when the list is empty, built on each reload
   */
  constructor({ titleKey, actions = [], above = [], empty, rowHeight = 52, fetchPage, renderRow, onOpen, rowLabel }) {
    super({ rowHeight, label: t(titleKey), fetchPage, renderRow, onOpen, rowLabel });
    this.countEl = h('span', { class: 'count', 'aria-live': 'polite' });
    this.emptyEl = h('div', { class: 'empty-wrap', hidden: true });
    this.empty = empty;
    this.pane = [h('div', { class: 'pane-title' }, h('h1', {}, t(titleKey)), this.countEl, ...actions), ...above, this.element, this.emptyEl];
  }

  /** A colleague's change: the same, keeping the scroll position and the selected record. */
  async reloadQuietly(isSelected) {
    try {
      if (!(await this.refreshQuietly(isSelected))) return;
      const total = this.total;
      this.countEl.textContent = t('records_count', { n: formatCount(total), count: total });
      this.emptyEl.hidden = total !== 0;
      this.element.hidden = total === 0;
      if (total === 0) this.emptyEl.replaceChildren(this.empty());
    } catch (err) {
      // Quiet: the next change or the user's own reload tries again.
      console.warn('live reload failed', err);
    }
  }

  /** Loads the first page again and updates the count and the empty state. */
  async reload() {
    try {
      const total = await this.reset();
      this.countEl.textContent = t('records_count', { n: formatCount(total), count: total });
      this.emptyEl.hidden = total !== 0;
      this.element.hidden = total === 0;
      if (total === 0) this.emptyEl.replaceChildren(this.empty());
    } catch (err) {
      reportError(err);
    }
  }
}
