//! The one error format of `/api/v1` and the extractors that turn bad input
//! into it (400) instead of axum's plain-text rejections.

use crate::model::api::{ApiErrorBody, ApiErrorDetail};
use crate::server::services::ServiceError;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;

/// An API error: a status, a stable code and a message for people.
#[derive(Debug)]
pub struct ApiV1Error {
    pub status: StatusCode,
    pub message: String,
}

impl ApiV1Error {
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiV1Error {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiV1Error {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    fn code(&self) -> &'static str {
        match self.status {
            StatusCode::BAD_REQUEST => "bad_request",
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            _ => "internal",
        }
    }
}

impl From<ServiceError> for ApiV1Error {
    fn from(e: ServiceError) -> Self {
        // Logged here with its details; the client gets none of them.
        tracing::error!(error = %e, "API request failed");
        ApiV1Error {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "Something went wrong on the server; its log has the details.".into(),
        }
    }
}

impl IntoResponse for ApiV1Error {
    fn into_response(self) -> Response {
        let body = ApiErrorBody {
            error: ApiErrorDetail {
                status: self.status.as_u16(),
                code: self.code().to_string(),
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

/// `Query<T>` whose rejection (unknown parameter, wrong type) is a 400 in the
/// API's format, naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiV1Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(ApiV1Error::bad_request(format!(
                    "bad query parameter: {}",
                    e.body_text()
                        .trim_start_matches("Failed to deserialize query string: ")
                )))
            }
            Err(e) => Err(ApiV1Error::bad_request(e.body_text())),
        }
    }
}

/// Parses a path id: a positive integer, else 400 naming what it is.
pub fn parse_id(raw: &str, what: &str) -> Result<i64, ApiV1Error> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiV1Error::bad_request(format!(
            "{what} id must be a positive integer, not {:?}",
            raw.chars().take(40).collect::<String>()
        ))
    })
}

/// Checks a numeric parameter's range.
pub fn in_range(name: &str, value: i64, lo: i64, hi: i64) -> Result<i64, ApiV1Error> {
    if (lo..=hi).contains(&value) {
        Ok(value)
    } else {
        Err(ApiV1Error::bad_request(format!(
            "{name} must be between {lo} and {hi}, not {value}"
        )))
    }
}
