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
  referenceData: () => call('reference_data'),
  filterOptions: () => call('filter_options'),
  saveArea: (code, name, active) => call('save_area', { code, name, active }),
  loadDemoData: (organizations, people) => call('load_demo_data', { organizations, people }),
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
  saveAdviceCategory: (code, parent, name, active) => call('save_advice_category', { code, parent, name, active }),
  saveConsultationTopic: (code, name, active) => call('save_consultation_topic', { code, name, active }),
  importStats: () => call('import_stats'),
  networkFigures: (year) => call('network_figures', { year }),
  networkReport: (year, union) => call('network_report', { year, union }),
  consultationTopics: () => call('consultation_topics'),
  listConsultations: (query) => call('list_consultations', { query }),
  getConsultation: (id) => call('get_consultation', { id }),
  saveConsultation: (id, input) => call('save_consultation', { id, input }),
  deleteConsultation: (id) => call('delete_consultation', { id }),
  getSurvey: (year) => call('get_survey', { year }),
  addSurveyTopic: (year, name) => call('add_survey_topic', { year, name }),
  deleteSurveyTopic: (id) => call('delete_survey_topic', { id }),
  setSurveyChoice: (topicId, organizationId, chosen) => call('set_survey_choice', { topic_id: topicId, organization_id: organizationId, chosen }),
};
