//! Cell values as INPUT.md reads them: dates (ISO or day-first, never
//! month-first), Y/N variants, blanks, ages, ethnicity groups and reasons.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use super::field::Field;
use crate::reasons::ReasonVocabulary;

pub const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid epoch");

/// A header's names as matched: trimmed, lower case.
pub fn header_names(header: &[String]) -> Vec<String> {
    header.iter().map(|h| h.trim().to_ascii_lowercase()).collect()
}

/// Blank, or one of the words extracts write for "no value".
/// `text.trim()`, quicker for the usual cell: ASCII spaces go first, and
/// the whole Unicode rule runs only when a byte at either end still needs it
/// (a non-breaking space from a spreadsheet, a vertical tab).
pub(super) fn trim_cell(text: &str) -> &str {
    let trimmed = text.trim_ascii();
    let needs_unicode = |b: u8| b >= 0x80 || b == 0x0B;
    match (trimmed.as_bytes().first(), trimmed.as_bytes().last()) {
        (Some(&first), Some(&last)) if needs_unicode(first) || needs_unicode(last) => trimmed.trim(),
        _ => trimmed,
    }
}

pub fn is_blank(value: &str) -> bool {
    value.is_empty() || ["na", "n/a", "null"].iter().any(|b| value.eq_ignore_ascii_case(b))
}

pub(super) fn millis(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_millis()
}

pub(super) fn days_since_epoch(d: NaiveDate) -> i32 {
    (d - EPOCH).num_days() as i32
}

/// The DfE's ethnicity codes by group (`REFU` refused, `NOBT` not obtained).
const ETHNICITY_CODES: [(&str, &str); 20] = [
    ("WBRI", "white"),
    ("WIRI", "white"),
    ("WIRT", "white"),
    ("WOTH", "white"),
    ("WROM", "white"),
    ("MWBC", "mixed"),
    ("MWBA", "mixed"),
    ("MWAS", "mixed"),
    ("MOTH", "mixed"),
    ("AIND", "asian"),
    ("APKN", "asian"),
    ("ABAN", "asian"),
    ("AOTH", "asian"),
    ("BCRB", "black"),
    ("BAFR", "black"),
    ("BOTH", "black"),
    ("CHNE", "other"),
    ("OOTH", "other"),
    ("REFU", "not_known"),
    ("NOBT", "not_known"),
];

/// The DfE ethnicity group: from a DfE code (`WBRI` white, `MWBC` mixed,
/// `APKN` asian, `BCRB` black, `CHNE`/`OOTH` other, `REFU`/`NOBT` not
/// known), or from the words of the census categories ("White - Irish",
/// "Black or Black British - African", "Any other ethnic group", "Not
/// recorded"). Chinese is `other`, as the DfE code `CHNE` is.
pub fn ethnicity_group(value: Option<&str>) -> &'static str {
    let Some(value) = value else { return "not_known" };
    let value = value.trim();
    if let Ok(code) = <[u8; 4]>::try_from(value.as_bytes()) {
        // Once per row: compare the code upper-cased as one four-byte number.
        let upper = u32::from_le_bytes(code.map(|c| c.to_ascii_uppercase()));
        let same = |code: &str| <[u8; 4]>::try_from(code.as_bytes()).is_ok_and(|c| u32::from_le_bytes(c) == upper);
        if let Some((_, group)) = ETHNICITY_CODES.iter().find(|(code, _)| same(code)) {
            return group;
        }
    }
    let lower = value.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    // The most specific heading first: "White and Black African" is mixed, "Black British" black.
    if has(&["not known", "unknown", "refused", "not obtained", "not yet obtained", "not stated", "not recorded", "declined", "prefer not"])
    {
        "not_known"
    } else if has(&["mixed", "multiple", "dual heritage", "white and "]) {
        "mixed"
    } else if has(&["chinese"]) {
        "other"
    } else if has(&["black", "african", "caribbean"]) {
        "black"
    } else if has(&["asian", "indian", "pakistani", "bangladeshi"]) {
        "asian"
    } else if has(&["white", "irish", "traveller", "gypsy", "roma", "english", "welsh", "scottish", "british"]) {
        "white"
    } else {
        "other"
    }
}

/// Why `value` cannot be what `input.values` maps a `field` cell onto
/// (`None`: it can). A blank means not known, for any column.
pub fn mapped_value_problem(field: Field, value: &str, reasons: &ReasonVocabulary) -> Option<String> {
    let value = value.trim();
    if is_blank(value) {
        return None;
    }
    let allowed: Vec<&str> = match field {
        Field::OtherLa | Field::LookedAfter | Field::Uasc | Field::CseRisk | Field::CceRisk | Field::RhiOffered => {
            vec!["Y", "N", "yes", "no", "true", "false", "1", "0"]
        }
        Field::EpisodeType => vec!["missing", "absent", "M", "A"],
        Field::PlacementArea => vec!["in_area", "out_of_area"],
        Field::RhiOutcome => vec!["accepted", "declined", "no_contact", "pending"],
        Field::Sex => vec!["M", "F", "male", "female", "1", "2", "other", "unknown"],
        Field::Ethnicity => {
            let mut allowed: Vec<&str> = ETHNICITY_CODES.iter().map(|(code, _)| *code).collect();
            allowed.extend(["white", "mixed", "asian", "black", "other", "not known"]);
            allowed
        }
        Field::Reason => {
            if value.contains(';') {
                return Some("holds `;`: map each reason onto one code".to_string());
            }
            reasons.codes().collect()
        }
        _ => return None,
    };
    if allowed.iter().any(|a| a.eq_ignore_ascii_case(value)) {
        return None;
    }
    Some(format!("is not a value {} can hold (one of: {})", field.name(), allowed.join(", ")))
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
    let text = trim_cell(text);
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

/// Every shape INPUT.md lists, none of which can be misread: ISO (`-` or
/// `/`), ISO with a zone (converted to UK local time), UK day-first (`/`,
/// `-` or `.`), day, month name and year (`03-Apr-2023`, `3 April 2023`),
/// each with an optional 24- or 12-hour time (`14:05`, `2:05 PM`). Never
/// month-first; years outside 1900-2100 and impossible dates give `None`.
pub(super) fn parse_any_timestamp(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    if let Some(zoned) = parse_zoned(text) {
        return Some(zoned);
    }
    // The date, then whatever follows it as the time.
    let (date, rest) = if let Some((first, rest)) =
        text.split_once('T').filter(|(first, _)| first.len() >= 8 && first.as_bytes()[..4].iter().all(u8::is_ascii_digit))
    {
        (numeric_date(first)?, rest)
    } else {
        let mut words = text.splitn(2, char::is_whitespace);
        let first = words.next()?;
        let after = words.next().unwrap_or("").trim_start();
        match numeric_date(first) {
            Some(date) => (date, after),
            None => {
                // `3 Apr 2023 ...`, or `03-Apr-2023 ...` read by numeric_date's named form.
                let mut parts = text.split_whitespace();
                let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
                let date = ymd(number(year, 4, 4)?, month_number(month)?, number(day, 1, 2)?)?;
                let consumed = text.find(year)? + year.len();
                (date, text[consumed..].trim_start())
            }
        }
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return date.and_hms_opt(0, 0, 0);
    }
    let (hour, minute, second) = parse_time(rest)?;
    date.and_hms_opt(hour, minute, second)
}

fn number(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    (s.len() >= min_len && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

fn ymd(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1900..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// `January` or `Jan` (any case) as 1.
fn month_number(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    let word = word.to_ascii_lowercase();
    let word = word.trim_end_matches([',', '.']);
    NAMES
        .iter()
        .position(|name| {
            word.len() >= 3 && (*name == word || (word.len() == 3 && name.starts_with(word)) || (word == "sept" && *name == "september"))
        })
        .map(|i| i as u32 + 1)
}

/// `text` read with the first of `formats` (strftime-style patterns from
/// `input.date_formats`) that reads all of it. A pattern without a time
/// reads a date at midnight, and a datetime pattern's date part also reads
/// a date alone (`%m/%d/%Y %H:%M` reads a date of birth `04/13/2011`).
pub fn parse_with_formats(text: &str, formats: &[String]) -> Option<NaiveDateTime> {
    let text = text.trim();
    formats.iter().find_map(|pattern| {
        let date_part = ["T%H", " %H", " %I", " %-H", " %-I"].iter().filter_map(|time| pattern.find(time)).min().map(|end| &pattern[..end]);
        let parsed = NaiveDateTime::parse_from_str(text, pattern)
            .ok()
            .or_else(|| NaiveDate::parse_from_str(text, pattern).ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
            .or_else(|| NaiveDate::parse_from_str(text, date_part?).ok().and_then(|d| d.and_hms_opt(0, 0, 0)))?;
        (1900..=2100).contains(&parsed.year()).then_some(parsed)
    })
}

/// Why a `date_formats` pattern cannot be used, if it cannot: it does not
/// parse, or it does not give a year, a month and a day.
pub fn check_date_format(pattern: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    let items: Vec<Item> = StrftimeItems::new(pattern).collect();
    if items.iter().any(|item| matches!(item, Item::Error)) {
        return Err("is not a date pattern chrono can read (see strftime: %d day, %m month, %b month name, %Y year, %H:%M time)".into());
    }
    let has = |specs: &[&str]| specs.iter().any(|s| pattern.contains(s));
    if !has(&["%Y", "%y", "%G"]) || !has(&["%m", "%b", "%B", "%h"]) || !has(&["%d", "%e"]) {
        return Err("must give a year (%Y or %y), a month (%m or %b) and a day (%d)".into());
    }
    Ok(())
}

/// Patterns for shapes the reader does not guess, offered when a date
/// column fails: the first that reads every sample is suggested.
const SUGGESTED_FORMATS: [&str; 12] = [
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%d/%m/%y %H:%M",
    "%d/%m/%y",
    "%d-%m-%y %H:%M",
    "%d-%m-%y",
    "%Y%m%d %H%M",
    "%Y%m%d%H%M%S",
    "%Y%m%d",
    "%d%m%Y",
    "%d %b %y",
];

/// A `date_formats` pattern that reads every one of `samples`, if one of the common ones does.
pub fn suggest_date_format(samples: &[&str]) -> Option<&'static str> {
    SUGGESTED_FORMATS.into_iter().find(|pattern| samples.iter().all(|s| parse_with_formats(s, &[pattern.to_string()]).is_some()))
}

/// One word holding a date: `2023-04-03`, `2023/04/03` (year first), or
/// `03/04/2023`, `3-4-2023`, `03.04.2023`, `03-Apr-2023` (day first).
fn numeric_date(word: &str) -> Option<NaiveDate> {
    let separator = word.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = word.split(separator);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    if a.len() == 4 {
        ymd(number(a, 4, 4)?, number(b, 1, 2)?, number(c, 1, 2)?)
    } else {
        let month = number(b, 1, 2).or_else(|| month_number(b))?;
        ymd(number(c, 4, 4)?, month, number(a, 1, 2)?)
    }
}

/// `14:05`, `14:05:09`, `14:05:09.123`, `2:05 PM`, `02:05pm`, `2 pm`.
fn parse_time(text: &str) -> Option<(u32, u32, u32)> {
    let lower = text.to_ascii_lowercase();
    let (clock, half) = match lower.strip_suffix("am").or_else(|| lower.strip_suffix("a.m.")) {
        Some(clock) => (clock.trim_end(), Some(false)),
        None => match lower.strip_suffix("pm").or_else(|| lower.strip_suffix("p.m.")) {
            Some(clock) => (clock.trim_end(), Some(true)),
            None => (lower.as_str(), None),
        },
    };
    let clock = clock.split('.').next()?;
    let mut fields = clock.split(':');
    let hour = number(fields.next()?, 1, 2)?;
    let minute = match fields.next() {
        Some(m) => number(m, 2, 2)?,
        None if half.is_some() => 0,
        None => return None,
    };
    let second = match fields.next() {
        Some(s) => number(s, 2, 2)?,
        None => 0,
    };
    if fields.next().is_some() {
        return None;
    }
    let hour = match half {
        None => hour,
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(false) => hour % 12,
        Some(true) => hour % 12 + 12,
    };
    Some((hour, minute, second))
}

/// ISO with a zone (`2023-04-03T13:05:00Z`, `...+01:00`), as UK local time
/// (Europe/London, summer time included).
fn parse_zoned(text: &str) -> Option<NaiveDateTime> {
    let zone_given = text.ends_with(['Z', 'z'])
        || text
            .get(text.len().saturating_sub(6)..)
            .is_some_and(|tail| tail.starts_with(['+', '-']) && tail.as_bytes().get(3) == Some(&b':'));
    if !zone_given || text.len() < 17 {
        return None;
    }
    let with_seconds =
        if text.as_bytes().get(16) == Some(&b':') { text.to_string() } else { format!("{}:00{}", text.get(..16)?, text.get(16..)?) };
    let parsed = chrono::DateTime::parse_from_rfc3339(&with_seconds).ok()?;
    let local = parsed.with_timezone(&chrono_tz::Europe::London).naive_local();
    // A leap second (`:60`) is read as no date, as it is without a zone (found by fuzzing).
    ((1900..=2100).contains(&local.year()) && local.nanosecond() < 1_000_000_000).then_some(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Option<String> {
        parse_timestamp(text).map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
    }

    #[test]
    fn dates_the_fuzzers_broke_read_as_no_date() {
        // Found by fuzzing: a byte index inside a character or past the end
        // (each panicked), and a leap second read only when a zone followed it.
        for cell in [
            "202‹‹T1",
            "-12",
            "+1",
            "Z",
            "2023-05-01T10:0‹Z",
            "2023-05-01T10:00‹‹Z",
            "‹‹‹‹‹‹T00:00",
            "2023-04-01 13:25:60Z",
            "2023-04-01 13:25:60",
        ] {
            assert_eq!(ts(cell), None, "{cell:?}");
        }
        assert_eq!(ts("2023-05-01T10:00Z").as_deref(), Some("2023-05-01 11:00:00"));
    }

    #[test]
    fn cells_trim_as_the_unicode_rule_does() {
        let cells = ["", "   ", " e1 ", "\te1\r\n", "\u{a0}e1\u{a0}", "\u{0b}e1", "e1\u{2003}", "\u{a0}", "é ", " \u{1c}e1"];
        for cell in cells {
            assert_eq!(trim_cell(cell), cell.trim(), "{cell:?}");
        }
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
    fn every_shape_of_input_md_reads_the_same_moment() {
        for text in [
            "2023-04-03 14:05",
            "2023-04-03T14:05:00",
            "2023/04/03 14:05",
            "2023-04-03T13:05:00Z",
            "2023-04-03T14:05:00+01:00",
            "2023-04-03T13:05Z",
            "03/04/2023 14:05",
            "3/4/2023 14:05",
            "03-04-2023 14:05",
            "03.04.2023 14:05",
            "03-Apr-2023 14:05",
            "3 Apr 2023 14:05",
            "03 APRIL 2023 14:05",
            "03/04/2023 2:05 PM",
            "03/04/2023 02:05pm",
            "3 April 2023 2:05 pm",
        ] {
            assert_eq!(ts(text).as_deref(), Some("2023-04-03 14:05:00"), "{text}");
        }
        // Winter: Z is UK time; summer time moves an hour.
        assert_eq!(ts("2023-01-10T09:30:00Z").as_deref(), Some("2023-01-10 09:30:00"));
        assert_eq!(ts("2023-07-10T23:30:00Z").as_deref(), Some("2023-07-11 00:30:00"));
        assert_eq!(ts("05-Mar-2024 14:30").as_deref(), Some("2024-03-05 14:30:00"));
        assert_eq!(ts("02/04/2023 08:56 PM").as_deref(), Some("2023-04-02 20:56:00"));
        assert_eq!(ts("2024/03/05").as_deref(), Some("2024-03-05 00:00:00"));
        assert_eq!(ts("12/04/2023 12:00 AM").as_deref(), Some("2023-04-12 00:00:00"));
        // Never guessed: month-first, two-digit years, 13 PM, a compact date.
        assert_eq!(ts("04/13/2023"), None);
        assert_eq!(ts("03/04/23"), None);
        assert_eq!(ts("03/04/2023 13:05 PM"), None);
        assert_eq!(ts("20230403"), None);
        assert_eq!(ts("3 Foo 2023"), None);
    }

    #[test]
    fn configured_patterns_come_first_and_are_checked() {
        let us = ["%m/%d/%Y %H:%M".to_string()];
        let at = |text: &str| parse_with_formats(text, &us).map(|t| t.format("%Y-%m-%d %H:%M").to_string());
        assert_eq!(at("04/13/2023 09:05").as_deref(), Some("2023-04-13 09:05"));
        assert_eq!(at("04/05/2023 09:05").as_deref(), Some("2023-04-05 09:05"), "month first, as configured");
        assert_eq!(at("04/13/2011").as_deref(), Some("2011-04-13 00:00"), "the date part reads a date alone");
        assert_eq!(at("13/04/2023 09:05"), None);
        assert_eq!(parse_with_formats("01/01/1850", &["%d/%m/%Y".to_string()]), None);
        assert!(check_date_format("%d/%m/%y").is_ok());
        assert!(check_date_format("%H:%M").unwrap_err().contains("must give a year"));
        assert!(check_date_format("%d/%m/%Y %Q").unwrap_err().contains("not a date pattern"));
        assert_eq!(suggest_date_format(&["04/13/2023 09:05", "12/31/2023 23:00"]), Some("%m/%d/%Y %H:%M"));
        assert_eq!(suggest_date_format(&["20230403 1405"]), Some("%Y%m%d %H%M"));
        assert_eq!(suggest_date_format(&["soon"]), None);
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
        // The census categories' words, and words that once fell in the wrong group.
        assert_eq!(group("White British"), "white");
        assert_eq!(group("White - Irish"), "white");
        assert_eq!(group("Irish"), "white");
        assert_eq!(group("Black or Black British - African"), "black");
        assert_eq!(group("Asian or Asian British - Indian"), "asian");
        assert_eq!(group("Mixed - White and Asian"), "mixed");
        assert_eq!(group("Any other ethnic group"), "other");
        assert_eq!(group("Arab"), "other");
        assert_eq!(group("Not Recorded"), "not_known");
        assert_eq!(group("Chinese"), group("CHNE"));
        assert_eq!(group("Other Asian background"), "asian");
    }

    #[test]
    fn age_counts_a_leap_day_birthday_on_first_of_march() {
        let born = NaiveDate::from_ymd_opt(2008, 2, 29).unwrap();
        assert_eq!(age_in_years(born, NaiveDate::from_ymd_opt(2023, 2, 28).unwrap()), 14);
        assert_eq!(age_in_years(born, NaiveDate::from_ymd_opt(2023, 3, 1).unwrap()), 15);
        assert_eq!(age_in_years(born, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()), 16);
    }
}
