// Ustawienia → "Punkt NPP": the office's points of free legal aid (number from the starosta's
// list, name, address, powiat, active), the four lists the card chooses from (forms of help,
// kinds of help given, areas of law, professions: an entry is added, renamed or switched off,
// never deleted, since old cards name it) and the regulation the lists follow ("Listy według").

import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { field, group, collect, clearErrors, showFailure } from '../form.js';
import { toast, reportError } from '../ui.js';

const LISTS = [
  ['form', 'legal_aid_list_form', 'legal_aid_list_form_help'],
  ['help', 'legal_aid_list_help', 'legal_aid_list_help_help'],
  ['area', 'legal_aid_list_area', 'legal_aid_list_area_help'],
  ['profession', 'legal_aid_list_profession', 'legal_aid_list_profession_help'],
];

function pointForm(p, done) {
  const form = h('form', { class: 'record-form', id: 'legal-aid-point-form', novalidate: true },
    h('h3', {}, p ? t('legal_aid_point_edit') : t('legal_aid_point_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('legal_aid_point_grp',
      field({ name: 'number', labelKey: 'legal_aid_point_number', value: p?.number || '', required: true, hintKey: 'legal_aid_point_number_hint' }),
      field({ name: 'name', labelKey: 'legal_aid_point_name', value: p?.name || '', required: true }),
      field({ name: 'address', labelKey: 'legal_aid_point_address', value: p?.address || '', wide: true }),
      field({ name: 'powiat', labelKey: 'legal_aid_point_powiat', value: p?.powiat || '', hintKey: 'legal_aid_point_powiat_hint' }),
      field({ name: 'active', labelKey: 'legal_aid_point_active', kind: 'checkbox', value: p ? p.active : true })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'save-legal-aid-point' }, t('legal_aid_point_save')),
      p ? h('button', { type: 'button', onclick: () => done(false) }, t('cancel')) : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = collect(form);
    const input = { number: v.number, name: v.name, address: v.address, powiat: v.powiat, active: v.active };
    try {
      await api.saveLegalAidPoint(p?.id ?? null, input);
      toast(t('legal_aid_point_saved', { number: input.number.trim() }));
      done(true);
    } catch (err) {
      showFailure(form, err);
    }
  });
  return form;
}

/** The points: a table with "Edytuj" on each, and the form (a new point, or the one edited). */
function pointsBlock(setup, reread) {
  const table = h('div', { id: 'legal-aid-points-list' });
  const formBox = h('div', {});
  const showForm = (p) => {
    formBox.replaceChildren(pointForm(p, async (saved) => {
      if (saved) await reread();
      showForm(null);
    }));
    if (p) formBox.querySelector('input[name=number]').focus();
  };
  const render = (points) => {
    table.replaceChildren(points.length
      ? h('table', { class: 'legal-aid-points', id: 'legal-aid-points' },
        h('thead', {}, h('tr', {}, [t('legal_aid_point_number_col'), t('legal_aid_point_col'), t('legal_aid_point_powiat'), t('legal_aid_point_active_col'), ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, points.map((p) => h('tr', { class: p.active ? '' : 'inactive', dataset: { point: p.id } },
          h('td', { class: 'number' }, p.number),
          h('td', {}, h('strong', {}, p.name), p.address ? h('span', { class: 'subline point-address' }, p.address) : null),
          h('td', {}, p.powiat || '—'),
          h('td', { class: 'narrow' }, p.active ? t('yes') : t('no')),
          h('td', { class: 'narrow' }, h('button', { type: 'button', class: 'small', 'aria-label': `${t('edit')}: ${p.number}`, onclick: () => showForm(p) }, t('edit')))))))
      : h('p', { class: 'muted', id: 'legal-aid-points-none' }, t('legal_aid_points_none')));
  };
  render(setup.points);
  showForm(null);
  return {
    el: h('section', { class: 'facts-group', id: 'legal-aid-points-section' },
      h('h3', {}, t('legal_aid_points_title')),
      table, formBox),
    render,
  };
}

/**
 * One list as editable rows with a single "Zapisz listę": only changed or added rows are sent;
 * a refused row keeps what was typed, with the core's message beside it.
 */
function listEditor({ kind, titleKey, helpKey, entries }) {
  const rows = [];
  const body = h('tbody');
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const withRemote = kind === 'form';
  const addRow = (e, isNew) => {
    const code = h('input', { type: 'text', value: e.code, class: 'code', 'aria-label': t('legal_aid_list_code'), readonly: !isNew, autocomplete: 'off', spellcheck: 'false' });
    const name = h('input', { type: 'text', value: e.name, class: 'name', 'aria-label': t('legal_aid_list_name') });
    const active = h('input', { type: 'checkbox', checked: e.active, 'aria-label': t('legal_aid_list_active') });
    const remote = withRemote ? h('input', { type: 'checkbox', checked: e.remote, 'aria-label': t('legal_aid_list_remote') }) : null;
    const error = h('p', { class: 'field-error', hidden: true });
    const row = { code, name, active, remote, error, isNew, saved: isNew ? null : { name: e.name, active: e.active, remote: e.remote } };
    row.changed = () => (row.saved === null
      ? code.value.trim() !== '' || name.value.trim() !== ''
      : name.value !== row.saved.name || active.checked !== row.saved.active || (!!remote && remote.checked !== row.saved.remote));
    rows.push(row);
    body.append(h('tr', { class: e.active ? '' : 'inactive', dataset: { code: e.code } },
      h('td', {}, code), h('td', {}, name, error), h('td', { class: 'center' }, active), withRemote ? h('td', { class: 'center' }, remote) : null));
    return isNew ? code : name;
  };
  for (const e of entries) addRow(e, false);
  const saveList = async () => {
    status.textContent = '';
    for (const r of rows) r.error.hidden = true;
    const changed = rows.filter((r) => r.changed());
    if (!changed.length) { status.textContent = t('legal_aid_list_nothing'); return; }
    let done = 0;
    let failed = null;
    for (const r of changed) {
      try {
        await api.saveLegalAidListEntry({ kind, code: r.code.value, name: r.name.value, active: r.active.checked, remote: !!r.remote?.checked });
        r.saved = { name: r.name.value, active: r.active.checked, remote: !!r.remote?.checked };
        r.code.value = r.code.value.trim().toLowerCase();
        r.code.readOnly = true;
        r.code.closest('tr').classList.toggle('inactive', !r.active.checked);
        done += 1;
      } catch (err) {
        if (!(err instanceof ApiError)) { reportError(err); return; }
        r.error.textContent = err.fields?.length ? err.fields.map((f) => f.message).join(' ') : err.message;
        r.error.hidden = false;
        failed ||= r;
      }
    }
    if (done) toast(t('legal_aid_list_saved', { n: done, count: done }));
    if (failed) {
      status.textContent = t('legal_aid_list_some_failed');
      (failed.isNew && !failed.code.readOnly ? failed.code : failed.name).focus();
    }
  };
  const heads = [t('legal_aid_list_code'), t('legal_aid_list_name'), t('legal_aid_list_active'), withRemote ? t('legal_aid_list_remote') : null].filter(Boolean);
  return h('section', { class: 'facts-group legal-aid-list', id: `legal-aid-list-${kind}` },
    h('h3', {}, t(titleKey)),
    h('p', { class: 'muted' }, t(helpKey)),
    h('table', { class: 'areas-table legal-aid-list-table' },
      h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))),
      body),
    h('div', { class: 'actions' },
      h('button', { type: 'button', dataset: { addLegalAidEntry: kind }, onclick: () => addRow({ code: '', name: '', active: true, remote: false }, true).focus() }, t('legal_aid_list_add')),
      h('button', { type: 'button', class: 'primary', dataset: { saveLegalAidList: kind }, onclick: saveList }, t('legal_aid_list_save'))),
    status);
}

function versionForm(version) {
  const form = h('form', { class: 'record-form', id: 'legal-aid-version-form', novalidate: true },
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    field({ name: 'list_version', labelKey: 'legal_aid_list_version', kind: 'textarea', value: version || '', wide: true, hintKey: 'legal_aid_list_version_hint' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-legal-aid-version' }, t('save'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      await api.saveLegalAidListVersion(collect(form).list_version);
      toast(t('legal_aid_list_version_saved'));
    } catch (err) {
      showFailure(form, err);
    }
  });
  return h('section', { class: 'facts-group', id: 'legal-aid-version' }, h('h3', {}, t('legal_aid_list_version_title')), form);
}

/** The section's content for settings.js. */
export async function legalAidSection() {
  const setup = await api.legalAidSetup();
  const points = pointsBlock(setup, async () => {
    try {
      points.render((await api.legalAidSetup()).points);
    } catch (err) {
      reportError(err);
    }
  });
  return [
    h('p', { class: 'muted' }, t('legal_aid_settings_help')),
    points.el,
    ...LISTS.map(([kind, titleKey, helpKey]) => listEditor({ kind, titleKey, helpKey, entries: setup.lists.filter((e) => e.kind === kind) })),
    versionForm(setup.list_version),
  ];
}
