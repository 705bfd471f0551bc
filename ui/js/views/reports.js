// Raporty: the annual report PDF for funders and the city council, with the year's figures
// previewed first, the statistics file (counts only) a member bureau sends to its union, and the
// map of social activity (organisations by powiat or voivodeship) with its tables.

import { api } from '../api.js';
import { h, append } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount } from '../format.js';
import { toast, reportError } from '../ui.js';
import { offerSaved } from '../saved.js';
import { go } from '../app.js';
import { unmatchedSection } from './publish.js';

const PREF_INTRO = 'kartoteka.report.introduction';
const PREF_MAP_LEVEL = 'kartoteka.report.mapLevel';

function figuresTable(f, before) {
  const rows = [
    ['report_advice_total', f.advice_total, before.advice_total],
    ['report_new_clients', f.advice_new_clients, before.advice_new_clients],
    ['report_returning', f.advice_returning_clients, before.advice_returning_clients],
    ['report_advice_hours', f.advice_hours, before.advice_hours],
    ['report_events', f.events_total, before.events_total],
    ['report_participants', f.events_participants, before.events_participants],
    ['report_orgs_new', f.organizations_new, before.organizations_new],
  ];
  return h('table', { class: 'data-table', id: 'report-figures' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, String(f.year)), h('th', { scope: 'col' }, String(before.year)))),
    h('tbody', {}, rows.map(([k, a, b]) => h('tr', {}, h('th', { scope: 'row' }, t(k)), h('td', { class: 'num' }, formatCount(a)), h('td', { class: 'num' }, formatCount(b))))));
}

/** The map's SVG document (from the core, no scripts) as a node of this page: parsed as XML, never as HTML. */
function svgNode(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
  // It has none, and the CSP would stop them anyway: nothing active is brought in regardless.
  for (const el of root.querySelectorAll('script, foreignObject')) el.remove();
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) if (a.name.toLowerCase().startsWith('on')) el.removeAttribute(a.name);
  }
  const svg = document.importNode(root, true);
  // Scaled to its box: the drawing keeps its proportions through the viewBox.
  if (!svg.getAttribute('viewBox') && svg.getAttribute('width') && svg.getAttribute('height')) {
    svg.setAttribute('viewBox', `0 0 ${parseFloat(svg.getAttribute('width'))} ${parseFloat(svg.getAttribute('height'))}`);
  }
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('role', 'img');
  svg.setAttribute('focusable', 'false');
  if (!svg.getAttribute('aria-labelledby') && !svg.getAttribute('aria-label')) svg.setAttribute('aria-label', t('map_svg_label'));
  return svg;
}

function countTable(id, heads, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table', id },
      h('thead', {}, h('tr', {}, heads.map((x, i) => h('th', { scope: 'col', class: i === heads.length - 1 ? 'num' : null }, x)))),
      h('tbody', {}, rows.map((cells) => h('tr', {},
        cells.slice(0, -1).map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c || '—') : h('td', {}, c || '—'))),
        h('td', { class: 'num' }, formatCount(cells[cells.length - 1])))))));
}

/** "Mapa aktywności społecznej": the level switch, the map, the counts, the organisations off the map. */
function mapSection() {
  let level = localStorage.getItem(PREF_MAP_LEVEL) === 'voivodeship' ? 'voivodeship' : 'powiat';
  let asked = 0;
  const body = h('div', { id: 'activity-map-body', 'aria-live': 'polite' }, h('p', { class: 'muted' }, '…'));
  const levels = [['powiat', 'map_level_powiat'], ['voivodeship', 'map_level_voivodeship']];
  const buttons = levels.map(([value, key]) => h('button', {
    type: 'button', id: `map-level-${value}`, 'aria-pressed': String(value === level),
    onclick: () => {
      if (level === value) return;
      level = value;
      localStorage.setItem(PREF_MAP_LEVEL, level);
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.id === `map-level-${level}`));
      load();
    },
  }, t(key)));
  const load = async () => {
    const mine = ++asked;
    body.setAttribute('aria-busy', 'true');
    try {
      const m = await api.activityMap(level);
      if (mine !== asked) return;
      const svg = svgNode(m.svg);
      const voivodeships = [...m.voivodeships].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'pl'));
      const powiats = [...m.powiats].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'pl'));
      const gminas = [...m.gminas].sort((a, b) => b.count - a.count || a.gmina.localeCompare(b.gmina, 'pl'));
      body.replaceChildren();
      append(body, [
        h('div', { class: 'activity-map-layout' },
          h('figure', { class: 'activity-map', id: 'activity-map', dataset: { level } },
            svg || h('p', { class: 'muted' }, t('map_none')),
            h('figcaption', { id: 'activity-map-caption' },
              t('map_caption', { matched: formatCount(m.matched), total: formatCount(m.total), count: m.total }))),
          h('div', { class: 'activity-map-tables' },
            countTable('map-voivodeships', [t('map_voivodeship'), t('map_organizations')], voivodeships.map((v) => [v.name, v.count])),
            h('details', { id: 'map-powiats' },
              h('summary', {}, t('map_powiats', { n: formatCount(powiats.length) })),
              countTable('map-powiats-table', [t('map_powiat'), t('map_voivodeship'), t('map_organizations')], powiats.map((p) => [p.name, p.voivodeship, p.count]))),
            h('details', { id: 'map-gminas' },
              h('summary', {}, t('map_gminas', { n: formatCount(gminas.length) })),
              countTable('map-gminas-table', [t('map_gmina'), t('map_powiat'), t('map_organizations')], gminas.map((g) => [g.gmina, g.powiat, g.count]))))),
        unmatchedSection(m.unmatched)]);
    } catch (err) {
      if (mine === asked) {
        body.replaceChildren(h('p', { class: 'muted' }, t('map_none')));
        reportError(err);
      }
    } finally {
      if (mine === asked) body.removeAttribute('aria-busy');
    }
  };
  const section = h('section', { class: 'facts-group activity-map-section', id: 'activity-map-section' },
    h('h2', {}, t('map_title')),
    h('p', { class: 'muted' }, t('map_help')),
    h('div', { class: 'seg', role: 'group', 'aria-label': t('map_level') }, buttons),
    body);
  return { section, load };
}

export const reportsView = {
  async mount(main) {
    const thisYear = new Date().getFullYear();
    const years = [thisYear, thisYear - 1, thisYear - 2, thisYear - 3];
    const year = h('select', { id: 'report-year' }, years.map((y) => h('option', { value: String(y), selected: y === thisYear - 1 }, String(y))));
    const intro = h('textarea', { id: 'report-intro', rows: 5, value: localStorage.getItem(PREF_INTRO) || '' });
    const preview = h('div', { class: 'report-preview', 'aria-live': 'polite' });
    const sectionBoxes = h('fieldset', { class: 'plain-set report-sections' },
      h('legend', { class: 'block-label' }, t('report_sections')),
      ['advice', 'consultations', 'events', 'register', 'library', 'legal_aid'].map((s) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'section', value: s, checked: true }), h('span', {}, t(`report_section_${s}`)))));
    // The office's name and logo come from Ustawienia › Dane biura, the same for every report.
    const officeLine = h('p', { id: 'report-office' });
    const showOffice = async () => {
      const [o, logo] = await Promise.all([api.officeSettings(), api.hasLogo()]);
      officeLine.replaceChildren(
        o.name ? t('report_office_is', { name: o.name }) : t('report_office_none'),
        ' ', logo ? t('report_office_logo_yes') : t('report_office_logo_no'), ' ',
        h('button', { type: 'button', class: 'small', id: 'report-office-edit', onclick: () => go('settings', { section: 'office' }) }, t('report_office_edit')));
    };
    const refresh = async () => {
      try {
        const y = Number(year.value);
        const [f, before] = await Promise.all([api.annualFigures(y), api.annualFigures(y - 1)]);
        preview.replaceChildren(figuresTable(f, before));
      } catch (err) {
        reportError(err);
      }
    };
    const network = h('div', { class: 'report-preview', id: 'network-bureaus', 'aria-live': 'polite' });
    const refreshNetwork = async () => {
      try {
        const bureaus = await api.networkFigures(Number(year.value));
        network.replaceChildren(bureaus.length
          ? h('table', { class: 'data-table' },
            h('thead', {}, h('tr', {}, [t('report_bureau'), t('report_advice_total'), t('report_advice_hours'), t('report_participants')].map((x) => h('th', { scope: 'col' }, x)))),
            h('tbody', {}, bureaus.map((b) => h('tr', {}, h('th', { scope: 'row' }, b.office),
              h('td', { class: 'num' }, formatCount(b.advice_total)), h('td', { class: 'num' }, formatCount(b.advice_hours)), h('td', { class: 'num' }, formatCount(b.events_participants))))))
          : h('p', { class: 'muted' }, t('report_network_none', { year: year.value })));
      } catch (err) {
        reportError(err);
      }
    };
    year.addEventListener('change', () => { refresh(); refreshNetwork(); });
    const remember = () => {
      localStorage.setItem(PREF_INTRO, intro.value);
    };
    const map = mapSection();
    main.replaceChildren(h('div', { class: 'settings reports' },
      h('h1', {}, t('nav_reports')),
      h('section', { class: 'facts-group' },
        h('h2', {}, t('report_annual')),
        h('p', { class: 'muted' }, t('report_annual_help')),
        h('div', { class: 'import-settings' },
          h('label', { class: 'filter' }, t('report_year'), year)),
        officeLine,
        h('label', { for: 'report-intro', class: 'block-label' }, t('report_intro')),
        intro,
        sectionBoxes,
        preview,
        h('div', { class: 'actions' },
          h('button', {
            type: 'button', class: 'primary', id: 'annual-report', onclick: async () => {
              remember();
              try {
                const sections = [...sectionBoxes.querySelectorAll('input:checked')].map((c) => c.value);
                if (!sections.length) { toast(t('report_sections_none'), true); return; }
                const path = await api.annualReport(Number(year.value), { office: '', introduction: intro.value, sections });
                if (path) { toast(t('report_saved', { path })); offerSaved(path); }
              } catch (err) { reportError(err); }
            },
          }, t('report_save_pdf')),
          h('button', {
            type: 'button', id: 'export-stats', onclick: async () => {
              try {
                remember();
                const path = await api.exportStats(Number(year.value), '');
                if (path) toast(t('report_saved', { path }));
              } catch (err) { reportError(err); }
            },
          }, t('report_save_stats')),
          h('button', {
            type: 'button', id: 'annual-xlsx', onclick: async () => {
              try {
                const path = await api.annualXlsx(Number(year.value));
                if (path) toast(t('report_saved', { path }));
              } catch (err) { reportError(err); }
            },
          }, t('report_save_xlsx'))),
        h('p', { class: 'field-hint' }, t('report_stats_help'))),
      h('section', { class: 'facts-group' },
        h('h2', {}, t('report_network')),
        h('p', { class: 'muted' }, t('report_network_help')),
        network,
        h('div', { class: 'actions' },
          h('button', {
            type: 'button', id: 'import-stats', onclick: async () => {
              try {
                const done = await api.importStats();
                if (done.length) toast(t('report_network_imported', { n: done.length }));
                await refreshNetwork();
              } catch (err) { reportError(err); }
            },
          }, t('report_network_import')),
          h('button', {
            type: 'button', id: 'network-report', onclick: async () => {
              remember();
              try {
                const path = await api.networkReport(Number(year.value), '');
                if (path) { toast(t('report_saved', { path })); offerSaved(path); }
              } catch (err) { reportError(err); }
            },
          }, t('report_network_pdf')))),
      map.section));
    await refresh();
    await refreshNetwork();
    await showOffice().catch(reportError);
    await map.load();
  },
};
