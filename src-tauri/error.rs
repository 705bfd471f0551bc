//! How core errors cross IPC: `{code, message, field?, fields}` with a Polish message, so the
//! window can put each message under the field it belongs to.

use kartoteka_core::{Error, FieldError};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub fields: Vec<FieldError>,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        if matches!(e, Error::Database(_) | Error::Migration(_) | Error::Io(_)) {
            // The Debug form keeps the library's own words for whoever reads the log.
            tracing::error!(code = e.code(), error = ?e, "command failed");
        }
        let fields = e.field_errors().to_vec();
        IpcError {
            code: e.code(),
            message: e.to_string(),
            field: fields.first().map(|f| f.field.clone()),
            fields,
        }
    }
}

pub type CmdResult<T> = Result<T, IpcError>;
