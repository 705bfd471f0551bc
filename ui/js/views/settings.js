// Ustawienia: display preferences, the editable list of spheres of public benefit, and where
// the program keeps its data.

import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { toast, reportError, referenceData, invalidateReference } from '../ui.js';

function areaRow(a, isNew = false) {
  const code = h('input', { type: 'text', value: a.code, 'aria-label': t('area_code'), class: 'code', readonly: !isNew });
  const name = h('input', { type: 'text', value: a.name, 'aria-label': t('area_name'), class: 'name' });
  const active = h('input', { type: 'checkbox', checked: a.active, 'aria-label': t('area_active') });
  const error = h('p', { class: 'field-error', hidden: true });
  const save = h('button', {
    type: 'button', class: 'small', onclick: async () => {
      error.hidden = true;
      try {
        await api.saveArea(code.value, name.value, active.checked);
        invalidateReference();
        code.readOnly = true;
        toast(t('saved'));
      } catch (err) {
        if (err instanceof ApiError) { error.textContent = err.message; error.hidden = false; } else reportError(err);
      }
    },
  }, t('save'));
  return h('tr', {}, h('td', {}, code), h('td', {}, name, error), h('td', { class: 'center' }, active), h('td', {}, save));
}

/** One editable row of a code + name list (advice categories, consultation topics). */
function listRow(item, isNew, save) {
  const code = h('input', { type: 'text', value: item.code, 'aria-label': t('area_code'), class: 'code', readonly: !isNew });
  const name = h('input', { type: 'text', value: item.name, 'aria-label': t('area_name'), class: 'name' });
  const active = h('input', { type: 'checkbox', checked: item.active, 'aria-label': t('area_active') });
  const error = h('p', { class: 'field-error', hidden: true });
  const button = h('button', {
    type: 'button', class: 'small', onclick: async () => {
      error.hidden = true;
      try {
        await save(code.value, name.value, active.checked);
        code.readOnly = true;
        toast(t('saved'));
      } catch (err) {
        if (err instanceof ApiError) { error.textContent = err.message; error.hidden = false; } else reportError(err);
      }
    },
  }, t('save'));
  return h('tr', { class: item.parent ? 'sub' : '' }, h('td', {}, code), h('td', {}, name, error), h('td', { class: 'center' }, active), h('td', {}, button));
}

function listEditor(titleKey, helpKey, items, save, newItem) {
  const body = h('tbody', {}, items.map((i) => listRow(i, false, (c, n, a) => save(c, n, a, i))));
  return h('section', { class: 'facts-group' },
    h('h2', {}, t(titleKey)),
    h('p', { class: 'muted' }, t(helpKey)),
    h('table', { class: 'areas-table' },
      h('thead', {}, h('tr', {}, [t('area_code'), t('area_name'), t('area_active'), ''].map((x) => h('th', { scope: 'col' }, x)))),
      body),
    h('button', { type: 'button', onclick: () => { const item = newItem(); const r = listRow(item, true, (c, n, a) => save(c, n, a, item)); body.append(r); r.querySelector('input').focus(); } }, t('area_add')));
}

export const settingsView = {
  async mount(main) {
    const [ref, info, categories, topics] = await Promise.all([referenceData(), api.appInfo(), api.adviceCategories(), api.consultationTopics()]);
    // A new category's parent is taken from its code: ZAD.XYZ belongs to ZAD.
    const saveCategory = (code, name, active) => {
      const upper = code.trim().toUpperCase();
      const parent = upper.includes('.') ? upper.split('.')[0] : null;
      return api.saveAdviceCategory(upper, parent, name, active);
    };
    const body = h('tbody', {}, ref.areas.map((a) => areaRow(a)));
    main.replaceChildren(h('div', { class: 'settings' },
      h('h1', {}, t('nav_settings')),
      h('section', { class: 'facts-group' },
        h('h2', {}, t('settings_view')),
        h('p', {}, `${t('text_size')}, ${t('high_contrast').toLowerCase()}, ${t('settings_language').toLowerCase()}: `,
          t('nav_settings') === 'Ustawienia' ? 'przyciski w prawym górnym rogu okna; wybór jest zapamiętywany.' : 'the buttons at the top right of the window; the choice is remembered.')),
      h('section', { class: 'facts-group' },
        h('h2', {}, t('settings_user')),
        h('p', { class: 'muted' }, t('settings_user_help')),
        h('form', { class: 'inline-form', id: 'user-form', onsubmit: async (e) => {
          e.preventDefault();
          const name = e.target.elements.user_name.value;
          localStorage.setItem('kartoteka.userName', name.trim());
          const used = await api.setUserName(name);
          toast(t('settings_user_saved', { name: used }));
        } },
        h('div', { class: 'field' }, h('label', { for: 'user-name' }, t('settings_user_label')),
          h('input', { id: 'user-name', name: 'user_name', type: 'text', value: localStorage.getItem('kartoteka.userName') || '' })),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('save'))))),
      h('section', { class: 'facts-group' },
        h('h2', {}, t('settings_areas')),
        h('p', { class: 'muted' }, t('settings_areas_help')),
        h('table', { class: 'areas-table' },
          h('thead', {}, h('tr', {}, [t('area_code'), t('area_name'), t('area_active'), ''].map((x) => h('th', { scope: 'col' }, x)))),
          body),
        h('button', { type: 'button', onclick: () => { const r = areaRow({ code: '', name: '', active: true }, true); body.append(r); r.querySelector('input').focus(); } }, t('area_add'))),
      listEditor('settings_categories', 'settings_categories_help', categories, saveCategory, () => ({ code: '', name: '', active: true })),
      listEditor('settings_topics', 'settings_topics_help', topics, (c, n, a) => api.saveConsultationTopic(c, n, a), () => ({ code: '', name: '', active: true })),
      h('section', { class: 'facts-group' },
        h('h2', {}, t('settings_about')),
        h('dl', { class: 'facts' },
          h('dt', {}, t('about_version')), h('dd', {}, info.version),
          h('dt', {}, t('about_db')), h('dd', {}, h('code', {}, info.database_path)),
          h('dt', {}, t('about_logs')), h('dd', {}, h('code', {}, info.log_dir))))));
  },
};
