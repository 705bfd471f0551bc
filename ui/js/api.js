// The only module that touches window.__TAURI__: every call to the Rust core goes through here.
// Errors arrive as {code, message, field?, fields} with a Polish message.

export class ApiError extends Error {
  constructor(raw) {
    const e = typeof raw === 'string' ? { code: 'unknown', message: raw } : (raw || {});
    super(e.message || String(raw));
    this.code = e.code || 'unknown';
    this.field = e.field || null;
    this.fields = e.fields || [];
  }
}

async function call(command, args = {}) {
  try {
    return await window.__TAURI__.core.invoke(command, args);
  } catch (raw) {
    throw new ApiError(raw);
  }
}

export const api = {
  appInfo: () => call('app_info'),
  uiReady: () => call('ui_ready'),
  /** Null normally; {code, message, database_path, folder, log_dir, backups} when the database could not be opened. */
  startupProblem: () => call('startup_problem'),
  startupPickBackup: () => call('startup_pick_backup'),
  startupRestore: (path) => call('startup_restore', { path }),
  startupOpenFolder: () => call('startup_open_folder'),
  /** The start-up screen of a server that refused the kept password (or had none): try this one, then restart. */
  startupServerPassword: (password) => call('startup_server_password', { password }),
  startupUseFile: () => call('startup_use_file'),
  /** The window's close button: the core asks over this channel while a form has unsaved changes. */
  watchClose: (onRequest) => {
    const channel = new window.__TAURI__.core.Channel();
    channel.onmessage = onRequest;
    return call('watch_close', { on_request: channel });
  },
  /** Records changed by anyone (colleagues' PCs, a CLI import): {kinds: [...], anything} a batch at a time. */
  watchChanges: (onChange) => {
    const channel = new window.__TAURI__.core.Channel();
    channel.onmessage = onChange;
    return call('watch_changes', { on_change: channel });
  },
  setUnsaved: (unsaved) => call('set_unsaved', { unsaved }),
  closeWindow: () => call('close_window'),
  referenceData: () => call('reference_data'),
  filterOptions: () => call('filter_options'),
  saveArea: (code, name, active) => call('save_area', { code, name, active }),
  loadDemoData: (organizations, people) => call('load_demo_data', { organizations, people }),
  // Ustawienia → "Baza na serwerze"
  serverStatus: () => call('server_status'),
  serverCheck: (settings, password) => call('server_check', { settings, password }),
  /** Moves the open file to the server; onProgress gets {done, total}; resolves with {report, kept}. */
  serverTransfer: (settings, password, replace, onProgress) => {
    const channel = new window.__TAURI__.core.Channel();
    channel.onmessage = onProgress;
    return call('server_transfer', { settings, password, replace, on_progress: channel });
  },
  serverSwitch: () => call('server_switch'),
  serverConnect: (settings, password) => call('server_connect', { settings, password }),
  serverUseFile: () => call('server_use_file'),
  // Użytkownicy (staff logins on a server)
  currentLogin: () => call('current_login'),
  listLogins: () => call('list_logins'),
  createLogin: (input) => call('create_login', { input }),
  setLoginRole: (login, role) => call('set_login_role', { login, role }),
  setLoginEnabled: (login, enabled) => call('set_login_enabled', { login, enabled }),
  resetLoginPassword: (login, password) => call('reset_login_password', { login, password }),
  listOrganizations: (query) => call('list_organizations', { query }),
  getOrganization: (id) => call('get_organization', { id }),
  saveOrganization: (id, input, acceptDuplicates = false) =>
    call('save_organization', { id, input, accept_duplicates: acceptDuplicates }),
  archiveOrganization: (id, archived) => call('archive_organization', { id, archived }),
  listPeople: (query) => call('list_people', { query }),
  getPerson: (id) => call('get_person', { id }),
  savePerson: (id, input, acceptDuplicates = false) =>
    call('save_person', { id, input, accept_duplicates: acceptDuplicates }),
  archivePerson: (id, archived) => call('archive_person', { id, archived }),
  grantConsent: (personId, input) => call('grant_consent', { person_id: personId, input }),
  withdrawConsent: (consentId, date, source) => call('withdraw_consent', { consent_id: consentId, date, source }),
  search: (text, limit = 12) => call('search', { text, limit }),
  exportOrganizations: (query, format) => call('export_organizations', { query, format }),
  exportPeople: (query, format) => call('export_people', { query, format }),
  directoryPdf: (query, options) => call('directory_pdf', { query, options }),
  importPickFile: () => call('import_pick_file'),
  importPreview: (options) => call('import_preview', { options }),
  /** Progress arrives over a channel while the import runs: {phase, done, total}. */
  importRun: (options, onProgress) => {
    const channel = new window.__TAURI__.core.Channel();
    channel.onmessage = onProgress;
    return call('import_run', { options, on_progress: channel });
  },
  importCancel: () => call('import_cancel'),
  importSaveRejected: (options) => call('import_save_rejected', { options }),
  importBatches: () => call('import_batches'),
  importUndo: (batchId) => call('import_undo', { batch_id: batchId }),
  importProfiles: (kind) => call('import_profiles', { kind }),
  importSaveProfile: (kind, profile) => call('import_save_profile', { kind, profile }),
  importDeleteProfile: (kind, name) => call('import_delete_profile', { kind, name }),
  adviceCategories: () => call('advice_categories'),
  listAdvice: (query) => call('list_advice', { query }),
  getAdvice: (id) => call('get_advice', { id }),
  saveAdvice: (id, input) => call('save_advice', { id, input }),
  deleteAdvice: (id) => call('delete_advice', { id }),
  adviceAdvisors: () => call('advice_advisors'),
  todaySummary: () => call('today_summary'),
  calendarEvents: (from, to) => call('calendar_events', { from, to }),
  personOverview: (id, limit = 10) => call('person_overview', { id, limit }),
  listEvents: (query) => call('list_events', { query }),
  getEvent: (id) => call('get_event', { id }),
  saveEvent: (id, input) => call('save_event', { id, input }),
  deleteEvent: (id) => call('delete_event', { id }),
  registerForEvent: (eventId, personId) => call('register_for_event', { event_id: eventId, person_id: personId }),
  unregister: (registrationId) => call('unregister', { registration_id: registrationId }),
  setAttended: (registrationId, attended) => call('set_attended', { registration_id: registrationId, attended }),
  attendancePdf: (eventId) => call('attendance_pdf', { event_id: eventId }),
  annualFigures: (year) => call('annual_figures', { year }),
  annualReport: (year, options) => call('annual_report', { year, options }),
  exportStats: (year, office) => call('export_stats', { year, office }),
  annualXlsx: (year) => call('annual_xlsx', { year }),
  setLogo: () => call('set_logo'),
  clearLogo: () => call('clear_logo'),
  hasLogo: () => call('has_logo'),
  officeSettings: () => call('office_settings'),
  saveOfficeSettings: (input) => call('save_office_settings', { input }),
  /** Opens (print=false) or prints a file the program has just saved: 'viewer' or 'printer'. */
  openSaved: (path, print) => call('open_saved', { path, print }),
  saveAdviceCategory: (code, parent, name, active) => call('save_advice_category', { code, parent, name, active }),
  saveConsultationTopic: (code, name, active) => call('save_consultation_topic', { code, name, active }),
  importStats: () => call('import_stats'),
  networkFigures: (year) => call('network_figures', { year }),
  networkReport: (year, union) => call('network_report', { year, union }),
  // Rooms and the workstation
  listResources: (includeInactive = false) => call('list_resources', { include_inactive: includeInactive }),
  saveResource: (id, input) => call('save_resource', { id, input }),
  /** A span of days ({from, to, resource_id?}) or an organisation's bookings, a page at a time. */
  listBookings: (query) => call('list_bookings', { query }),
  getBooking: (id) => call('get_booking', { id }),
  /** [{field, message}]: outside opening hours, over capacity (the booking may still be saved). */
  bookingWarnings: (input) => call('booking_warnings', { input }),
  /** {id, warnings} */
  saveBooking: (id, input) => call('save_booking', { id, input }),
  cancelBooking: (id, reason) => call('cancel_booking', { id, reason }),
  /** [{day, taken_by, warning}] for every date of the series. */
  previewSeries: (input) => call('preview_series', { input }),
  /** {series_id, booked, skipped} */
  saveSeries: (input, skip) => call('save_series', { input, skip }),
  getSeries: (id) => call('get_series', { id }),
  changeSeries: (id, input) => call('change_series', { id, input }),
  cancelSeries: (id, fromDay, reason) => call('cancel_series', { id, from_day: fromDay, reason }),
  /** Path saved to, or null when the save dialog was cancelled. */
  doorSchedulePdf: (resourceId, from, days) => call('door_schedule_pdf', { resource_id: resourceId, from, days }),
  exportBookingsIcs: (resourceId, from, to) => call('export_bookings_ics', { resource_id: resourceId, from, to }),
  // Letters kept for organisations (dziennik korespondencji)
  /** Address agreements, newest first: one organisation's or all. */
  listAgreements: (organizationId = null) => call('list_agreements', { organization_id: organizationId }),
  saveAgreement: (id, input) => call('save_agreement', { id, input }),
  deleteAgreement: (id) => call('delete_agreement', { id }),
  /** {waiting_only, organization_id?, month?: 'YYYY-MM', offset, limit} → {items, total, offset} */
  listLetters: (query) => call('list_letters', { query }),
  getLetter: (id) => call('get_letter', { id }),
  saveLetter: (id, input) => call('save_letter', { id, input }),
  deleteLetter: (id) => call('delete_letter', { id }),
  /** Queues one e-mail naming every item waiting for the organisation: {address, items, message_id}. */
  notifyLetters: (organizationId) => call('notify_letters', { organization_id: organizationId }),
  pickUpLetters: (ids, pickedUpOn, pickedUpBy) => call('pick_up_letters', { ids, picked_up_on: pickedUpOn, picked_up_by: pickedUpBy }),
  /** Path saved to, or null when the save dialog was cancelled. */
  pickupSheetPdf: (organizationId) => call('pickup_sheet_pdf', { organization_id: organizationId }),
  // The library (biblioteczka): catalogue, copies, loans, reminders
  /** {search, available_only, offset, limit} → {items: [{id, title, author, …, copies, available}], total, offset} */
  listLibraryTitles: (query) => call('list_library_titles', { query }),
  /** A title with its copies: {…title, copies: [{id, inventory_number, state, loan_id, borrower_name, due_on}]} */
  getLibraryTitle: (id) => call('get_library_title', { id }),
  saveLibraryTitle: (id, input) => call('save_library_title', { id, input }),
  deleteLibraryTitle: (id) => call('delete_library_title', { id }),
  saveLibraryCopy: (id, input) => call('save_library_copy', { id, input }),
  deleteLibraryCopy: (id) => call('delete_library_copy', { id }),
  /** {copy_id, person_id, organization_id?, lent_on?, due_on?} → the loan's id */
  lendCopy: (input) => call('lend_copy', { input }),
  /** {status: 'open'|'overdue'|'returned'|'all', person_id?, item_id?, offset, limit} → {items, total, offset} */
  listLoans: (query) => call('list_loans', { query }),
  renewLoan: (id) => call('renew_loan', { id }),
  returnLoan: (id, returnedOn = '') => call('return_loan', { id, returned_on: returnedOn }),
  librarySettings: () => call('library_settings'),
  saveLibrarySettings: (settings) => call('save_library_settings', { settings }),
  /** Queues the reminders due today: {first, second, without_email}. */
  sendOverdueReminders: () => call('send_overdue_reminders'),
  /** Path saved to, or null when the save dialog was cancelled. */
  overdueSheetPdf: (withoutEmailOnly) => call('overdue_sheet_pdf', { without_email_only: withoutEmailOnly }),
  // Free legal aid (punkt NPP/NPO): the points and lists, a card saved with its advice record,
  // the printed card, statement and Part B, the clients' opinions and the starosta's figures
  /** {points, lists, list_version, aid_types: [{code, name}], no_statement_reasons: [{code, name}]} */
  legalAidSetup: () => call('legal_aid_setup'),
  saveLegalAidPoint: (id, input) => call('save_legal_aid_point', { id, input }),
  /** {kind: 'form'|'help'|'area'|'profession', code, name, active, remote}: adds, renames or switches off. */
  saveLegalAidListEntry: (input) => call('save_legal_aid_list_entry', { input }),
  saveLegalAidListVersion: (version) => call('save_legal_aid_list_version', { version }),
  /** The advice record (as saveAdvice takes it) and its card in one transaction → the advice id. */
  saveLegalAidHelp: (id, advice, card) => call('save_legal_aid_help', { id, advice, card }),
  /** The card of an advice record, or null. */
  getLegalAidCard: (adviceId) => call('get_legal_aid_card', { advice_id: adviceId }),
  /** Removes the card; the advice record stays. */
  removeLegalAidCard: (adviceId) => call('remove_legal_aid_card', { advice_id: adviceId }),
  /** {point_id, from, to, offset, limit} → {items, total, offset} */
  listLegalAidCards: (query) => call('list_legal_aid_cards', { query }),
  /** Path saved to, or null when the save dialog was cancelled. */
  legalAidCardPdf: (adviceId) => call('legal_aid_card_pdf', { advice_id: adviceId }),
  legalAidStatementPdf: (adviceId) => call('legal_aid_statement_pdf', { advice_id: adviceId }),
  /** A blank Part B with the point's number and the date (DD.MM.RRRR) filled in. */
  legalAidOpinionFormPdf: (pointId, on) => call('legal_aid_opinion_form_pdf', { point_id: pointId, on }),
  saveLegalAidOpinion: (input) => call('save_legal_aid_opinion', { input }),
  /** {point_id, from, to, offset, limit} → {items, total, offset} */
  listLegalAidOpinions: (query) => call('list_legal_aid_opinions', { query }),
  deleteLegalAidOpinion: (id) => call('delete_legal_aid_opinion', { id }),
  /** The period's figures (DD.MM.RRRR), one point's or (null) every point's. */
  starostaFigures: (from, to, pointId) => call('starosta_figures', { from, to, point_id: pointId }),
  /** format: 'pdf' | 'xlsx'; path saved to, or null when the save dialog was cancelled. */
  starostaReportFile: (from, to, pointId, format) => call('starosta_report_file', { from, to, point_id: pointId, format }),
  /** The point's duty hours (every point's when null): [{id, point_id, weekday 1–7, starts, ends, on_duty}] */
  legalAidDutyHours: (pointId) => call('legal_aid_duty_hours', { point_id: pointId }),
  saveLegalAidDutyHour: (id, input) => call('save_legal_aid_duty_hour', { id, input }),
  deleteLegalAidDutyHour: (id) => call('delete_legal_aid_duty_hour', { id }),
  /** A point's day (DD.MM.RRRR): {day, weekday, duty, appointments, free_slots} */
  legalAidDay: (pointId, day) => call('legal_aid_day', { point_id: pointId, day }),
  saveLegalAidAppointment: (id, input) => call('save_legal_aid_appointment', { id, input }),
  deleteLegalAidAppointment: (id) => call('delete_legal_aid_appointment', { id }),
  /** The day's list of appointments as PDF; path saved to, or null when cancelled. */
  legalAidDayPdf: (pointId, day) => call('legal_aid_day_pdf', { point_id: pointId, day }),
  consultationTopics: () => call('consultation_topics'),
  listConsultations: (query) => call('list_consultations', { query }),
  getConsultation: (id) => call('get_consultation', { id }),
  saveConsultation: (id, input) => call('save_consultation', { id, input }),
  deleteConsultation: (id) => call('delete_consultation', { id }),
  getSurvey: (year) => call('get_survey', { year }),
  addSurveyTopic: (year, name) => call('add_survey_topic', { year, name }),
  deleteSurveyTopic: (id) => call('delete_survey_topic', { id }),
  setSurveyChoice: (topicId, organizationId, chosen) => call('set_survey_choice', { topic_id: topicId, organization_id: organizationId, chosen }),
  mailSettings: () => call('mail_settings'),
  saveMailSettings: (input, password) => call('save_mail_settings', { input, password }),
  forgetMailPassword: () => call('forget_mail_password'),
  mailingLists: () => call('mailing_lists'),
  getMailingList: (id) => call('get_mailing_list', { id }),
  saveMailingList: (id, input) => call('save_mailing_list', { id, input }),
  deleteMailingList: (id) => call('delete_mailing_list', { id }),
  segmentCount: (segment) => call('segment_count', { segment }),
  listMembers: (listId, offset, limit) => call('list_members', { list_id: listId, offset, limit }),
  addListMembers: (listId, organizations, people) => call('add_list_members', { list_id: listId, organizations, people }),
  removeListMember: (listId, organizationId, personId) => call('remove_list_member', { list_id: listId, organization_id: organizationId, person_id: personId }),
  listRecipients: (listId, offset, limit) => call('list_recipients', { list_id: listId, offset, limit }),
  bccChunks: (listId, size) => call('bcc_chunks', { list_id: listId, size }),
  exportListCsv: (listId) => call('export_list_csv', { list_id: listId }),
  listMessages: (query) => call('list_messages', { query }),
  getMessage: (id) => call('get_message', { id }),
  saveMessage: (id, input) => call('save_message', { id, input }),
  deleteMessage: (id) => call('delete_message', { id }),
  copyMessage: (id) => call('copy_message', { id }),
  addAttachment: (messageId) => call('add_attachment', { message_id: messageId }),
  deleteAttachment: (id) => call('delete_attachment', { id }),
  previewMessage: (messageId, index) => call('preview_message', { message_id: messageId, index }),
  testSend: (messageId, to) => call('test_send', { message_id: messageId, to }),
  /** Progress arrives over a channel while the queue runs: {message_id, counts}. */
  sendMessage: (messageId, onProgress) => {
    const channel = new window.__TAURI__.core.Channel();
    channel.onmessage = onProgress;
    return call('send_message', { message_id: messageId, on_progress: channel });
  },
  resumeSending: (messageId, onProgress) => {
    const channel = new window.__TAURI__.core.Channel();
    channel.onmessage = onProgress;
    return call('resume_sending', { message_id: messageId, on_progress: channel });
  },
  pauseSending: () => call('pause_sending'),
  sendingStatus: () => call('sending_status'),
  queueRows: (messageId, status, offset, limit) => call('queue_rows', { message_id: messageId, status, offset, limit }),
  retryFailed: (messageId) => call('retry_failed', { message_id: messageId }),
  settleUncertain: (messageId, resend, ids) => call('settle_uncertain', { message_id: messageId, resend, ids }),
  recordRemoval: (address, how) => call('record_removal', { address, how }),
  bounces: (offset, limit) => call('bounces', { offset, limit }),
  removeBounce: (address) => call('remove_bounce', { address }),
  mailHistory: (organizationId, personId) => call('mail_history', { organization_id: organizationId, person_id: personId }),
  grantOrganizationConsent: (organizationId, input) => call('grant_organization_consent', { organization_id: organizationId, input }),
  withdrawOrganizationConsent: (consentId, date, source) => call('withdraw_organization_consent', { consent_id: consentId, date, source }),
  listGrantCalls: (offset, limit) => call('list_grant_calls', { offset, limit }),
  getGrantCall: (id) => call('get_grant_call', { id }),
  saveGrantCall: (id, input) => call('save_grant_call', { id, input }),
  deleteGrantCall: (id) => call('delete_grant_call', { id }),
  grantCallCampaign: (id) => call('grant_call_campaign', { id }),
  // Współpraca: the city's cooperation programme, open competitions with their offers, art. 19a
  // small grants and the report on the programme's execution
  /** {years: [years with a programme, newest first], current: the year the view opens on} */
  programmeYears: () => call('programme_years'),
  /** The year's programme with its priority tasks (planned and granted), or null. */
  getProgramme: (year) => call('get_programme', { year }),
  /** {year, resolution_number, resolution_date, period_from, period_until, forms, …, tasks: [{id, title, area_code, planned}]} → id */
  saveProgramme: (id, input) => call('save_programme', { id, input }),
  deleteProgramme: (id) => call('delete_programme', { id }),
  /** {year, offset, limit} → {items, total, offset} */
  listCompetitions: (query) => call('list_competitions', { query }),
  getCompetition: (id) => call('get_competition', { id }),
  saveCompetition: (id, input) => call('save_competition', { id, input }),
  deleteCompetition: (id) => call('delete_competition', { id }),
  /** {competition_id, small_grants, organization_id, year, offset, limit} → {items, total, offset} */
  listOffers: (query) => call('list_offers', { query }),
  getOffer: (id) => call('get_offer', { id }),
  /** What the statute or the competition's funds warn about for the typed offer: [{field, message}]. */
  offerWarnings: (id, input) => call('offer_warnings', { id, input }),
  /** → {id, warnings: [{field, message}]}: warnings do not stop the save. */
  saveOffer: (id, input) => call('save_offer', { id, input }),
  deleteOffer: (id) => call('delete_offer', { id }),
  organizationOffers: (organizationId) => call('organization_offers', { organization_id: organizationId }),
  /** {report_due_day, report_due_month} */
  cooperationSettings: () => call('cooperation_settings'),
  saveCooperationSettings: (input) => call('save_cooperation_settings', { input }),
  /** The report's figures with the previous year's beside them. */
  cooperationReport: (year) => call('cooperation_report', { year }),
  /** Path saved to, or null when the save dialog was cancelled. */
  cooperationReportPdf: (year) => call('cooperation_report_pdf', { year }),
  cooperationReportXlsx: (year) => call('cooperation_report_xlsx', { year }),
  /** Consultations of draft acts (art. 5 ust. 5): {year, offset, limit} → {items, total, offset} */
  listActConsultations: (query) => call('list_act_consultations', { query }),
  getActConsultation: (id) => call('get_act_consultation', { id }),
  /** {title, act_kind, ordinance, starts_on, ends_on, forms: [codes], announced_where, outcome} → id */
  saveActConsultation: (id, input) => call('save_act_consultation', { id, input }),
  deleteActConsultation: (id) => call('delete_act_consultation', { id }),
  /** The opinions received on a consultation, in the order received. */
  listOpinions: (consultationId) => call('list_opinions', { consultation_id: consultationId }),
  /** {consultation_id, organization_id, author, received_on, section, comment, handling, reason} → id */
  saveOpinion: (id, input) => call('save_opinion', { id, input }),
  deleteOpinion: (id) => call('delete_opinion', { id }),
  /** Path saved to, or null when the save dialog was cancelled. */
  consultationReportPdf: (id) => call('consultation_report_pdf', { id }),
  /** segment {areas, legal_forms, city, powiat, tag, public_benefit_only, members_only} → {list_id, message_id, count: {recipients, …}}: the notice left as a draft in Poczta. */
  consultationNotice: (id, segment) => call('consultation_notice', { id, segment }),
  /** Joint teams and working groups: {year, offset, limit} → {items, total, offset} */
  listTeams: (query) => call('list_teams', { query }),
  /** → the team with {members: [{id, organization_id, name, representative, role}]} */
  getTeam: (id) => call('get_team', { id }),
  /** {name, kind, appointed_by, purpose, starts_on, ends_on, members: [{organization_id, name, representative, role}]} → id; a member's error names members.N.field */
  saveTeam: (id, input) => call('save_team', { id, input }),
  deleteTeam: (id) => call('delete_team', { id }),
  /** A team's meetings, the latest first. */
  listMeetings: (teamId) => call('list_meetings', { team_id: teamId }),
  /** {team_id, held_on, place, attendance, minutes} → id */
  saveMeeting: (id, input) => call('save_meeting', { id, input }),
  deleteMeeting: (id) => call('delete_meeting', { id }),
  /** Patronages, information published, premises lent, other: {year, kind, offset, limit} → page */
  listCooperationActivities: (query) => call('list_cooperation_activities', { query }),
  /** {kind, held_on, organization_id, title, notes} → id */
  saveCooperationActivity: (id, input) => call('save_cooperation_activity', { id, input }),
  deleteCooperationActivity: (id) => call('delete_cooperation_activity', { id }),
  /** An organisation's opinions, team seats and log entries: {opinions, teams, activities} */
  organizationCooperation: (organizationId) => call('organization_cooperation', { organization_id: organizationId }),
  // Publikuj: the static site for the city portal, and the map of social activity (Raporty)
  /** options: {directory, calendar, grants, open_data, map, english} → what would be written and what changed since the last publication. */
  publishPreview: (options) => call('publish_preview', { options }),
  /** The system's folder dialog: the chosen folder, or null when cancelled. */
  publishChooseFolder: () => call('publish_choose_folder'),
  /** → {folder, index_path, files, zip_path, organizations, events, grant_calls}; a bad folder fails at field 'folder'. */
  publishSite: (options, folder, zip) => call('publish_site', { options, folder, zip }),
  /** level: 'powiat' | 'voivodeship' → {svg, total, matched, voivodeships, powiats, gminas, unmatched} */
  activityMap: (level) => call('activity_map', { level }),
  backupStatus: () => call('backup_status'),
  backupNow: () => call('backup_now'),
  backupPickFile: () => call('backup_pick_file'),
  restoreBackup: (path) => call('restore_backup', { path }),
  recordHistory: (kind, id) => call('record_history', { kind, id }),
  setUserName: (name) => call('set_user_name', { name }),
  exportPersonData: (id) => call('export_person_data', { id }),
  erasePerson: (id) => call('erase_person', { id }),
  erasurePreview: (id) => call('erasure_preview', { id }),
  anonymizePerson: (id) => call('anonymize_person', { id }),
  retentionSettings: () => call('retention_settings'),
  saveRetentionSettings: (input) => call('save_retention_settings', { input }),
  retentionPreview: () => call('retention_preview'),
  applyRetention: () => call('apply_retention'),
};
