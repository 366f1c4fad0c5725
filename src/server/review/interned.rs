//! Serde for the `&'static str` names that project facts carry (framework,
//! signal and language-family names). They are written as strings and read
//! back as static names: each distinct name is leaked once and reused, and a
//! cache that holds implausibly many distinct names is refused rather than
//! leaked.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, OnceLock};

/// More distinct names than the engine has (a few hundred) means the input
/// is not ours.
const MAX_NAMES: usize = 4_096;

fn intern<E: serde::de::Error>(s: String) -> Result<&'static str, E> {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(&name) = names.get(s.as_str()) {
        return Ok(name);
    }
    if names.len() >= MAX_NAMES {
        return Err(E::custom("too many distinct names"));
    }
    let name: &'static str = Box::leak(s.into_boxed_str());
    names.insert(name);
    Ok(name)
}

/// A static name as a struct field type. serde's derive borrows fields
/// spelled `&'static str` from the input (which a cache file read into a
/// buffer cannot lend); spelled through this alias, with
/// `#[serde(with = "interned::name")]`, they are interned instead.
pub type StaticName = &'static str;

/// `#[serde(with = "interned::name")]` on a [`StaticName`].
pub mod name {
    use super::*;

    pub fn serialize<S: Serializer>(value: &&'static str, s: S) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        intern(String::deserialize(d)?)
    }
}

/// `#[serde(with = "interned::name_map")]` on a `BTreeMap<&'static str, V>`.
pub mod name_map {
    use super::*;

    pub fn serialize<S: Serializer, V: Serialize>(
        value: &BTreeMap<&'static str, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
        d: D,
    ) -> Result<BTreeMap<&'static str, V>, D::Error> {
        BTreeMap::<String, V>::deserialize(d)?
            .into_iter()
            .map(|(k, v)| Ok((intern::<D::Error>(k)?, v)))
            .collect()
    }
}

/// `#[serde(with = "interned::name_pairs")]` on a `Vec<(&'static str, T)>`.
pub mod name_pairs {
    use super::*;

    pub fn serialize<S: Serializer, T: Serialize>(
        value: &[(&'static str, T)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Vec<(&'static str, T)>, D::Error> {
        Vec::<(String, T)>::deserialize(d)?
            .into_iter()
            .map(|(k, v)| Ok((intern::<D::Error>(k)?, v)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_read_twice_is_the_same_static_str() {
        let a: &'static str = intern::<serde_json::Error>("Express".to_string()).unwrap();
        let b: &'static str = intern::<serde_json::Error>("Express".to_string()).unwrap();
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn a_map_round_trips() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct M(#[serde(with = "name_map")] BTreeMap<&'static str, usize>);
        let m = M(BTreeMap::from([("JS/TS", 3), ("Go", 1)]));
        let back: M = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(back, m);
    }
}
