//! The cover details of a paper: the YAML `report:` section as written, and
//! (serialised) the same fields as the template prints them. One type for
//! both, so a new field is added in one place.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::period::{long_date, optional_iso_date};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportDetails {
    /// Name of the council; blank until the configuration is resolved (then
    /// the fictional example's name, or a visible reminder to set it).
    #[serde(deserialize_with = "null_as_blank")]
    pub authority: String,
    pub title: String,
    pub committee: Option<String>,
    /// Read as `YYYY-MM-DD`; printed as `1 May 2025`.
    #[serde(deserialize_with = "optional_iso_date", serialize_with = "long_date_or_null")]
    pub meeting_date: Option<NaiveDate>,
    pub lead_officer: Option<String>,
    pub cabinet_member: Option<String>,
    pub author: Option<String>,
    pub contact: Option<String>,
    /// Government Security Classification, in every page's header and footer.
    pub classification: String,
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
            author: None,
            contact: None,
            classification: "OFFICIAL".into(),
        }
    }
}

/// `authority: null` (as the shipped default file writes it) reads as blank.
fn null_as_blank<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
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
        assert_eq!(details.meeting_date, NaiveDate::from_ymd_opt(2025, 5, 1));
        let json = serde_json::to_value(&details).unwrap();
        assert_eq!(json["meeting_date"], "1 May 2025");
        assert_eq!(json["committee"], serde_json::Value::Null);
        assert_eq!(json["classification"], "OFFICIAL");
    }
}
