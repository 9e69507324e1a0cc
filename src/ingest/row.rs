//! One row through its file's mapping: every cell parsed by hand so a
//! failure names its file, row and column, and the data-quality rules a row
//! decides alone applied in the order of INPUT.md. Pure, so chunks of rows
//! parse on every core; `columns::apply` does the rest in input order.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};

use super::decode::Cells;
use super::field::Field;
use super::identifiers::AUTHORITY_SEPARATOR;
use super::layout::Locator;
use super::quality::{Action, Finding, QualityRule};
use super::records::worth_threads;
use super::ssd::Lookups;
use super::values::{
    age_in_years, days_since_epoch, ethnicity_group, is_any, is_blank, millis, parse_timestamp, parse_with_formats, parse_yes_no, trim_cell,
};
use crate::reasons::{ReasonVocabulary, UNMATCHED};
use crate::rules::CountingRules;

/// Reads one file's rows through its mapping.
pub(super) struct RowReader<'a> {
    pub(super) file: usize,
    /// The file's `Mapping` by field (`Field as usize`), looked up for every cell.
    pub(super) sources: [Option<&'a Locator>; Field::ALL.len()],
    pub(super) value_maps: [Option<&'a HashMap<String, String>>; Field::ALL.len()],
    pub(super) ssd: &'a Lookups,
    pub(super) rules: &'a CountingRules,
    pub(super) today: NaiveDate,
    /// `input.date_formats`, tried before the shapes read by themselves.
    pub(super) date_formats: &'a [String],
    /// Each field's column as the file's header spells it (findings name it so).
    pub(super) column_names: [&'a str; Field::ALL.len()],
    pub(super) reasons: &'a ReasonVocabulary,
}

/// Findings of one kept row, gathered per rule so each rule gives one finding.
#[derive(Default)]
pub(super) struct RowFindings {
    pub(super) by_rule: BTreeMap<QualityRule, (Vec<Field>, Vec<String>, Action)>,
    /// Each value no mapping recognised, as written (a reason: the one part of its cell).
    pub(super) unrecognised: Vec<(Field, String)>,
}

impl RowFindings {
    /// `value`: the cell as the file holds it.
    pub(super) fn add(&mut self, rule: QualityRule, field: Field, value: &str, action: Action) {
        let entry = self.by_rule.entry(rule).or_insert_with(|| (Vec::new(), Vec::new(), action));
        entry.0.push(field);
        entry.1.push(value.to_string());
    }

    /// An `unknown_value` finding for `cell`, and `value` (the unrecognised part) for `validate`'s list.
    fn unknown(&mut self, field: Field, cell: &str, value: &str) {
        if !self.by_rule.get(&QualityRule::UnknownValue).is_some_and(|(fields, _, _)| fields.contains(&field)) {
            self.add(QualityRule::UnknownValue, field, cell, Action::FieldIgnored);
        }
        self.unrecognised.push((field, value.to_string()));
    }
}

impl RowReader<'_> {
    /// A date or datetime cell: the configured patterns first, then every shape of INPUT.md.
    fn timestamp(&self, text: &str) -> Option<NaiveDateTime> {
        parse_with_formats(text, self.date_formats).or_else(|| parse_timestamp(text))
    }

    /// The trimmed cell of `field` after value mapping; `None` when blank or absent.
    pub(super) fn cell<'r, C: Cells>(&'r self, cells: &'r C, row: usize, field: Field) -> Option<Cow<'r, str>> {
        let raw: Cow<'r, str> = match self.sources[field as usize]? {
            Locator::Column(i) => Cow::Borrowed(trim_cell(cells.cell(*i)?)),
            Locator::Constant(value) => Cow::Borrowed(value),
            Locator::EpisodeId { child, start } => {
                let (child, start) = (trim_cell(cells.cell(*child)?), trim_cell(cells.cell(*start)?));
                if is_blank(child) || is_blank(start) {
                    return None;
                }
                Cow::Owned(format!("{child}/{start}/{}:{row}", self.file + 1))
            }
            Locator::Person(attribute) => {
                let child = self.cell(cells, row, Field::ChildId)?;
                Cow::Owned(self.ssd.person(&child, *attribute)?.to_string())
            }
            Locator::LookedAfter => {
                let child = self.cell(cells, row, Field::ChildId)?;
                let start = self.cell(cells, row, Field::Start).and_then(|s| self.timestamp(&s));
                Cow::Borrowed(self.ssd.looked_after(&child, start))
            }
        };
        if is_blank(&raw) {
            return None;
        }
        // Reasons are mapped one by one after the cell is split (`reasons`).
        if field == Field::Reason {
            return Some(raw);
        }
        match self.value_maps[field as usize].and_then(|map| map.get(&raw.to_lowercase())) {
            // A value mapped onto a blank means unknown.
            Some(mapped) if is_blank(mapped) => None,
            Some(mapped) => Some(Cow::Owned(mapped.clone())),
            None => Some(raw),
        }
    }

    /// The cell of `field` exactly as the file holds it (a value made from
    /// other cells or files: that value), for findings.
    pub(super) fn raw<C: Cells>(&self, cells: &C, row: usize, field: Field) -> String {
        match self.sources[field as usize] {
            Some(Locator::Column(i)) => cells.cell(*i).unwrap_or_default().to_string(),
            Some(_) => self.cell(cells, row, field).map(Cow::into_owned).unwrap_or_default(),
            None => String::new(),
        }
    }

    /// A `reason` cell as codes of the vocabulary joined by `;`: split on
    /// `;`, each part through `input.values.reason` and then the codes and
    /// labels; a part matching nothing counts under `other` and is recorded
    /// as unrecognised. Repeats count once; `None` when no part is left.
    fn reasons<'r>(&'r self, cell: Cow<'r, str>, raw: impl Fn() -> String, kept: &mut RowFindings) -> Option<Reasons<'r>> {
        let map = self.value_maps[Field::Reason as usize];
        // Most extracts hold codes as the vocabulary writes them, each once:
        // the cell is already what the columns hold, and one code is known
        // by its place in the vocabulary.
        // (Codes are lower case, as the mapping's keys are.)
        let as_written = |part: &str| self.reasons.position(part).filter(|_| map.is_none_or(|m| !m.contains_key(part)));
        if !cell.contains(';') {
            if let Some((position, code)) = as_written(&cell) {
                return Some(Reasons::Code(position, code));
            }
        } else {
            let parts = || cell.split(';');
            if parts().enumerate().all(|(i, part)| as_written(part).is_some() && parts().take(i).all(|before| before != part)) {
                return Some(Reasons::Codes(cell));
            }
        }
        let mut codes: Vec<&str> = Vec::new();
        for part in cell.split(';').map(str::trim).filter(|p| !is_blank(p)) {
            let mapped = map.and_then(|m| m.get(&part.to_lowercase())).map(String::as_str);
            if mapped.is_some_and(is_blank) {
                continue;
            }
            let code = match mapped.or_else(|| self.reasons.code_of(part)) {
                Some(code) => code,
                None => {
                    kept.unknown(Field::Reason, &raw(), part);
                    UNMATCHED
                }
            };
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        (!codes.is_empty()).then(|| Reasons::Codes(Cow::Owned(codes.join(";"))))
    }

    /// Everything the row alone decides: the exclusions that need no other
    /// row, every value parsed, and the findings it would carry if kept.
    /// Pure, so chunks of rows parse in parallel; `apply` does the rest in
    /// input order.
    pub(super) fn parse_row<'r, C: Cells>(&'r self, row: usize, cells: &'r C) -> Parsed<'r> {
        if cells.is_blank_row() {
            return Parsed::Blank;
        }
        let get = |field: Field| self.cell(cells, row, field);
        let text = |field: Field| self.raw(cells, row, field);
        let finding = |rule: QualityRule, fields: &[Field], action: Action| Finding {
            file: self.file,
            row,
            column: self.column_names(fields),
            rule,
            value: fields.iter().map(|f| text(*f)).collect::<Vec<_>>().join(";"),
            action,
        };

        // Exclusions, in the order of INPUT.md; the first that applies wins.
        // `duplicate_episode_id` comes third and needs the rows before: `apply`.
        let required = [Field::EpisodeId, Field::ChildId, Field::Start, Field::LookedAfter];
        let required_cells = required.map(get);
        let blank: Vec<Field> = required.into_iter().zip(&required_cells).filter(|(_, cell)| cell.is_none()).map(|(f, _)| f).collect();
        if !blank.is_empty() {
            return Parsed::Excluded(finding(QualityRule::MissingRequired, &blank, Action::Excluded));
        }
        let [episode_id, child_id, start_text, _] = required_cells.map(Option::unwrap_or_default);
        // Identifiers are an authority's own: in a regional extract the same
        // id under two authorities is two children (or two episodes).
        let (episode_id, child_id) = match get(Field::Authority) {
            Some(authority) => (
                Cow::Owned(format!("{authority}{AUTHORITY_SEPARATOR}{episode_id}")),
                Cow::Owned(format!("{authority}{AUTHORITY_SEPARATOR}{child_id}")),
            ),
            None => (episode_id, child_id),
        };
        let Some(start) = self.timestamp(&start_text) else {
            return Parsed::Excluded(finding(QualityRule::UnparseableDate, &[Field::Start], Action::Excluded));
        };
        if start.date() > self.today {
            let later = finding(QualityRule::FutureStart, &[Field::Start], Action::Excluded);
            return self.candidate(cells, row, episode_id, Outcome::Excluded(later));
        }
        let mut kept = RowFindings::default();
        let flag = |field: Field, kept: &mut RowFindings| -> Option<bool> {
            let value = get(field)?;
            match parse_yes_no(&value) {
                Some(b) => Some(b),
                None => {
                    kept.unknown(field, &text(field), &value);
                    None
                }
            }
        };
        let other_la = flag(Field::OtherLa, &mut kept);
        if other_la == Some(true) && !self.rules.include_other_la {
            let later = finding(QualityRule::OtherLaExcluded, &[Field::OtherLa], Action::Excluded);
            return self.candidate(cells, row, episode_id, Outcome::Excluded(later));
        }
        let episode_type = get(Field::EpisodeType);
        let absent = match episode_type.as_deref() {
            None => false,
            Some(v) if is_any(v, &["missing", "m"]) => false,
            Some(v) if is_any(v, &["absent", "a", "away"]) => true,
            Some(value) => {
                kept.unknown(Field::EpisodeType, &text(Field::EpisodeType), value);
                false
            }
        };
        let mut findings = Vec::new();
        if absent && !self.rules.include_absent {
            findings.push(finding(QualityRule::AbsenceExcluded, &[Field::EpisodeType], Action::Excluded));
        }

        // Fields of a row that is kept.
        let looked_after = flag(Field::LookedAfter, &mut kept);
        let uasc = flag(Field::Uasc, &mut kept);
        let cse = flag(Field::CseRisk, &mut kept);
        let cce = flag(Field::CceRisk, &mut kept);
        let rhi_offered = flag(Field::RhiOffered, &mut kept);
        let date_of = |field: Field, value: Option<Cow<'_, str>>, kept: &mut RowFindings| -> Option<NaiveDateTime> {
            let value = value?;
            let parsed = self.timestamp(&value);
            if parsed.is_none() {
                kept.add(QualityRule::UnparseableDate, field, &text(field), Action::FieldIgnored);
            }
            parsed
        };
        let date = |field: Field, kept: &mut RowFindings| date_of(field, get(field), kept);
        let date_of_birth = date(Field::DateOfBirth, &mut kept).map(|t| t.date());
        let end_cell = get(Field::End);
        let open = self.sources[Field::End as usize].is_some() && end_cell.is_none();
        let mut end = date_of(Field::End, end_cell, &mut kept);
        let rhi_completed = date(Field::RhiCompleted, &mut kept);

        if let Some(e) = end {
            if e < start {
                kept.add(QualityRule::EndBeforeStart, Field::End, &text(Field::End), Action::FieldIgnored);
                end = None;
            }
        }
        if let (Some(done), Some(e)) = (rhi_completed, end) {
            if done < e {
                kept.add(QualityRule::RhiBeforeEnd, Field::RhiCompleted, &text(Field::RhiCompleted), Action::Kept);
            }
        }
        if rhi_completed.is_some() && rhi_offered == Some(false) {
            kept.add(QualityRule::RhiCompletedNotOffered, Field::RhiCompleted, &text(Field::RhiCompleted), Action::Kept);
        }
        let date_of_birth = date_of_birth.filter(|dob| {
            let age = age_in_years(*dob, start.date());
            let in_range = (0..25).contains(&age);
            if !in_range {
                kept.add(QualityRule::AgeOutOfRange, Field::DateOfBirth, &text(Field::DateOfBirth), Action::FieldIgnored);
            }
            in_range
        });
        let coded = |field: Field, allowed: &[(&str, &'static str)], kept: &mut RowFindings| -> Option<&'static str> {
            let value = get(field)?;
            // Any case, with spaces or hyphens for underscores.
            let same = |code: &str| {
                code.len() == value.len()
                    && code.bytes().zip(value.bytes()).all(|(c, v)| c == v.to_ascii_lowercase() || (c == b'_' && (v == b' ' || v == b'-')))
            };
            let found = allowed.iter().find(|(k, _)| same(k)).map(|(_, v)| *v);
            if found.is_none() {
                kept.unknown(field, &text(field), &value);
            }
            found
        };
        let placement_area = coded(Field::PlacementArea, &[("in_area", "in_area"), ("out_of_area", "out_of_area")], &mut kept);
        let rhi_outcome = coded(
            Field::RhiOutcome,
            &[("accepted", "accepted"), ("declined", "declined"), ("no_contact", "no_contact"), ("pending", "pending")],
            &mut kept,
        );
        if let Some(e) = end {
            if (e - start).num_minutes() > 365 * 24 * 60 {
                kept.add(QualityRule::LongEpisode, Field::End, &text(Field::End), Action::Kept);
            }
        }
        if open {
            kept.add(QualityRule::OpenEpisode, Field::End, "", Action::Kept);
        }
        let reason = get(Field::Reason).and_then(|cell| self.reasons(cell, || text(Field::Reason), &mut kept));
        // An absence excluded by the rules has its one finding already.
        let counted = !absent || self.rules.include_absent;
        let mut unrecognised = Vec::new();
        if counted {
            for (rule, (columns, values, action)) in kept.by_rule {
                findings.push(Finding { file: self.file, row, column: self.column_names(&columns), rule, value: values.join(";"), action });
            }
            unrecognised = kept.unrecognised;
        }
        let sex = match get(Field::Sex).as_deref() {
            Some(v) if is_any(v, &["m", "male", "1"]) => "male",
            Some(v) if is_any(v, &["f", "female", "2"]) => "female",
            _ => "other_unknown",
        };
        let episode = RowValues {
            origin: (self.file as u32, row as u32, counted),
            child_id,
            looked_after,
            absent,
            start: millis(start),
            start_cell: match self.sources[Field::Start as usize] {
                Some(Locator::Column(i)) => cells.cell(*i).unwrap_or_default(),
                Some(Locator::Constant(value)) => value,
                // Every layout reads the start from one of the file's columns.
                _ => "",
            },
            end: end.map(millis),
            open,
            date_of_birth: date_of_birth.map(days_since_epoch),
            age: date_of_birth.map(|dob| age_in_years(dob, start.date())),
            sex,
            ethnicity_group: ethnicity_group(get(Field::Ethnicity).as_deref()),
            placement_area,
            uasc,
            reason,
            cse_risk: cse,
            cce_risk: cce,
            rhi_offered,
            rhi_outcome,
            rhi_completed: rhi_completed.map(millis),
        };
        // Most rows carry nothing more: no allocation for them.
        let notes = (!findings.is_empty() || !unrecognised.is_empty()).then(|| Box::new(RowNotes { findings, unrecognised }));
        self.candidate(cells, row, episode_id, Outcome::Kept(episode, notes))
    }

    /// A row that reached the episode id check, with what became of it.
    // Inlined, so the row's values are built where they will lie, not copied there.
    #[inline(always)]
    fn candidate<'r, C: Cells>(&'r self, cells: &'r C, row: usize, episode_id: Cow<'r, str>, outcome: Outcome<'r>) -> Parsed<'r> {
        // The cell as written, for the finding.
        let episode_id_cell = match self.sources[Field::EpisodeId as usize] {
            Some(Locator::Column(i)) => cells.cell(*i),
            _ => None,
        };
        Parsed::Candidate(Candidate { row: row as u32, episode_id, episode_id_cell, outcome })
    }

    /// The columns of `fields` as the file's header spells them, joined by `;`.
    fn column_names(&self, fields: &[Field]) -> String {
        fields.iter().map(|f| self.column_names[*f as usize]).collect::<Vec<_>>().join(";")
    }

    /// Parses `rows` on every core (pure work): one part per core, the
    /// parts in input order (joining them would copy every row once more).
    pub(super) fn parse_rows<'r, C: Cells + Sync>(&'r self, rows: &'r [(usize, C)]) -> Vec<Vec<Parsed<'r>>> {
        if !worth_threads(rows.len()) {
            return vec![rows.iter().map(|(row, cells)| self.parse_row(*row, cells)).collect()];
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        std::thread::scope(|scope| {
            let parts: Vec<_> = rows
                .chunks(rows.len().div_ceil(threads))
                .map(|part| scope.spawn(move || part.iter().map(|(row, cells)| self.parse_row(*row, cells)).collect::<Vec<_>>()))
                .collect();
            parts.into_iter().map(|part| part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
        })
    }
}

/// A row as `parse_row` leaves it.
// Rows live by value in a chunk's vector, so boxing the large variant would
// cost an allocation per row for nothing: the other variants are rare.
#[allow(clippy::large_enum_variant)]
pub(super) enum Parsed<'r> {
    /// A blank workbook row: not a record at all.
    Blank,
    /// Left out by a rule decided before the duplicate check.
    Excluded(Finding),
    /// Kept or excluded depending on whether its episode id was seen before.
    Candidate(Candidate<'r>),
}

/// (The file and its column names are the reader's: `apply` has it.)
pub(super) struct Candidate<'r> {
    pub(super) row: u32,
    pub(super) episode_id: Cow<'r, str>,
    /// The episode id's cell as written, spaces and all (`None`: the id is made from other cells).
    pub(super) episode_id_cell: Option<&'r str>,
    pub(super) outcome: Outcome<'r>,
}

pub(super) enum Outcome<'r> {
    /// Left out by a rule after the duplicate check (`future_start`, `other_la_excluded`).
    Excluded(Finding),
    /// In the frame, with what it carries beyond its values, if anything.
    Kept(RowValues<'r>, Option<Box<RowNotes>>),
}

/// What a kept row carries beside its values: the findings, and the values
/// no mapping recognised.
pub(super) struct RowNotes {
    pub(super) findings: Vec<Finding>,
    pub(super) unrecognised: Vec<(Field, String)>,
}

/// One row's values, as the `EpisodeColumns` columns take them.
pub(super) struct RowValues<'r> {
    pub(super) origin: (u32, u32, bool),
    pub(super) child_id: Cow<'r, str>,
    pub(super) looked_after: Option<bool>,
    pub(super) absent: bool,
    pub(super) start: i64,
    /// The start cell as the file holds it, for a finding made after every row is read.
    pub(super) start_cell: &'r str,
    pub(super) end: Option<i64>,
    pub(super) open: bool,
    pub(super) date_of_birth: Option<i32>,
    pub(super) age: Option<i32>,
    pub(super) sex: &'static str,
    pub(super) ethnicity_group: &'static str,
    pub(super) placement_area: Option<&'static str>,
    pub(super) uasc: Option<bool>,
    pub(super) reason: Option<Reasons<'r>>,
    pub(super) cse_risk: Option<bool>,
    pub(super) cce_risk: Option<bool>,
    pub(super) rhi_offered: Option<bool>,
    pub(super) rhi_outcome: Option<&'static str>,
    pub(super) rhi_completed: Option<i64>,
}

/// A row's reasons as the columns take them.
pub(super) enum Reasons<'r> {
    /// One code: its place in the vocabulary, and the code.
    Code(usize, &'r str),
    /// Codes of the vocabulary joined by `;`, each once.
    Codes(Cow<'r, str>),
}
