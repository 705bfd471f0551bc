// Publikuj: the static site for the city portal (the directory of organisations that consented,
// the calendar of public events with its .ics feed, open grant calls, open data, the map of
// social activity). The clerk ticks the parts, chooses the folder, sees what changed since the
// last publication ("Pokaż zmiany"), then publishes; the result says where the files went and
// opens the site in the system's browser. The list of organisations the map could not place is
// shared with Raporty (unmatchedSection).

import { api, ApiError } from '../api.js';
import { h, append } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount, formatDateTime } from '../format.js';
import { showErrors, clearErrors } from '../form.js';
import { toast, reportError } from '../ui.js';
import { go } from '../app.js';

/** The parts of the site, in the order shown; all on by default except English. */
const PARTS = [
  ['directory', 'publish_part_directory', true],
  ['calendar', 'publish_part_calendar', true],
  ['grants', 'publish_part_grants', true],
  ['open_data', 'publish_part_open_data', true],
  ['map', 'publish_part_map', true],
  ['english', 'publish_part_english', false],
];

const CHANGE = {
  new: ['publish_change_new', 'action-insert'],
  changed: ['publish_change_changed', 'warning'],
  removed: ['publish_change_removed', 'error'],
};

/** How many names a list of differences shows before "i N innych". */
const LIST_CAP = 8;

const state = {
  el: null,
  preview: null,
  /** The options the shown preview was made for (JSON), null while none is shown. */
  previewFor: null,
  previewOptions: null,
  /** Replies to earlier requests are dropped when a newer one was sent. */
  seq: 0,
  busy: false,
  previews: 0,
  folderTyped: false,
};

const $ = (id) => document.getElementById(id);

function readOptions() {
  const out = {};
  for (const [name] of PARTS) out[name] = !!state.el.querySelector(`input[name="${name}"]`)?.checked;
  return out;
}

const anyPart = (o) => o.directory || o.calendar || o.grants || o.open_data || o.map;

/** Names as a short list: the first few, then "i N innych". */
function cappedList(names) {
  const shown = names.slice(0, LIST_CAP);
  const rest = names.length - shown.length;
  return h('ul', { class: 'publish-names' },
    shown.map((n) => h('li', {}, n)),
    rest > 0 ? h('li', { class: 'muted' }, t('publish_and_more', { n: formatCount(rest), count: rest })) : null);
}

/**
 * Organisations the map could not place, each opening its record so the powiat can be fixed.
 * Also used by Raporty under its map.
 */
export function unmatchedSection(items, headingTag = 'h3') {
  if (!items?.length) return null;
  return h('section', { class: 'facts-group publish-unmatched', id: 'map-unmatched' },
    h(headingTag, {}, t('publish_unmatched', { n: formatCount(items.length) })),
    h('p', { class: 'field-hint' }, t('publish_unmatched_help')),
    h('ul', { class: 'plain publish-unmatched-list' }, items.map((o) => h('li', {},
      h('button', {
        type: 'button', class: 'link', dataset: { id: o.id },
        'aria-label': t('publish_unmatched_open', { name: o.name }),
        onclick: () => go('organizations', { open: o.id }),
      }, o.name),
      ' ',
      h('span', { class: 'muted' }, o.powiat
        ? `(${t('publish_unmatched_place', { powiat: o.powiat, voivodeship: o.voivodeship || '—' })})`
        : `(${t('publish_unmatched_no_powiat')})`)))));
}

function renderPreview(p, options) {
  const folder = $('publish-folder').value.trim();
  const changed = p.files.filter((f) => f.change !== 'same');
  const same = p.files.length - changed.length;
  const diffs = [
    ['publish_added_organizations', p.added_organizations],
    ['publish_removed_organizations', p.removed_organizations],
    ['publish_added_events', p.added_events],
    ['publish_removed_events', p.removed_events],
  ].filter(([, names]) => names.length);
  const box = $('publish-preview-box');
  box.replaceChildren();
  // append() leaves out the parts that are null (replaceChildren would write "null").
  append(box, [
    h('h2', {}, t('publish_preview_title')),
    h('ul', { class: 'counts', id: 'publish-counts' },
      options.directory || options.open_data || options.map ? h('li', {}, h('strong', {}, formatCount(p.organizations)), ' ', t('publish_count_organizations', { count: p.organizations })) : null,
      options.calendar ? h('li', {}, h('strong', {}, formatCount(p.events)), ' ', t('publish_count_events', { count: p.events })) : null,
      options.grants ? h('li', {}, h('strong', {}, formatCount(p.grant_calls)), ' ', t('publish_count_grant_calls', { count: p.grant_calls })) : null),
    h('p', { id: 'publish-last' }, p.last_published_at
      ? t('publish_last', { at: formatDateTime(p.last_published_at), folder: p.last_folder || '—' })
      : t('publish_never')),
    p.last_folder && folder && folder !== p.last_folder ? h('p', { class: 'notice' }, t('publish_other_folder')) : null,
    h('p', { id: 'publish-changed', class: changed.length ? 'publish-changed' : 'ok' }, changed.length
      ? t('publish_changed_files', { n: formatCount(changed.length), count: changed.length })
      : t('publish_nothing_changed')),
    diffs.length ? h('div', { class: 'publish-diffs', id: 'publish-diffs' }, diffs.map(([key, names]) => h('section', { dataset: { diff: key } },
      h('h3', {}, t(key, { n: formatCount(names.length) })), cappedList(names)))) : null,
    p.files.length ? h('section', { class: 'facts-group', id: 'publish-files-box' },
      h('h3', {}, t('publish_files')),
      changed.length ? h('div', { class: 'table-wrap publish-files-wrap' },
        h('table', { class: 'data-table publish-files', id: 'publish-files' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('publish_file')), h('th', { scope: 'col' }, t('publish_change')))),
          h('tbody', {}, changed.map((f) => {
            const [key, badge] = CHANGE[f.change] || [null, ''];
            return h('tr', { dataset: { change: f.change } },
              h('td', { class: 'publish-path' }, h('code', {}, f.path)),
              h('td', {}, h('span', { class: `badge ${badge}` }, key ? t(key) : f.change)));
          })))) : null,
      same ? h('p', { class: 'muted', id: 'publish-same' }, t('publish_same', { n: formatCount(same) })) : null) : null,
    options.map ? unmatchedSection(p.unmatched) : null]);
  state.previews += 1;
  box.dataset.previews = String(state.previews);
}

/** Publikuj needs a preview for the options as they are now, a folder, and nothing running. */
function updateButtons() {
  if (!state.el) return;
  const options = readOptions();
  const folder = $('publish-folder').value.trim();
  const current = state.preview && state.previewFor === JSON.stringify(options);
  const run = $('publish-run');
  run.disabled = state.busy || !current || !folder || !anyPart(options);
  $('publish-preview').disabled = state.busy || !anyPart(options);
  $('publish-choose').disabled = state.busy;
  let why = '';
  if (state.busy) why = '';
  else if (!anyPart(options)) why = t('publish_parts_none');
  else if (!current) why = t('publish_need_preview');
  else if (!folder) why = t('publish_need_folder');
  else why = t('publish_ready');
  $('publish-why').textContent = why;
}

async function preview() {
  const options = readOptions();
  const box = $('publish-preview-box');
  if (!anyPart(options)) {
    state.preview = null;
    state.previewFor = null;
    box.replaceChildren(h('p', { class: 'muted' }, t('publish_parts_none')));
    updateButtons();
    return;
  }
  const mine = ++state.seq;
  box.setAttribute('aria-busy', 'true');
  $('publish-status').textContent = t('publish_previewing');
  try {
    const p = await api.publishPreview(options);
    if (mine !== state.seq || !state.el?.isConnected) return;
    state.preview = p;
    state.previewFor = JSON.stringify(options);
    state.previewOptions = options;
    const input = $('publish-folder');
    if (!input.value.trim() && !state.folderTyped && p.last_folder) input.value = p.last_folder;
    renderPreview(p, options);
  } catch (err) {
    if (mine === state.seq) reportError(err);
  } finally {
    if (mine === state.seq && state.el?.isConnected) {
      box.removeAttribute('aria-busy');
      $('publish-status').textContent = '';
      updateButtons();
    }
  }
}

/** An option changed: the shown preview no longer says what would be written, so ask again. */
let optionTimer;
function optionsChanged() {
  state.previewFor = null;
  updateButtons();
  clearTimeout(optionTimer);
  optionTimer = setTimeout(() => preview(), 250);
}

async function chooseFolder() {
  try {
    const folder = await api.publishChooseFolder();
    if (!folder) return;
    const input = $('publish-folder');
    input.value = folder;
    state.folderTyped = true;
    clearErrors($('publish-form'));
    updateButtons();
    if (state.preview) renderPreview(state.preview, state.previewOptions);
    if ($('publish-run').disabled) input.focus();
    else $('publish-run').focus();
  } catch (err) {
    reportError(err);
  }
}

/** A failure at the folder shows under its field; anything else as a message. */
function showPublishFailure(form, err) {
  if (err instanceof ApiError && err.code === 'invalid' && err.fields.length) showErrors(form, err.fields);
  else if (err instanceof ApiError && err.field) showErrors(form, [{ field: err.field, message: err.message }]);
  else reportError(err);
}

async function publish() {
  const form = $('publish-form');
  if ($('publish-run').disabled) return;
  const options = readOptions();
  const folder = $('publish-folder').value.trim();
  const zip = $('publish-zip').checked;
  clearErrors(form);
  state.busy = true;
  updateButtons();
  $('publish-status').textContent = t('publish_publishing');
  const result = $('publish-result');
  result.replaceChildren();
  try {
    const done = await api.publishSite(options, folder, zip);
    if (!state.el?.isConnected) return;
    result.replaceChildren(h('div', { class: 'publish-done', id: 'publish-done', tabindex: '-1' },
      h('h2', {}, t('publish_done_title')),
      h('p', { id: 'publish-done-files' }, t('publish_done_files', { n: formatCount(done.files), count: done.files, folder: done.folder })),
      done.zip_path ? h('p', { id: 'publish-done-zip' }, t('publish_done_zip', { path: done.zip_path })) : null,
      h('p', { class: 'muted' }, t('publish_done_counts', { organizations: formatCount(done.organizations), events: formatCount(done.events), grant_calls: formatCount(done.grant_calls) })),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', class: 'primary', id: 'publish-open', onclick: async () => {
            try { await api.openSaved(done.index_path, false); } catch (err) { reportError(err); }
          },
        }, t('publish_open_site')))));
    toast(t('publish_done_title'));
    $('publish-done').focus();
  } catch (err) {
    showPublishFailure(form, err);
  } finally {
    state.busy = false;
    if (state.el?.isConnected) {
      $('publish-status').textContent = '';
      updateButtons();
    }
  }
  // What the site holds now: the preview reads against this publication.
  if (state.el?.isConnected && result.firstChild) {
    await preview();
    $('publish-done')?.focus();
  }
}

function build() {
  const parts = h('fieldset', { class: 'plain-set publish-parts' },
    h('legend', { class: 'block-label' }, t('publish_parts')),
    PARTS.map(([name, key, on]) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name, id: `publish-part-${name}`, checked: on, onchange: optionsChanged }),
      h('span', {}, t(key)))));
  const folder = h('input', {
    type: 'text', id: 'publish-folder', name: 'folder', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'publish-folder-hint publish-folder-err',
    oninput: () => { state.folderTyped = true; updateButtons(); },
  });
  const form = h('form', { id: 'publish-form', class: 'publish-setup', novalidate: true, onsubmit: (e) => { e.preventDefault(); publish(); } },
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    parts,
    h('div', { class: 'publish-where' },
      h('div', { class: 'field publish-folder', dataset: { field: 'folder' } },
        h('label', { for: 'publish-folder' }, t('publish_folder')),
        h('div', { class: 'publish-folder-row' },
          folder,
          h('button', { type: 'button', id: 'publish-choose', onclick: chooseFolder }, t('publish_choose_folder'))),
        h('p', { class: 'field-error', id: 'publish-folder-err', hidden: true }),
        h('p', { class: 'field-hint', id: 'publish-folder-hint' }, t('publish_folder_hint'))),
      h('label', { class: 'check' },
        h('input', { type: 'checkbox', id: 'publish-zip', name: 'zip' }),
        h('span', {}, t('publish_zip')))),
    h('div', { class: 'actions publish-actions' },
      h('button', { type: 'button', id: 'publish-preview', onclick: () => preview() }, t('publish_show_changes')),
      h('button', { type: 'submit', class: 'primary', id: 'publish-run', disabled: true, 'aria-describedby': 'publish-why' }, t('publish_run')),
      h('span', { class: 'muted publish-why', id: 'publish-why' }),
      h('span', { class: 'publish-status', id: 'publish-status', role: 'status' })));
  return h('div', { class: 'settings publish', id: 'publish-view' },
    h('h1', {}, t('publish_title')),
    h('p', { class: 'muted publish-lead' }, t('publish_lead')),
    form,
    h('div', { id: 'publish-result', 'aria-live': 'polite' }),
    h('section', { class: 'publish-preview', id: 'publish-preview-box', 'aria-live': 'polite' }));
}

export const publishView = {
  async mount(main) {
    state.preview = null;
    state.previewFor = null;
    state.busy = false;
    state.folderTyped = false;
    state.el = build();
    main.replaceChildren(state.el);
    updateButtons();
    // What the site would hold now, and the folder of the last publication.
    await preview();
  },
  // Colleagues' changes to what the site shows: the preview is read again.
  live: {
    kinds: ['organizations', 'events', 'grants'],
    reload: async () => { if (state.el?.isConnected && state.previewFor && !state.busy) await preview(); },
  },
};
