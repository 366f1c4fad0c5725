//! The wire encoding of every server function's answer (and of [`ApiError`]):
//! JSON, exactly as server_fn's own `Json` writes it (same content type, same
//! bytes), but decoded in the browser with `serde_json::from_str` instead of
//! `from_slice`.
//!
//! Why: the browser deserializes every DTO twice over — from the hydration
//! data of a `Resource` (leptos decodes it with `serde_json::from_str`) and
//! from a server function's response (server_fn's `JsonEncoding` decodes
//! with `from_slice`). Each entry point monomorphizes every DTO's
//! `Deserialize` for its own reader, so the wasm carried two copies of all
//! of them. Decoding both through `from_str` keeps one copy.
//!
//! [`ApiError`]: super::ApiError

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// JSON with `serde_json`, decoded from a `&str` (see the module docs).
pub struct StrJsonEncoding;

/// `POST` with URL-encoded arguments is the input (server_fn's default);
/// this is the output: JSON decoded with `from_str`.
pub type StrJson = Post<StrJsonEncoding>;

impl ContentType for StrJsonEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for StrJsonEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for StrJsonEncoding {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

/// Why decoding failed: the body is not UTF-8 (JSON always is), or not the
/// JSON of the expected type.
#[derive(Debug, thiserror::Error)]
pub enum StrJsonError {
    #[error("the response is not UTF-8: {0}")]
    NotUtf8(#[from] std::str::Utf8Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl<T: DeserializeOwned> Decodes<T> for StrJsonEncoding {
    type Error = StrJsonError;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        Ok(serde_json::from_str(std::str::from_utf8(&bytes)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiError;

    #[test]
    fn round_trips_like_server_fn_json() {
        let err = ApiError::NotFound("There is no project #7.".into());
        let bytes = <StrJsonEncoding as Encodes<ApiError>>::encode(&err).unwrap();
        let theirs = <leptos::server_fn::codec::JsonEncoding as Encodes<ApiError>>::encode(&err);
        assert_eq!(
            bytes,
            theirs.unwrap(),
            "the same bytes on the wire as server_fn's Json"
        );
        let back: ApiError = StrJsonEncoding::decode(bytes).unwrap();
        assert_eq!(back, err);
    }

    /// A server function without `output = StrJson` would bring the second
    /// copy of its DTO's deserializer back into the wasm, unnoticed.
    #[test]
    fn every_server_function_answers_with_str_json() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
        let mut server_fns = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for attr in text
                .lines()
                .filter(|l| l.trim_start().starts_with("#[server("))
            {
                server_fns += 1;
                assert!(
                    attr.contains("output = crate::api::codec::StrJson"),
                    "{}: {attr}",
                    path.display()
                );
            }
        }
        assert!(server_fns >= 19, "found only {server_fns} server functions");
    }

    #[test]
    fn bad_bodies_are_errors() {
        let not_utf8 = Bytes::from_static(&[b'"', 0xff, b'"']);
        let e = <StrJsonEncoding as Decodes<String>>::decode(not_utf8).unwrap_err();
        assert!(matches!(e, StrJsonError::NotUtf8(_)), "{e}");
        let wrong = Bytes::from_static(b"{\"NotFound\": 3}");
        let e = <StrJsonEncoding as Decodes<ApiError>>::decode(wrong).unwrap_err();
        assert!(matches!(e, StrJsonError::Json(_)), "{e}");
    }
}
