//! Configuration values checked while serde reads them, inside the visitor:
//! serde_yaml places an error made there at the value's own line and
//! column, where one made after the value is read points at its block.

use std::fmt;

use serde::de::{Deserializer, Error, Visitor};

/// A text value (a number is read as its digits) turned into `T` by
/// `parse`, whose error is the problem in words.
pub fn text<'de, D, T, F>(deserializer: D, expecting: &'static str, parse: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, String>,
{
    deserializer.deserialize_any(TextVisitor { expecting, parse })
}

/// Like `text`, for a value that may be left empty (`~` or `null`): `None`.
pub fn optional_text<'de, D, T, F>(deserializer: D, expecting: &'static str, parse: F) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, String>,
{
    deserializer.deserialize_option(OptionalTextVisitor { expecting, parse })
}

/// A whole number turned into `T` by `check`, whose error is the problem in words.
pub fn number<'de, D, T, F>(deserializer: D, expecting: &'static str, check: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(u64) -> Result<T, String>,
{
    deserializer.deserialize_any(NumberVisitor { expecting, check })
}

struct TextVisitor<F> {
    expecting: &'static str,
    parse: F,
}

impl<'de, T, F: FnOnce(&str) -> Result<T, String>> Visitor<'de> for TextVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        (self.parse)(value).map_err(E::custom)
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<T, E> {
        self.visit_str(&value.to_string())
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<T, E> {
        self.visit_str(&value.to_string())
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<T, E> {
        self.visit_str(&value.to_string())
    }
}

struct OptionalTextVisitor<F> {
    expecting: &'static str,
    parse: F,
}

impl<'de, T, F: FnOnce(&str) -> Result<T, String>> Visitor<'de> for OptionalTextVisitor<F> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_none<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        text(deserializer, self.expecting, self.parse).map(Some)
    }
}

struct NumberVisitor<F> {
    expecting: &'static str,
    check: F,
}

impl<'de, T, F: FnOnce(u64) -> Result<T, String>> Visitor<'de> for NumberVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<T, E> {
        (self.check)(value).map_err(E::custom)
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<T, E> {
        match u64::try_from(value) {
            Ok(value) => self.visit_u64(value),
            Err(_) => Err(E::custom(format!("{value} is below 0: {}", self.expecting))),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    fn month<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        super::number(d, "a month number", |n| if (1..=12).contains(&n) { Ok(n as u32) } else { Err(format!("{n} is not a month")) })
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        a: u32,
        inner: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        b: u32,
        #[serde(deserialize_with = "month")]
        m: u32,
    }

    #[test]
    fn an_error_points_at_the_value_not_its_block() {
        let err = serde_yaml::from_str::<Outer>("a: 1\ninner:\n  b: 2\n\n  m: 13\n").unwrap_err().to_string();
        assert!(err.contains("13 is not a month") && err.contains("line 5 column 6"), "{err}");
    }
}
