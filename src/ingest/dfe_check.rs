//! The DfE's rules of `dfe` applied to every row of the SSDA903 Missing
//! table as submitted, whatever our own rules did with the row, with the
//! Header and Episodes tables where a rule needs them. Findings are `kept`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::decode::Cells;
use super::dfe::{DfeRule, Needs};
use super::quality::{Action, Finding, QualityRule};
use super::ssda903::{return_date, ReturnTables};
use super::values::{header_names, is_blank};

/// One row of a Missing table, its cells as written (trimmed).
#[derive(Debug, Clone)]
pub(super) struct MissingRow {
    pub(super) file: usize,
    pub(super) row: usize,
    /// CHILD, DOB, MISSING, MIS_START, MIS_END as written; blank: empty.
    pub(super) cells: [String; 5],
}

const CHILD: usize = 0;
const DOB: usize = 1;
const MISSING: usize = 2;
const START: usize = 3;
const END: usize = 4;
const NAMES: [&str; 5] = ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"];

impl MissingRow {
    fn given(&self, cell: usize) -> bool {
        !self.cells[cell].is_empty()
    }

    fn date(&self, cell: usize) -> Option<NaiveDate> {
        return_date(&self.cells[cell])
    }
}

/// The Missing table's rows of one file, every record whatever it holds.
pub(super) fn missing_rows<'a, C: Cells + ?Sized + 'a>(
    file: usize,
    header: &[String],
    rows: impl Iterator<Item = (usize, &'a C)>,
) -> Vec<MissingRow> {
    let names = header_names(header);
    let positions: Vec<Option<usize>> = NAMES.iter().map(|n| names.iter().position(|h| h == &n.to_ascii_lowercase())).collect();
    rows.filter(|(_, cells)| !cells.is_blank_row())
        .map(|(row, cells)| {
            let cell = |k: usize| {
                let text = positions[k].and_then(|i| cells.cell(i)).unwrap_or("").trim();
                if is_blank(text) {
                    String::new()
                } else {
                    text.to_string()
                }
            };
            MissingRow { file, row, cells: [cell(CHILD), cell(DOB), cell(MISSING), cell(START), cell(END)] }
        })
        .collect()
}

/// The collection year (2018: 1 April 2017 to 31 March 2018) every readable `MIS_START` falls in, if one.
pub(super) fn collection_year_of(rows: &[MissingRow]) -> Option<i32> {
    let mut years = rows.iter().filter_map(|r| r.date(START)).map(|d| if d.month() >= 4 { d.year() + 1 } else { d.year() });
    let first = years.next()?;
    years.all(|y| y == first).then_some(first)
}

/// The DfE rules' findings for `rows` (one file's collection year in `years`,
/// by file), and the notes on rules that could not be applied.
pub(super) fn check(rows: &[MissingRow], tables: &ReturnTables, years: &BTreeMap<usize, i32>) -> (Vec<Finding>, Vec<String>) {
    let mut findings = Vec::new();
    let mut flag = |row: &MissingRow, rule: DfeRule| {
        let columns = rule.columns();
        let value = columns.iter().map(|c| row.cells[NAMES.iter().position(|n| n == c).unwrap_or(0)].as_str()).collect::<Vec<_>>();
        findings.push(Finding {
            file: row.file,
            row: row.row,
            column: columns.join(";"),
            rule: QualityRule::Ssda903(rule),
            value: value.join(";"),
            action: Action::Kept,
        });
    };
    let mut by_child: BTreeMap<&str, Vec<&MissingRow>> = BTreeMap::new();
    for row in rows {
        by_child.entry(row.cells[CHILD].as_str()).or_default().push(row);
        let (start, end) = (row.date(START), row.date(END));
        if row.given(MISSING) && !row.given(START) {
            flag(row, DfeRule::R564);
        }
        if row.given(START) && !row.given(MISSING) {
            flag(row, DfeRule::R565);
        }
        if row.given(END) && !row.given(MISSING) {
            flag(row, DfeRule::R566);
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                flag(row, DfeRule::R567);
            }
        }
        if let Some(year) = years.get(&row.file) {
            let (first, last) = (ymd(year - 1, 4, 1), ymd(*year, 3, 31));
            if start.is_some_and(|s| s > last) {
                flag(row, DfeRule::R570);
            }
            if end.is_some_and(|e| e < first || e > last) {
                flag(row, DfeRule::R571);
            }
        }
        if let (Some(s), Some(born)) = (start, row.date(DOB)) {
            if s <= born {
                flag(row, DfeRule::R586);
            }
        }
        if start.is_none() {
            flag(row, DfeRule::R1004);
        }
        if row.given(END) && end.is_none() {
            flag(row, DfeRule::R1005);
        }
        if row.given(MISSING) && !["M", "A"].contains(&row.cells[MISSING].as_str()) {
            flag(row, DfeRule::R1006);
        }
        if let Some(header) = &tables.header {
            match header.get(&row.cells[CHILD]) {
                None => flag(row, DfeRule::Int04),
                Some(Some(born)) if row.date(DOB).is_some_and(|d| d != *born) => flag(row, DfeRule::Int13),
                Some(_) => {}
            }
        }
        if tables.episodes.is_some() {
            care_rules(row, tables, &mut flag);
        }
    }
    for periods in by_child.values() {
        for row in overlapping(periods) {
            flag(row, DfeRule::R574);
        }
    }
    findings.sort_by_key(|f| (f.file, f.row, f.rule));

    let mut notes = Vec::new();
    let skipped = |needs: Needs| DfeRule::ALL.iter().filter(|r| r.needs() == needs).map(|r| r.code()).collect::<Vec<_>>().join(", ");
    if tables.episodes.is_none() {
        notes.push(format!("DfE rules {} not applied: they need the return's Episodes table (give it with -i)", skipped(Needs::Episodes)));
    }
    if tables.header.is_none() {
        notes.push(format!("DfE rules {} not applied: they need the return's Header table (give it with -i)", skipped(Needs::Header)));
    }
    let files: std::collections::BTreeSet<usize> = rows.iter().map(|r| r.file).collect();
    if files.iter().any(|f| !years.contains_key(f)) {
        notes.push(format!(
            "DfE rules {} not applied to a Missing file whose dates span more than one collection year: set input.collection_year",
            skipped(Needs::CollectionYear)
        ));
    }
    (findings, notes)
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// 575, 577, 578, 581 and 1012: a row against the child's episodes and periods of care.
fn care_rules(row: &MissingRow, tables: &ReturnTables, flag: &mut impl FnMut(&MissingRow, DfeRule)) {
    let child = row.cells[CHILD].as_str();
    if !tables.children_in_episodes.contains(child) {
        flag(row, DfeRule::R1012);
        return;
    }
    let episodes = tables.episodes.as_ref().and_then(|e| e.get(child)).map(Vec::as_slice).unwrap_or_default();
    let periods = tables.periods(child).unwrap_or_default();
    let (start, end) = (row.date(START), row.date(END));
    if let Some(s) = start {
        // 575: still missing, though the episode of care it began in has ended.
        if !row.given(END) && episodes.iter().any(|e| e.decom <= s && e.dec.is_some_and(|dec| s <= dec)) {
            flag(row, DfeRule::R575);
        }
        // 577: outside every period of care.
        let outside = |p: &super::ssda903::CarePeriod| match end {
            None if !row.given(END) => p.end.is_some() || p.start > s,
            None => false,
            Some(e) => p.end.is_some_and(|pe| e > pe) || e < p.start,
        };
        if !periods.is_empty() && periods.iter().all(outside) {
            flag(row, DfeRule::R577);
        }
        // 578: starts before, or after the end of, every period of care.
        if !periods.is_empty() && periods.iter().all(|p| s < p.start || p.end.is_some_and(|pe| s > pe)) {
            flag(row, DfeRule::R578);
        }
    }
    // 581: no episode of care holds the start (a blank start too).
    let held = start.is_some_and(|s| episodes.iter().any(|e| e.decom <= s && e.dec.is_none_or(|dec| s <= dec)));
    if !held && (start.is_some() || !row.given(START)) {
        flag(row, DfeRule::R581);
    }
}

/// 574: a child's periods ordered by end (a blank end taken as the start)
/// then start; a period is flagged when the one before it is open or ends
/// after it starts. Periods that only touch do not count.
fn overlapping<'a>(rows: &[&'a MissingRow]) -> Vec<&'a MissingRow> {
    let mut periods: Vec<(NaiveDate, NaiveDate, Option<NaiveDate>, &MissingRow)> = rows
        .iter()
        .filter_map(|r| {
            let start = r.date(START)?;
            let end = r.date(END);
            // An end that is not a date (1005) leaves the period unjudged.
            (end.is_some() || !r.given(END)).then_some((end.unwrap_or(start), start, end, *r))
        })
        .collect();
    periods.sort_by_key(|(key, start, _, r)| (*key, *start, r.file, r.row));
    periods
        .windows(2)
        .filter(|pair| {
            let (_, _, before_end, _) = pair[0];
            let (_, start, _, _) = pair[1];
            before_end.is_none_or(|e| e > start)
        })
        .map(|pair| pair[1].3)
        .collect()
}
