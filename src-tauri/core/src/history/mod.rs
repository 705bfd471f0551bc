//! Change history of organisations, people and their consents: what field changed, from what
//! to what, when and by which user (the name set in the program's settings, else the system's
//! user name). Shown on each record; erasure leaves only the fact that it happened.

pub(crate) mod store;

/// One change-log row: the field, its value before and after (as a person reads them).
pub type ChangeRow = (String, Option<String>, Option<String>);

/// Who makes a change and the change-log rows it writes: the store saves them in the same
/// transaction as the change, so a record never changes without its history (or the reverse).
#[derive(Debug, Clone)]
pub struct ChangeNote<'a> {
    pub author: &'a str,
    pub rows: Vec<ChangeRow>,
}

use serde::Serialize;
use serde_json::Value;

pub const ORGANIZATION_FIELDS: &[&str] = &[
    "name",
    "short_name",
    "legal_form",
    "krs",
    "nip",
    "regon",
    "public_benefit",
    "street",
    "building",
    "postal_code",
    "city",
    "gmina",
    "powiat",
    "voivodeship",
    "phones",
    "emails",
    "website",
    "areas",
    "description",
    "tags",
    "notes",
    "member_since",
    "member_until",
    "directory_consent",
];
pub const PERSON_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "emails",
    "phones",
    "notes",
    "roles",
];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Change {
    pub at: String,
    pub user_name: String,
    /// The server login that saved the change (PostgreSQL fills it in); None in a file, and
    /// for changes from before logins were recorded.
    pub login: Option<String>,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// A field's value as a person reads it in the history.
fn show(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(if *b { "tak" } else { "nie" }.into()),
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) if items.is_empty() => None,
        Value::Array(items) => Some(items.iter().filter_map(show).collect::<Vec<_>>().join("; ")),
        Value::Object(o) => match (o.get("organization_name"), o.get("role")) {
            (Some(Value::String(org)), Some(Value::String(role))) => {
                Some(format!("{org} — {role}"))
            }
            _ => Some(Value::Object(o.clone()).to_string()),
        },
    }
}

/// The fields that differ between two serialised forms of a record.
pub fn diff(
    before: &Value,
    after: &Value,
    fields: &[&str],
) -> Vec<(String, Option<String>, Option<String>)> {
    fields
        .iter()
        .filter_map(|f| {
            let (old, new) = (show(&before[*f]), show(&after[*f]));
            (old != new).then(|| (f.to_string(), old, new))
        })
        .collect()
}

/// The user name recorded with changes when none is set: the system account's name.
pub fn system_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "użytkownik".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields_are_listed_as_people_read_them() {
        let before = json!({"name": "Fundacja", "emails": ["a@x.pl"], "public_benefit": false, "notes": null, "roles": [{"organization_name": "Łąka", "role": "prezes"}]});
        let after = json!({"name": "Fundacja Łąka", "emails": ["a@x.pl", "b@x.pl"], "public_benefit": true, "notes": "", "roles": [{"organization_name": "Łąka", "role": "skarbnik"}]});
        let d = diff(
            &before,
            &after,
            &["name", "emails", "public_benefit", "notes", "roles", "city"],
        );
        assert_eq!(
            d,
            vec![
                (
                    "name".into(),
                    Some("Fundacja".into()),
                    Some("Fundacja Łąka".into())
                ),
                (
                    "emails".into(),
                    Some("a@x.pl".into()),
                    Some("a@x.pl; b@x.pl".into())
                ),
                (
                    "public_benefit".into(),
                    Some("nie".into()),
                    Some("tak".into())
                ),
                (
                    "roles".into(),
                    Some("Łąka — prezes".into()),
                    Some("Łąka — skarbnik".into())
                ),
            ]
        );
    }
}
