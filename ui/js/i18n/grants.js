// Texts of the grants view (ui/js/views/grants.js).
// Polish first, English second; ui/js/i18n.js merges every part. A key used by more than
// one view belongs in common.js; tests/it/translations.rs checks both languages match.

export default {
  pl: {
    help_view_grants: 'Konkursy grantowe: fundator, nazwa, termin i sfery. Z karty konkursu przygotujesz wiadomość do organizacji działających w tych sferach.',
    grants_new: "Nowy konkurs",
    grants_edit: "Konkurs",
    grants_empty: "Nie ma jeszcze konkursów. Wpisz nabór, a program znajdzie pasujące organizacje.",
    grants_pick: "Wybierz konkurs z listy.",
    grants_title: "Nazwa konkursu",
    grants_funder: "Ogłaszający",
    grants_deadline: "Termin składania ofert",
    grants_amount: "Kwota",
    grants_link: "Link do ogłoszenia",
    grants_areas: "Sfery, które konkurs finansuje",
    grants_grp: "Nabór",
    grants_campaign: "Utwórz segment i ogłoszenie",
    grants_campaign_done: ["Segment: {n} adresat ze zgodą. Ogłoszenie czeka w wersjach roboczych.", "Segment: {n} adresatów ze zgodą. Ogłoszenie czeka w wersjach roboczych.", "Segment: {n} adresatów ze zgodą. Ogłoszenie czeka w wersjach roboczych."],
    grants_delete_confirm: "Usunąć konkurs „{title}”?",
    grants_notices: "Ogłoszenia z tego konkursu",
    grants_open_notice: "Wiadomość nr {id}",
  },
  en: {
    help_view_grants: 'Grant calls: funder, title, deadline and spheres. From a call’s page prepare a message to the organisations working in those spheres.',
    grants_new: "New grant call",
    grants_edit: "Grant call",
    grants_empty: "No grant calls yet. Enter one and the program finds matching organisations.",
    grants_pick: "Pick a grant call.",
    grants_title: "Title",
    grants_funder: "Funder",
    grants_deadline: "Deadline",
    grants_amount: "Amount",
    grants_link: "Link",
    grants_areas: "Spheres funded",
    grants_grp: "Call",
    grants_campaign: "Make segment and notice",
    grants_campaign_done: ["Segment: {n} consenting recipient. The notice is in drafts.", "Segment: {n} consenting recipients. The notice is in drafts.", "Segment: {n} consenting recipients. The notice is in drafts."],
    grants_delete_confirm: "Delete grant call \"{title}\"?",
    grants_notices: "Notices from this call",
    grants_open_notice: "Message no. {id}",
  },
};
