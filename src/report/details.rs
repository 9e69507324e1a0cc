//! The cover details of a paper: the YAML `report:` section as written, and
//! (serialised) the same fields as the template prints them. One type for
//! both, so a new field is added in one place.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::checked;
use crate::period::{long_date, optional_iso_date};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportDetails {
    /// Name of the council; blank until the configuration is resolved (then
    /// the fictional example's name, or a visible reminder to set it).
    #[serde(deserialize_with = "authority")]
    pub authority: String,
    #[serde(deserialize_with = "title")]
    pub title: String,
    #[serde(deserialize_with = "committee")]
    pub committee: Option<String>,
    /// Read as `YYYY-MM-DD`; printed as `1 May 2025`.
    #[serde(deserialize_with = "optional_iso_date", serialize_with = "long_date_or_null")]
    pub meeting_date: Option<NaiveDate>,
    pub lead_officer: Option<String>,
    pub cabinet_member: Option<String>,
    /// Who presents the item at the meeting.
    pub person_leading: Option<String>,
    /// Why the item is on the agenda (e.g. the committee's work programme).
    pub origin_of_item: Option<String>,
    /// The brief for the committee: what it is asked to consider.
    pub brief: Option<String>,
    /// The purpose of the report, in a sentence.
    pub purpose: Option<String>,
    pub wards: Option<String>,
    /// `true`: a key decision; printed as Yes or No.
    #[serde(serialize_with = "yes_no_or_null")]
    pub key_decision: Option<bool>,
    pub author: Option<String>,
    pub contact: Option<String>,
    pub background_documents: Option<String>,
    /// Government Security Classification, in every page's header and footer:
    /// OFFICIAL or OFFICIAL-SENSITIVE, written in any case.
    pub classification: Classification,
    /// Decimal places of percentages in tables and text (0 to 3).
    #[serde(skip_serializing, deserialize_with = "decimals")]
    pub decimals: usize,
}

/// The two markings a paper about children may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classification {
    Official,
    OfficialSensitive,
}

impl Classification {
    pub fn marking(self) -> &'static str {
        match self {
            Classification::Official => "OFFICIAL",
            Classification::OfficialSensitive => "OFFICIAL-SENSITIVE",
        }
    }
}

impl<'de> Deserialize<'de> for Classification {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::checked::text(deserializer, "OFFICIAL or OFFICIAL-SENSITIVE", |text| {
            let words: Vec<String> =
                text.split(|c: char| c.is_whitespace() || c == '-' || c == '_').filter(|w| !w.is_empty()).map(str::to_uppercase).collect();
            match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                ["OFFICIAL"] => Ok(Classification::Official),
                ["OFFICIAL", "SENSITIVE"] => Ok(Classification::OfficialSensitive),
                _ => Err(format!("`{text}` is not a classification for a committee paper: write OFFICIAL or OFFICIAL-SENSITIVE")),
            }
        })
    }
}

impl Serialize for Classification {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.marking())
    }
}

fn decimals<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    crate::checked::number(deserializer, "0 to 3 decimal places", |places| {
        if places > 3 {
            return Err(format!("decimals: {places} places is too many: use 0 to 3"));
        }
        Ok(places as usize)
    })
}

fn yes_no_or_null<S: Serializer>(value: &Option<bool>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(true) => serializer.serialize_str("Yes"),
        Some(false) => serializer.serialize_str("No"),
        None => serializer.serialize_none(),
    }
}

impl Default for ReportDetails {
    fn default() -> Self {
        ReportDetails {
            authority: String::new(),
            title: "Children who go missing from home or care".into(),
            committee: None,
            meeting_date: None,
            lead_officer: None,
            cabinet_member: None,
            person_leading: None,
            origin_of_item: None,
            brief: None,
            purpose: None,
            wards: None,
            key_decision: None,
            author: None,
            contact: None,
            background_documents: None,
            classification: Classification::Official,
            decimals: 1,
        }
    }
}

/// The authority, the committee and the title head every page (the running
/// header and the cover): at most this many characters, so they stay on one line.
pub const AUTHORITY_LIMIT: usize = 60;
pub const COMMITTEE_LIMIT: usize = 80;
pub const TITLE_LIMIT: usize = 120;

/// `name` if it has at most `limit` characters.
fn bounded(name: &str, what: &str, limit: usize) -> Result<String, String> {
    let length = name.trim().chars().count();
    if length > limit {
        return Err(format!("the {what} has {length} characters where at most {limit} fit the paper's running header: shorten it"));
    }
    Ok(name.trim().to_string())
}

/// `authority: null` (as the shipped default file writes it) reads as blank.
fn authority<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let name = checked::optional_text(deserializer, "the authority's name", |t| bounded(t, "authority's name", AUTHORITY_LIMIT))?;
    Ok(name.unwrap_or_default())
}

fn committee<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    checked::optional_text(deserializer, "the committee's name", |t| bounded(t, "committee's name", COMMITTEE_LIMIT))
}

fn title<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    checked::text(deserializer, "the paper's title", |t| bounded(t, "title", TITLE_LIMIT))
}

fn long_date_or_null<S: Serializer>(date: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.serialize_str(&long_date(*date)),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_iso_and_printed_in_words() {
        let details: ReportDetails = serde_yaml::from_str("authority: null\nmeeting_date: 2025-05-01\n").unwrap();
        assert_eq!(details.authority, "");
        let long = format!("title: x\nauthority: {}\n", "Borough ".repeat(10));
        let err = serde_yaml::from_str::<ReportDetails>(&long).unwrap_err().to_string();
        assert!(err.contains("the authority's name has 79 characters where at most 60 fit") && err.contains("line 2 column 12"), "{err}");
        let err = serde_yaml::from_str::<ReportDetails>(&format!("committee: {}\n", "c".repeat(81))).unwrap_err().to_string();
        assert!(err.contains("committee's name has 81 characters") && err.contains("line 1"), "{err}");
        assert_eq!(details.meeting_date, NaiveDate::from_ymd_opt(2025, 5, 1));
        let json = serde_json::to_value(&details).unwrap();
        assert_eq!(json["meeting_date"], "1 May 2025");
        assert_eq!(json["committee"], serde_json::Value::Null);
        assert_eq!(json["classification"], "OFFICIAL");
    }

    #[test]
    fn classification_is_matched_in_any_case_and_anything_else_is_refused() {
        let read = |text: &str| serde_yaml::from_str::<ReportDetails>(&format!("classification: {text}\n"));
        assert_eq!(read("official-sensitive").unwrap().classification, Classification::OfficialSensitive);
        assert_eq!(read("Official Sensitive").unwrap().classification, Classification::OfficialSensitive);
        assert_eq!(read("official").unwrap().classification, Classification::Official);
        let refused = read("TOP SECRET").unwrap_err().to_string();
        assert!(refused.contains("`TOP SECRET` is not a classification") && refused.contains("OFFICIAL-SENSITIVE"), "{refused}");
        assert!(read("x").is_err());
        let json = serde_json::to_value(read("official-sensitive").unwrap()).unwrap();
        assert_eq!(json["classification"], "OFFICIAL-SENSITIVE");
        assert!(json.get("decimals").is_none());
    }
}
