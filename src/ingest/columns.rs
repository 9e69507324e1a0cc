//! Kept rows into columns, in input order: the duplicate-id check (the first
//! row stays) and child numbering side by side, then one polars frame in the
//! canonical schema. Child identifiers become dense numbers here and never
//! enter the frame.

use std::time::Duration;

use polars::prelude::*;
use rustc_hash::FxHashMap;

use super::field::Field;
use super::quality::{Action, DataQuality, Finding, QualityRule};
use super::records::worth_threads;
use super::row::{Candidate, Outcome, Parsed, Reasons, RowReader, RowValues};
use crate::timings::timed;

/// The rules that need the rows before (`duplicate_episode_id`: the first
/// stays), then the row into the columns. Called in input order with the
/// reader of the row's file. A kept row, the common one, is read where it
/// lies (moving its values would cost more than reading them); the others
/// are taken out of `parsed`, leaving it blank.
pub(super) fn apply(
    parsed: &mut Parsed<'_>,
    duplicate: bool,
    child: u32,
    reader: &RowReader<'_>,
    builder: &mut EpisodeColumns,
    quality: &mut DataQuality,
) {
    if let Parsed::Candidate(Candidate { outcome: Outcome::Kept(episode, notes), .. }) = parsed {
        if !duplicate {
            if let Some(notes) = notes.take() {
                quality.findings.extend(notes.findings);
                for (field, value) in notes.unrecognised {
                    quality.unrecognised.add(reader.file, field, value);
                }
            }
            return builder.push(episode, child);
        }
    }
    match std::mem::replace(parsed, Parsed::Blank) {
        Parsed::Blank => {}
        Parsed::Excluded(finding) => quality.findings.push(finding),
        Parsed::Candidate(candidate) if duplicate => quality.findings.push(Finding {
            file: reader.file,
            row: candidate.row as usize,
            column: reader.column_names[Field::EpisodeId as usize].to_string(),
            rule: QualityRule::DuplicateEpisodeId,
            value: candidate.episode_id_cell.map_or_else(|| candidate.episode_id.into_owned(), str::to_string),
            action: Action::Excluded,
        }),
        Parsed::Candidate(Candidate { outcome: Outcome::Excluded(finding), .. }) => quality.findings.push(finding),
        // Kept and not a duplicate: in the columns above.
        Parsed::Candidate(Candidate { outcome: Outcome::Kept(..), .. }) => {}
    }
}

/// The number standing for `key`: the next one when `key` is new, so numbers
/// follow first appearance.
pub(super) fn number_for(numbers: &mut FxHashMap<String, u32>, key: &str) -> u32 {
    if let Some(number) = numbers.get(key) {
        return *number;
    }
    let number = numbers.len() as u32;
    numbers.insert(key.to_string(), number);
    number
}

/// The episode ids seen so far, compared exactly, without an allocation per
/// id: the ids stand end to end in one buffer and the table holds where.
#[derive(Default)]
pub(super) struct SeenIds {
    pub(super) bytes: Vec<u8>,
    pub(super) table: hashbrown::HashTable<(usize, usize)>,
}

impl SeenIds {
    pub(super) fn hash(id: &[u8]) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(id)
    }

    pub(super) fn reserve(&mut self, ids: usize) {
        let seen = &self.bytes;
        self.table.reserve(ids, |&(start, len)| Self::hash(&seen[start..start + len]));
    }

    /// Adds `id`; false when it was seen before.
    pub(super) fn insert(&mut self, id: &str) -> bool {
        let id = id.as_bytes();
        let hash = Self::hash(id);
        let seen = &self.bytes;
        if self.table.find(hash, |&(start, len)| &seen[start..start + len] == id).is_some() {
            return false;
        }
        let start = self.bytes.len();
        self.bytes.extend_from_slice(id);
        let seen = &self.bytes;
        self.table.insert_unique(hash, (start, id.len()), |&(start, len)| Self::hash(&seen[start..start + len]));
        true
    }
}

/// Columns under construction; `finish` turns them into the polars frame.
#[derive(Default)]
pub(super) struct EpisodeColumns {
    /// Fast, deterministic hashing: the keys come from the user's own file.
    pub(super) episode_ids: SeenIds,
    /// (file, row, counted) of each kept row, for findings made after all rows are read.
    pub(super) origin: Vec<(u32, u32, bool)>,
    /// Child identifier → the number that stands for it in `child`.
    pub(super) child_keys: FxHashMap<String, u32>,
    pub(super) child: Vec<u32>,
    pub(super) looked_after: Vec<Option<bool>>,
    pub(super) absent: Vec<bool>,
    pub(super) start: Vec<i64>,
    /// Each row's start cell as written, end to end (`start_cell_ends` marks where each ends).
    pub(super) start_cells: String,
    pub(super) start_cell_ends: Vec<usize>,
    pub(super) end: Vec<Option<i64>>,
    pub(super) open: Vec<bool>,
    pub(super) date_of_birth: Vec<Option<i32>>,
    pub(super) age: Vec<Option<i32>>,
    pub(super) sex: Vec<&'static str>,
    pub(super) ethnicity_group: Vec<&'static str>,
    pub(super) placement_area: Vec<Option<&'static str>>,
    pub(super) uasc: Vec<Option<bool>>,
    /// Index into `reason_codes`: each distinct set of codes is held once.
    pub(super) reason: Vec<Option<u32>>,
    pub(super) reason_codes: Vec<String>,
    pub(super) reason_code_index: FxHashMap<String, u32>,
    /// `reason_codes`' index of each code alone, by its place in the vocabulary, once seen.
    pub(super) reason_of_code: Vec<Option<u32>>,
    pub(super) cse_risk: Vec<Option<bool>>,
    pub(super) cce_risk: Vec<Option<bool>>,
    pub(super) rhi_offered: Vec<Option<bool>>,
    pub(super) rhi_outcome: Vec<Option<&'static str>>,
    pub(super) rhi_completed: Vec<Option<i64>>,
}

impl EpisodeColumns {
    pub(super) fn len(&self) -> usize {
        self.child.len()
    }

    /// Room for `rows` rows: measured, growing the columns and the id set a
    /// row at a time costs about a twentieth of ingest.
    pub(super) fn reserve(&mut self, rows: usize) {
        self.episode_ids.reserve(rows);
        self.origin.reserve(rows);
        self.child.reserve(rows);
        self.looked_after.reserve(rows);
        self.absent.reserve(rows);
        self.start.reserve(rows);
        self.start_cell_ends.reserve(rows);
        // A date and time written `dd/mm/yyyy hh:mm:ss` is 19 bytes.
        self.start_cells.reserve(rows * 20);
        self.end.reserve(rows);
        self.open.reserve(rows);
        self.date_of_birth.reserve(rows);
        self.age.reserve(rows);
        self.sex.reserve(rows);
        self.ethnicity_group.reserve(rows);
        self.placement_area.reserve(rows);
        self.uasc.reserve(rows);
        self.reason.reserve(rows);
        self.cse_risk.reserve(rows);
        self.cce_risk.reserve(rows);
        self.rhi_offered.reserve(rows);
        self.rhi_outcome.reserve(rows);
        self.rhi_completed.reserve(rows);
    }

    /// For each parsed row, in input order: whether its episode id was seen
    /// before (`duplicate_episode_id`, the first stays), and the number
    /// standing for its child. The two are independent, so they run side by
    /// side; each walks the rows in order. A child numbered from a row that
    /// turns out to be a duplicate only leaves a number unused.
    /// `parsed`: the parts `parse_rows` made, in order.
    pub(super) fn keys(&mut self, parsed: &[Vec<Parsed<'_>>]) -> (Vec<bool>, Vec<u32>, Duration) {
        let (seen, children) = (&mut self.episode_ids, &mut self.child_keys);
        let duplicates = |seen: &mut SeenIds| -> (Vec<bool>, Duration) {
            timed(|| parsed.iter().flatten().map(|p| matches!(p, Parsed::Candidate(c) if !seen.insert(&c.episode_id))).collect())
        };
        let numbers = |children: &mut FxHashMap<String, u32>| -> Vec<u32> {
            parsed
                .iter()
                .flatten()
                .map(|p| match p {
                    Parsed::Candidate(Candidate { outcome: Outcome::Kept(episode, ..), .. }) => number_for(children, &episode.child_id),
                    _ => 0,
                })
                .collect()
        };
        if !worth_threads(parsed.iter().map(Vec::len).sum()) {
            let (flags, took) = duplicates(seen);
            return (flags, numbers(children), took);
        }
        std::thread::scope(|scope| {
            let duplicates = scope.spawn(move || duplicates(seen));
            let numbers = numbers(children);
            let (flags, took) = duplicates.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (flags, numbers, took)
        })
    }

    pub(super) fn push(&mut self, episode: &RowValues<'_>, child: u32) {
        let reason = episode.reason.as_ref().map(|reasons| match reasons {
            Reasons::Code(position, code) => self.code_index(*position, code),
            Reasons::Codes(codes) => self.reason_index(codes),
        });
        self.origin.push(episode.origin);
        self.child.push(child);
        self.looked_after.push(episode.looked_after);
        self.absent.push(episode.absent);
        self.start.push(episode.start);
        self.start_cells.push_str(episode.start_cell);
        self.start_cell_ends.push(self.start_cells.len());
        self.end.push(episode.end);
        self.open.push(episode.open);
        self.date_of_birth.push(episode.date_of_birth);
        self.age.push(episode.age);
        self.sex.push(episode.sex);
        self.ethnicity_group.push(episode.ethnicity_group);
        self.placement_area.push(episode.placement_area);
        self.uasc.push(episode.uasc);
        self.reason.push(reason);
        self.cse_risk.push(episode.cse_risk);
        self.cce_risk.push(episode.cce_risk);
        self.rhi_offered.push(episode.rhi_offered);
        self.rhi_outcome.push(episode.rhi_outcome);
        self.rhi_completed.push(episode.rhi_completed);
    }

    /// One reason code, at `position` in the vocabulary, as an index into
    /// `reason_codes`: looked up by place, not by hashing the code, once seen.
    fn code_index(&mut self, position: usize, code: &str) -> u32 {
        if let Some(Some(index)) = self.reason_of_code.get(position) {
            return *index;
        }
        let index = self.reason_index(code);
        if self.reason_of_code.len() <= position {
            self.reason_of_code.resize(position + 1, None);
        }
        self.reason_of_code[position] = Some(index);
        index
    }

    /// Reason codes joined by `;` as an index into `reason_codes`.
    pub(super) fn reason_index(&mut self, codes: &str) -> u32 {
        let index = number_for(&mut self.reason_code_index, codes);
        if index as usize == self.reason_codes.len() {
            self.reason_codes.push(codes.to_string());
        }
        index
    }

    pub(super) fn finish(self) -> PolarsResult<DataFrame> {
        let height = self.len();
        let datetime = |name: &str, values: Vec<Option<i64>>| -> Column {
            Int64Chunked::from_iter_options(name.into(), values.into_iter()).into_datetime(TimeUnit::Milliseconds, None).into_column()
        };
        let columns = vec![
            Column::new("child".into(), self.child),
            Column::new("looked_after".into(), self.looked_after),
            Column::new("absent".into(), self.absent),
            datetime("start", self.start.into_iter().map(Some).collect()),
            datetime("end", self.end),
            Column::new("open".into(), self.open),
            Int32Chunked::from_iter_options("date_of_birth".into(), self.date_of_birth.into_iter()).into_date().into_column(),
            Column::new("age".into(), self.age),
            Column::new("sex".into(), self.sex),
            Column::new("ethnicity_group".into(), self.ethnicity_group),
            Column::new("placement_area".into(), self.placement_area),
            Column::new("uasc".into(), self.uasc),
            StringChunked::from_iter_options(
                "reason".into(),
                self.reason.iter().map(|r| r.map(|i| self.reason_codes[i as usize].as_str())),
            )
            .into_column(),
            Column::new("cse_risk".into(), self.cse_risk),
            Column::new("cce_risk".into(), self.cce_risk),
            Column::new("rhi_offered".into(), self.rhi_offered),
            Column::new("rhi_outcome".into(), self.rhi_outcome),
            datetime("rhi_completed", self.rhi_completed),
        ];
        DataFrame::new(height, columns)
    }
}
