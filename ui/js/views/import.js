// Import: choose what and which file, see how its columns were understood and correct them,
// see every problem by row and column and the duplicates before anything is written, then
// import with a progress bar and a cancel button. Earlier imports can be undone from the list.

import { api, ApiError } from '../api.js';
import { h, debounce } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatCount, formatDateTime } from '../format.js';
import { toast, reportError, refreshStatus, confirmDialog, openDialog } from '../ui.js';

const KINDS = ['organizations', 'people', 'library'];
const SHOWN_PROBLEMS = 200;
const SHOWN_DUPLICATES = 100;

let main = null;
let state = null;
let previewSeq = 0;

function freshState(kind = 'organizations') {
  return {
    kind,
    fileName: null,
    sheet: null,
    headerRow: null,
    columns: null,
    headerMapping: null,
    profile: '',
    onDuplicate: 'skip',
    rowDecisions: {},
    preview: null,
    error: null,
    loading: false,
    running: null,
    report: null,
    profiles: [],
    batches: [],
  };
}

function options() {
  return {
    kind: state.kind,
    sheet: state.sheet,
    header_row: state.headerRow,
    columns: state.columns,
    header_mapping: state.headerMapping,
    on_duplicate: state.onDuplicate,
    row_decisions: state.rowDecisions,
  };
}

async function loadPreview() {
  if (!state.fileName) return;
  const mine = ++previewSeq;
  state.loading = true;
  render();
  try {
    const preview = await api.importPreview(options());
    if (mine !== previewSeq) return;
    state.preview = preview;
    state.error = null;
  } catch (err) {
    if (mine !== previewSeq) return;
    state.preview = null;
    state.error = err instanceof ApiError ? err.message : String(err);
  } finally {
    if (mine === previewSeq) {
      state.loading = false;
      render();
    }
  }
}
const loadPreviewSoon = debounce(loadPreview, 250);

async function pickFile() {
  try {
    const picked = await api.importPickFile();
    if (!picked) return;
    const kind = state.kind;
    const { profiles, batches } = state;
    state = { ...freshState(kind), profiles, batches, fileName: picked.file_name };
    await loadPreview();
    document.getElementById('import-summary')?.focus();
  } catch (err) {
    reportError(err);
  }
}

async function loadLists() {
  try {
    const [profiles, batches] = await Promise.all([api.importProfiles(state.kind), api.importBatches()]);
    state.profiles = profiles;
    state.batches = batches;
  } catch (err) {
    reportError(err);
  }
}

async function run() {
  const p = state.preview;
  if (!p) return;
  state.running = { phase: 'reading', done: 0, total: 0 };
  state.report = null;
  render();
  try {
    const report = await api.importRun(options(), (progress) => {
      state.lastProgress = progress;
      if (!state.running) return;
      state.running = progress;
      updateProgress();
    });
    state.report = report;
    state.preview = null;
    state.fileName = null;
    toast(t('import_done_toast', { n: formatCount(report.imported), count: report.imported }));
  } catch (err) {
    if (err.code === 'cancelled') toast(err.message);
    else reportError(err);
  } finally {
    state.running = null;
    await loadLists();
    await refreshStatus();
    render();
    document.getElementById('import-result')?.focus();
  }
}

async function undo(batch) {
  const ok = await confirmDialog(t('import_undo_confirm', {
    file: batch.file_name, inserted: formatCount(batch.inserted), updated: formatCount(batch.updated),
  }), t('import_undo'));
  if (!ok) return;
  try {
    await api.importUndo(batch.id);
    toast(t('import_undone', { file: batch.file_name }));
    if (state.report?.batch_id === batch.id) state.report = null;
    await loadLists();
    await refreshStatus();
    render();
  } catch (err) {
    reportError(err);
  }
}

async function saveProfile() {
  const p = state.preview;
  if (!p) return;
  const name = await openDialog((close) => {
    const input = h('input', { type: 'text', id: 'profile-name', value: state.profile || p.source.file_name.replace(/\.[^.]+$/, ''), autofocus: true });
    const error = h('p', { class: 'field-error', hidden: true });
    const form = h('form', { class: 'dialog-body', onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) close(input.value.trim()); else { error.textContent = t('import_profile_name_missing'); error.hidden = false; } } },
      h('h2', {}, t('import_profile_save')),
      h('p', { class: 'muted' }, t('import_profile_help')),
      h('label', { for: 'profile-name' }, t('import_profile_name')), input, error,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, t('save')),
        h('button', { type: 'button', onclick: () => close() }, t('cancel'))));
    return form;
  });
  if (!name) return;
  const mapping = {};
  for (const c of p.columns) if (c.header) mapping[c.header] = c.field || '';
  try {
    await api.importSaveProfile(state.kind, { name, mapping });
    state.profile = name;
    state.profiles = await api.importProfiles(state.kind);
    toast(t('import_profile_saved', { name }));
    render();
  } catch (err) {
    reportError(err);
  }
}

function updateProgress() {
  const bar = document.getElementById('import-progress');
  const text = document.getElementById('import-progress-text');
  if (!bar || !state.running) return;
  const { phase, done, total } = state.running;
  if (total > 0) { bar.max = total; bar.value = done; } else bar.removeAttribute('value');
  text.textContent = t(`import_phase_${phase}`, { done: formatCount(done), total: formatCount(total) });
}

// ----- rendering ---------------------------------------------------------------------------

function kindPicker() {
  return h('fieldset', { class: 'plain-set import-kinds' },
    h('legend', {}, t('import_what')),
    KINDS.map((k) => h('label', { class: 'check' },
      h('input', {
        type: 'radio', name: 'import-kind', value: k, checked: state.kind === k, disabled: !!state.running,
        onchange: async () => {
          state.kind = k;
          state.columns = null;
          state.headerMapping = null;
          state.profile = '';
          state.rowDecisions = {};
          await loadLists();
          await loadPreview();
          render();
        },
      }),
      h('span', {}, t(`import_kind_${k}`)))));
}

function sourceLine(p) {
  const s = p.source;
  const parts = [t(`import_format_${s.format}`)];
  if (s.encoding) parts.push(t('import_encoding', { encoding: s.encoding }));
  if (s.delimiter) parts.push(t('import_delimiter', { delimiter: s.delimiter === 'tab' ? t('import_tab') : s.delimiter }));
  if (s.sheet) parts.push(t('import_sheet_name', { sheet: s.sheet }));
  return h('p', { class: 'import-source' }, h('strong', {}, s.file_name), ` — ${parts.join(', ')}`);
}

function settingsRow(p) {
  const sheets = p?.source.sheets || [];
  const headerInput = h('input', {
    type: 'number', min: 1, id: 'import-header-row', class: 'narrow', value: String(p?.header_row ?? state.headerRow ?? ''),
    onchange: (e) => {
      const n = parseInt(e.target.value, 10);
      state.headerRow = Number.isFinite(n) && n > 0 ? n : null;
      state.columns = null;
      loadPreviewSoon();
    },
  });
  return h('div', { class: 'import-settings' },
    sheets.length > 1 ? h('label', { class: 'filter' }, t('import_sheet'),
      h('select', {
        id: 'import-sheet', onchange: (e) => { state.sheet = e.target.value; state.headerRow = null; state.columns = null; loadPreview(); },
      }, sheets.map((s) => h('option', { value: s, selected: s === p.source.sheet }, s)))) : null,
    h('label', { class: 'filter' }, t('import_header_row'), headerInput),
    h('label', { class: 'filter' }, t('import_profile'),
      h('select', {
        id: 'import-profile',
        onchange: (e) => {
          state.profile = e.target.value;
          const chosen = state.profiles.find((x) => x.name === state.profile);
          state.headerMapping = chosen ? chosen.mapping : null;
          state.columns = null;
          loadPreview();
        },
      }, h('option', { value: '' }, t('import_profile_none')),
      state.profiles.map((x) => h('option', { value: x.name, selected: x.name === state.profile }, x.name)))),
    p ? h('button', { type: 'button', id: 'import-save-profile', onclick: saveProfile }, t('import_profile_save')) : null);
}

function summary(p) {
  const items = [
    ['insert', p.to_insert, 'import_to_insert'],
    ['update', p.to_update, 'import_to_update'],
    ['skip', p.skipped_duplicates, 'import_to_skip'],
    ['reject', p.rejected_rows, 'import_to_reject'],
  ];
  return h('div', { class: 'import-summary', id: 'import-summary', tabindex: '-1', 'aria-live': 'polite' },
    h('p', {}, t('import_rows_total', { n: formatCount(p.rows_total), count: p.rows_total, row: p.header_row })),
    h('ul', { class: 'counts' }, items.map(([cls, n, key]) => h('li', { class: `count-${cls}`, dataset: { count: String(n) } },
      h('strong', {}, formatCount(n)), ' ', t(key, { count: n })))),
    p.ignored_rows.length ? h('p', { class: 'muted' }, t('import_ignored', { rows: p.ignored_rows.join(', ') })) : null);
}

function mappingTable(p) {
  const fieldOptions = (selected) => [
    h('option', { value: '' }, t('import_skip_column')),
    ...p.fields.map((f) => h('option', { value: f.code, selected: f.code === selected }, label(f))),
  ];
  return h('section', { class: 'facts-group' },
    h('h2', {}, t('import_mapping')),
    h('p', { class: 'muted' }, t('import_mapping_help')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', id: 'import-mapping' },
      h('thead', {}, h('tr', {}, [t('import_col'), t('import_col_header'), t('import_col_samples'), t('import_col_field')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, p.columns.map((c) => h('tr', { class: c.field ? '' : 'unmapped' },
        h('td', { class: 'mono' }, c.letter),
        h('th', { scope: 'row' }, c.header || '—'),
        h('td', { class: 'samples' }, c.samples.join(' · ')),
        h('td', {}, h('select', {
          'aria-label': t('import_field_for', { column: c.header || c.letter }),
          dataset: { column: String(c.index) },
          onchange: (e) => {
            const cols = p.columns.map((x) => x.field || null);
            cols[c.index] = e.target.value || null;
            state.columns = cols;
            loadPreview();
          },
        }, fieldOptions(c.field)))))))));
}

function duplicatesSection(p) {
  if (!p.duplicates_total) return null;
  const policy = h('fieldset', { class: 'plain-set' },
    h('legend', {}, t('import_dup_policy')),
    ['skip', 'update', 'add'].map((v) => h('label', { class: 'check' },
      h('input', {
        type: 'radio', name: 'on-duplicate', value: v, checked: state.onDuplicate === v,
        onchange: () => { state.onDuplicate = v; state.rowDecisions = {}; loadPreview(); },
      }),
      h('span', {}, t(`import_dup_${v}${v === 'update' && state.kind === 'library' ? '_library' : ''}`)))));
  const rows = p.duplicates.slice(0, SHOWN_DUPLICATES).map((d) => h('tr', {},
    h('td', { class: 'num' }, String(d.row)),
    h('td', {}, d.same_as_row ? t('import_dup_in_file', { row: d.same_as_row }) : d.existing_name),
    h('td', {}, d.matched_on),
    h('td', {}, d.same_as_row ? t('import_dup_skip')
      : h('select', {
        'aria-label': t('import_dup_row', { row: d.row }),
        onchange: (e) => { state.rowDecisions = { ...state.rowDecisions, [d.row]: e.target.value }; loadPreview(); },
      }, ['skip', 'update', 'add'].filter((v) => !(v === 'update' && state.kind === 'library')).map((v) => h('option', { value: v, selected: d.decision === v }, t(`import_dup_${v}`)))))));
  return h('section', { class: 'facts-group', id: 'import-duplicates' },
    h('h2', {}, t('import_duplicates', { n: formatCount(p.duplicates_total), count: p.duplicates_total })),
    policy,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table' },
      h('thead', {}, h('tr', {}, [t('import_row'), t('import_dup_with'), t('import_dup_on'), t('import_dup_decision')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows))),
    p.duplicates_total > SHOWN_DUPLICATES ? h('p', { class: 'muted' }, t('import_more', { n: formatCount(p.duplicates_total - SHOWN_DUPLICATES) })) : null);
}

function problemsSection(p) {
  if (!p.problems_total) return null;
  return h('section', { class: 'facts-group' },
    h('h2', {}, t('import_problems', { n: formatCount(p.problems_total), count: p.problems_total })),
    h('p', { class: 'muted' }, t('import_problems_help')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', id: 'import-problems' },
      h('thead', {}, h('tr', {}, [t('import_row'), t('import_col'), t('import_problem')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, p.problems.slice(0, SHOWN_PROBLEMS).map((x) => h('tr', { class: x.severity },
        h('td', { class: 'num' }, String(x.row)),
        h('td', {}, x.column ? `${x.column}${x.column_letter && x.column_letter !== x.column ? ` (${x.column_letter})` : ''}` : '—'),
        h('td', {}, h('span', { class: `badge ${x.severity}` }, t(`import_severity_${x.severity}`)), ' ', x.message)))))),
    p.problems_total > SHOWN_PROBLEMS ? h('p', { class: 'muted' }, t('import_more', { n: formatCount(p.problems_total - SHOWN_PROBLEMS) })) : null);
}

function previewSection(p) {
  return h('section', { class: 'facts-group' },
    h('h2', {}, t('import_preview_title')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', id: 'import-preview' },
      h('thead', {}, h('tr', {}, [t('import_row'), t('import_action'), ...p.preview_fields].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, p.preview.map((r) => h('tr', { class: `action-${r.action}` },
        h('td', { class: 'num' }, String(r.row)),
        h('td', {}, h('span', { class: `badge action-${r.action}` }, t(`import_action_${r.action}`))),
        r.values.length ? r.values.map((v) => h('td', {}, v)) : h('td', { colspan: String(p.preview_fields.length), class: 'muted' }, t('import_rejected_row'))))))));
}

function actions(p) {
  const writable = p.to_insert + p.to_update;
  return h('div', { class: 'actions import-actions' },
    h('button', {
      type: 'button', class: 'primary', id: 'import-run', disabled: writable === 0 || state.loading, onclick: run,
    }, t('import_run', { n: formatCount(writable), count: writable })),
    p.rejected_rows ? h('button', {
      type: 'button', id: 'import-save-rejected', onclick: async () => {
        try {
          const n = await api.importSaveRejected(options());
          if (n !== null && n !== undefined) toast(t('import_rejected_saved', { n: formatCount(n), count: n }));
        } catch (err) { reportError(err); }
      },
    }, t('import_save_rejected')) : null,
    h('button', { type: 'button', onclick: () => { const { profiles, batches, kind } = state; state = { ...freshState(kind), profiles, batches }; render(); } }, t('import_start_over')));
}

function progressBox() {
  return h('section', { class: 'import-running', 'aria-live': 'polite' },
    h('h2', {}, t('import_running')),
    h('progress', { id: 'import-progress' }),
    h('p', { id: 'import-progress-text' }, t('import_phase_reading')),
    h('button', { type: 'button', id: 'import-cancel', onclick: () => api.importCancel().catch(reportError) }, t('import_cancel')));
}

function resultBox(r) {
  const rejectedRows = new Set(r.rejected.map((x) => x.row)).size;
  const batch = state.batches.find((b) => b.id === r.batch_id);
  const last = state.lastProgress;
  return h('section', {
    class: 'import-result', id: 'import-result', tabindex: '-1',
    dataset: { lastProgress: last ? `${last.phase} ${last.done}/${last.total}` : '' },
  },
    h('h2', {}, t('import_result_title', { file: r.file })),
    h('p', { class: 'ok' }, t('import_result', {
      imported: formatCount(r.imported), updated: formatCount(r.updated), skipped: formatCount(r.skipped_duplicates), rejected: formatCount(rejectedRows),
    })),
    h('div', { class: 'actions' },
      state.kind !== 'library' ? h('button', { type: 'button', class: 'primary', onclick: () => import('../app.js').then((m) => m.go(state.kind)) }, t(`import_show_${state.kind}`)) : null,
      batch && !batch.undone_at ? h('button', { type: 'button', id: 'import-undo-last', onclick: () => undo(batch) }, t('import_undo_this')) : null));
}

function history() {
  if (!state.batches.length) return null;
  return h('section', { class: 'facts-group' },
    h('h2', {}, t('import_history')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', id: 'import-history' },
      h('thead', {}, h('tr', {}, [t('import_when'), t('import_what_short'), t('import_file'), t('import_counts'), ''].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, state.batches.map((b) => h('tr', { class: b.undone_at ? 'undone' : '' },
        h('td', {}, formatDateTime(b.imported_at)),
        h('td', {}, t(`import_kind_${b.kind}`)),
        h('td', {}, b.file_name),
        h('td', {}, t('import_batch_counts', { inserted: formatCount(b.inserted), updated: formatCount(b.updated), skipped: formatCount(b.skipped), rejected: formatCount(b.rejected) })),
        h('td', {}, b.undone_at ? h('span', { class: 'badge muted' }, t('import_undone_badge'))
          : h('button', { type: 'button', class: 'small', onclick: () => undo(b) }, t('import_undo')))))))));
}

function render() {
  if (!main) return;
  const p = state.preview;
  const body = [];
  body.push(h('h1', {}, t('import_title')));
  body.push(h('p', { class: 'muted lead' }, t('import_intro')));
  if (state.running) {
    body.push(progressBox());
  } else {
    body.push(h('div', { class: 'import-choose' }, kindPicker(),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: state.fileName ? '' : 'primary', id: 'import-pick', onclick: pickFile }, t('import_pick')),
        state.fileName ? h('span', { class: 'file-name' }, state.fileName) : h('span', { class: 'muted' }, t('import_formats')))));
    if (state.report) body.push(resultBox(state.report));
    if (state.fileName) {
      if (p) body.push(sourceLine(p));
      body.push(settingsRow(p));
      if (state.loading) body.push(h('p', { class: 'muted', id: 'import-loading' }, t('import_checking')));
      if (state.error) body.push(h('p', { class: 'form-banner', role: 'alert', id: 'import-error' }, state.error));
      if (p) body.push(summary(p), actions(p), mappingTable(p), duplicatesSection(p), problemsSection(p), previewSection(p));
    }
    body.push(history());
  }
  const wrap = h('div', { class: 'import-view' }, body);
  main.replaceChildren(wrap);
  if (state.running) updateProgress();
}

export const importView = {
  async mount(el) {
    main = el;
    if (!state) state = freshState();
    if (!state.running) await loadLists();
    render();
  },
  hasUnsavedChanges: () => !!state?.running,
};
