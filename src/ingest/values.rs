//! Cell values as INPUT.md reads them: dates (ISO or day-first, never
//! month-first), Y/N variants, blanks, ages, ethnicity groups and reasons.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

pub const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid epoch");

/// A header's names as matched: trimmed, lower case.
pub fn header_names(header: &[String]) -> Vec<String> {
    header.iter().map(|h| h.trim().to_ascii_lowercase()).collect()
}

/// Blank, or one of the words extracts write for "no value".
pub fn is_blank(value: &str) -> bool {
    value.is_empty() || ["na", "n/a", "null"].iter().any(|b| value.eq_ignore_ascii_case(b))
}

pub(super) fn millis(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_millis()
}

pub(super) fn format_millis(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.naive_utc().format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

pub(super) fn days_since_epoch(d: NaiveDate) -> i32 {
    (d - EPOCH).num_days() as i32
}

/// The DfE ethnicity group: from a four-letter DfE code's first letter
/// (`WBRI` white, `MWBC` mixed, `APKN` asian, `BCRB` black, `OOTH`/`CHNE`
/// other; `REFU`, `NOBT` not known), or from the words of a free-text value.
pub fn ethnicity_group(value: Option<&str>) -> &'static str {
    let Some(value) = value else { return "not_known" };
    let code = value.trim();
    if code.len() == 4 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return match code {
            _ if code.eq_ignore_ascii_case("REFU") || code.eq_ignore_ascii_case("NOBT") => "not_known",
            code => match code.as_bytes()[0].to_ascii_uppercase() {
                b'W' => "white",
                b'M' => "mixed",
                b'A' => "asian",
                b'B' => "black",
                b'O' | b'C' => "other",
                _ => "not_known",
            },
        };
    }
    let lower = value.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["not known", "unknown", "refused", "not obtained", "not yet obtained", "not stated", "declined"]) {
        "not_known"
    } else if has(&["mixed", "dual heritage", " and "]) {
        "mixed"
    } else if has(&["white", "traveller", "roma", "gypsy"]) {
        "white"
    } else if has(&["black", "african", "caribbean"]) {
        "black"
    } else if has(&["asian", "indian", "pakistani", "bangladeshi", "chinese"]) {
        "asian"
    } else {
        "other"
    }
}

/// Reasons as `label;label`: trimmed, lower case, spaces as `_`, blanks and repeats dropped.
pub(super) fn normalise_reasons(text: &str) -> String {
    // Most extracts already hold one label in this form.
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return text.to_string();
    }
    let mut labels: Vec<String> = Vec::new();
    for label in text.split(';') {
        let label = label.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join("_");
        if !label.is_empty() && !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels.join(";")
}

/// Whether `value` is one of `words`, in any case.
pub(super) fn is_any(value: &str, words: &[&str]) -> bool {
    words.iter().any(|w| value.eq_ignore_ascii_case(w))
}

/// `Y`/`N`, `yes`/`no`, `true`/`false`, `1`/`0` in any case; `None` if unrecognised.
pub fn parse_yes_no(value: &str) -> Option<bool> {
    if is_any(value, &["y", "yes", "true", "1"]) {
        Some(true)
    } else if is_any(value, &["n", "no", "false", "0"]) {
        Some(false)
    } else {
        None
    }
}

/// Completed years at `on`; a 29 February birthday falls on 1 March in other years.
pub fn age_in_years(born: NaiveDate, on: NaiveDate) -> i32 {
    let birthday = |year: i32| {
        if born.month() == 2 && born.day() == 29 && NaiveDate::from_ymd_opt(year, 2, 29).is_none() {
            (3, 1)
        } else {
            (born.month(), born.day())
        }
    };
    let mut age = on.year() - born.year();
    if (on.month(), on.day()) < birthday(on.year()) {
        age -= 1;
    }
    age
}

/// ISO (`2023-04-03`, `2023-04-03 14:05`, `2023-04-03T14:05:00`) or UK
/// day-first (`3/4/2023 14:05`); never month-first. Years outside 1900-2100
/// and impossible dates give `None`.
pub fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    parse_iso_exact(text).or_else(|| parse_any_timestamp(text))
}

/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS` (space or `T`),
/// the shapes most extracts use, read straight from the bytes. Anything
/// else, and any impossible date, is left to `parse_any_timestamp`, which
/// reads these shapes the same way.
pub(super) fn parse_iso_exact(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    let digits = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if !matches!(b.len(), 10 | 16 | 19) || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?);
    let (hour, minute, second) = if b.len() == 10 {
        (0, 0, 0)
    } else {
        if !matches!(b[10], b' ' | b'T') || b[13] != b':' || (b.len() == 19 && b[16] != b':') {
            return None;
        }
        let second = if b.len() == 19 { digits(17, 19)? } else { 0 };
        (digits(11, 13)?, digits(14, 16)?, second)
    };
    if !(1900..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)?.and_hms_opt(hour, minute, second)
}

/// Every accepted shape: ISO or day-first, with or without a time.
pub(super) fn parse_any_timestamp(text: &str) -> Option<NaiveDateTime> {
    let (date_part, time_part) = match text.find(['T', ' ']) {
        Some(i) if text.as_bytes()[i] == b'T' && text[..i].contains('-') => (&text[..i], Some(&text[i + 1..])),
        Some(i) if text.as_bytes()[i] == b' ' => (&text[..i], Some(text[i + 1..].trim_start())),
        Some(_) => return None,
        None => (text, None),
    };
    let number = |s: &str, min_len: usize, max_len: usize| -> Option<u32> {
        (s.len() >= min_len && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    let mut parts = date_part.split(['-', '/']);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (year, month, day) = if date_part.contains('-') && !date_part.contains('/') {
        (number(a, 4, 4)?, number(b, 1, 2)?, number(c, 1, 2)?)
    } else if date_part.contains('/') && !date_part.contains('-') {
        (number(c, 4, 4)?, number(b, 1, 2)?, number(a, 1, 2)?)
    } else {
        return None;
    };
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let (hour, minute, second) = match time_part {
        None => (0, 0, 0),
        Some(t) => {
            let t = t.split('.').next()?;
            let mut fields = t.split(':');
            let hour = number(fields.next()?, 1, 2)?;
            let minute = number(fields.next()?, 2, 2)?;
            let second = match fields.next() {
                Some(s) => number(s, 2, 2)?,
                None => 0,
            };
            if fields.next().is_some() {
                return None;
            }
            (hour, minute, second)
        }
    };
    let time = date.and_hms_opt(hour, minute, second)?;
    debug_assert_eq!(time.hour(), hour);
    Some(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Option<String> {
        parse_timestamp(text).map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
    }

    #[test]
    fn the_fast_iso_reader_agrees_with_the_general_one() {
        let samples = [
            "2023-04-03",
            "2023-04-03 14:05",
            "2023-04-03T14:05",
            "2023-04-03 14:05:09",
            "2023-04-03T23:59:59",
            "2024-02-29",
            "2023-02-29",
            "2023-02-31 10:00",
            "2023-13-01",
            "1899-12-31",
            "2100-12-31 23:59",
            "2101-01-01",
            "2023-04-03 24:00",
            "2023-04-03 14:60",
            "2023-04-03 14:05:60",
            "2023-04-03x14:05",
            "2023/04/03",
            "2023-4-03",
            "2023-04-03 9:05",
            "2023-04-03 14:05:09.123",
            "03/04/2023",
            "2023-04-0a",
            "abcd-ef-gh",
            "",
        ];
        for text in samples {
            if let Some(fast) = parse_iso_exact(text) {
                assert_eq!(Some(fast), parse_any_timestamp(text), "{text}");
            }
            assert_eq!(parse_timestamp(text), parse_any_timestamp(text), "{text}");
        }
        assert!(parse_iso_exact("2023-04-03 14:05").is_some() && parse_iso_exact("2023-04-03").is_some());
        assert_eq!(parse_iso_exact("2023-02-29"), None);
    }

    #[test]
    fn reads_iso_and_day_first_dates_never_month_first() {
        assert_eq!(ts("2023-04-03").as_deref(), Some("2023-04-03 00:00:00"));
        assert_eq!(ts("2023-04-03 14:05").as_deref(), Some("2023-04-03 14:05:00"));
        assert_eq!(ts("2023-04-03T14:05:09").as_deref(), Some("2023-04-03 14:05:09"));
        assert_eq!(ts("03/04/2023").as_deref(), Some("2023-04-03 00:00:00"));
        assert_eq!(ts("3/4/2023 9:05").as_deref(), Some("2023-04-03 09:05:00"));
        // 13 cannot be a month, and the reader never swaps day and month.
        assert_eq!(ts("04/13/2023"), None);
        assert_eq!(ts("31/02/2023"), None);
        assert_eq!(ts("1899-12-31"), None);
        assert_eq!(ts("2101-01-01"), None);
        assert_eq!(ts("2023-04-03 25:00"), None);
        assert_eq!(ts("yesterday"), None);
    }

    #[test]
    fn ethnicity_groups_from_codes_and_words() {
        let group = |v: &str| ethnicity_group(Some(v));
        assert_eq!(group("WBRI"), "white");
        assert_eq!(group("mwbc"), "mixed");
        assert_eq!(group("APKN"), "asian");
        assert_eq!(group("BCRB"), "black");
        assert_eq!(group("OOTH"), "other");
        assert_eq!(group("REFU"), "not_known");
        assert_eq!(group("NOBT"), "not_known");
        assert_eq!(group("Any other White background"), "white");
        assert_eq!(group("White and Black Caribbean"), "mixed");
        assert_eq!(group("Black African"), "black");
        assert_eq!(group("Information not yet obtained"), "not_known");
        assert_eq!(group("Gypsy/Roma"), "white");
        assert_eq!(ethnicity_group(None), "not_known");
        assert_eq!(normalise_reasons(" With Friends ; cse;with friends;; "), "with_friends;cse");
    }

    #[test]
    fn age_counts_a_leap_day_birthday_on_first_of_march() {
        let born = NaiveDate::from_ymd_opt(2008, 2, 29).unwrap();
        assert_eq!(age_in_years(born, NaiveDate::from_ymd_opt(2023, 2, 28).unwrap()), 14);
        assert_eq!(age_in_years(born, NaiveDate::from_ymd_opt(2023, 3, 1).unwrap()), 15);
        assert_eq!(age_in_years(born, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()), 16);
    }
}
