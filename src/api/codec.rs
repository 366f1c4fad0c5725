//! How the browser decodes JSON: every server function's answer (and
//! [`ApiError`]), every `Resource`'s hydration data and the live feed's
//! messages go through one function, [`from_json`]: the text to a
//! `serde_json::Value`, then the `Value` to the DTO.
//!
//! Why: a DTO's `Deserialize` is compiled once per deserializer it is read
//! from, and serde_json's text deserializer inlines its whole lexer (white
//! space, commas, escapes) into each of them. Going through `Value` leaves one
//! text parser (the `Value`'s own) and reads every DTO from an owned
//! `Value`, whose code per DTO is smaller. With ~60 DTOs that is 10 KB less
//! gzip and 8.4 KB less brotli in the release wasm; the cost is a second walk
//! over the decoded tree, negligible next to the request. Before (session 4)
//! this module put both paths on `from_str`: server_fn's `Json` decodes with
//! `from_slice` and leptos' default `Resource` codec with `from_str`, so each
//! DTO was compiled twice.
//!
//! The wire format is unchanged: the same content type and bytes as
//! server_fn's `Json` and leptos' `JsonSerdeCodec`.
//!
//! [`ApiError`]: super::ApiError

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// JSON with `serde_json`, decoded with [`from_json`] (see the module docs).
pub struct StrJsonEncoding;

/// `POST` with URL-encoded arguments is the input (server_fn's default);
/// this is the output: JSON decoded with [`from_json`].
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
        Ok(from_json(std::str::from_utf8(&bytes)?)?)
    }
}

/// JSON text to `T`, through a `serde_json::Value` (see the module docs).
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let value: serde_json::Value = serde_json::from_str(text)?;
    serde_json::from_value(value)
}

/// The codec of every `Resource`'s hydration data: leptos' default
/// (`JsonSerdeCodec`) but decoded with [`from_json`].
pub struct ValueJson;

impl<T: Serialize> leptos::server::codee::Encoder<T> for ValueJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, Self::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> leptos::server::codee::Decoder<T> for ValueJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, Self::Error> {
        from_json(val)
    }
}

/// `Resource::new` with [`ValueJson`]: what every page and component uses
/// (see the module docs).
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> leptos::prelude::Resource<T, ValueJson>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    leptos::prelude::Resource::new_with_options(source, fetcher, false)
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

    /// A `Resource::new` (leptos' own codec, `from_str`) would bring the text
    /// deserializer's copy of its DTO's `Deserialize` back, unnoticed.
    #[test]
    fn every_resource_decodes_with_from_json() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut resources = 0;
        for dir in ["pages", "components", "components/charts"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !text.contains("Resource::new(") && !text.contains("serde_json::from_"),
                    "{}: use crate::api::codec::resource / from_json",
                    path.display()
                );
                resources += text.matches("codec::resource(").count();
            }
        }
        assert!(resources >= 10, "found only {resources} resources");
    }

    #[test]
    fn from_json_reads_what_from_str_reads() {
        let err = ApiError::NotFound("There is no project #7.".into());
        let text = serde_json::to_string(&err).unwrap();
        assert_eq!(from_json::<ApiError>(&text).unwrap(), err);
        let both: (Option<u32>, Vec<f64>, String) =
            from_json(r#"[null, [1.5, -2e3], "a \"quoted\" \u00e9"]"#).unwrap();
        assert_eq!(
            both,
            serde_json::from_str(r#"[null, [1.5, -2e3], "a \"quoted\" \u00e9"]"#).unwrap()
        );
        assert!(from_json::<u8>("300").is_err());
        assert!(from_json::<ApiError>("{\"NotFound\": 3}").is_err());
        assert!(from_json::<String>("\"unterminated").is_err());
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
