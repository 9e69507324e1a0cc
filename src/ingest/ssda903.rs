//! The SSDA903 return beyond its Missing table: each file told by its
//! header (Missing, Header, Episodes); the Header's sex, date of birth and
//! ethnicity fill the person lookups, and the Header's and Episodes'
//! rows are kept as `ReturnTables` for the DfE's rules.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::NaiveDate;

use super::decode::Cells;
use super::error::unusable;
use super::ssd::Lookups;
use super::values::{header_names, is_blank};

/// What a file of an SSDA903 input holds, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnTable {
    Missing,
    Header,
    Episodes,
}

pub fn return_table(header: &[String]) -> Option<ReturnTable> {
    let names = header_names(header);
    let has = |n: &str| names.iter().any(|h| h == n);
    if has("mis_start") {
        Some(ReturnTable::Missing)
    } else if has("child") && has("decom") {
        Some(ReturnTable::Episodes)
    } else if has("child") && (has("sex") || has("ethnic")) {
        Some(ReturnTable::Header)
    } else {
        None
    }
}

/// A date as the return writes it: `DD/MM/YYYY` only (a one-digit day or month read too).
pub fn return_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let mut parts = text.split('/');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !(1..=2).contains(&day.len()) || !(1..=2).contains(&month.len()) || year.len() != 4 {
        return None;
    }
    let number = |s: &str| s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse::<u32>().ok()).flatten();
    NaiveDate::from_ymd_opt(number(year)? as i32, number(month)?, number(day)?)
}

/// An episode of care: `DECOM` and `DEC` (`None`: still open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CareEpisode {
    pub decom: NaiveDate,
    pub dec: Option<NaiveDate>,
}

/// A period of care: episodes that follow on (one starting on or before the previous one's `DEC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CarePeriod {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// The Header and Episodes tables of a return, for the DfE's rules.
#[derive(Debug, Default)]
pub struct ReturnTables {
    /// Child -> the Header's `DOB` (`None`: blank or not a date); `None`: no Header given.
    pub header: Option<HashMap<String, Option<NaiveDate>>>,
    /// Child -> episodes of care with a readable `DECOM`; `None`: no Episodes given.
    pub episodes: Option<HashMap<String, Vec<CareEpisode>>>,
    /// Every child in Episodes, whatever its dates.
    pub children_in_episodes: HashSet<String>,
}

impl ReturnTables {
    /// The child's periods of care, in order.
    pub fn periods(&self, child: &str) -> Option<Vec<CarePeriod>> {
        let mut episodes = self.episodes.as_ref()?.get(child)?.clone();
        episodes.sort_by_key(|e| e.decom);
        let mut periods: Vec<CarePeriod> = Vec::new();
        for episode in episodes {
            match periods.last_mut() {
                // An open period, or one the episode starts on or before the end of, goes on.
                Some(last) if last.end.is_none_or(|end| episode.decom <= end) => {
                    last.end = match (last.end, episode.dec) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => periods.push(CarePeriod { start: episode.decom, end: episode.dec }),
            }
        }
        Some(periods)
    }
}

/// Adds a Header or Episodes file's rows to the tables and the person lookups.
pub fn add_return_table<'a, C: Cells + ?Sized + 'a>(
    tables: &mut ReturnTables,
    lookups: &mut Lookups,
    table: ReturnTable,
    header: &[String],
    rows: impl Iterator<Item = (usize, &'a C)>,
    file: &str,
) -> Result<()> {
    let names = header_names(header);
    let position = |n: &str| names.iter().position(|h| h == n);
    let text = |c: &C, i: Option<usize>| i.and_then(|i| c.cell(i)).map(str::trim).filter(|s| !is_blank(s)).map(str::to_string);
    let child = position("child");
    match table {
        ReturnTable::Header => {
            lookups.has_people = true;
            let header_dobs = tables.header.get_or_insert_with(HashMap::new);
            let (sex, dob, ethnic) = (position("sex"), position("dob"), position("ethnic"));
            for (_, row) in rows {
                let Some(id) = text(row, child) else { continue };
                // The Header's DOB is DD/MM/YYYY; the person lookup reads it as ingest reads any date.
                header_dobs.insert(id.clone(), text(row, dob).as_deref().and_then(return_date));
                lookups.people.insert(id, [text(row, sex), text(row, dob), text(row, ethnic)]);
            }
        }
        ReturnTable::Episodes => {
            let (Some(_), Some(decom)) = (child, position("decom")) else {
                return Err(unusable(format!("{file}: row 1: the Episodes table needs CHILD and DECOM columns")));
            };
            let dec = position("dec");
            let episodes = tables.episodes.get_or_insert_with(HashMap::new);
            for (_, row) in rows {
                let Some(id) = text(row, child) else { continue };
                tables.children_in_episodes.insert(id.clone());
                let Some(start) = text(row, Some(decom)).as_deref().and_then(return_date) else { continue };
                let end = text(row, dec).as_deref().and_then(return_date);
                episodes.entry(id).or_default().push(CareEpisode { decom: start, dec: end });
            }
        }
        ReturnTable::Missing => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, m, d).unwrap()
    }

    #[test]
    fn episodes_that_follow_on_make_one_period_of_care() {
        let mut tables = ReturnTables::default();
        let episodes = vec![
            CareEpisode { decom: day(10, 6), dec: Some(day(20, 6)) },
            CareEpisode { decom: day(1, 6), dec: Some(day(10, 6)) },
            CareEpisode { decom: day(1, 7), dec: None },
        ];
        tables.episodes = Some(HashMap::from([("c".to_string(), episodes)]));
        let periods = tables.periods("c").unwrap();
        assert_eq!(periods, vec![CarePeriod { start: day(1, 6), end: Some(day(20, 6)) }, CarePeriod { start: day(1, 7), end: None }]);
        assert_eq!(tables.periods("other"), None);
    }

    #[test]
    fn return_dates_are_dd_mm_yyyy_only() {
        assert_eq!(return_date("05/06/2020"), Some(day(5, 6)));
        assert_eq!(return_date("5/6/2020"), Some(day(5, 6)));
        assert_eq!(return_date("05/06/20"), None);
        assert_eq!(return_date("2020-06-05"), None);
        assert_eq!(return_date("31/02/2020"), None);
    }
}
