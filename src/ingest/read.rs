//! The ingest stage in order: open every file, fill the SSD lookups from
//! companion files, read each episode file's rows in parallel chunks and
//! apply them in input order, run the cross-row checks, build the frame.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use anyhow::Result;
use chrono::NaiveDate;

use super::columns::{apply, EpisodeColumns};
use super::context::{IngestContext, Layout};
use super::decode::{self, Content, ReadNotes};
use super::dfe_check;
use super::episodes::Episodes;
use super::error::unusable;
use super::field::Field;
use super::file::InputFile;
use super::identifiers::ChildIdentifiers;
use super::layout;
use super::quality::DataQuality;
use super::records::{with_rows, Rows, PARSE_CHUNK};
use super::row::{Parsed, RowReader};
use super::ssd::{self, Lookups, SsdRole};
use super::ssda903::{self, ReturnTable, ReturnTables};
use super::values::EPOCH;
use crate::timings::{add_time, timed};

/// Each child's identifier (its key) and the number standing for it.
pub(super) type ChildNumbers = rustc_hash::FxHashMap<String, u32>;

/// How long each part of `read_timed` took: what the benchmark reports.
#[derive(Debug, Clone, Copy, Default)]
pub struct IngestTimings {
    /// Telling the format, decoding, the header.
    pub open: Duration,
    /// Reading the rows: records, `parse`, `keys` and `apply` together.
    pub rows: Duration,
    /// `parse_row` on every core: values, and the rules a row decides alone.
    pub parse: Duration,
    /// The duplicate-id check and child numbering, side by side.
    pub keys: Duration,
    /// Of which the duplicate-id check alone (on its own thread).
    pub duplicate_check: Duration,
    /// Findings and values into the columns, in input order.
    pub apply: Duration,
    /// `overlapping_episodes` and putting the findings in order.
    pub cross_row_checks: Duration,
    /// The polars frame.
    pub frame: Duration,
}

/// `read`, with the time each part took.
pub fn read_timed(files: &[InputFile], context: &IngestContext) -> Result<(Episodes, DataQuality, IngestTimings)> {
    let (opened, took) = timed(|| open_inputs(files, context));
    let opened = opened?;
    let (episodes, quality, mut timings, _) = read_opened(&opened, context, None)?;
    timings.open = took;
    Ok((episodes, quality, timings))
}

/// `read`, keeping each child's identifier as the source holds it: for the
/// restricted watchlist only.
pub fn read_identified(files: &[InputFile], context: &IngestContext) -> Result<(Episodes, DataQuality, ChildIdentifiers)> {
    let opened = open_inputs(files, context)?;
    let (episodes, quality, _, numbers) = read_opened(&opened, context, None)?;
    let regional = episodes.has(Field::Authority);
    Ok((episodes, quality, ChildIdentifiers::from_numbers(numbers, regional)))
}

/// The episode files' rows (every row, or with `selection` only those it
/// holds, one entry per episode file) into one episode table, and the
/// number standing for each child's identifier (dropped by all but the watchlist).
pub(super) fn read_opened(
    opened: &OpenedInputs<'_>,
    context: &IngestContext,
    selection: Option<&[SelectedRows]>,
) -> Result<(Episodes, DataQuality, IngestTimings, ChildNumbers)> {
    let mut timings = IngestTimings::default();
    let OpenedInputs { episode_files, ssd, tables } = opened;
    if episode_files.is_empty() {
        return Err(unusable("no episode file among the inputs (for the ssd layout, give the ssd_missing extract too)".into()));
    }

    let mut columns = EpisodeColumns::default();
    let mut quality = DataQuality::default();
    let parts = RowTimes::default();
    let (present, took) = timed(|| read_rows(episode_files, ssd, context, selection, &parts, &mut columns, &mut quality));
    timings.rows = took;
    let present = present?;
    (timings.parse, timings.keys, timings.duplicate_check, timings.apply) =
        (parts.parse.get(), parts.keys.get(), parts.duplicate_check.get(), parts.apply.get());

    let (checked, took) = timed(|| -> Result<()> {
        columns.flag_overlaps(&mut quality.findings, &quality.column_names);
        if context.layout == Layout::Ssda903 {
            check_return(episode_files, tables, context, &mut quality)?;
        }
        quality.findings.sort_by_key(|f| (f.file, f.row, f.rule));
        Ok(())
    });
    timings.cross_row_checks = took;
    checked?;
    quality.rows_kept = columns.len();
    let numbers = std::mem::take(&mut columns.child_keys);
    let (frame, took) = timed(|| columns.finish());
    timings.frame = took;
    let frame = anyhow::Context::context(frame, "building the episode table")?;
    Ok((Episodes { frame, columns: present, reasons: context.options.reasons.clone() }, quality, timings, numbers))
}

/// Some rows of one episode file, each with its spreadsheet row: one
/// authority's rows of a regional extract.
pub(super) enum SelectedRows {
    Csv(Vec<(usize, csv::StringRecord)>),
    Workbook(Vec<(usize, Vec<String>)>),
}

impl SelectedRows {
    pub(super) fn len(&self) -> usize {
        match self {
            SelectedRows::Csv(rows) => rows.len(),
            SelectedRows::Workbook(rows) => rows.len(),
        }
    }
}

/// Every input opened: the episode files in input order, the lookups the
/// SSD layout fills from companion files, the SSDA903 return's other tables.
pub(super) struct OpenedInputs<'a> {
    pub(super) episode_files: Vec<Opened<'a>>,
    pub(super) ssd: Lookups,
    pub(super) tables: ReturnTables,
}

/// An opened episode file: the file, its text or cells, and what decoding noticed.
pub(super) type Opened<'a> = (&'a InputFile, Content<'a>, ReadNotes);

/// Opens every file first: the companion files of the SSD and SSDA903
/// layouts fill lookups that their episode files need. The episode files,
/// in input order, the lookups and the SSDA903 return's other tables.
pub(super) fn open_inputs<'a>(files: &'a [InputFile], context: &IngestContext) -> Result<OpenedInputs<'a>> {
    let mut ssd = Lookups::default();
    let mut tables = ReturnTables::default();
    let mut episode_files = Vec::new();
    let opened = files.iter().map(|file| Ok((file, decode::open(file, context.options.sheet.as_deref())?))).collect::<Result<Vec<_>>>()?;
    for (file, (content, notes)) in opened {
        if context.layout == Layout::Ssda903 {
            let table = with_rows(file, &content, |header, rows| {
                let table = ssda903::return_table(header);
                if let Some(table) = table.filter(|t| *t != ReturnTable::Missing) {
                    rows.with_all(|rows| ssda903::add_return_table(&mut tables, &mut ssd, table, header, rows, &file.name))??;
                }
                Ok(table)
            })?;
            match table {
                Some(ReturnTable::Missing) => episode_files.push((file, content, notes)),
                Some(_) => {}
                None => {
                    return Err(unusable(format!(
                        "{}: row 1: not an SSDA903 table this tool reads (expected the Missing table with CHILD and MIS_START, the Header with CHILD, SEX and ETHNIC, or Episodes with CHILD and DECOM)",
                        file.name
                    )))
                }
            }
            continue;
        }
        if context.layout != Layout::Ssd {
            episode_files.push((file, content, notes));
            continue;
        }
        let role = with_rows(file, &content, |header, rows| {
            let role = ssd::ssd_role(header);
            if let Some(role) = role.filter(|r| *r != SsdRole::Missing) {
                rows.with_all(|rows| ssd::add_ssd_companion(&mut ssd, role, header, rows, &file.name))??;
            }
            Ok(role)
        })?;
        match role {
            Some(SsdRole::Missing) => episode_files.push((file, content, notes)),
            Some(_) => {}
            None => {
                return Err(unusable(format!(
                    "{}: row 1: not an SSD extract this tool reads (expected ssd_missing, ssd_person, ssd_cla_episodes or a list of person ids)",
                    file.name
                )))
            }
        }
    }
    Ok(OpenedInputs { episode_files, ssd, tables })
}

/// The DfE's rules over every row of each SSDA903 Missing file, with the
/// return's other tables: findings and notes into `quality`.
fn check_return(episode_files: &[Opened<'_>], tables: &ReturnTables, context: &IngestContext, quality: &mut DataQuality) -> Result<()> {
    let mut rows = Vec::new();
    let mut years = BTreeMap::new();
    for (index, (file, content, _)) in episode_files.iter().enumerate() {
        let file_rows = with_rows(file, content, |header, rows| rows.with_all(|rows| dfe_check::missing_rows(index, header, rows)))?;
        if let Some(year) = context.options.collection_year.or_else(|| dfe_check::collection_year_of(&file_rows)) {
            years.insert(index, year);
        }
        rows.extend(file_rows);
    }
    let (findings, notes) = dfe_check::check(&rows, tables, &years);
    quality.findings.extend(findings);
    quality.notes.extend(notes);
    for (index, year) in years {
        let name = quality.files.get(index).cloned().unwrap_or_default();
        let how = if context.options.collection_year.is_some() { "input.collection_year" } else { "its dates" };
        quality.notes.push(format!("{name}: DfE rules checked against the collection year {}-{:02} (from {how})", year - 1, year % 100));
    }
    Ok(())
}

/// Time spent in each part of reading the rows, added up over every chunk.
#[derive(Default)]
struct RowTimes {
    parse: Cell<Duration>,
    keys: Cell<Duration>,
    duplicate_check: Cell<Duration>,
    apply: Cell<Duration>,
}

/// Every episode file's rows into `columns`, every row accounted for in
/// `quality`. The canonical columns every file has.
fn read_rows(
    episode_files: &[Opened<'_>],
    ssd: &Lookups,
    context: &IngestContext,
    selection: Option<&[SelectedRows]>,
    times: &RowTimes,
    columns: &mut EpisodeColumns,
    quality: &mut DataQuality,
) -> Result<BTreeSet<Field>> {
    let today = context.rules.extract_date.unwrap_or_else(today);
    quality.extract_date = Some(today);
    quality.extract_date_configured = context.rules.extract_date.is_some();
    let mut common: Option<BTreeSet<Field>> = None;
    for (position, (file, content, notes)) in episode_files.iter().enumerate() {
        let selected = selection.and_then(|s| s.get(position));
        let index = quality.files.len();
        quality.files.push(file.name.clone());
        let rows_before = quality.rows_read;
        if notes.transcoded {
            quality.notes.push(format!("{} is not UTF-8: read as Windows-1252", file.name));
        }
        if notes.nul_bytes > 0 {
            quality.notes.push(format!("{}: {} NUL bytes removed", file.name, notes.nul_bytes));
        }
        let present = with_rows(file, content, |header, rows| {
            let mapping = layout::mapping(context.layout, header, &context.options, &file.name, Some(ssd))?;
            let mut sources = [None; Field::ALL.len()];
            let mut value_maps = [None; Field::ALL.len()];
            let names = mapping.column_names(header);
            let mut column_names = [""; Field::ALL.len()];
            for field in Field::ALL {
                sources[field as usize] = mapping.fields.get(&field);
                value_maps[field as usize] = mapping.values.get(&field);
                column_names[field as usize] = names.get(&field).map_or(field.name(), String::as_str);
            }
            if let Some(selected) = selected {
                columns.reserve(selected.len());
            } else if let Content::Text { text, .. } = content {
                // About one row a line: spares the columns and the set of
                // episode ids from growing (and being copied) a row at a time.
                columns.reserve(text.as_bytes().iter().filter(|b| **b == b'\n').count());
            }
            let reader = RowReader {
                file: index,
                sources,
                value_maps,
                ssd,
                rules: &context.rules,
                today,
                date_formats: &context.options.date_formats,
                column_names,
                reasons: &context.options.reasons,
            };
            // Rows parse in parallel a chunk at a time, then apply in input order.
            let mut apply_all = |mut parsed: Vec<Vec<Parsed<'_>>>| {
                let (duplicates, children, duplicate_check) = add_time(&times.keys, || columns.keys(&parsed));
                times.duplicate_check.set(times.duplicate_check.get() + duplicate_check);
                add_time(&times.apply, || {
                    for ((row, duplicate), child) in parsed.iter_mut().flatten().zip(duplicates).zip(children) {
                        if !matches!(row, Parsed::Blank) {
                            quality.rows_read += 1;
                        }
                        apply(row, duplicate, child, &reader, columns, quality);
                    }
                });
            };
            match (selected, rows) {
                (Some(SelectedRows::Csv(rows)), _) => {
                    rows.chunks(PARSE_CHUNK).for_each(|chunk| apply_all(add_time(&times.parse, || reader.parse_rows(chunk))))
                }
                (Some(SelectedRows::Workbook(rows)), _) => {
                    rows.chunks(PARSE_CHUNK).for_each(|chunk| apply_all(add_time(&times.parse, || reader.parse_rows(chunk))))
                }
                (None, Rows::Csv(records)) => {
                    records.for_each_chunk(PARSE_CHUNK, |chunk| apply_all(add_time(&times.parse, || reader.parse_rows(chunk))))?
                }
                (None, Rows::Workbook(rows)) => {
                    rows.chunks(PARSE_CHUNK).for_each(|chunk| apply_all(add_time(&times.parse, || reader.parse_rows(chunk))))
                }
            }
            let present = mapping.fields.keys().copied().collect::<BTreeSet<Field>>();
            Ok((present, names))
        })?;
        let (present, names) = present;
        quality.column_names.push(names);
        quality.rows_per_file.push(quality.rows_read - rows_before);
        // A column counts as present only if every file has it.
        common = Some(match common {
            None => present,
            Some(seen) => seen.intersection(&present).copied().collect(),
        });
    }
    Ok(common.unwrap_or_default())
}

/// Today's date from the system clock, for `future_start` when no extract date is configured.
pub(super) fn today() -> NaiveDate {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    EPOCH + chrono::Duration::days((seconds / 86_400) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::CountingRules;

    fn read_text(text: &str, rules: &CountingRules) -> Result<(Episodes, DataQuality)> {
        read_timed(&[InputFile { name: "t.csv".into(), bytes: text.as_bytes().to_vec() }], &IngestContext::new(rules))
            .map(|(episodes, quality, _)| (episodes, quality))
    }

    #[test]
    fn counts_every_excluded_row_by_rule() {
        let text = "Episode_ID ; child_id;looked_after;start;end;other_la;episode_type\n\
                    e1;c1;Y;2023-04-01 10:00;2023-04-01 12:00;N;missing\n\
                    \" e1 \";c1;Y;2023-04-02 10:00;;N;missing\n\
                    e2;c2;N;01/13/2023;;N;\n\
                    e3;;N;2023-04-02;;N;\n\
                    e4;c4;Y;2023-04-05;2023-04-04;Y;\n\
                    e5;c5;Y;2023-04-05;2023-04-04;N;absent\n\
                    e6;c6;maybe;2023-04-05;2023-04-04;N;\n";
        let (episodes, quality) = read_text(text, &CountingRules::default()).unwrap();
        assert_eq!(quality.rows_read, 7);
        // e1, e5 (absence, kept for the absences count) and e6.
        assert_eq!(episodes.frame.height(), 3);
        let rules: Vec<(&str, usize, &str)> = quality.findings.iter().map(|f| (f.rule.id(), f.row, f.column.as_str())).collect();
        assert_eq!(
            rules,
            vec![
                ("duplicate_episode_id", 3, "Episode_ID"),
                ("unparseable_date", 4, "start"),
                ("missing_required", 5, "child_id"),
                ("other_la_excluded", 6, "other_la"),
                ("absence_excluded", 7, "episode_type"),
                ("end_before_start", 8, "end"),
                ("unknown_value", 8, "looked_after"),
            ]
        );
        // The duplicate is quoted as the file writes it, spaces and all.
        assert_eq!(quality.findings[0].value, " e1 ");
    }

    #[test]
    fn reason_cells_become_codes_each_once() {
        let cells = ["cse", "with_friends;cse", "cse;cse", " With Friends ; CSE", "cse;;with_friends", "cse;bus stop", ""];
        let mut text = String::from("episode_id,child_id,looked_after,start,reason\n");
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(&format!("e{i},c{i},Y,2023-04-0{} 10:00,\"{cell}\"\n", i + 1));
        }
        let (episodes, quality) = read_text(&text, &CountingRules::default()).unwrap();
        let column = episodes.frame.column("reason").unwrap().str().unwrap().clone();
        let reasons: Vec<Option<&str>> = column.iter().collect();
        assert_eq!(
            reasons,
            [
                Some("cse"),
                Some("with_friends;cse"),
                Some("cse"),
                Some("with_friends;cse"),
                Some("cse;with_friends"),
                Some("cse;other"),
                None
            ]
        );
        let unknown: Vec<(usize, &str)> = quality.findings.iter().map(|f| (f.row, f.value.as_str())).collect();
        assert_eq!(unknown, [(7, "cse;bus stop")]);
    }

    #[test]
    fn errors_name_file_row_and_problem() {
        let ragged = read_text("episode_id,child_id,looked_after,start\ne1,c1,Y,2023-04-01\ne2,c2,Y\n", &CountingRules::default());
        let text = format!("{:#}", ragged.unwrap_err());
        assert!(text.contains("t.csv: row 3") && text.contains("3 fields where the header has 4"), "{text}");
        let missing = read_text("episode_id,child_id,start\ne1,c1,2023-04-01\n", &CountingRules::default());
        let text = format!("{:#}", missing.unwrap_err());
        assert!(text.contains("t.csv: row 1") && text.contains("looked_after"), "{text}");
        let duplicated = read_text("episode_id,child_id,Start,start,looked_after\n", &CountingRules::default());
        assert!(format!("{:#}", duplicated.unwrap_err()).contains("`start` appears twice"));
    }
}
