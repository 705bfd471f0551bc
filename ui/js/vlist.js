// A virtualised list: only the rows in view exist in the DOM, and rows are fetched from the
// core a page at a time, so 100,000 records scroll smoothly and never cross IPC whole.

import { h } from './dom.js';

const PAGE = 100;

export class VirtualList {
  constructor({ rowHeight = 48, fetchPage, renderRow, onOpen, label, rowLabel }) {
    this.rowHeight = rowHeight;
    this.fetchPage = fetchPage;
    this.renderRow = renderRow;
    this.onOpen = onOpen;
    this.rowLabel = rowLabel;
    this.total = 0;
    this.pages = new Map();
    this.pending = new Set();
    this.generation = 0;
    this.selected = -1;
    this.spacer = h('div', { class: 'vlist-spacer' });
    this.element = h('div', { class: 'vlist', role: 'listbox', tabindex: '0', 'aria-label': label }, this.spacer);
    this.element.addEventListener('scroll', () => this.render());
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.render()).observe(this.element);
  }

  /** Drops what was loaded and starts again from the first page; resolves with the total. */
  async reset() {
    this.generation += 1;
    this.pages.clear();
    this.pending.clear();
    this.selected = -1;
    this.element.scrollTop = 0;
    await this.loadPage(0);
    this.render();
    return this.total;
  }

  /** Re-reads the pages in view (after an edit) without losing the scroll position. */
  async refresh() {
    this.generation += 1;
    this.pages.clear();
    this.pending.clear();
    const first = Math.floor(this.element.scrollTop / this.rowHeight);
    await this.loadPage(Math.floor(first / PAGE));
    this.render();
  }

  /**
   * Someone else changed the records: re-reads the pages held now and swaps them in at once, so
   * rows neither blink nor move and the scroll position stays. `isSelected` finds the selected
   * record again by what it is (its row may have moved); false when a newer load overtook this.
   */
  async refreshQuietly(isSelected) {
    const generation = ++this.generation;
    const indexes = this.pages.size ? [...this.pages.keys()] : [0];
    const fresh = new Map();
    let total = this.total;
    for (const index of indexes) {
      const page = await this.fetchPage(index * PAGE, PAGE);
      if (generation !== this.generation) return false;
      total = page.total;
      if (index * PAGE < total || index === 0) fresh.set(index, page.items);
    }
    this.pending.clear();
    this.pages = fresh;
    this.total = total;
    if (isSelected) {
      this.selected = -1;
      for (const [index, items] of fresh) {
        const at = items.findIndex(isSelected);
        if (at >= 0) this.selected = index * PAGE + at;
      }
    } else if (this.selected >= total) {
      this.selected = total - 1;
    }
    this.render();
    return true;
  }

  async loadPage(index) {
    if (this.pages.has(index) || this.pending.has(index)) return;
    const generation = this.generation;
    this.pending.add(index);
    try {
      const page = await this.fetchPage(index * PAGE, PAGE);
      if (generation !== this.generation) return;
      this.total = page.total;
      this.pages.set(index, page.items);
    } finally {
      this.pending.delete(index);
    }
    if (generation === this.generation) this.render();
  }

  itemAt(i) {
    const page = this.pages.get(Math.floor(i / PAGE));
    return page ? page[i % PAGE] : undefined;
  }

  render() {
    this.spacer.style.height = `${this.total * this.rowHeight}px`;
    const viewHeight = this.element.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.element.scrollTop / this.rowHeight) - 5);
    const last = Math.min(this.total, Math.ceil((this.element.scrollTop + viewHeight) / this.rowHeight) + 5);
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) {
      if (p * PAGE < this.total) this.loadPage(p);
    }
    const rows = [];
    for (let i = first; i < last; i++) {
      const item = this.itemAt(i);
      const row = item ? this.renderRow(item) : h('div', { class: 'vrow-placeholder' }, '…');
      row.classList.add('vrow');
      row.setAttribute('role', 'option');
      row.setAttribute('aria-selected', String(i === this.selected));
      row.setAttribute('aria-posinset', String(i + 1));
      row.setAttribute('aria-setsize', String(this.total));
      row.id = `vrow-${i}`;
      row.style.top = `${i * this.rowHeight}px`;
      row.style.height = `${this.rowHeight}px`;
      if (item) {
        // A name cut short in a narrow list shows in full on hover.
        for (const el of row.querySelectorAll('.primary-text, .cell:not(.name)')) {
          if (!el.title && el.textContent.trim()) el.title = el.textContent.trim();
        }
        row.addEventListener('click', () => {
          this.select(i);
          this.onOpen(item);
        });
      }
      rows.push(row);
    }
    this.spacer.replaceChildren(...rows);
    if (this.selected >= 0) this.element.setAttribute('aria-activedescendant', `vrow-${this.selected}`);
  }

  select(i) {
    this.selected = Math.max(0, Math.min(this.total - 1, i));
    const top = this.selected * this.rowHeight;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (top + this.rowHeight > this.element.scrollTop + this.element.clientHeight) {
      this.element.scrollTop = top + this.rowHeight - this.element.clientHeight;
    }
    this.render();
  }

  /** Marks the row of a record as selected if it is loaded (after opening it elsewhere). */
  markSelected(predicate) {
    for (const [index, items] of this.pages) {
      const at = items.findIndex(predicate);
      if (at >= 0) {
        this.selected = index * PAGE + at;
        this.render();
        return;
      }
    }
  }

  onKey(e) {
    if (!this.total) return;
    const perView = Math.max(1, Math.floor(this.element.clientHeight / this.rowHeight) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: perView, PageUp: -perView };
    if (e.key in moves) {
      this.select((this.selected < 0 ? -1 : this.selected) + moves[e.key]);
    } else if (e.key === 'Home') {
      this.select(0);
    } else if (e.key === 'End') {
      this.select(this.total - 1);
    } else if (e.key === 'Enter' && this.selected >= 0) {
      const item = this.itemAt(this.selected);
      if (item) this.onOpen(item);
    } else {
      return;
    }
    e.preventDefault();
  }
}
