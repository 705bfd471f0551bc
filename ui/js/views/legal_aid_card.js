// The card of free legal aid (karta pomocy NPP/NPO, Part A) inside the advice form and on an
// advice record (views/advice.js): the switch that reveals the card's fields, reading them for
// the save, and the card's facts with its printouts. The card's date, time and client are the
// advice record's own; everything else is typed here. Texts in ui/js/i18n/legal_aid.js.

import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate } from '../format.js';
import { field, group, options } from '../form.js';
import { offerSaved } from '../saved.js';
import { alertBox } from '../dialog.js';
import { toast, reportError } from '../ui.js';

/** The card's input names: kept apart from the advice record's (the names never collide). */
export const CARD_FIELDS = ['aid_type', 'point_id', 'provider', 'profession', 'form', 'help_kinds', 'area', 'visits',
  'statement_signed', 'statement_on', 'sole_trader', 'business_statement_signed', 'no_statement_reason'];

const PREF = {
  on: 'kartoteka.legalAid.on',
  aid_type: 'kartoteka.legalAid.aidType',
  point_id: 'kartoteka.legalAid.point',
  profession: 'kartoteka.legalAid.profession',
  form: 'kartoteka.legalAid.form',
};

/** The points and lists, or null when they cannot be read (the advice form works without). */
export async function loadSetup() {
  try {
    return await api.legalAidSetup();
  } catch (err) {
    console.warn('legal aid setup', err);
    return null;
  }
}

export const activePoints = (setup) => (setup?.points || []).filter((p) => p.active);
export const pointLabel = (p) => `${p.number} — ${p.name}`;
const entries = (setup, kind) => (setup?.lists || []).filter((e) => e.kind === kind);
const entryName = (setup, kind, code) => entries(setup, kind).find((e) => e.code === code)?.name || code;
const labelled = (list, code) => list?.find((x) => x.code === code)?.name || code;

/** A card as read back, in the form's terms. */
export function cardValues(card) {
  return {
    aid_type: card.aid_type,
    point_id: String(card.point_id),
    provider: card.provider || '',
    profession: card.profession || '',
    form: card.form || '',
    help_kinds: card.help_kinds || [],
    area: card.area || '',
    visits: card.visits ? String(card.visits) : '',
    statement_signed: !!card.statement_signed,
    statement_on: card.statement_on ? formatDate(card.statement_on) : '',
    sole_trader: !!card.sole_trader,
    business_statement_signed: !!card.business_statement_signed,
    no_statement_reason: card.no_statement_reason || '',
  };
}

/** A new card: what was chosen last time, the only point when there is one, the advisor. */
function newValues(setup, advisor) {
  const points = activePoints(setup);
  const remembered = localStorage.getItem(PREF.point_id);
  const activeCode = (kind, code) => (entries(setup, kind).some((e) => e.active && e.code === code) ? code : '');
  const firstForm = entries(setup, 'form').find((e) => e.active && !e.remote)?.code || '';
  return {
    aid_type: localStorage.getItem(PREF.aid_type) || 'npp',
    point_id: points.some((p) => String(p.id) === remembered) ? remembered : (points.length === 1 ? String(points[0].id) : ''),
    provider: advisor || '',
    profession: activeCode('profession', localStorage.getItem(PREF.profession) || ''),
    form: activeCode('form', localStorage.getItem(PREF.form) || '') || firstForm,
    help_kinds: [],
    area: '',
    visits: '',
    statement_signed: true,
    statement_on: '',
    sole_trader: false,
    business_statement_signed: false,
    no_statement_reason: '',
  };
}

/** Active entries of a list, and the card's own entry even when it was switched off since. */
function listOptions(setup, kind, current) {
  return options(entries(setup, kind).filter((e) => e.active || e.code === current)
    .map((e) => ({ value: e.code, text: e.active ? e.name : t('legal_aid_entry_off', { entry: e.name }) })));
}

/**
 * The switch and the card's fieldset for the advice form. `card`: the card's values (an
 * existing card, or what was typed before a rebuild), or null for a record without one.
 * Without an active point (and no card) only a line says where points are added.
 */
export function cardFieldset(setup, card, { advisor = '', isNew = false } = {}) {
  const points = activePoints(setup);
  if (!setup || (!points.length && !card)) {
    return h('p', { class: 'field-hint legal-aid-none', id: 'legal-aid-none' }, t('legal_aid_no_point'));
  }
  const on = !!card || (isNew && localStorage.getItem(PREF.on) === '1');
  const v = card || newValues(setup, advisor);
  const pointChoices = (setup.points || []).filter((p) => p.active || String(p.id) === v.point_id)
    .map((p) => ({ value: String(p.id), text: p.active ? pointLabel(p) : t('legal_aid_point_off', { point: pointLabel(p) }) }));
  const helpBoxes = entries(setup, 'help').filter((e) => e.active || v.help_kinds.includes(e.code))
    .map((e) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'help_kinds', value: e.code, checked: v.help_kinds.includes(e.code), dataset: { multi: '1' } }),
      h('span', {}, e.name)));
  const help = h('fieldset', { class: 'field wide plain-set legal-aid-help', dataset: { field: 'help_kinds' } },
    h('legend', { class: 'block-label' }, t('legal_aid_f_help_kinds'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    h('div', { class: 'legal-aid-help-grid' }, helpBoxes),
    h('p', { class: 'field-error', hidden: true }));
  const fields = group('legal_aid_card_grp',
    field({ name: 'aid_type', labelKey: 'legal_aid_f_aid_type', kind: 'select', value: v.aid_type, options: (setup.aid_types || []).map((x) => ({ value: x.code, text: x.name })) }),
    field({ name: 'point_id', labelKey: 'legal_aid_f_point', kind: 'select', value: v.point_id, options: options(pointChoices), required: true }),
    field({ name: 'provider', labelKey: 'legal_aid_f_provider', value: v.provider, required: true, hintKey: 'legal_aid_provider_hint' }),
    field({ name: 'profession', labelKey: 'legal_aid_f_profession', kind: 'select', value: v.profession, options: listOptions(setup, 'profession', v.profession), required: true }),
    field({ name: 'form', labelKey: 'legal_aid_f_form', kind: 'select', value: v.form, options: listOptions(setup, 'form', v.form), required: true }),
    field({ name: 'area', labelKey: 'legal_aid_f_area', kind: 'select', value: v.area, options: listOptions(setup, 'area', v.area), required: true }),
    field({ name: 'visits', labelKey: 'legal_aid_f_visits', value: v.visits, hintKey: 'legal_aid_visits_hint' }),
    help,
    field({ name: 'statement_signed', labelKey: 'legal_aid_f_statement_signed', kind: 'checkbox', value: v.statement_signed, wide: true }),
    field({ name: 'statement_on', labelKey: 'legal_aid_f_statement_on', value: v.statement_on, hintKey: 'legal_aid_statement_on_hint' }),
    field({ name: 'no_statement_reason', labelKey: 'legal_aid_f_no_statement_reason', kind: 'select', value: v.no_statement_reason, options: options((setup.no_statement_reasons || []).map((x) => ({ value: x.code, text: x.name }))), required: true }),
    field({ name: 'sole_trader', labelKey: 'legal_aid_f_sole_trader', kind: 'checkbox', value: v.sole_trader, wide: true }),
    field({ name: 'business_statement_signed', labelKey: 'legal_aid_f_business_statement', kind: 'checkbox', value: v.business_statement_signed, wide: true }));
  fields.id = 'legal-aid-card';
  fields.classList.add('legal-aid-card');
  const toggle = h('input', { type: 'checkbox', id: 'card-toggle', checked: on, 'aria-controls': 'legal-aid-card', 'aria-describedby': 'card-toggle-hint' });
  const box = h('div', { class: 'legal-aid-box', id: 'legal-aid-box' },
    h('div', { class: 'field field-check' },
      h('label', { for: 'card-toggle' }, toggle, h('span', {}, t('legal_aid_toggle'))),
      h('p', { class: 'field-hint', id: 'card-toggle-hint' }, t('legal_aid_toggle_hint'))),
    fields);
  const el = (name) => fields.querySelector(`[name="${name}"]`);
  const wrap = (name) => fields.querySelector(`[data-field="${name}"]`);
  // The statement's date goes with a signed statement, the reason with an unsigned one; the
  // statement about employing nobody only with a sole trader's business.
  const sync = () => {
    fields.hidden = !toggle.checked;
    const signed = el('statement_signed').checked;
    wrap('statement_on').hidden = !signed;
    wrap('no_statement_reason').hidden = signed;
    wrap('business_statement_signed').hidden = !el('sole_trader').checked;
  };
  // Until the statement is ticked or unticked by hand, remote help (phone, e-mail, video)
  // assumes none was signed, for that reason; help in the point assumes one was.
  let statementTouched = !!card;
  el('statement_signed').addEventListener('change', () => { statementTouched = true; sync(); });
  el('sole_trader').addEventListener('change', sync);
  el('form').addEventListener('change', () => {
    if (statementTouched) return;
    const remote = entries(setup, 'form').find((e) => e.code === el('form').value)?.remote;
    el('statement_signed').checked = !remote;
    if (remote && !el('no_statement_reason').value) el('no_statement_reason').value = 'remote';
    sync();
  });
  // Who gave the help follows the advisor until it is typed over.
  let providerTyped = !!card && v.provider !== advisor;
  el('provider').addEventListener('input', () => { providerTyped = true; });
  box.followAdvisor = (name) => {
    if (!providerTyped) el('provider').value = name;
  };
  toggle.addEventListener('change', () => {
    sync();
    if (toggle.checked) el('aid_type').focus();
  });
  sync();
  return box;
}

/** {on, input}: the switch and the card as the core takes it (LegalAidCardInput). */
export function readCard(form) {
  const toggle = form.querySelector('#card-toggle');
  const box = form.querySelector('#legal-aid-card');
  if (!toggle || !box || !toggle.checked) return { on: false, input: null, values: null };
  const get = (name) => box.querySelector(`[name="${name}"]`);
  const values = {
    aid_type: get('aid_type').value,
    point_id: get('point_id').value,
    provider: get('provider').value,
    profession: get('profession').value,
    form: get('form').value,
    help_kinds: [...box.querySelectorAll('input[name=help_kinds]:checked')].map((x) => x.value),
    area: get('area').value,
    visits: get('visits').value,
    statement_signed: get('statement_signed').checked,
    statement_on: get('statement_on').value,
    sole_trader: get('sole_trader').checked,
    business_statement_signed: get('business_statement_signed').checked,
    no_statement_reason: get('no_statement_reason').value,
  };
  const signed = values.statement_signed;
  const input = {
    ...values,
    point_id: values.point_id ? Number(values.point_id) : null,
    statement_on: signed ? values.statement_on.trim() : '',
    no_statement_reason: signed ? '' : values.no_statement_reason,
    business_statement_signed: values.sole_trader && values.business_statement_signed,
    visits: values.visits.trim(),
    provider: values.provider.trim(),
  };
  return { on: true, input, values };
}

/** Remembers the choices a next card starts from. */
export function rememberCard(card) {
  localStorage.setItem(PREF.on, card.on ? '1' : '0');
  if (!card.on) return;
  localStorage.setItem(PREF.aid_type, card.input.aid_type);
  localStorage.setItem(PREF.point_id, String(card.input.point_id ?? ''));
  localStorage.setItem(PREF.profession, card.input.profession);
  localStorage.setItem(PREF.form, card.input.form);
}

async function savePdf(run, savedKey) {
  try {
    const path = await run();
    if (path) {
      toast(t(savedKey, { path }));
      offerSaved(path);
    }
  } catch (err) {
    if (err instanceof ApiError && err.code === 'bad_argument') await alertBox(err.message, { title: t('legal_aid_print_refused') });
    else reportError(err);
  }
}

/**
 * The card on the advice record: its facts and, for whoever writes advice, "Usuń kartę" (the
 * printouts are in the record's head, cardPrintButtons); a record without a card offers one
 * when a point is active.
 */
export function cardSection(card, setup, { writes, adviceId, onAdd, onRemove }) {
  if (!card) {
    if (!writes || !activePoints(setup).length) return null;
    return h('section', { class: 'facts-group legal-aid-facts', id: 'legal-aid-facts' },
      h('h3', {}, t('legal_aid_card_title')),
      h('p', { class: 'muted' }, t('legal_aid_card_none')),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'small', id: 'card-add', onclick: onAdd }, t('legal_aid_card_add'))));
  }
  const statement = card.statement_signed
    ? t('legal_aid_statement_signed_on', { date: formatDate(card.statement_on || card.given_on) })
    : t('legal_aid_statement_not_signed', { reason: labelled(setup?.no_statement_reasons, card.no_statement_reason) || '—' });
  const business = card.sole_trader
    ? (card.business_statement_signed ? t('legal_aid_business_signed') : t('legal_aid_business_not_signed'))
    : null;
  const form = entryName(setup, 'form', card.form);
  const pairs = [
    ['legal_aid_f_point', `${card.point_number} — ${card.point_name}`],
    ['legal_aid_f_aid_type', labelled(setup?.aid_types, card.aid_type)],
    ['legal_aid_f_provider', `${card.provider} (${entryName(setup, 'profession', card.profession)})`],
    ['legal_aid_f_form', card.remote ? t('legal_aid_form_remote', { form }) : form],
    ['legal_aid_f_area', entryName(setup, 'area', card.area)],
    ['legal_aid_f_visits', String(card.visits)],
    ['legal_aid_statement', statement],
    ['legal_aid_business', business],
  ].filter(([, value]) => value);
  return h('section', { class: 'facts-group legal-aid-facts', id: 'legal-aid-facts' },
    h('h3', {}, t('legal_aid_card_title')),
    h('dl', { class: 'facts' },
      pairs.map(([k, value]) => [h('dt', {}, t(k)), h('dd', {}, value)]),
      h('dt', {}, t('legal_aid_f_help_kinds')),
      h('dd', {}, h('ul', { class: 'plain' }, card.help_kinds.map((code) => h('li', {}, entryName(setup, 'help', code)))))),
    writes ? h('div', { class: 'actions legal-aid-actions' },
      h('button', { type: 'button', class: 'small danger', id: 'card-remove', onclick: onRemove }, t('legal_aid_card_remove'))) : null);
}

/**
 * The card's printouts, for the record's head (the first thing wanted after saving help in
 * the point): the card for the point's file and the statement for the client to sign.
 */
export function cardPrintButtons(card, adviceId) {
  if (!card) return [];
  return [
    h('button', { type: 'button', id: 'card-pdf', onclick: () => savePdf(() => api.legalAidCardPdf(adviceId), 'legal_aid_card_saved') }, t('legal_aid_card_print')),
    h('button', { type: 'button', id: 'statement-pdf', onclick: () => savePdf(() => api.legalAidStatementPdf(adviceId), 'legal_aid_statement_saved') }, t('legal_aid_statement_print')),
  ];
}

/** Shared with the view Punkt NPP: a saved PDF told and offered, a refusal in the app's dialog. */
export { savePdf };
