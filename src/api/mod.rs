//! Server functions: the pages' only way to the server. Each is a few lines:
//! take the state, call a service, return a DTO. Errors cross the wire as
//! [`ApiError`], which never carries internal details.

/// The JSON encoding of server function answers (one decoder in the browser).
pub mod codec;
pub mod github;
pub mod projects;
pub mod quality;
pub mod routes;
pub mod weekly;

pub use github::*;
pub use projects::*;
pub use quality::*;
pub use routes::*;
pub use weekly::*;

use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// The error every server function returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    /// The input cannot be accepted; the message says why, for the form.
    #[error("{0}")]
    Invalid(String),
    #[error("Something went wrong on the server; its log has the details.")]
    Internal,
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl FromServerFnError for ApiError {
    type Encoder = codec::StrJsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ApiError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<crate::server::services::ServiceError> for ApiError {
    fn from(e: crate::server::services::ServiceError) -> Self {
        tracing::error!(error = %e, "server function failed");
        ApiError::Internal
    }
}

/// The application state provided to server functions as context.
#[cfg(feature = "ssr")]
pub(crate) fn app_state() -> Result<crate::server::state::AppState, ApiError> {
    leptos::prelude::use_context::<crate::server::state::AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        ApiError::Internal
    })
}
