// Współpraca › "Zespoły i inne formy": the non-financial cooperation of art. 5 ust. 2. Joint
// teams and working groups at work in the chosen year (their members from the register or
// another party typed, one chair, the meetings with attendance and minutes), and, behind a
// switch, the year's log of the other forms (patronages, information published, premises lent,
// other), filtered by form. Wired into views/cooperation.js through teamsTab(ctx): the view
// keeps the split panes, the year, the unsaved-changes guard and Ctrl+N/S/Esc; this module
// builds the list, the records and the forms and saves them.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount, formatDate, formatPeriod, todayPl } from '../format.js';
import { field, group, collect, clearErrors, options, showFailure } from '../form.js';
import { toast, reportError, confirmDialog, emptyState, attachSuggestions, mayLeave } from '../ui.js';

const TEAM_KINDS = [['joint_team', 'coop_team_kind_joint_team'], ['working_group', 'coop_team_kind_working_group']];
const ROLES = [['member', 'coop_role_member'], ['chair', 'coop_role_chair'], ['secretary', 'coop_role_secretary']];
const ACTIVITY_KINDS = [['patronage', 'coop_activity_kind_patronage'], ['information', 'coop_activity_kind_information'],
  ['premises', 'coop_activity_kind_premises'], ['other', 'coop_activity_kind_other']];
const KINDS = ['team', 'meeting', 'activity'];

const label = (list, code) => t((list.find(([c]) => c === code) || list[0])[1]);
const pick = (list) => options(list.map(([value, key]) => ({ value, text: t(key) })), false);
const idOrNull = (v) => (v ? Number(v) : null);

let uid = 0;

/**
 * The tab's part of the cooperation view. `ctx` is the view's: {state, mountForm(form, kind,
 * id, extra), formActions(saveId, ...more), facts(pairs), reload(), remount(), placeholder(),
 * markOpen()}.
 */
export function teamsTab(ctx) {
  const { state } = ctx;
  // Which list the tab shows: the teams or the log of other forms, and the log's form filter.
  const view = { mode: 'teams', kind: '' };

  // ----- the list ------------------------------------------------------------------------------

  function modeSwitch() {
    return h('div', { class: 'seg coop-teams-switch', role: 'group', 'aria-label': t('coop_teams_switch') },
      [['teams', 'coop_teams_mode_teams'], ['log', 'coop_teams_mode_log']].map(([mode, key]) => h('button', {
        type: 'button', id: `coop-teams-mode-${mode}`, 'aria-pressed': String(view.mode === mode),
        onclick: async () => {
          if (view.mode === mode) return;
          view.mode = mode;
          // A record of the other list would stay beside rows it is not among; a form stays.
          if (!state.form) ctx.placeholder();
          await ctx.remount();
          state.panes.list.querySelector(`#coop-teams-mode-${mode}`)?.focus();
        },
      }, t(key))));
  }

  function kindFilter() {
    return h('div', { class: 'filter' },
      h('label', { for: 'coop-activity-kind' }, t('coop_activity_kind_filter')),
      h('select', {
        id: 'coop-activity-kind',
        onchange: async (e) => { view.kind = e.target.value; await ctx.reload(); },
      }, h('option', { value: '', selected: view.kind === '' }, t('coop_activity_kind_all')),
      ACTIVITY_KINDS.map(([code, key]) => h('option', { value: code, selected: view.kind === code }, t(key)))));
  }

  function teamRow(x) {
    const kind = label(TEAM_KINDS, x.kind);
    return h('div', { class: 'crow team', dataset: { id: x.id } },
      h('span', { class: 'cell name' },
        h('span', { class: 'primary-text', title: x.name }, x.name),
        h('span', { class: 'subline' }, h('span', { class: 'what', title: kind }, kind))),
      h('span', { class: 'cell state' },
        h('span', { class: 'date' }, t('coop_members_n', { n: formatCount(x.member_count), count: x.member_count })),
        h('span', { class: 'when' }, t('coop_meetings_n', { n: formatCount(x.meeting_count), count: x.meeting_count }))));
  }

  function activityRow(x) {
    const org = x.organization_name || t('coop_activity_no_org');
    return h('div', { class: 'crow activity', dataset: { id: x.id, kind: x.kind } },
      h('span', { class: 'cell name' },
        h('span', { class: 'primary-text', title: x.title }, x.title),
        h('span', { class: 'subline' }, h('span', { class: 'what', title: org }, org))),
      h('span', { class: 'cell state' },
        h('span', { class: 'date' }, formatDate(x.held_on)),
        h('span', { class: 'when', title: label(ACTIVITY_KINDS, x.kind) }, label(ACTIVITY_KINDS, x.kind))));
  }

  function newRecord() {
    return view.mode === 'log' ? showActivityForm(null) : showTeamForm(null);
  }

  function newButton() {
    return view.mode === 'log'
      ? h('button', { type: 'button', class: 'primary', id: 'coop-new-activity', onclick: () => showActivityForm(null) }, t('coop_activity_new'))
      : h('button', { type: 'button', class: 'primary', id: 'coop-new-team', onclick: () => showTeamForm(null) }, t('coop_team_new'));
  }

  /** What the view's list pane needs: the parts above the rows, the pages, a row, the empty state. */
  function list(tabsBar, yearFilter) {
    if (view.mode === 'log') yearFilter.append(kindFilter());
    const head = view.mode === 'log'
      ? h('div', { class: 'listhead crow activity' },
        h('span', { class: 'colhead static' }, t('coop_col_activity')),
        h('span', { class: 'colhead static' }, t('coop_col_activity_when')))
      : h('div', { class: 'listhead crow team' },
        h('span', { class: 'colhead static' }, t('coop_col_team')),
        h('span', { class: 'colhead static' }, t('coop_col_team_size')));
    if (view.mode === 'log') {
      return {
        above: [tabsBar, modeSwitch(), yearFilter, head],
        fetchPage: (offset, limit) => api.listCooperationActivities({ year: state.year, kind: view.kind || null, offset, limit }),
        renderRow: activityRow,
        empty: () => emptyState(t(view.kind ? 'coop_activities_empty_kind' : 'coop_activities_empty', { year: state.year }),
          h('button', { type: 'button', class: 'primary', onclick: () => showActivityForm(null) }, t('coop_activity_new'))),
        rowHeight: 56,
      };
    }
    return {
      above: [tabsBar, modeSwitch(), yearFilter, head],
      fetchPage: (offset, limit) => api.listTeams({ year: state.year, offset, limit }),
      renderRow: teamRow,
      empty: () => emptyState(t('coop_teams_empty', { year: state.year }),
        h('button', { type: 'button', class: 'primary', onclick: () => showTeamForm(null) }, t('coop_team_new'))),
      rowHeight: 56,
    };
  }

  function open(x) {
    return view.mode === 'log' ? showActivityForm(x) : openTeam(x.id);
  }

  /** Marks the open team (or the team of the open meeting or form) or log entry in the list. */
  function markOpen() {
    if (view.mode === 'log') {
      if (state.openKind === 'activity' && state.openId !== null) state.list.markSelected((x) => x.id === state.openId);
      return;
    }
    const id = state.openKind === 'team' ? state.openId : state.form?.team?.id;
    if (id) state.list.markSelected((x) => x.id === id);
  }

  // ----- a team's record ---------------------------------------------------------------------

  async function openTeam(id, { more = false } = {}) {
    if (!more && !(await mayLeave(state))) return;
    try {
      const [team, meetings] = await Promise.all([api.getTeam(id), api.listMeetings(id)]);
      state.form = null;
      state.dirty = false;
      state.openKind = 'team';
      state.openId = id;
      if (view.mode !== 'teams') {
        view.mode = 'teams';
        await ctx.remount();
      }
      state.panes.detail.replaceChildren(h('article', { class: 'record', id: 'team-record', dataset: { id: team.id } },
        h('header', { class: 'record-head' },
          h('div', {},
            h('h2', { class: 'record-title' }, team.name),
            h('p', { class: 'record-sub' }, label(TEAM_KINDS, team.kind))),
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'primary', id: 'coop-add-meeting', onclick: () => showMeetingForm(null, team) }, t('coop_meeting_add')),
            h('button', { type: 'button', id: 'edit-record', onclick: () => showTeamForm(team) }, t('edit')),
            h('button', { type: 'button', class: 'danger', id: 'coop-team-delete', onclick: () => deleteTeam(team) }, t('delete')))),
        ctx.facts([
          ['coop_f_team_appointed_by', team.appointed_by],
          ['coop_f_team_period', formatPeriod(team.starts_on, team.ends_on)],
        ]),
        team.purpose ? h('section', { class: 'facts-group' }, h('h3', {}, t('coop_f_team_purpose')), h('p', { class: 'prewrap' }, team.purpose)) : null,
        h('section', { class: 'facts-group' }, h('h3', {}, t('coop_members_title', { n: formatCount(team.members.length) })), membersTable(team)),
        h('section', { class: 'facts-group' }, h('h3', {}, t('coop_meetings_title', { n: formatCount(meetings.length) })), meetingsTable(team, meetings))));
      state.panes.detail.scrollTop = 0;
      ctx.markOpen();
    } catch (err) {
      reportError(err);
    }
  }

  function membersTable(team) {
    if (!team.members.length) return h('p', { class: 'muted', id: 'coop-members-none' }, t('coop_members_none'));
    return h('table', { class: 'coop-table coop-members-table', id: 'coop-members' },
      h('thead', {}, h('tr', {}, h('th', {}, t('coop_col_member')), h('th', {}, t('coop_member_representative')), h('th', {}, t('coop_member_role')))),
      h('tbody', {}, team.members.map((m) => h('tr', { dataset: { id: m.id, role: m.role, org: m.organization_id || '' } },
        h('td', { class: 'who' },
          h('span', { class: 'member-name' }, m.name),
          m.organization_id ? h('span', { class: 'subline muted' }, t('coop_member_from_register')) : null),
        h('td', { class: 'rep' }, m.representative || '—'),
        h('td', { class: 'role' }, h('span', { class: `badge role-${m.role}` }, label(ROLES, m.role)))))));
  }

  function meetingsTable(team, meetings) {
    if (!meetings.length) return h('p', { class: 'muted', id: 'coop-meetings-none' }, t('coop_meetings_none'));
    return h('table', { class: 'coop-table coop-meetings', id: 'coop-meetings' },
      h('thead', {}, h('tr', {},
        h('th', {}, t('coop_col_meeting_when')),
        h('th', { class: 'num' }, t('coop_col_meeting_attendance')),
        h('th', {}, t('coop_col_meeting_minutes')))),
      h('tbody', {}, meetings.map((m) => h('tr', { dataset: { id: m.id } },
        h('td', { class: 'when' },
          h('span', { class: 'held-on' }, formatDate(m.held_on)),
          m.place ? h('span', { class: 'subline muted place' }, m.place) : null),
        h('td', { class: 'num attendance' }, m.attendance === null || m.attendance === undefined ? '—' : formatCount(m.attendance)),
        h('td', { class: 'minutes' },
          m.minutes ? h('span', { class: 'prewrap' }, m.minutes) : h('span', { class: 'muted' }, '—'),
          h('span', { class: 'actions meeting-actions' },
            h('button', { type: 'button', class: 'small meeting-edit', 'aria-label': t('coop_meeting_edit_of', { date: formatDate(m.held_on) }), onclick: () => showMeetingForm(m, team) }, t('edit')),
            h('button', { type: 'button', class: 'small danger meeting-delete', 'aria-label': t('coop_meeting_delete_of', { date: formatDate(m.held_on) }), onclick: () => deleteMeeting(m, team) }, t('delete'))))))));
  }

  async function deleteTeam(team) {
    if (!(await confirmDialog(t('coop_team_delete_confirm', { name: team.name }), t('delete')))) return;
    try {
      await api.deleteTeam(team.id);
      state.form = null;
      state.dirty = false;
      toast(t('coop_team_deleted'));
      await ctx.reload();
      ctx.placeholder();
    } catch (err) {
      reportError(err);
    }
  }

  // ----- the team's form with its members ------------------------------------------------------

  /** One member: an organisation found in the register by a few letters, or another party typed. */
  function memberRow(m) {
    const fromRegister = !!m?.organization_id;
    const org = h('input', { type: 'hidden', class: 'member-org', value: fromRegister ? String(m.organization_id) : '' });
    const linked = h('span', { class: 'member-linked muted', hidden: !fromRegister }, t('coop_member_from_register'));
    const who = h('input', { type: 'text', class: 'member-name', value: m?.name || '', autocomplete: 'off', placeholder: t('coop_member_find') });
    const suggestions = attachSuggestions(who, {
      kind: 'organization',
      onType: () => { org.value = ''; linked.hidden = true; },
      onChoose: (hit) => { org.value = String(hit.id); who.value = hit.name; linked.hidden = false; state.dirty = true; },
    });
    const representative = h('input', { type: 'text', class: 'member-representative', value: m?.representative || '', autocomplete: 'off' });
    const role = h('select', { class: 'member-role' }, pick(ROLES).map((o) => h('option', { value: o.value, selected: o.value === (m?.role || 'member') }, o.text)));
    const cell = (part, labelKey, ...control) => h('div', { class: `field ${part}`, dataset: { part } },
      h('label', {}, t(labelKey)), ...control, h('p', { class: 'field-error', hidden: true }));
    const row = h('li', { class: 'coop-member' },
      cell('name', 'coop_member_who', h('div', { class: 'org-pick-wrap' }, who, suggestions), org, linked),
      cell('representative', 'coop_member_representative', representative),
      cell('role', 'coop_member_role', role),
      h('button', {
        type: 'button', class: 'small member-remove',
        onclick: () => {
          const members = row.parentElement;
          row.remove();
          numberMembers(members);
          state.dirty = true;
          (members.querySelector('.member-name') || members.parentElement.querySelector('#coop-member-add'))?.focus();
        },
      }, t('coop_member_remove')));
    return row;
  }

  /** Ties each member's labels to its inputs and names its fields members.<i>.<part> for the core's errors. */
  function numberMembers(members) {
    [...members.children].forEach((row, i) => {
      for (const wrap of row.querySelectorAll('[data-part]')) {
        const part = wrap.dataset.part;
        const input = wrap.querySelector('input:not([type=hidden]), select');
        input.id = `coop-member-${i}-${part}`;
        wrap.querySelector('label').setAttribute('for', input.id);
        const err = wrap.querySelector('.field-error');
        err.id = `${input.id}-err`;
        input.setAttribute('aria-describedby', err.id);
        wrap.dataset.field = `members.${i}.${part}`;
      }
      row.querySelector('.member-remove').setAttribute('aria-label', t('coop_member_remove_n', { n: i + 1 }));
    });
  }

  async function showTeamForm(team) {
    if (!(await mayLeave(state))) return;
    const members = h('ol', { class: 'coop-members', id: 'coop-members-edit' });
    for (const m of team?.members || []) members.append(memberRow(m));
    if (!team) members.append(memberRow(null));
    numberMembers(members);
    const add = () => {
      members.append(memberRow(null));
      numberMembers(members);
      state.dirty = true;
      members.lastElementChild.querySelector('.member-name').focus();
    };
    const form = h('form', { class: 'record-form', id: 'team-form', novalidate: true },
      h('h2', {}, team ? t('coop_team_edit') : t('coop_team_new')),
      h('div', { class: 'form-banner', role: 'alert', hidden: true }),
      group('coop_grp_team',
        field({ name: 'name', labelKey: 'coop_f_team_name', value: team?.name || '', required: true, wide: true }),
        field({ name: 'kind', labelKey: 'coop_f_team_kind', kind: 'select', value: team?.kind || 'working_group', options: pick(TEAM_KINDS), required: true }),
        field({ name: 'appointed_by', labelKey: 'coop_f_team_appointed_by', value: team?.appointed_by || '', hintKey: 'coop_team_appointed_hint' }),
        field({ name: 'starts_on', labelKey: 'coop_f_team_starts_on', value: team ? formatDate(team.starts_on) : todayPl(), hintKey: 'hint_date', required: true }),
        field({ name: 'ends_on', labelKey: 'coop_f_team_ends_on', value: team?.ends_on ? formatDate(team.ends_on) : '', hintKey: 'coop_team_ends_hint' }),
        field({ name: 'purpose', labelKey: 'coop_f_team_purpose', kind: 'textarea', value: team?.purpose || '', wide: true })),
      h('fieldset', { class: 'group', dataset: { field: 'members' } },
        h('legend', {}, t('coop_grp_members')),
        h('p', { class: 'muted coop-members-hint' }, t('coop_members_hint')),
        members,
        h('p', { class: 'field-error', hidden: true }),
        h('button', { type: 'button', class: 'small', id: 'coop-member-add', onclick: add }, t('coop_member_add'))),
      ctx.formActions('save-team'));
    ctx.mountForm(form, 'team', team?.id ?? null, { team });
    state.openKind = 'team-form';
    state.openId = team?.id ?? null;
    ctx.markOpen();
    form.querySelector('input[name=name]').focus();
  }

  function teamInput(form) {
    const v = collect(form);
    const members = [...form.querySelectorAll('#coop-members-edit > li')].map((row) => ({
      organization_id: idOrNull(row.querySelector('.member-org').value),
      name: row.querySelector('.member-name').value,
      representative: row.querySelector('.member-representative').value,
      role: row.querySelector('.member-role').value,
    }));
    return { name: v.name, kind: v.kind, appointed_by: v.appointed_by, purpose: v.purpose, starts_on: v.starts_on, ends_on: v.ends_on, members };
  }

  // ----- meetings ----------------------------------------------------------------------------

  async function showMeetingForm(m, team) {
    if (!(await mayLeave(state))) return;
    const form = h('form', { class: 'record-form', id: 'meeting-form', novalidate: true },
      h('h2', {}, m ? t('coop_meeting_edit') : t('coop_meeting_add')),
      h('p', { class: 'record-sub', id: 'meeting-team' }, t('coop_meeting_of', { name: team.name })),
      h('div', { class: 'form-banner', role: 'alert', hidden: true }),
      group('coop_grp_meeting',
        field({ name: 'held_on', labelKey: 'coop_f_meeting_held_on', value: m ? formatDate(m.held_on) : todayPl(), hintKey: 'hint_date', required: true }),
        field({ name: 'attendance', labelKey: 'coop_f_meeting_attendance', value: m?.attendance === null || m?.attendance === undefined ? '' : String(m.attendance), hintKey: 'coop_meeting_attendance_hint' }),
        field({ name: 'place', labelKey: 'coop_f_meeting_place', value: m?.place || '', wide: true }),
        field({ name: 'minutes', labelKey: 'coop_f_meeting_minutes', kind: 'textarea', value: m?.minutes || '', hintKey: 'coop_meeting_minutes_hint', wide: true })),
      ctx.formActions('save-meeting',
        m ? h('button', { type: 'button', class: 'danger', id: 'coop-meeting-delete', onclick: () => deleteMeeting(m, team) }, t('delete')) : null));
    ctx.mountForm(form, 'meeting', m?.id ?? null, { team });
    state.openKind = 'meeting';
    ctx.markOpen();
    form.querySelector('input[name=held_on]').focus();
  }

  async function deleteMeeting(m, team) {
    if (!(await confirmDialog(t('coop_meeting_delete_confirm', { date: formatDate(m.held_on) }), t('delete')))) return;
    try {
      await api.deleteMeeting(m.id);
      state.form = null;
      state.dirty = false;
      toast(t('coop_meeting_deleted'));
      await ctx.reload();
      await openTeam(team.id, { more: true });
    } catch (err) {
      reportError(err);
    }
  }

  // ----- the log of other forms ----------------------------------------------------------------

  /** An organisation of the register, optional: found by a few letters, emptied by typing. */
  function orgPicker(id, text) {
    const inputId = `coop-activity-org-${++uid}`;
    const input = h('input', { type: 'text', id: inputId, class: 'activity-org', value: text || '', autocomplete: 'off', placeholder: t('coop_member_find'), 'aria-describedby': `${inputId}-hint ${inputId}-err` });
    const hidden = h('input', { type: 'hidden', name: 'organization_id', value: id ? String(id) : '' });
    const suggestions = attachSuggestions(input, {
      kind: 'organization',
      onType: () => { hidden.value = ''; },
      onChoose: (hit) => { hidden.value = String(hit.id); input.value = hit.name; state.dirty = true; },
    });
    return h('div', { class: 'field wide', dataset: { field: 'organization_id' } },
      h('label', { for: inputId }, t('coop_f_activity_org')),
      h('div', { class: 'org-pick-wrap' }, input, suggestions),
      hidden,
      h('p', { class: 'field-error', id: `${inputId}-err`, hidden: true }),
      h('p', { class: 'field-hint', id: `${inputId}-hint` }, t('coop_activity_org_hint')));
  }

  async function showActivityForm(a) {
    if (!(await mayLeave(state))) return;
    const form = h('form', { class: 'record-form', id: 'activity-form', novalidate: true },
      h('h2', {}, a ? t('coop_activity_edit') : t('coop_activity_new')),
      h('div', { class: 'form-banner', role: 'alert', hidden: true }),
      group('coop_grp_activity',
        field({ name: 'kind', labelKey: 'coop_f_activity_kind', kind: 'select', value: a?.kind || view.kind || 'patronage', options: pick(ACTIVITY_KINDS), required: true }),
        field({ name: 'held_on', labelKey: 'coop_f_activity_held_on', value: a ? formatDate(a.held_on) : todayPl(), hintKey: 'hint_date', required: true }),
        orgPicker(a?.organization_id, a?.organization_name),
        field({ name: 'title', labelKey: 'coop_f_activity_title', value: a?.title || '', hintKey: 'coop_activity_title_hint', required: true, wide: true }),
        field({ name: 'notes', labelKey: 'coop_f_activity_notes', kind: 'textarea', value: a?.notes || '', wide: true })),
      ctx.formActions('save-activity',
        a ? h('button', { type: 'button', class: 'danger', id: 'coop-activity-delete', onclick: () => deleteActivity(a) }, t('delete')) : null));
    ctx.mountForm(form, 'activity', a?.id ?? null, { activity: a });
    state.openKind = 'activity';
    state.openId = a?.id ?? null;
    ctx.markOpen();
    form.querySelector('select[name=kind]').focus();
  }

  async function deleteActivity(a) {
    if (!(await confirmDialog(t('coop_activity_delete_confirm', { title: a.title }), t('delete')))) return;
    try {
      await api.deleteCooperationActivity(a.id);
      state.form = null;
      state.dirty = false;
      toast(t('coop_activity_deleted'));
      await ctx.reload();
      ctx.placeholder();
    } catch (err) {
      reportError(err);
    }
  }

  // ----- saving ------------------------------------------------------------------------------

  async function save(f) {
    const form = f.el;
    clearErrors(form);
    try {
      if (f.kind === 'team') {
        const id = await api.saveTeam(f.id, teamInput(form));
        state.form = null;
        state.dirty = false;
        toast(t('coop_team_saved'));
        await ctx.reload();
        await openTeam(id, { more: true });
        return id;
      }
      if (f.kind === 'meeting') {
        const v = collect(form);
        const id = await api.saveMeeting(f.id, { team_id: f.team.id, held_on: v.held_on, place: v.place, attendance: v.attendance, minutes: v.minutes });
        state.form = null;
        state.dirty = false;
        toast(t('coop_meeting_saved'));
        await ctx.reload();
        await openTeam(f.team.id, { more: true });
        return id;
      }
      const v = collect(form);
      const id = await api.saveCooperationActivity(f.id, {
        kind: v.kind, held_on: v.held_on, organization_id: idOrNull(v.organization_id), title: v.title, notes: v.notes,
      });
      state.form = null;
      state.dirty = false;
      toast(t('coop_activity_saved'));
      if (view.mode !== 'log') {
        view.mode = 'log';
        await ctx.remount();
      } else {
        await ctx.reload();
      }
      ctx.placeholder();
      state.openKind = 'activity';
      state.openId = id;
      ctx.markOpen();
      return id;
    } catch (err) {
      showFailure(form, err);
      return null;
    }
  }

  /** After the view's cancel left the form: back to the team it belongs to, else the placeholder. */
  async function cancelled(f) {
    if ((f.kind === 'meeting' || f.kind === 'team') && f.team) await openTeam(f.team.id, { more: true });
    else ctx.placeholder();
  }

  /** A colleague's change while nothing is being typed: the open team read again. */
  async function reopen() {
    if (state.openKind === 'team' && state.openId) await openTeam(state.openId, { more: true });
  }

  return {
    owns: (kind) => KINDS.includes(kind),
    newButton,
    newRecord,
    list,
    open,
    openTeam,
    markOpen,
    save,
    cancelled,
    reopen,
  };
}
