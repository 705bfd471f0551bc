//! PostgreSQL: the register (organisations, people, consents, search, reference lists), giving
//! the same results as `store/sqlite/register/`. What both backends must compute alike (search
//! bodies, sort texts, the typed-query rules, the organisation column list) is taken from the
//! SQLite module rather than copied, so the two cannot drift apart.

use super::bulk::{pg_search_words, CopyRows, COPY_FROM};
use super::*;
use crate::register::*;
use crate::store::sqlite::{
    fts_query, now, org_rowid, org_search_body, person_rowid, person_search_body, person_sort_text,
    today, ConsentTable, ORG_COLUMNS, PERSON_CONSENTS,
};
use crate::store::*;
use crate::text::collation;
use sqlx::query_builder::Separated;
use sqlx::Postgres;

mod consents;
mod organizations;
mod people;
mod reference;
mod search;

/// Rows per multi-row INSERT. PostgreSQL allows 65,535 binds a statement; an organisation
/// takes 26, so 1,000 rows stay well under it while cutting round trips to the server.
pub(crate) const PG_BATCH: usize = 1_000;

/// Rows per INSERT into the search table: three binds each.
pub(crate) const PG_SEARCH_BATCH: usize = 5_000;

/// `push_org_columns` of the SQLite store for PostgreSQL binds: the same columns, same order.
pub(crate) fn push_pg_org_columns<'args>(
    b: &mut Separated<'_, 'args, Postgres, &'static str>,
    d: &'args OrganizationDraft,
    stamp: &'args str,
) {
    b.push_bind(&d.name)
        .push_bind(&d.short_name)
        .push_bind(d.legal_form.code())
        .push_bind(d.krs.as_ref().map(|v| v.as_str()))
        .push_bind(d.nip.as_ref().map(|v| v.as_str()))
        .push_bind(d.regon.as_ref().map(|v| v.as_str()))
        .push_bind(d.public_benefit)
        .push_bind(&d.street)
        .push_bind(&d.building)
        .push_bind(d.postal_code.as_ref().map(|v| v.as_str()))
        .push_bind(&d.city)
        .push_bind(&d.gmina)
        .push_bind(&d.powiat)
        .push_bind(&d.voivodeship)
        .push_bind(d.website.as_ref().map(|v| v.as_str()))
        .push_bind(&d.description)
        .push_bind(&d.notes)
        .push_bind(d.member_since)
        .push_bind(d.member_until)
        .push_bind(d.directory_consent)
        .push_bind(stamp)
        .push_bind(collation::sort_key(&d.name))
        .push_bind(collation::sort_key(d.city.as_deref().unwrap_or("")));
}

/// `push_pg_org_columns` as a row of COPY text: the same columns, same order, same values.
pub(crate) fn copy_org_columns(r: &mut CopyRows, d: &OrganizationDraft, stamp: &str) {
    r.text(Some(&d.name))
        .text(d.short_name.as_deref())
        .text(Some(d.legal_form.code()))
        .text(d.krs.as_ref().map(|v| v.as_str()))
        .text(d.nip.as_ref().map(|v| v.as_str()))
        .text(d.regon.as_ref().map(|v| v.as_str()))
        .bool(d.public_benefit)
        .text(d.street.as_deref())
        .text(d.building.as_deref())
        .text(d.postal_code.as_ref().map(|v| v.as_str()))
        .text(d.city.as_deref())
        .text(d.gmina.as_deref())
        .text(d.powiat.as_deref())
        .text(d.voivodeship.as_deref())
        .text(d.website.as_ref().map(|v| v.as_str()))
        .text(d.description.as_deref())
        .text(d.notes.as_deref())
        .date(d.member_since)
        .date(d.member_until)
        .bool(d.directory_consent)
        .text(Some(stamp))
        .bytes(&collation::sort_key(&d.name))
        .bytes(&collation::sort_key(d.city.as_deref().unwrap_or("")));
}

/// The search body as PostgreSQL stores it: the folded body of `org_search_body` or
/// `person_search_body` cut into the words FTS5's tokenizer sees (runs of letters and digits),
/// one space apart. PostgreSQL's own parser would keep "jan.kowalski@example.pl" or
/// "ul.-lipowa" whole, so "kowalski" would find the person on SQLite and not here; split the
/// same way on both sides, every typed word matches the same stored words.
pub(crate) fn pg_search_body(folded: &str) -> String {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `fts_query` as a PostgreSQL `tsquery` text: the same words (folded, identifiers joined, PL
/// prefix dropped, at most 12), each a prefix (`word:*`), all required (`&`). The words hold
/// only letters and digits, so nothing in them is tsquery syntax.
pub(crate) fn pg_tsquery(typed: &str) -> Option<String> {
    let fts = fts_query(typed)?;
    let terms: Vec<String> = fts
        .split(' ')
        .map(|t| t.trim_start_matches('"').trim_end_matches('*'))
        .map(|t| t.trim_end_matches('"'))
        .filter(|t| !t.is_empty())
        .map(|t| format!("{t}:*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" & "))
}

/// What the register's both-backends tests share: drafts as a form would make them, and a
/// transcript of every result, so one story run on SQLite and on PostgreSQL can be compared
/// result by result (timestamps blanked: they are the only thing allowed to differ).
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::error::{Error, Result};
    use crate::history::ChangeNote;
    use crate::register::*;
    use serde::Serialize;
    use serde_json::Value;

    /// An organisation draft from form fields; `more` fills the rest of the form.
    pub(crate) fn org(
        name: &str,
        city: &str,
        form: &str,
        more: impl FnOnce(&mut OrganizationInput),
    ) -> OrganizationDraft {
        let mut input = OrganizationInput {
            name: name.into(),
            city: city.into(),
            legal_form: form.into(),
            ..Default::default()
        };
        more(&mut input);
        let areas: Vec<String> = ["1", "16", "33"].iter().map(|a| a.to_string()).collect();
        input.parse(&areas).expect("a valid organisation")
    }

    pub(crate) fn person(
        first: &str,
        last: &str,
        emails: &str,
        roles: &[(i64, &str)],
    ) -> PersonDraft {
        PersonInput {
            first_name: first.into(),
            last_name: last.into(),
            emails: emails.into(),
            roles: roles
                .iter()
                .map(|(org, role)| RoleInput {
                    organization_id: *org,
                    role: role.to_string(),
                })
                .collect(),
            ..Default::default()
        }
        .parse()
        .expect("a valid person")
    }

    pub(crate) fn note(author: &'static str, field: &str, value: &str) -> ChangeNote<'static> {
        ChangeNote {
            author,
            rows: vec![(field.to_string(), None, Some(value.to_string()))],
        }
    }

    /// An error as the user meets it: the fields it names, or its message.
    pub(crate) fn error_of<T: std::fmt::Debug>(r: Result<T>) -> String {
        match r {
            Ok(v) => panic!("expected an error, got {v:?}"),
            Err(Error::Invalid(fields)) => {
                let f: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect();
                format!("invalid [{}]", f.join("; "))
            }
            Err(e) => e.to_string(),
        }
    }

    /// Labelled results of one story on one backend.
    #[derive(Default)]
    pub(crate) struct Transcript(Vec<(String, Value)>);

    impl Transcript {
        pub(crate) fn add<T: Serialize>(&mut self, label: &str, v: &T) {
            let mut v = serde_json::to_value(v).expect("serialises");
            blank_times(&mut v);
            self.0.push((label.to_string(), v));
        }

        /// Both backends answered every step alike (and took the same steps).
        pub(crate) fn assert_same_as(&self, sqlite: &Transcript) {
            for ((label, pg), (sqlite_label, lite)) in self.0.iter().zip(&sqlite.0) {
                assert_eq!(label, sqlite_label, "the stories took different steps");
                assert_eq!(pg, lite, "PostgreSQL differs from SQLite at `{label}`");
            }
            assert_eq!(
                self.0.len(),
                sqlite.0.len(),
                "the stories took different steps"
            );
        }
    }

    /// Stamps of the clock differ between two runs; whether one is set does not.
    fn blank_times(v: &mut Value) {
        match v {
            Value::Object(map) => {
                // The server login of a change (the history's `login`) exists only on a
                // server: it is checked by the users tests, not compared with a file.
                map.remove("login");
                for (k, x) in map.iter_mut() {
                    if [
                        "created_at",
                        "updated_at",
                        "archived_at",
                        "recorded_at",
                        "at",
                    ]
                    .contains(&k.as_str())
                    {
                        if !x.is_null() {
                            *x = Value::String("<czas>".into());
                        }
                    } else if k == "changed_by" {
                        // Likewise the login a server adds to the author (see `signed_by`).
                        if let Some(author) = x.as_str().and_then(|a| a.split(" (login: ").next()) {
                            *x = Value::String(author.to_string());
                        }
                    } else {
                        blank_times(x);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(blank_times),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{pg_search_body, pg_tsquery};

    #[test]
    fn tsquery_has_the_words_of_the_fts5_query() {
        assert_eq!(pg_tsquery("ŁÓDŹ").as_deref(), Some("lodz:*"));
        assert_eq!(
            pg_tsquery("Fundacja  łódź").as_deref(),
            Some("fundacja:* & lodz:*")
        );
        assert_eq!(pg_tsquery("123-456-32-18").as_deref(), Some("1234563218:*"));
        assert_eq!(pg_tsquery("PL1234563218").as_deref(), Some("1234563218:*"));
        assert_eq!(
            pg_tsquery("'; DROP TABLE x; --:* | !").as_deref(),
            Some("drop:* & table:* & x:*")
        );
        assert_eq!(pg_tsquery("  -- "), None);
    }

    #[test]
    fn search_body_keeps_only_words() {
        assert_eq!(
            pg_search_body("fundacja lodz jan.kowalski@example.pl ul.-lipowa 5/7"),
            "fundacja lodz jan kowalski example pl ul lipowa 5 7"
        );
    }
}

/// Who writes a record when an import (or undoing one) changes it, as on the file.
pub(crate) use crate::store::sqlite::BY_IMPORT;

impl PgStore {
    /// What a server write keeps in `changed_by`: the author with the server login that made
    /// it, as the history shows them, so a colleague's refused save names a person and not a
    /// PC's default name (see [`signed_by`]).
    pub(crate) async fn signed(tx: &mut PgConnection, author: &str) -> Result<String> {
        let login: String = sqlx::query_scalar("SELECT session_user::TEXT")
            .fetch_one(&mut *tx)
            .await?;
        Ok(signed_by(author, &login))
    }

    /// Locks the record's row (`table`: organizations, people or advice_records) and refuses a
    /// save opened on an older revision of it. The lock holds to the commit, so another PC's
    /// save waits and then sees this one's revision; called before anything is written, so a
    /// refused save leaves the record and its history untouched. `expected` None: the caller
    /// overwrites on purpose.
    pub(crate) async fn check_revision(
        tx: &mut PgConnection,
        table: &'static str,
        id: i64,
        expected: Option<i64>,
        what: &'static str,
    ) -> Result<()> {
        let row: Option<(i64, Option<String>, String)> = sqlx::query_as(&format!(
            "SELECT revision, changed_by, updated_at FROM {table} WHERE id = $1 FOR UPDATE"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        crate::error::Conflict::check(table, id, expected, row.ok_or(Error::NotFound(what))?)
    }
}

/// "Ewa Nowak (login: ewa)"; the login alone when the author says no more than it: empty, the
/// login itself, or only the name the program falls back to when none was set (the system
/// account's, or "użytkownik").
pub(crate) fn signed_by(author: &str, login: &str) -> String {
    let author = author.trim();
    if author.is_empty()
        || author == login
        || author == "użytkownik"
        || author == crate::history::system_user()
    {
        login.to_string()
    } else {
        format!("{author} (login: {login})")
    }
}
