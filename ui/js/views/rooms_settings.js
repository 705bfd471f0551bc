// Ustawienia → "Sale i stanowisko": the rooms and the workstation that can be booked (Sale),
// listed with their places and opening hours, and a form to add one or change it. A room no
// longer lent is made inactive, never deleted (its bookings stay in the history).

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { field, group, collect, clearErrors, showFailure } from '../form.js';
import { toast } from '../ui.js';

/** Monday..Sunday, as the opening hours' labels and summary show them. */
const DAY_KEYS = ['rooms_wd_1', 'rooms_wd_2', 'rooms_wd_3', 'rooms_wd_4', 'rooms_wd_5', 'rooms_wd_6', 'rooms_wd_7'];
const KIND_KEYS = { room: 'rooms_kind_room', workstation: 'rooms_kind_workstation' };
/** A new room: open on working days. */
const DEFAULT_HOURS = ['8:00-18:00', '8:00-18:00', '8:00-18:00', '8:00-18:00', '8:00-18:00', '', ''];

const short = (hhmm) => hhmm.replace(/(^|-)0(\d)/g, '$1$2').replace('-', '–');

/** "Pn–Pt 8:00–18:00, Sb 10:00–14:00": days with the same hours joined. */
export function hoursSummary(hours) {
  const parts = [];
  let i = 0;
  while (i < 7) {
    const same = hours?.[i] || '';
    let j = i;
    while (j + 1 < 7 && (hours?.[j + 1] || '') === same) j += 1;
    if (same) parts.push(`${t(DAY_KEYS[i])}${j > i ? `–${t(DAY_KEYS[j])}` : ''} ${short(same)}`);
    i = j + 1;
  }
  return parts.length ? parts.join(', ') : t('rooms_hours_none');
}

function resourceForm(r, done) {
  const hours = r ? r.opening_hours : DEFAULT_HOURS;
  const form = h('form', { class: 'record-form', id: 'resource-form', novalidate: true },
    h('h3', {}, r ? t('rooms_settings_edit') : t('rooms_settings_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('rooms_settings_grp',
      field({ name: 'kind', labelKey: 'rooms_kind', kind: 'select', value: r?.kind || 'room', options: [{ value: 'room', text: t('rooms_kind_room') }, { value: 'workstation', text: t('rooms_kind_workstation') }] }),
      field({ name: 'name', labelKey: 'rooms_settings_name', value: r?.name || '', required: true }),
      field({ name: 'capacity', labelKey: 'rooms_capacity', value: r?.capacity ? String(r.capacity) : '' }),
      field({ name: 'equipment', labelKey: 'rooms_equipment', value: r?.equipment || '', wide: true }),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: r?.notes || '', wide: true }),
      field({ name: 'active', labelKey: 'rooms_active', kind: 'checkbox', value: r ? r.active : true, wide: true })),
    h('fieldset', { class: 'group', id: 'opening-hours' },
      h('legend', {}, t('rooms_hours')),
      h('p', { class: 'field-hint' }, t('rooms_hours_hint')),
      h('div', { class: 'hours-grid' }, DAY_KEYS.map((key, i) => field({ name: `opening_hours_${i}`, labelKey: key, value: (hours?.[i] || '').replace(/(^|-)0(\d)/g, '$1$2') })))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'save-resource' }, t('rooms_settings_save')),
      r ? h('button', { type: 'button', onclick: () => done(null) }, t('cancel')) : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = collect(form);
    const input = {
      kind: v.kind, name: v.name, capacity: v.capacity, equipment: v.equipment, notes: v.notes, active: v.active,
      opening_hours: DAY_KEYS.map((_, i) => v[`opening_hours_${i}`] || ''),
    };
    try {
      await api.saveResource(r?.id ?? null, input);
      toast(t('rooms_settings_saved', { room: input.name.trim() }));
      done(null, true);
    } catch (err) {
      showFailure(form, err);
    }
  });
  return form;
}

/** The section's content for settings.js. */
export async function roomsSection() {
  const list = h('div', { id: 'resources-list' });
  const formBox = h('div', {});
  const showForm = (r) => {
    formBox.replaceChildren(resourceForm(r, async (next, saved) => {
      if (saved) await reload();
      showForm(next);
    }));
    if (r) formBox.querySelector('input[name=name]').focus();
  };
  const reload = async () => {
    const resources = await api.listResources(true);
    list.replaceChildren(resources.length
      ? h('table', { class: 'resources-table', id: 'resources-table' },
        h('thead', {}, h('tr', {}, [t('rooms_settings_name'), t('rooms_kind'), t('rooms_capacity_col'), t('rooms_hours'), t('rooms_active_col'), ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, resources.map((r) => h('tr', { class: r.active ? '' : 'inactive', dataset: { resource: r.id } },
          h('td', {}, h('strong', {}, r.name), r.equipment ? h('span', { class: 'subline' }, r.equipment) : null),
          h('td', {}, t(KIND_KEYS[r.kind] || 'rooms_kind_room')),
          h('td', {}, r.capacity ? String(r.capacity) : '—'),
          h('td', {}, hoursSummary(r.opening_hours)),
          h('td', {}, r.active ? t('yes') : t('no')),
          h('td', {}, h('button', { type: 'button', class: 'small', 'aria-label': `${t('edit')}: ${r.name}`, onclick: () => showForm(r) }, t('edit')))))))
      : h('p', { class: 'muted', id: 'resources-none' }, t('rooms_settings_none')));
  };
  await reload();
  showForm(null);
  return [h('p', { class: 'muted' }, t('rooms_settings_help')), list, formBox];
}
