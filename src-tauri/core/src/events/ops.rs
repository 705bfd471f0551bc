//! Events' operations: saving, registrations, attendance and its printed list.

use crate::error::Result;
use crate::export::{self};
use crate::register::*;
use crate::Kartoteka;
use chrono::Local;
use std::path::Path;

impl Kartoteka {
    // ----- events ----------------------------------------------------------------------------

    pub async fn save_event(
        &self,
        id: Option<i64>,
        input: &crate::events::EventInput,
    ) -> Result<i64> {
        let draft = input.parse()?;
        let room = input.room_id.filter(|r| *r > 0);
        if let Some(room) = room {
            self.check_room_for_event(id, room, draft.starts_at, draft.ends_at)
                .await?;
        }
        let id = self.store.save_event(id, &draft).await?;
        self.book_room_for_event(
            id,
            room,
            &draft.title,
            draft.starts_at,
            draft.ends_at,
            draft.capacity,
        )
        .await?;
        tracing::info!(event = id, "event saved");
        Ok(id)
    }

    pub async fn event(&self, id: i64) -> Result<crate::events::Event> {
        let mut event = self.store.get_event(id).await?;
        if let Some((room, name)) = self.room_of_event(id).await? {
            event.room_id = Some(room);
            event.room_name = Some(name);
        }
        Ok(event)
    }

    pub async fn delete_event(&self, id: i64) -> Result<()> {
        self.store.delete_event(id).await
    }

    pub async fn events(
        &self,
        query: &crate::events::EventQuery,
    ) -> Result<Page<crate::events::EventRow>> {
        self.store
            .list_events(query, Local::now().date_naive())
            .await
    }

    /// Registers a person, with the organisation they come from when they have a role in one.
    pub async fn register_for_event(
        &self,
        event_id: i64,
        person_id: i64,
        organization_id: Option<i64>,
    ) -> Result<String> {
        let organization_id = match organization_id {
            Some(o) => Some(o),
            None => self
                .store
                .get_person(person_id)
                .await?
                .roles
                .first()
                .map(|r| r.organization_id),
        };
        self.store
            .register_for_event(event_id, person_id, organization_id)
            .await
    }

    pub async fn unregister(&self, registration_id: i64) -> Result<()> {
        self.store.unregister(registration_id).await
    }

    pub async fn set_attended(&self, registration_id: i64, attended: bool) -> Result<()> {
        self.store.set_attended(registration_id, attended).await
    }

    /// The attendance sheet of an event as a PDF file.
    pub async fn attendance_pdf(&self, event_id: i64, office: &str, out: &Path) -> Result<usize> {
        let event = self.store.get_event(event_id).await?;
        let office = self.office_name_or(office).await?;
        let (bytes, pages) =
            crate::events::attendance_pdf(&event, &office, Local::now().date_naive())?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(event = event_id, pages, "attendance sheet written");
        Ok(pages)
    }
}
