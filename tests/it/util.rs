//! Helpers shared by the tests: a fresh database file in a temporary folder.

use kartoteka_core::register::{OrganizationInput, PersonInput, SaveOutcome};
use kartoteka_core::Kartoteka;
use tempfile::TempDir;

pub struct TestDb {
    pub dir: TempDir,
    pub k: Kartoteka,
}

impl TestDb {
    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("kartoteka.db")
    }
}

pub async fn fresh() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let k = Kartoteka::open(&dir.path().join("kartoteka.db"))
        .await
        .unwrap();
    TestDb { dir, k }
}

pub fn org(name: &str, city: &str) -> OrganizationInput {
    OrganizationInput {
        name: name.into(),
        legal_form: "stowarzyszenie".into(),
        city: city.into(),
        ..Default::default()
    }
}

pub async fn save_org(k: &Kartoteka, input: &OrganizationInput) -> i64 {
    match k.save_organization(None, input, false).await.unwrap() {
        SaveOutcome::Saved { id } => id,
        other => panic!("not saved: {other:?}"),
    }
}

pub async fn save_person(k: &Kartoteka, input: &PersonInput) -> i64 {
    match k.save_person(None, input, false).await.unwrap() {
        SaveOutcome::Saved { id } => id,
        other => panic!("not saved: {other:?}"),
    }
}
