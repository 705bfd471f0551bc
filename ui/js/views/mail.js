// Poczta: the monthly bulletin and notices. Drafts are written as simple formatted text with
// merge fields and previewed per recipient; templates keep the bulletin's layout; sending goes
// through the persistent queue with progress, pause, resume, retry and the "uncertain" decision.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount, formatDateTime } from '../format.js';
import { field, group, collect, showErrors, clearErrors, showFailure } from '../form.js';
import { RecordList } from '../recordlist.js';
import { richEditor } from '../richtext.js';
import { promptBox } from '../dialog.js';
import { toast, reportError, confirmDialog, openDialog, splitLayout, emptyState, mayLeave, showPlaceholder } from '../ui.js';

const MERGE_FIELDS = ['nazwa', 'imie', 'nazwisko', 'miasto', 'email'];
const STATUSES = ['queued', 'sent', 'failed', 'uncertain'];

const state = { folder: 'drafts', list: null, panes: null, form: null, dirty: false, openId: null, lists: [] };

function statusText(row) {
  if (row.status === 'draft') return row.is_template ? t('mail_template_badge') : t('mail_status_draft');
  return t(`mail_status_${row.status}`) + (row.total ? ` · ${formatCount(row.sent)}/${formatCount(row.total)}` : '');
}

function renderRow(m) {
  return h('div', { class: 'arow mailrow', dataset: { id: m.id } },
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, m.subject),
      h('span', { class: 'subline' }, m.list_name || t('mail_no_list'))),
    h('span', { class: 'cell' }, statusText(m)),
    h('span', { class: 'cell' }, formatDateTime(m.queued_at || m.updated_at)));
}

async function reload() {
  await state.list.reload();
}

function folderTabs() {
  return h('div', { class: 'tabs', role: 'tablist' }, ['drafts', 'templates', 'sent'].map((f) => h('button', {
    type: 'button', role: 'tab', id: `folder-${f}`, 'aria-selected': String(state.folder === f),
    onclick: async () => { state.folder = f; mountList(); await reload(); },
  }, t(`mail_folder_${f}`))));
}

function mountList() {
  state.list = new RecordList({
    titleKey: 'nav_mail',
    actions: [
      h('button', { type: 'button', class: 'primary', id: 'new-message', onclick: () => showForm(null) }, t('mail_new')),
      h('button', { type: 'button', id: 'mail-settings', onclick: () => showSettings() }, t('mail_settings')),
    ],
    above: [folderTabs()],
    empty: () => emptyState(t(`mail_empty_${state.folder}`), h('button', { type: 'button', class: 'primary', onclick: () => showForm(null) }, t('mail_new'))),
    fetchPage: (offset, limit) => api.listMessages({ folder: state.folder, offset, limit }),
    renderRow,
    onOpen: (m) => open(m.id),
  });
  state.panes.list.replaceChildren(...state.list.pane);
}

const placeholder = () => showPlaceholder(state.panes.detail, 'mail_pick');
const confirmLeaveForm = () => mayLeave(state);

async function open(id) {
  if (!(await confirmLeaveForm())) return;
  try {
    const m = await api.getMessage(id);
    state.openId = id;
    state.form = null;
    state.dirty = false;
    if (m.status === 'draft') await showForm(m);
    else await showCampaign(m);
    state.list.markSelected((row) => row.id === id);
  } catch (err) {
    reportError(err);
  }
}

// ----- the editor ---------------------------------------------------------------------

/** Wraps the selection in the textarea with Markdown marks (what the toolbar buttons do). */
function wrapSelection(area, before, after = '', placeholderText = '') {
  const { selectionStart: s, selectionEnd: e, value } = area;
  const chosen = value.slice(s, e) || placeholderText;
  area.value = value.slice(0, s) + before + chosen + after + value.slice(e);
  area.focus();
  area.setSelectionRange(s + before.length, s + before.length + chosen.length);
  area.dispatchEvent(new Event('input', { bubbles: true }));
}

function linePrefix(area, prefix) {
  const { selectionStart: s, value } = area;
  const lineStart = value.lastIndexOf('\n', s - 1) + 1;
  area.value = value.slice(0, lineStart) + prefix + value.slice(lineStart);
  area.focus();
  area.setSelectionRange(s + prefix.length, s + prefix.length);
  area.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Whether the body is edited as Markdown (the toggle) rather than as formatted text. */
let markdownMode = localStorage.getItem('kartoteka.mail.markdown') === '1';

/** The toolbar acts on the formatted editor, or on the Markdown when that is shown. */
function toolbar(area, editor) {
  // mousedown would move the focus (and the selection) out of the editor before the click.
  const btn = (label, title, fn) => h('button', { type: 'button', class: 'small', title, onmousedown: (e) => e.preventDefault(), onclick: fn }, label);
  const insertField = h('select', { 'aria-label': t('mail_insert_field'), onchange: (e) => {
    if (!e.target.value) return;
    if (markdownMode) wrapSelection(area, `{${e.target.value}}`, '', '');
    else editor.commands.insertText(`{${e.target.value}}`);
    e.target.value = '';
  } }, h('option', { value: '' }, t('mail_insert_field')), MERGE_FIELDS.map((f) => h('option', { value: f }, `{${f}}`)));
  return h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t('mail_format') },
    btn(t('mail_tb_heading'), t('mail_tb_heading'), () => (markdownMode ? linePrefix(area, '## ') : editor.commands.heading())),
    btn(t('mail_tb_bold'), t('mail_tb_bold'), () => (markdownMode ? wrapSelection(area, '**', '**', t('mail_tb_bold_text')) : editor.commands.bold())),
    btn(t('mail_tb_link'), t('mail_tb_link'), async () => {
      const url = await promptBox(t('mail_tb_link_prompt'), t('mail_tb_link_default'));
      if (url && markdownMode) wrapSelection(area, '[', `](${url})`, t('mail_tb_link_text'));
      else if (url && !editor.commands.link(url, t('mail_tb_link_text'))) toast(t('mail_link_invalid'), true);
    }),
    btn(t('mail_tb_list'), t('mail_tb_list'), () => (markdownMode ? linePrefix(area, '- ') : editor.commands.list())),
    insertField);
}

function listOptions() {
  return [{ value: '', text: t('mail_choose_list') }, ...state.lists.map((l) => ({
    value: String(l.id), text: `${l.name} (${t('mail_recipients_n', { n: formatCount(l.count.recipients), count: l.count.recipients })})`,
  }))];
}

async function showForm(m) {
  if (!(await confirmLeaveForm())) return;
  state.lists = await api.mailingLists();
  const area = h('textarea', { name: 'body', id: 'mail-body', rows: 16, value: m?.body || '', 'aria-describedby': 'mail-body-hint' });
  // The body is edited as it will look; the Markdown underneath (what is saved) is one toggle away.
  const editor = richEditor(area, { labelledBy: 'mail-body-label', describedBy: 'mail-body-hint' });
  const modeToggle = h('button', { type: 'button', class: 'small', id: 'mail-markdown-toggle', 'aria-pressed': String(markdownMode), title: t('mail_markdown_toggle_hint') }, t('mail_markdown_toggle'));
  const setMode = (md, focus) => {
    markdownMode = md;
    localStorage.setItem('kartoteka.mail.markdown', md ? '1' : '0');
    modeToggle.setAttribute('aria-pressed', String(md));
    if (!md) editor.commands.render();
    area.hidden = !md;
    editor.el.hidden = md;
    if (focus) (md ? area : editor.el).focus();
  };
  modeToggle.addEventListener('click', () => setMode(!markdownMode, true));
  setMode(markdownMode, false);
  const bodyField = h('div', { class: 'field wide', dataset: { field: 'body' } },
    h('label', { for: 'mail-body', id: 'mail-body-label' }, t('mail_body')),
    h('div', { class: 'editor-bar' }, toolbar(area, editor), modeToggle),
    editor.el,
    area,
    h('p', { class: 'field-error', hidden: true }),
    h('p', { class: 'field-hint', id: 'mail-body-hint' }, t('mail_body_hint'), ' ', MERGE_FIELDS.map((f) => `{${f}}`).join(', ')));
  const listField = field({ name: 'list_id', labelKey: 'mail_list', kind: 'select', value: m?.list_id ? String(m.list_id) : '', options: listOptions() });
  const preview = h('section', { class: 'mail-preview', id: 'mail-preview', 'aria-live': 'polite' });
  const attachments = h('ul', { class: 'attachments', id: 'attachments' }, (m?.attachments || []).map((a) => h('li', {},
    h('span', {}, `${a.file_name} (${Math.ceil(a.size / 1024)} kB)`),
    h('button', { type: 'button', class: 'small', onclick: async () => {
      try { await api.deleteAttachment(a.id); await open(m.id); } catch (err) { reportError(err); }
    } }, t('delete')))));
  const form = h('form', { class: 'record-form', id: 'message-form', novalidate: true },
    h('h2', {}, m ? (m.is_template ? t('mail_edit_template') : t('mail_edit')) : t('mail_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('mail_grp',
      field({ name: 'kind', labelKey: 'mail_kind', kind: 'select', value: m?.kind || 'bulletin', options: [{ value: 'bulletin', text: t('mail_kind_bulletin') }, { value: 'notice', text: t('mail_kind_notice') }] }),
      listField,
      field({ name: 'subject', labelKey: 'mail_subject', value: m?.subject || '', wide: true, required: true }),
      bodyField,
      field({ name: 'is_template', labelKey: 'mail_is_template', kind: 'checkbox', value: !!m?.is_template })),
    m ? h('section', { class: 'facts-group' }, h('h3', {}, t('mail_attachments')), attachments,
      h('button', { type: 'button', id: 'add-attachment', onclick: async () => {
        if (state.dirty && !(await saveDraft(false))) return;
        try { if (await api.addAttachment(m.id)) await open(m.id); } catch (err) { reportError(err); }
      } }, t('mail_add_attachment'))) : h('p', { class: 'muted' }, t('mail_attach_after_save')),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-message' }, t('save'), h('kbd', {}, 'Ctrl+S')),
      h('button', { type: 'button', id: 'preview-message', onclick: () => saveDraft(false).then((id) => id && showPreview(id, 0, preview)) }, t('mail_preview')),
      m?.is_template
        ? h('button', { type: 'button', id: 'use-template', onclick: async () => {
          try { const id = await api.copyMessage(m.id); state.folder = 'drafts'; mountList(); await reload(); await open(id); } catch (err) { reportError(err); }
        } }, t('mail_use_template'))
        : h('button', { type: 'button', id: 'send-message', class: 'primary', onclick: () => startSend() }, t('mail_send')),
      h('button', { type: 'button', id: 'test-send', onclick: () => testSend() }, t('mail_test_send')),
      m ? h('button', { type: 'button', onclick: async () => {
        if (!(await confirmDialog(t('mail_delete_confirm'), t('delete')))) return;
        try { await api.deleteMessage(m.id); state.form = null; toast(t('mail_deleted')); await reload(); placeholder(); } catch (err) { reportError(err); }
      } }, t('delete')) : null),
    preview);
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); saveDraft(true); });
  state.form = { el: form, id: m?.id ?? null };
  state.dirty = false;
  state.panes.detail.replaceChildren(form);
  form.querySelector('input[name=subject]').focus();
  if (m) showPreview(m.id, 0, preview);
}

/** Saves the form; resolves with the message id, or null when the core said no. */
async function saveDraft(announce) {
  if (!state.form) return state.openId;
  const form = state.form.el;
  clearErrors(form);
  const v = collect(form);
  const input = { kind: v.kind, is_template: v.is_template, subject: v.subject, body: v.body, list_id: v.list_id ? Number(v.list_id) : null };
  try {
    const id = await api.saveMessage(state.form.id, input);
    const wasNew = state.form.id === null;
    state.form.id = id;
    state.openId = id;
    state.dirty = false;
    if (announce) toast(t('saved'));
    if (wasNew || announce) {
      if (v.is_template && state.folder !== 'templates') { state.folder = 'templates'; mountList(); }
      await reload();
      state.list.markSelected((row) => row.id === id);
    }
    if (wasNew) await open(id);
    return id;
  } catch (err) {
    showFailure(form, err);
    return null;
  }
}

/** Builds the preview from the core's blocks with textContent only. */
function blocksToDom(blocks) {
  const out = [];
  let ul = null;
  for (const b of blocks) {
    const inlines = b.inlines.map((i) => {
      let node = document.createTextNode(i.text);
      if (i.bold) node = h('strong', {}, node);
      if (i.italic) node = h('em', {}, node);
      if (i.link) node = h('span', { class: 'link', title: i.link }, node);
      return node;
    });
    if (b.tag === 'li') {
      if (!ul) { ul = h('ul', {}); out.push(ul); }
      ul.append(h('li', {}, inlines));
      continue;
    }
    ul = null;
    out.push(h(b.tag, {}, inlines));
  }
  return out;
}

async function showPreview(messageId, index, box) {
  try {
    const p = await api.previewMessage(messageId, index);
    const nav = p.total > 0 ? h('div', { class: 'preview-nav' },
      h('button', { type: 'button', class: 'small', disabled: index === 0, 'aria-label': t('mail_prev_recipient'), onclick: () => showPreview(messageId, index - 1, box) }, '◀'),
      h('span', { id: 'preview-recipient' }, t('mail_preview_of', { i: index + 1, n: formatCount(p.total) }), ' — ', p.recipient.name, ` <${p.recipient.address}>`),
      h('button', { type: 'button', class: 'small', disabled: index + 1 >= p.total, 'aria-label': t('mail_next_recipient'), onclick: () => showPreview(messageId, index + 1, box) }, '▶'))
      : h('p', { class: 'muted' }, t('mail_preview_sample'));
    box.replaceChildren(
      h('h3', {}, t('mail_preview')),
      nav,
      h('div', { class: 'mail-sheet' },
        h('p', { class: 'mail-subject' }, h('strong', {}, t('mail_subject'), ': '), p.rendered.subject),
        h('div', { class: 'mail-content', id: 'preview-body' }, blocksToDom(p.rendered.preview)),
        h('hr', {}),
        h('p', { class: 'mail-footer' }, p.rendered.footer)));
  } catch (err) {
    reportError(err);
  }
}

async function testSend() {
  const id = await saveDraft(false);
  if (!id) return;
  const to = await openDialog((close) => h('form', { class: 'dialog-body', onsubmit: (e) => { e.preventDefault(); close(e.target.elements.to.value); } },
    h('h2', {}, t('mail_test_send')),
    h('label', { for: 'test-to' }, t('mail_test_to')),
    h('input', { id: 'test-to', name: 'to', type: 'text', placeholder: t('mail_test_to_hint') }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('mail_send')), h('button', { type: 'button', onclick: () => close(undefined) }, t('cancel')))));
  if (to === undefined) return;
  try { await api.testSend(id, to); toast(t('mail_test_sent')); } catch (err) { reportError(err); }
}

async function startSend() {
  const id = await saveDraft(false);
  if (!id) return;
  const m = await api.getMessage(id);
  if (!m.list_id) { showErrors(state.form.el, [{ field: 'list_id', message: t('mail_need_list') }]); return; }
  const list = (await api.mailingLists()).find((l) => l.id === m.list_id);
  const ok = await openDialog((close) => h('form', { class: 'dialog-body', onsubmit: (e) => { e.preventDefault(); close(true); } },
    h('h2', {}, t('mail_send_confirm_title')),
    h('p', { id: 'send-confirm-count' }, t('mail_send_confirm', { n: formatCount(list.count.recipients), count: list.count.recipients, list: list.name })),
    list.count.left_out.length ? h('div', {}, h('p', {}, t('mail_left_out')), h('ul', {}, list.count.left_out.map((l) => h('li', {}, `${l.label}: ${formatCount(l.count)}`)))) : null,
    // "Anuluj" has the focus: Enter alone never sends a campaign.
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'confirm-send' }, t('mail_send')), h('button', { type: 'button', id: 'cancel-send', autofocus: true, onclick: () => close(false) }, t('cancel')))));
  if (!ok) return;
  state.form = null;
  state.folder = 'sent';
  mountList();
  await reload();
  await showCampaign(await api.getMessage(id), (onProgress) => api.sendMessage(id, onProgress));
}

// ----- a campaign being sent or sent ---------------------------------------------------

async function showCampaign(m, starter) {
  state.openId = m.id;
  const counts = h('p', { class: 'campaign-counts', id: 'campaign-counts', 'aria-live': 'polite' });
  const bar = h('progress', { max: 1, value: 0 });
  const actions = h('div', { class: 'actions' });
  const rowsBox = h('div', { class: 'queue-rows' });
  const sub = h('p', { class: 'record-sub' }, `${m.list_name || ''} · ${t('mail_skipped', { n: formatCount(m.skipped_no_consent) })}`);
  const help = h('p', { class: 'notice', hidden: m.counts.uncertain === 0 }, t('mail_uncertain_help'));
  let filter = '';
  const showCounts = (c) => {
    const total = c.queued + c.sending + c.sent + c.failed + c.uncertain;
    bar.max = Math.max(total, 1);
    bar.value = c.sent + c.failed + c.uncertain;
    counts.textContent = t('mail_counts', { sent: formatCount(c.sent), failed: formatCount(c.failed), uncertain: formatCount(c.uncertain), queued: formatCount(c.queued + c.sending), total: formatCount(total) });
  };
  const loadRows = async (offset = 0) => {
    const page = await api.queueRows(m.id, filter || null, offset, 100);
    const table = h('table', { class: 'data', id: 'queue-table' },
      h('thead', {}, h('tr', {}, ['mail_col_recipient', 'mail_col_address', 'mail_col_status', 'mail_col_reply'].map((k) => h('th', {}, t(k))))),
      h('tbody', {}, page.items.map((r) => h('tr', { dataset: { status: r.status } },
        h('td', {}, r.recipient_name), h('td', {}, r.address), h('td', {}, t(`mail_q_${r.status}`)), h('td', { class: 'muted' }, r.reply || '')))));
    const more = page.total > offset + page.items.length
      ? h('div', { class: 'actions' },
        offset > 0 ? h('button', { type: 'button', onclick: () => loadRows(Math.max(0, offset - 100)) }, t('mail_prev_page')) : null,
        h('button', { type: 'button', onclick: () => loadRows(offset + 100) }, t('mail_next_page')))
      : null;
    rowsBox.replaceChildren(...[table, more].filter(Boolean));
  };
  const refresh = async () => {
    const fresh = await api.getMessage(m.id);
    const running = await api.sendingStatus();
    showCounts(fresh.counts);
    const c = fresh.counts;
    actions.replaceChildren(...[
      running ? h('button', { type: 'button', id: 'pause-sending', onclick: async () => { await api.pauseSending(); toast(t('mail_pausing')); } }, t('mail_pause')) : null,
      !running && (fresh.status === 'paused' || fresh.status === 'sending') && c.queued > 0
        ? h('button', { type: 'button', class: 'primary', id: 'resume-sending', onclick: () => run((p) => api.resumeSending(m.id, p)) }, t('mail_resume')) : null,
      !running && c.failed > 0 ? h('button', { type: 'button', id: 'retry-failed', onclick: async () => {
        try { await api.retryFailed(m.id); await run((p) => api.resumeSending(m.id, p)); } catch (err) { reportError(err); }
      } }, t('mail_retry_failed', { n: c.failed })) : null,
      !running && c.uncertain > 0 ? h('button', { type: 'button', id: 'uncertain-resend', onclick: async () => {
        if (!(await confirmDialog(t('mail_uncertain_resend_confirm', { n: c.uncertain }), t('mail_uncertain_resend')))) return;
        try { await api.settleUncertain(m.id, true, null); await run((p) => api.resumeSending(m.id, p)); } catch (err) { reportError(err); }
      } }, t('mail_uncertain_resend')) : null,
      !running && c.uncertain > 0 ? h('button', { type: 'button', id: 'uncertain-sent', onclick: async () => {
        try { await api.settleUncertain(m.id, false, null); await refresh(); } catch (err) { reportError(err); }
      } }, t('mail_uncertain_sent')) : null,
      h('button', { type: 'button', onclick: async () => {
        try { const id = await api.copyMessage(m.id); state.folder = 'drafts'; mountList(); await reload(); await open(id); } catch (err) { reportError(err); }
      } }, t('mail_copy'))].filter(Boolean));
    sub.textContent = `${fresh.list_name || ''} · ${t('mail_skipped', { n: formatCount(fresh.skipped_no_consent) })}`;
    help.hidden = c.uncertain === 0;
    await loadRows();
    await reload();
    state.list.markSelected((row) => row.id === m.id);
  };
  const run = async (start) => {
    try {
      actions.replaceChildren(h('button', { type: 'button', id: 'pause-sending', onclick: async () => { await api.pauseSending(); toast(t('mail_pausing')); } }, t('mail_pause')));
      const summary = await start((p) => { if (p.message_id === m.id) showCounts(p.counts); });
      toast(summary.paused ? t('mail_paused') : t('mail_done', { sent: formatCount(summary.sent), failed: formatCount(summary.failed) }));
    } catch (err) {
      reportError(err);
    }
    await refresh();
  };
  const statusFilter = h('select', { 'aria-label': t('mail_col_status'), onchange: (e) => { filter = e.target.value; loadRows(); } },
    h('option', { value: '' }, t('mail_all_statuses')), STATUSES.map((s) => h('option', { value: s }, t(`mail_q_${s}`))));
  state.panes.detail.replaceChildren(h('article', { class: 'record', id: 'campaign' },
    h('header', { class: 'record-head' },
      h('div', {}, h('h2', { class: 'record-title' }, m.subject), sub)),
    bar, counts, actions, help,
    h('section', { class: 'facts-group' }, h('h3', {}, t('mail_recipients')), statusFilter, rowsBox)));
  showCounts(m.counts);
  if (starter) await run(starter);
  else await refresh();
}

// ----- settings -------------------------------------------------------------------------

async function showSettings() {
  if (!(await confirmLeaveForm())) return;
  try {
    const { settings: s, has_password: hasPassword } = await api.mailSettings();
    const form = h('form', { class: 'record-form', id: 'mail-settings-form', novalidate: true },
      h('h2', {}, t('mail_settings')),
      h('div', { class: 'form-banner', role: 'alert', hidden: true }),
      group('mail_grp_server',
        field({ name: 'host', labelKey: 'mail_host', value: s.host, hintKey: 'mail_host_hint' }),
        field({ name: 'port', labelKey: 'mail_port', value: String(s.port) }),
        field({ name: 'security', labelKey: 'mail_security', kind: 'select', value: s.security, hintKey: 'mail_security_hint', options: ['starttls', 'tls', 'none'].map((v) => ({ value: v, text: t(`mail_sec_${v}`) })) }),
        field({ name: 'username', labelKey: 'mail_username', value: s.username }),
        h('div', { class: 'field', dataset: { field: 'password' } },
          h('label', { for: 'mail-password' }, t('mail_password')),
          h('input', { id: 'mail-password', name: 'password', type: 'password', autocomplete: 'off', placeholder: hasPassword ? t('mail_password_kept') : '' }),
          h('p', { class: 'field-error', hidden: true }),
          h('p', { class: 'field-hint' }, t('mail_password_hint'))),
        field({ name: 'rate_per_minute', labelKey: 'mail_rate', value: String(s.rate_per_minute), hintKey: 'mail_rate_hint' })),
      group('mail_grp_sender',
        field({ name: 'from_address', labelKey: 'mail_from_address', value: s.from_address, required: true }),
        field({ name: 'from_name', labelKey: 'mail_from_name', value: s.from_name }),
        field({ name: 'reply_to', labelKey: 'mail_reply_to', value: s.reply_to }),
        field({ name: 'unsubscribe_address', labelKey: 'mail_unsubscribe_address', value: s.unsubscribe_address, hintKey: 'mail_unsubscribe_hint' })),
      h('div', { class: 'actions sticky' },
        h('button', { type: 'submit', class: 'primary', id: 'save-mail-settings' }, t('save'), h('kbd', {}, 'Ctrl+S')),
        hasPassword ? h('button', { type: 'button', onclick: async () => { await api.forgetMailPassword(); toast(t('mail_password_forgotten')); showSettings(); } }, t('mail_forget_password')) : null));
    form.addEventListener('input', () => { state.dirty = true; });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const v = collect(form);
      const port = Number(v.port);
      const rate = Number(v.rate_per_minute);
      const local = [];
      if (!Number.isInteger(port) || port < 1 || port > 65535) local.push({ field: 'port', message: t('mail_port_invalid') });
      if (!Number.isInteger(rate) || rate < 0) local.push({ field: 'rate_per_minute', message: t('mail_rate_invalid') });
      if (local.length) { showErrors(form, local); return; }
      const { password, ...rest } = v;
      try {
        const kept = await api.saveMailSettings({ ...rest, port, rate_per_minute: rate }, password || null);
        state.form = null;
        state.dirty = false;
        toast(kept === 'session_only' ? t('mail_password_session') : t('saved'));
        showSettings();
      } catch (err) {
        showFailure(form, err);
      }
    });
    state.form = { el: form, id: null, settings: true };
    state.dirty = false;
    state.panes.detail.replaceChildren(form);
    form.querySelector('input[name=host]').focus();
  } catch (err) {
    reportError(err);
  }
}

export const mailView = {
  async mount(main, params = {}) {
    // A form left through the window's "Porzuć zmiany" does not come back when the view does.
    state.form = null;
    state.dirty = false;
    state.panes = splitLayout();
    main.replaceChildren(state.panes.root);
    if (params.open) state.folder = 'drafts';
    mountList();
    placeholder();
    await reload();
    if (params.open) await open(params.open);
    if (params.settings) await showSettings();
  },
  newRecord: () => showForm(null),
  save: () => state.form?.el.requestSubmit(),
  cancel: async () => { if (state.form && (await confirmLeaveForm())) { state.form = null; state.dirty = false; placeholder(); } },
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  // Colleagues' changes: the list re-read in place, the record or form beside it untouched.
  live: { kinds: ['mail'], reload: () => state.list?.reloadQuietly(state.openId ? (m) => m.id === state.openId : null) },
};
