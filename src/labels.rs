//! Words for the ids of METRICS.md as a paper prints them: breakdown
//! categories (`10_12` → `10 to 12`). The charts and the report both say a
//! category the same way.

use crate::format::capitalise;
use crate::metrics::Dimension;
use crate::reasons::ReasonVocabulary;

/// A category id as printed: `10_12` → `10 to 12`; a reason code as its
/// vocabulary labels it (`with_friends` → `With friends`).
pub fn category_label(dimension: Dimension, category: &str, reasons: &ReasonVocabulary) -> String {
    if dimension == Dimension::Reason {
        if let Some(label) = reasons.label(category) {
            return label.to_string();
        }
    }
    let fixed = match (dimension, category) {
        (_, "under_24h") => "Under 24 hours",
        (_, "24_72h") => "24 to 72 hours",
        (_, "3_7_days") => "3 to 7 days",
        (_, "over_7_days") => "Over 7 days",
        (_, "open") => "Still missing",
        (_, "other_unknown") => "Other or not known",
        (_, "not_known") => "Not known",
        (_, "not_recorded") => "Not recorded",
        (_, "in_area") => "In area",
        (_, "out_of_area") => "Out of area",
        (Dimension::Uasc, "uasc") => "Unaccompanied asylum-seeking",
        (Dimension::Uasc, "not_uasc") => "Not unaccompanied asylum-seeking",
        (Dimension::Uasc, "unknown") => "Not known",
        (Dimension::Exploitation, "both") => "CSE and CCE",
        (Dimension::Exploitation, "none") => "Neither",
        (_, "cse") => "CSE",
        (_, "cce") => "CCE",
        (_, "11_plus") => "11 or more",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    if let Some(age) = category.strip_prefix("under_") {
        return format!("Under {age}");
    }
    if let Some(age) = category.strip_suffix("_plus") {
        return format!("{age} and over");
    }
    if let Some((a, b)) = category.split_once('_') {
        if a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()) {
            return format!("{a} to {b}");
        }
    }
    capitalise(&category.replace('_', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_ids_read_as_words() {
        let reasons = ReasonVocabulary::with(&[("argument_at_home".into(), "Argument at home".into())]).unwrap();
        assert_eq!(category_label(Dimension::Reason, "argument_at_home", &reasons), "Argument at home");
        assert_eq!(category_label(Dimension::Reason, "not_recorded", &reasons), "Not recorded");
        assert_eq!(category_label(Dimension::AgeBand, "10_12", &reasons), "10 to 12");
        assert_eq!(category_label(Dimension::AgeBand, "under_10", &reasons), "Under 10");
        assert_eq!(category_label(Dimension::AgeBand, "18_plus", &reasons), "18 and over");
        assert_eq!(category_label(Dimension::Reason, "with_friends", &reasons), "With friends");
        assert_eq!(category_label(Dimension::Reason, "cse", &reasons), "CSE");
        assert_eq!(category_label(Dimension::Exploitation, "none", &reasons), "Neither");
        assert_eq!(category_label(Dimension::EpisodesPerChild, "6_10", &reasons), "6 to 10");
        assert_eq!(category_label(Dimension::DurationBand, "3_7_days", &reasons), "3 to 7 days");
    }
}
