//! Non-financial cooperation (art. 5 ust. 2): joint teams and working groups with their members
//! from the register and their meetings with minutes, and the log of the other forms the report
//! counts — patronages, information published, premises lent outside the room bookings.

use crate::error::{Error, FieldError, Result};
use crate::register::{parse_date, MAX_FIELD_CHARS};
use crate::text::{clean_block, clean_line};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a team is (art. 5 ust. 2 pkt 4 of the act names joint teams of an advisory and
/// initiating character; working groups are the offices' own, narrower ones).
pub const TEAM_KINDS: [(&str, &str); 2] = [
    (
        "joint_team",
        "wspólny zespół o charakterze doradczym i inicjatywnym",
    ),
    ("working_group", "grupa robocza"),
];

pub const MEMBER_ROLES: [(&str, &str); 3] = [
    ("chair", "przewodniczący"),
    ("secretary", "sekretarz"),
    ("member", "członek"),
];

/// The other non-financial forms the report counts.
pub const ACTIVITY_KINDS: [(&str, &str); 4] = [
    ("patronage", "patronat"),
    ("information", "informacja opublikowana"),
    ("premises", "udostępnienie lokalu"),
    ("other", "inna forma współpracy"),
];

/// A team holds at most this many members (a council's committee, not a mailing list).
pub const MAX_MEMBERS: usize = 200;

fn label(list: &[(&'static str, &'static str)], code: &str) -> &'static str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

pub fn team_kind_label(code: &str) -> &'static str {
    label(&TEAM_KINDS, code)
}

pub fn activity_kind_label(code: &str) -> &'static str {
    label(&ACTIVITY_KINDS, code)
}

fn line(errors: &mut Vec<FieldError>, field: &str, raw: &str, message: &str) -> String {
    clean_line(raw)
        .filter(|t| t.chars().count() <= 300)
        .unwrap_or_else(|| {
            errors.push(FieldError::new(field, message));
            String::new()
        })
}

fn optional_line(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<String> {
    let text = clean_line(raw);
    if text.as_ref().is_some_and(|t| t.chars().count() > 300) {
        errors.push(FieldError::new(
            field,
            "Tekst jest za długi (najwyżej 300 znaków).",
        ));
    }
    text
}

fn block(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<String> {
    if raw.chars().count() > MAX_FIELD_CHARS {
        errors.push(FieldError::new(
            field,
            "Tekst jest za długi (najwyżej 10 000 znaków).",
        ));
    }
    clean_block(raw)
}

fn date(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> NaiveDate {
    parse_date(raw).unwrap_or_else(|e| {
        errors.push(FieldError::new(field, e.0));
        NaiveDate::MIN
    })
}

fn optional_date(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<NaiveDate> {
    match raw.trim() {
        "" => None,
        r => parse_date(r)
            .map_err(|e| errors.push(FieldError::new(field, e.0)))
            .ok(),
    }
}

fn code(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: &str,
    list: &[(&str, &str)],
    message: &str,
) -> String {
    match list.iter().find(|(c, _)| *c == raw.trim()) {
        Some((c, _)) => c.to_string(),
        None => {
            errors.push(FieldError::new(field, message));
            String::new()
        }
    }
}

fn done(errors: Vec<FieldError>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

// ----- teams -----------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamMemberInput {
    /// The organisation from the register, when it is there…
    pub organization_id: Option<i64>,
    /// …else who sits on the team (a department of the office, a councillor's club).
    pub name: String,
    /// Who represents the organisation on the team.
    pub representative: String,
    pub role: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamInput {
    pub name: String,
    pub kind: String,
    /// The act that appointed the team, e.g. "Zarządzenie nr 120/2026 Prezydenta Miasta".
    pub appointed_by: String,
    pub purpose: String,
    pub starts_on: String,
    pub ends_on: String,
    pub members: Vec<TeamMemberInput>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TeamMemberDraft {
    pub organization_id: Option<i64>,
    /// Filled from the register when an organisation is chosen.
    pub name: Option<String>,
    pub representative: Option<String>,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TeamDraft {
    pub name: String,
    pub kind: String,
    pub appointed_by: Option<String>,
    pub purpose: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub members: Vec<TeamMemberDraft>,
}

impl TeamInput {
    /// A member's errors name its row: `members.2.name`.
    pub fn parse(&self) -> Result<TeamDraft> {
        let mut errors = Vec::new();
        let name = line(&mut errors, "name", &self.name, "Podaj nazwę zespołu.");
        let kind = code(
            &mut errors,
            "kind",
            &self.kind,
            &TEAM_KINDS,
            "Wybierz rodzaj zespołu z listy.",
        );
        let appointed_by = optional_line(&mut errors, "appointed_by", &self.appointed_by);
        let purpose = block(&mut errors, "purpose", &self.purpose);
        let starts_on = date(&mut errors, "starts_on", &self.starts_on);
        let ends_on = optional_date(&mut errors, "ends_on", &self.ends_on);
        if ends_on.is_some_and(|e| e < starts_on) {
            errors.push(FieldError::new(
                "ends_on",
                "Koniec prac zespołu jest przed jego powołaniem.",
            ));
        }
        if self.members.len() > MAX_MEMBERS {
            errors.push(FieldError::new(
                "members",
                "Zespół może mieć najwyżej 200 członków.",
            ));
        }
        let mut members = Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            let organization_id = m.organization_id.filter(|id| *id > 0);
            let name = clean_line(&m.name);
            if organization_id.is_none() && name.is_none() {
                errors.push(FieldError::new(
                    &format!("members.{i}.name"),
                    "Wybierz organizację z rejestru albo wpisz, kto zasiada w zespole.",
                ));
            }
            if name.as_ref().is_some_and(|n| n.chars().count() > 300) {
                errors.push(FieldError::new(
                    &format!("members.{i}.name"),
                    "Tekst jest za długi (najwyżej 300 znaków).",
                ));
            }
            let representative = optional_line(
                &mut errors,
                &format!("members.{i}.representative"),
                &m.representative,
            );
            let role = if m.role.trim().is_empty() {
                "member".to_string()
            } else {
                code(
                    &mut errors,
                    &format!("members.{i}.role"),
                    &m.role,
                    &MEMBER_ROLES,
                    "Wybierz funkcję z listy.",
                )
            };
            members.push(TeamMemberDraft {
                organization_id,
                name: if organization_id.is_some() {
                    None
                } else {
                    name
                },
                representative,
                role,
            });
        }
        // Said at the function of every chair after the first, where the user changes it.
        for (i, _) in members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.role == "chair")
            .skip(1)
        {
            errors.push(FieldError::new(
                &format!("members.{i}.role"),
                "Zespół ma jednego przewodniczącego.",
            ));
        }
        done(errors)?;
        Ok(TeamDraft {
            name,
            kind,
            appointed_by,
            purpose,
            starts_on,
            ends_on,
            members,
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct TeamMember {
    pub id: i64,
    pub organization_id: Option<i64>,
    pub name: String,
    pub representative: Option<String>,
    pub role: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub appointed_by: Option<String>,
    pub purpose: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub member_count: i64,
    pub meeting_count: i64,
    /// Filled when one team is read, empty in lists.
    #[sqlx(skip)]
    pub members: Vec<TeamMember>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamQuery {
    /// Teams at work in this year; none: every team.
    pub year: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

// ----- meetings --------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingInput {
    pub team_id: i64,
    pub held_on: String,
    pub place: String,
    /// How many members came; empty when not counted.
    pub attendance: String,
    /// The minutes, or where the signed minutes are kept.
    pub minutes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeetingDraft {
    pub team_id: i64,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub attendance: Option<i64>,
    pub minutes: Option<String>,
}

impl MeetingInput {
    pub fn parse(&self) -> Result<MeetingDraft> {
        let mut errors = Vec::new();
        let held_on = date(&mut errors, "held_on", &self.held_on);
        let place = optional_line(&mut errors, "place", &self.place);
        let attendance = match self.attendance.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(n) if (0..=10_000).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "attendance",
                        "Podaj liczbę obecnych, np. 7.",
                    ));
                    None
                }
            },
        };
        let minutes = block(&mut errors, "minutes", &self.minutes);
        done(errors)?;
        Ok(MeetingDraft {
            team_id: self.team_id,
            held_on,
            place,
            attendance,
            minutes,
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Meeting {
    pub id: i64,
    pub team_id: i64,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub attendance: Option<i64>,
    pub minutes: Option<String>,
}

// ----- the log of other forms --------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityInput {
    pub kind: String,
    pub held_on: String,
    pub organization_id: Option<i64>,
    /// What it was: "Patronat Prezydenta nad Biegiem Niepodległości", "Informacja o konkursach
    /// w newsletterze miasta".
    pub title: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityDraft {
    pub kind: String,
    pub held_on: NaiveDate,
    pub organization_id: Option<i64>,
    pub title: String,
    pub notes: Option<String>,
}

impl ActivityInput {
    pub fn parse(&self) -> Result<ActivityDraft> {
        let mut errors = Vec::new();
        let kind = code(
            &mut errors,
            "kind",
            &self.kind,
            &ACTIVITY_KINDS,
            "Wybierz formę współpracy z listy.",
        );
        let held_on = date(&mut errors, "held_on", &self.held_on);
        let title = line(
            &mut errors,
            "title",
            &self.title,
            "Opisz krótko, czego dotyczyła współpraca.",
        );
        let notes = block(&mut errors, "notes", &self.notes);
        done(errors)?;
        Ok(ActivityDraft {
            kind,
            held_on,
            organization_id: self.organization_id.filter(|id| *id > 0),
            title,
            notes,
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Activity {
    pub id: i64,
    pub kind: String,
    pub held_on: NaiveDate,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub title: String,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityQuery {
    pub year: Option<i64>,
    /// One form only; none: every form.
    pub kind: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

// ----- an organisation's page ----------------------------------------------------------------------

/// An opinion an organisation sent, as its page lists it.
#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct OrganizationOpinion {
    pub id: i64,
    pub consultation_id: i64,
    pub consultation_title: String,
    pub received_on: NaiveDate,
    pub section: Option<String>,
    pub handling: String,
}

/// A team an organisation sits on.
#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct OrganizationMembership {
    pub team_id: i64,
    pub team_name: String,
    pub kind: String,
    pub role: String,
    pub representative: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// The non-financial cooperation an organisation's page shows beside its offers.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct OrganizationCooperation {
    pub opinions: Vec<OrganizationOpinion>,
    pub teams: Vec<OrganizationMembership>,
    pub activities: Vec<Activity>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team() -> TeamInput {
        TeamInput {
            name: "Zespół ds. seniorów".into(),
            kind: "joint_team".into(),
            starts_on: "01.02.2026".into(),
            members: vec![
                TeamMemberInput {
                    organization_id: Some(3),
                    role: "chair".into(),
                    ..Default::default()
                },
                TeamMemberInput {
                    name: "Wydział Spraw Społecznych".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
    }

    fn fields(e: Error) -> Vec<String> {
        match e {
            Error::Invalid(f) => f.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_team_keeps_its_members_in_order_with_the_default_role() {
        let d = team().parse().unwrap();
        assert_eq!(d.members.len(), 2);
        assert_eq!(d.members[0].organization_id, Some(3));
        assert_eq!(d.members[0].name, None);
        assert_eq!(d.members[1].role, "member");
        assert_eq!(
            d.members[1].name.as_deref(),
            Some("Wydział Spraw Społecznych")
        );
    }

    #[test]
    fn a_member_without_an_organisation_or_a_name_is_refused_at_its_row() {
        let mut t = team();
        t.members.push(TeamMemberInput::default());
        assert_eq!(fields(t.parse().unwrap_err()), vec!["members.2.name"]);
    }

    #[test]
    fn two_chairs_an_end_before_the_start_and_a_wrong_kind_are_refused() {
        let mut t = team();
        t.members[1].role = "chair".into();
        t.ends_on = "31.01.2026".into();
        t.kind = "council".into();
        assert_eq!(
            fields(t.parse().unwrap_err()),
            vec!["kind", "ends_on", "members.1.role"]
        );
    }

    #[test]
    fn a_meeting_counts_attendance_as_a_whole_number() {
        let m = MeetingInput {
            team_id: 1,
            held_on: "10.03.2026".into(),
            attendance: "siedem".into(),
            ..Default::default()
        };
        assert_eq!(fields(m.parse().unwrap_err()), vec!["attendance"]);
        let m = MeetingInput {
            attendance: "7".into(),
            ..m
        };
        assert_eq!(m.parse().unwrap().attendance, Some(7));
    }

    #[test]
    fn an_activity_needs_its_form_and_what_it_was() {
        let a = ActivityInput {
            kind: "parade".into(),
            held_on: "10.03.2026".into(),
            ..Default::default()
        };
        assert_eq!(fields(a.parse().unwrap_err()), vec!["kind", "title"]);
    }
}
