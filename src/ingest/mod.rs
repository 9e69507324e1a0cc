//! Reads episode files into one typed polars frame (`Episodes`) and accounts
//! for every row it does not count (`DataQuality`), by the rule ids of
//! INPUT.md. Records are tokenised with the `csv` crate because it reports the
//! exact record of a ragged row and never pads one silently; every cell is
//! then parsed by hand (dates day-first or ISO, never month-first) so each
//! failure can name its file, row and column.

mod layout;
mod source;

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use polars::prelude::*;
use rustc_hash::FxHashMap;

use crate::assets;
use crate::config::{InputOptions, InputSource, Layout, Rules};
use layout::{Source, SsdLookups};
use source::{Cells, Content};

/// One input file's name (for messages) and bytes.
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl InputFile {
    pub fn load(source: &InputSource) -> Result<Self> {
        match source {
            InputSource::BundledExample => {
                Ok(InputFile { name: assets::EXAMPLE_EPISODES_NAME.into(), bytes: assets::EXAMPLE_EPISODES.to_vec() })
            }
            InputSource::File(path) => {
                let bytes = std::fs::read(path).with_context(|| format!("cannot read input file {}", path.display()))?;
                Ok(InputFile { name: path.display().to_string(), bytes })
            }
        }
    }
}

/// Input that cannot be used at all (exit code 2), as opposed to a usage or
/// configuration error (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UnusableInput(pub String);

fn unusable(message: String) -> anyhow::Error {
    UnusableInput(message).into()
}

/// The canonical columns of INPUT.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    EpisodeId,
    ChildId,
    DateOfBirth,
    Sex,
    Ethnicity,
    LookedAfter,
    OtherLa,
    PlacementArea,
    Uasc,
    EpisodeType,
    Start,
    End,
    Reason,
    CseRisk,
    CceRisk,
    RhiOffered,
    RhiOutcome,
    RhiCompleted,
    Authority,
}

impl Field {
    pub const ALL: [Field; 19] = [
        Field::EpisodeId,
        Field::ChildId,
        Field::DateOfBirth,
        Field::Sex,
        Field::Ethnicity,
        Field::LookedAfter,
        Field::OtherLa,
        Field::PlacementArea,
        Field::Uasc,
        Field::EpisodeType,
        Field::Start,
        Field::End,
        Field::Reason,
        Field::CseRisk,
        Field::CceRisk,
        Field::RhiOffered,
        Field::RhiOutcome,
        Field::RhiCompleted,
        Field::Authority,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::EpisodeId => "episode_id",
            Field::ChildId => "child_id",
            Field::DateOfBirth => "date_of_birth",
            Field::Sex => "sex",
            Field::Ethnicity => "ethnicity",
            Field::LookedAfter => "looked_after",
            Field::OtherLa => "other_la",
            Field::PlacementArea => "placement_area",
            Field::Uasc => "uasc",
            Field::EpisodeType => "episode_type",
            Field::Start => "start",
            Field::End => "end",
            Field::Reason => "reason",
            Field::CseRisk => "cse_risk",
            Field::CceRisk => "cce_risk",
            Field::RhiOffered => "rhi_offered",
            Field::RhiOutcome => "rhi_outcome",
            Field::RhiCompleted => "rhi_completed",
            Field::Authority => "authority",
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Field::EpisodeId | Field::ChildId | Field::LookedAfter | Field::Start)
    }
}

/// The data-quality rules of INPUT.md, in the order of its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    MissingRequired,
    UnparseableDate,
    DuplicateEpisodeId,
    FutureStart,
    EndBeforeStart,
    RhiBeforeEnd,
    RhiCompletedNotOffered,
    AgeOutOfRange,
    UnknownValue,
    OverlappingEpisodes,
    LongEpisode,
    OpenEpisode,
    OtherLaExcluded,
    AbsenceExcluded,
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::MissingRequired => "missing_required",
            Rule::UnparseableDate => "unparseable_date",
            Rule::DuplicateEpisodeId => "duplicate_episode_id",
            Rule::FutureStart => "future_start",
            Rule::OverlappingEpisodes => "overlapping_episodes",
            Rule::EndBeforeStart => "end_before_start",
            Rule::RhiBeforeEnd => "rhi_before_end",
            Rule::RhiCompletedNotOffered => "rhi_completed_not_offered",
            Rule::AgeOutOfRange => "age_out_of_range",
            Rule::UnknownValue => "unknown_value",
            Rule::LongEpisode => "long_episode",
            Rule::OpenEpisode => "open_episode",
            Rule::OtherLaExcluded => "other_la_excluded",
            Rule::AbsenceExcluded => "absence_excluded",
        }
    }

    /// What the rule means, in words for the report's appendix.
    pub fn description(self) -> &'static str {
        match self {
            Rule::MissingRequired => "episode id, child id, start or looked-after status blank",
            Rule::UnparseableDate => "a date that could not be read (start: row excluded; other dates: treated as unknown)",
            Rule::DuplicateEpisodeId => "episode id already seen (the first row is kept)",
            Rule::FutureStart => "start after the date of the extract",
            Rule::OverlappingEpisodes => "starts before an earlier episode of the same child ended",
            Rule::EndBeforeStart => "return time earlier than the start (return treated as unknown)",
            Rule::RhiBeforeEnd => "return interview recorded before the return (never counted as within timescale)",
            Rule::RhiCompletedNotOffered => "return interview recorded but marked as not offered",
            Rule::AgeOutOfRange => "age at start below 0 or 25 and over (date of birth ignored)",
            Rule::UnknownValue => "a coded value that is not recognised (treated as unknown)",
            Rule::LongEpisode => "episode lasting more than a year",
            Rule::OpenEpisode => "no return recorded (still missing at extract)",
            Rule::OtherLaExcluded => "child looked after by another authority (not counted)",
            Rule::AbsenceExcluded => "absence rather than missing (counted separately as absences)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Excluded,
    FieldIgnored,
    Kept,
}

impl Action {
    pub fn id(self) -> &'static str {
        match self {
            Action::Excluded => "excluded",
            Action::FieldIgnored => "field_ignored",
            Action::Kept => "kept",
        }
    }
}

/// One row of the findings CSV. `value` may hold identifiers: it is for the
/// data team, never for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: usize,
    pub row: usize,
    pub column: String,
    pub rule: Rule,
    pub value: String,
    pub action: Action,
}

/// Every row not counted, or counted with a doubt, by rule.
#[derive(Debug, Clone, Default)]
pub struct DataQuality {
    pub files: Vec<String>,
    /// How files were read, where the user should know (e.g. transcoded from Windows-1252).
    pub notes: Vec<String>,
    pub rows_read: usize,
    /// Rows in `Episodes` (including absences, which the metrics count apart).
    pub rows_kept: usize,
    pub findings: Vec<Finding>,
}

impl DataQuality {
    /// (rule, action, count) in rule order; no identifiers.
    pub fn counts(&self) -> Vec<(Rule, Action, usize)> {
        let mut counts: BTreeMap<(Rule, Action), usize> = BTreeMap::new();
        for f in &self.findings {
            *counts.entry((f.rule, f.action)).or_default() += 1;
        }
        counts.into_iter().map(|((rule, action), n)| (rule, action, n)).collect()
    }

    /// The findings CSV of INPUT.md: `file,row,column,rule,value,action`.
    pub fn findings_csv(&self) -> Result<Vec<u8>> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["file", "row", "column", "rule", "value", "action"])?;
        for f in &self.findings {
            let file = self.files.get(f.file).map(String::as_str).unwrap_or("");
            writer.write_record([file, &f.row.to_string(), &f.column, f.rule.id(), &f.value, f.action.id()])?;
        }
        writer.into_inner().map_err(|e| anyhow::anyhow!("writing findings: {e}"))
    }

    pub fn excluded(&self) -> usize {
        self.findings.iter().filter(|f| f.action == Action::Excluded && f.rule != Rule::AbsenceExcluded).count()
    }
}

impl fmt::Display for DataQuality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "read {} rows from {} file(s); {} kept", self.rows_read, self.files.len(), self.rows_kept)?;
        for note in &self.notes {
            writeln!(f, "  note: {note}")?;
        }
        let mut by_rule: BTreeMap<Rule, Vec<(Action, usize)>> = BTreeMap::new();
        for (rule, action, count) in self.counts() {
            by_rule.entry(rule).or_default().push((action, count));
        }
        for (rule, actions) in by_rule {
            let total: usize = actions.iter().map(|(_, n)| n).sum();
            let what = actions.iter().map(|(a, n)| format!("{n} {}", a.id())).collect::<Vec<_>>().join(", ");
            writeln!(f, "  {:<28} {:>7}  ({what}) {}", rule.id(), total, rule.description())?;
        }
        Ok(())
    }
}

/// The episodes, one row each: `child` (a number standing for the child,
/// given in order of first appearance: the identifier itself never enters
/// the frame), `looked_after`, `absent`, `start`,
/// `end` (unknown or open: null), `open`, `date_of_birth`, `age` (at start),
/// `sex` (male/female/other_unknown), `ethnicity_group`, `placement_area`, `uasc`,
/// `reason` (normalised labels joined by `;`), `cse_risk`, `cce_risk`,
/// `rhi_offered`, `rhi_outcome`, `rhi_completed`.
#[derive(Debug, Clone)]
pub struct Episodes {
    pub frame: DataFrame,
    /// Canonical columns the input carried; metrics needing others are not produced.
    pub columns: BTreeSet<Field>,
}

impl Episodes {
    pub fn has(&self, field: Field) -> bool {
        self.columns.contains(&field)
    }

    /// Episodes the rules count (absences only when they are included).
    pub fn counted(&self, rules: &Rules) -> usize {
        if rules.include_absent {
            return self.frame.height();
        }
        let absences = self.frame.column("absent").ok().and_then(|c| c.bool().ok().map(|b| b.sum().unwrap_or(0) as usize));
        self.frame.height() - absences.unwrap_or(0)
    }
}

/// How to read the input beyond the files themselves.
#[derive(Debug, Clone, Default)]
pub struct IngestContext {
    pub rules: Rules,
    pub layout: Layout,
    pub options: InputOptions,
}

impl IngestContext {
    pub fn new(rules: &Rules) -> Self {
        IngestContext { rules: rules.clone(), layout: Layout::Canonical, options: InputOptions::default() }
    }
}

/// Reads every source as one episode table, for `build` and `metrics`:
/// input with no episode left to count is unusable.
pub fn load(sources: &[InputSource], context: &IngestContext) -> Result<(Episodes, DataQuality)> {
    let files = sources.iter().map(InputFile::load).collect::<Result<Vec<_>>>()?;
    let (episodes, quality) = read(&files, context)?;
    if episodes.counted(&context.rules) == 0 {
        let names = files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ");
        return Err(unusable(format!(
            "no episode left to count in {names}: {} rows read, {} excluded\n{}",
            quality.rows_read,
            quality.excluded(),
            quality
        )));
    }
    Ok((episodes, quality))
}

/// Parses already-loaded files; every row is kept or accounted for in `DataQuality`.
pub fn read(files: &[InputFile], context: &IngestContext) -> Result<(Episodes, DataQuality)> {
    read_timed(files, context).map(|(episodes, quality, _)| (episodes, quality))
}

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
    let mut timings = IngestTimings::default();
    let started = Instant::now();
    let mut builder = Builder::default();
    let mut quality = DataQuality::default();
    let mut columns: Option<BTreeSet<Field>> = None;
    let today = context.rules.extract_date.unwrap_or_else(today);

    // Open every file first: the SSD layout's companion files fill lookups
    // that its episode file needs.
    let mut opened = Vec::new();
    for file in files {
        let (content, notes) = source::open(file, context.options.sheet.as_deref())?;
        opened.push((file, content, notes));
    }
    let mut ssd = layout::SsdLookups::default();
    let mut episode_files = Vec::new();
    for (file, content, notes) in &opened {
        if context.layout == Layout::Ssd {
            let role = with_rows(file, content, |header, rows| {
                let role = layout::ssd_role(header);
                if let Some(role) = role.filter(|r| *r != layout::SsdRole::Missing) {
                    match rows {
                        Rows::Csv(records) => {
                            let records = records.collect()?;
                            layout::add_ssd_companion(&mut ssd, role, header, records.iter().map(|(n, r)| (*n, r)), &file.name)?
                        }
                        Rows::Workbook(cells) => layout::add_ssd_companion(&mut ssd, role, header, cells.iter().map(|(n, r)| (*n, r)), &file.name)?,
                    }
                }
                Ok(role)
            })?;
            match role {
                Some(layout::SsdRole::Missing) => episode_files.push((*file, content, notes)),
                Some(_) => {}
                None => {
                    return Err(unusable(format!(
                        "{}: row 1: not an SSD extract this tool reads (expected ssd_missing, ssd_person, ssd_cla_episodes or a list of person ids)",
                        file.name
                    )))
                }
            }
        } else {
            episode_files.push((*file, content, notes));
        }
    }
    timings.open = started.elapsed();
    let (parse_time, keys_time, duplicate_time, apply_time) =
        (Cell::new(Duration::ZERO), Cell::new(Duration::ZERO), Cell::new(Duration::ZERO), Cell::new(Duration::ZERO));
    let rows_started = Instant::now();
    if episode_files.is_empty() {
        return Err(unusable("no episode file among the inputs (for the ssd layout, give the ssd_missing extract too)".into()));
    }

    for (file, content, notes) in episode_files {
        let index = quality.files.len();
        quality.files.push(file.name.clone());
        if notes.transcoded {
            quality.notes.push(format!("{} is not UTF-8: read as Windows-1252", file.name));
        }
        if notes.nul_bytes > 0 {
            quality.notes.push(format!("{}: {} NUL bytes removed", file.name, notes.nul_bytes));
        }
        let present = with_rows(file, content, |header, rows| {
            let mapping = layout::mapping(context.layout, header, &context.options, &file.name, Some(&ssd))?;
            let mut sources = [None; Field::ALL.len()];
            let mut value_maps = [None; Field::ALL.len()];
            for field in Field::ALL {
                sources[field as usize] = mapping.fields.get(&field);
                value_maps[field as usize] = mapping.values.get(&field);
            }
            if let Content::Text { text, .. } = content {
                // About one row a line: spares the columns and the set of
                // episode ids from growing (and being copied) a row at a time.
                builder.reserve(text.as_bytes().iter().filter(|b| **b == b'\n').count());
            }
            let reader = RowReader { file: index, sources, value_maps, ssd: &ssd, rules: &context.rules, today };
            // Rows parse in parallel a chunk at a time, then apply in input order.
            let mut apply_all = |parsed: Vec<Parsed<'_>>| {
                let (duplicates, children, duplicate_check) = timed(&keys_time, || builder.keys(&parsed));
                duplicate_time.set(duplicate_time.get() + duplicate_check);
                timed(&apply_time, || {
                    for ((row, duplicate), child) in parsed.into_iter().zip(duplicates).zip(children) {
                        if !matches!(row, Parsed::Blank) {
                            quality.rows_read += 1;
                        }
                        apply(row, duplicate, child, &mut builder, &mut quality.findings);
                    }
                });
            };
            match rows {
                Rows::Csv(records) => {
                    records.for_each_chunk(PARSE_CHUNK, |chunk| apply_all(timed(&parse_time, || reader.parse_rows(chunk))))?
                }
                Rows::Workbook(rows) => {
                    rows.chunks(PARSE_CHUNK).for_each(|chunk| apply_all(timed(&parse_time, || reader.parse_rows(chunk))))
                }
            }
            Ok(mapping.fields.keys().copied().collect::<BTreeSet<Field>>())
        })?;
        // A column counts as present only if every file has it.
        columns = Some(match columns {
            None => present,
            Some(seen) => seen.intersection(&present).copied().collect(),
        });
    }
    timings.rows = rows_started.elapsed();
    (timings.parse, timings.keys, timings.duplicate_check, timings.apply) =
        (parse_time.get(), keys_time.get(), duplicate_time.get(), apply_time.get());
    let started = Instant::now();
    builder.flag_overlaps(&mut quality.findings);
    quality.findings.sort_by(|a, b| (a.file, a.row, a.rule).cmp(&(b.file, b.row, b.rule)));
    timings.cross_row_checks = started.elapsed();
    let started = Instant::now();
    quality.rows_kept = builder.len();
    let frame = anyhow::Context::context(builder.finish(), "building the episode table")?;
    timings.frame = started.elapsed();
    Ok((Episodes { frame, columns: columns.unwrap_or_default() }, quality, timings))
}

/// Runs `f`, adding the time it took to `total`.
fn timed<T>(total: &Cell<Duration>, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = f();
    total.set(total.get() + started.elapsed());
    result
}

/// Today's date from the system clock, for `future_start` when no extract date is configured.
fn today() -> NaiveDate {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    EPOCH + chrono::Duration::days((seconds / 86_400) as i64)
}

/// A file's records after the header: CSV records read one at a time, or workbook rows.
enum Rows<'a> {
    Csv(CsvRecords<'a>),
    Workbook(&'a [(usize, Vec<String>)]),
}

/// The CSV records after the header, read into one reused record, so a
/// million-row extract is never held as a million records.
struct CsvRecords<'a> {
    reader: csv::Reader<&'a [u8]>,
    file: &'a str,
}

impl CsvRecords<'_> {
    /// Calls `f` with up to `size` records at a time, each with its
    /// spreadsheet row (header = 1); the records' memory is reused from chunk
    /// to chunk. A record that cannot be read stops the run with an error
    /// naming its row; nothing is written before every stage has succeeded.
    fn for_each_chunk(mut self, size: usize, mut f: impl FnMut(&[(usize, csv::StringRecord)])) -> Result<()> {
        let mut chunk: Vec<(usize, csv::StringRecord)> = Vec::new();
        let mut row = 1;
        let mut more = true;
        while more {
            let mut filled = 0;
            while filled < size {
                if filled == chunk.len() {
                    chunk.push((0, csv::StringRecord::new()));
                }
                row += 1;
                let (number, record) = &mut chunk[filled];
                match self.reader.read_record(record) {
                    Ok(true) => {
                        *number = row;
                        filled += 1;
                    }
                    Ok(false) => {
                        more = false;
                        break;
                    }
                    Err(e) => return Err(record_error(self.file, row, e)),
                }
            }
            f(&chunk[..filled]);
        }
        Ok(())
    }

    /// Every record with its row, for the small companion files of a layout.
    fn collect(self) -> Result<Vec<(usize, csv::StringRecord)>> {
        let mut records = Vec::new();
        self.for_each_chunk(PARSE_CHUNK, |chunk| records.extend(chunk.iter().cloned()))?;
        Ok(records)
    }
}

fn record_error(file: &str, row: usize, error: csv::Error) -> anyhow::Error {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            unusable(format!("{file}: row {row}: {len} fields where the header has {expected_len}; fix or remove this row"))
        }
        _ => unusable(format!("{file}: row {row}: cannot read the row: {error}")),
    }
}

/// Calls `f` with the header and the records of `content`.
fn with_rows<T>(file: &InputFile, content: &Content, f: impl FnOnce(&[String], Rows<'_>) -> Result<T>) -> Result<T> {
    match content {
        Content::Text { text, delimiter } => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .delimiter(*delimiter)
                .flexible(false)
                .from_reader(text.as_bytes());
            let mut header = csv::StringRecord::new();
            match reader.read_record(&mut header) {
                Ok(true) => {}
                Ok(false) => return Err(unusable(format!("{}: the file is empty (no header row)", file.name))),
                Err(e) => return Err(unusable(format!("{}: row 1: cannot read the header: {e}", file.name))),
            }
            let header: Vec<String> = header.iter().map(str::to_string).collect();
            f(&header, Rows::Csv(CsvRecords { reader, file: &file.name }))
        }
        Content::Workbook { rows } => {
            let Some(((_, header), records)) = rows.split_first() else {
                return Err(unusable(format!("{}: the sheet is empty (no header row)", file.name)));
            };
            f(header, Rows::Workbook(records))
        }
    }
}

/// Rows parsed together before they are applied: large enough to keep both
/// cores busy, small enough that a chunk's records stay in cache.
const PARSE_CHUNK: usize = 32_768;

/// Whether `rows` rows are enough to be worth splitting over threads (and
/// there is more than one core to split them over).
fn worth_threads(rows: usize) -> bool {
    rows >= 4096 && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

/// Reads one file's rows through its mapping.
struct RowReader<'a> {
    file: usize,
    /// The file's `Mapping` by field (`Field as usize`), looked up for every cell.
    sources: [Option<&'a Source>; Field::ALL.len()],
    value_maps: [Option<&'a HashMap<String, String>>; Field::ALL.len()],
    ssd: &'a SsdLookups,
    rules: &'a Rules,
    today: NaiveDate,
}

/// Findings of one kept row, gathered per rule so each rule gives one finding.
#[derive(Default)]
struct RowFindings {
    by_rule: BTreeMap<Rule, (Vec<&'static str>, Vec<String>, Action)>,
}

impl RowFindings {
    fn add(&mut self, rule: Rule, field: Field, value: &str, action: Action) {
        let entry = self.by_rule.entry(rule).or_insert_with(|| (Vec::new(), Vec::new(), action));
        entry.0.push(field.name());
        entry.1.push(value.to_string());
    }
}

fn is_blank(value: &str) -> bool {
    value.is_empty() || ["na", "n/a", "null"].iter().any(|b| value.eq_ignore_ascii_case(b))
}

impl RowReader<'_> {
    /// The trimmed cell of `field` after value mapping; `None` when blank or absent.
    fn cell<'r, C: Cells>(&'r self, cells: &'r C, row: usize, field: Field) -> Option<Cow<'r, str>> {
        let raw: Cow<'r, str> = match self.sources[field as usize]? {
            Source::Column(i) => Cow::Borrowed(cells.cell(*i)?.trim()),
            Source::Constant(value) => Cow::Borrowed(value),
            Source::EpisodeId { child, start } => {
                let (child, start) = (cells.cell(*child)?.trim(), cells.cell(*start)?.trim());
                if is_blank(child) || is_blank(start) {
                    return None;
                }
                Cow::Owned(format!("{child}/{start}/{}:{row}", self.file + 1))
            }
            Source::Person(attribute) => {
                let child = self.cell(cells, row, Field::ChildId)?;
                Cow::Owned(self.ssd.person(&child, *attribute)?.to_string())
            }
            Source::LookedAfter => {
                let child = self.cell(cells, row, Field::ChildId)?;
                let start = self.cell(cells, row, Field::Start).and_then(|s| parse_timestamp(&s));
                Cow::Borrowed(self.ssd.looked_after(&child, start))
            }
        };
        if is_blank(&raw) {
            return None;
        }
        match self.value_maps[field as usize].and_then(|map| map.get(&raw.to_lowercase())) {
            Some(mapped) => Some(Cow::Owned(mapped.clone())),
            None => Some(raw),
        }
    }

    /// Everything the row alone decides: the exclusions that need no other
    /// row, every value parsed, and the findings it would carry if kept.
    /// Pure, so chunks of rows parse in parallel; `apply` does the rest in
    /// input order.
    fn parse_row<'r, C: Cells>(&'r self, row: usize, cells: &'r C) -> Parsed<'r> {
        if cells.is_blank_row() {
            return Parsed::Blank;
        }
        let get = |field: Field| self.cell(cells, row, field);
        let text = |field: Field| get(field).map(Cow::into_owned).unwrap_or_default();
        let finding = |rule: Rule, fields: &[Field], action: Action| Finding {
            file: self.file,
            row,
            column: fields.iter().map(|f| f.name()).collect::<Vec<_>>().join(";"),
            rule,
            value: fields.iter().map(|f| text(*f)).collect::<Vec<_>>().join(";"),
            action,
        };

        // Exclusions, in the order of INPUT.md; the first that applies wins.
        // `duplicate_episode_id` comes third and needs the rows before: `apply`.
        let required = [Field::EpisodeId, Field::ChildId, Field::Start, Field::LookedAfter];
        let blank: Vec<Field> = required.into_iter().filter(|f| get(*f).is_none()).collect();
        if !blank.is_empty() {
            return Parsed::Excluded(finding(Rule::MissingRequired, &blank, Action::Excluded));
        }
        let Some(start) = get(Field::Start).and_then(|s| parse_timestamp(&s)) else {
            return Parsed::Excluded(finding(Rule::UnparseableDate, &[Field::Start], Action::Excluded));
        };
        let episode_id = get(Field::EpisodeId).unwrap_or_default();
        if start.date() > self.today {
            let later = finding(Rule::FutureStart, &[Field::Start], Action::Excluded);
            return Parsed::Candidate(Candidate { file: self.file, row, episode_id, outcome: Outcome::Excluded(later) });
        }
        let mut kept = RowFindings::default();
        let flag = |field: Field, kept: &mut RowFindings| -> Option<bool> {
            let value = get(field)?;
            match parse_yes_no(&value) {
                Some(b) => Some(b),
                None => {
                    kept.add(Rule::UnknownValue, field, &value, Action::FieldIgnored);
                    None
                }
            }
        };
        let other_la = flag(Field::OtherLa, &mut kept);
        if other_la == Some(true) && !self.rules.include_other_la {
            let later = finding(Rule::OtherLaExcluded, &[Field::OtherLa], Action::Excluded);
            return Parsed::Candidate(Candidate { file: self.file, row, episode_id, outcome: Outcome::Excluded(later) });
        }
        let episode_type = get(Field::EpisodeType);
        let absent = match episode_type.as_deref() {
            None => false,
            Some(v) if is_any(v, &["missing", "m"]) => false,
            Some(v) if is_any(v, &["absent", "a", "away"]) => true,
            Some(_) => {
                kept.add(Rule::UnknownValue, Field::EpisodeType, episode_type.as_deref().unwrap_or(""), Action::FieldIgnored);
                false
            }
        };
        let mut findings = Vec::new();
        if absent && !self.rules.include_absent {
            findings.push(finding(Rule::AbsenceExcluded, &[Field::EpisodeType], Action::Excluded));
        }

        // Fields of a row that is kept.
        let looked_after = flag(Field::LookedAfter, &mut kept);
        let uasc = flag(Field::Uasc, &mut kept);
        let cse = flag(Field::CseRisk, &mut kept);
        let cce = flag(Field::CceRisk, &mut kept);
        let rhi_offered = flag(Field::RhiOffered, &mut kept);
        let date = |field: Field, kept: &mut RowFindings| -> Option<NaiveDateTime> {
            let value = get(field)?;
            let parsed = parse_timestamp(&value);
            if parsed.is_none() {
                kept.add(Rule::UnparseableDate, field, &value, Action::FieldIgnored);
            }
            parsed
        };
        let date_of_birth = date(Field::DateOfBirth, &mut kept).map(|t| t.date());
        let mut end = date(Field::End, &mut kept);
        let rhi_completed = date(Field::RhiCompleted, &mut kept);
        let open = self.sources[Field::End as usize].is_some() && get(Field::End).is_none();

        if let Some(e) = end {
            if e < start {
                kept.add(Rule::EndBeforeStart, Field::End, &text(Field::End), Action::FieldIgnored);
                end = None;
            }
        }
        if let (Some(done), Some(e)) = (rhi_completed, end) {
            if done < e {
                kept.add(Rule::RhiBeforeEnd, Field::RhiCompleted, &text(Field::RhiCompleted), Action::Kept);
            }
        }
        if rhi_completed.is_some() && rhi_offered == Some(false) {
            kept.add(Rule::RhiCompletedNotOffered, Field::RhiCompleted, &text(Field::RhiCompleted), Action::Kept);
        }
        let date_of_birth = date_of_birth.filter(|dob| {
            let age = age_in_years(*dob, start.date());
            let in_range = (0..25).contains(&age);
            if !in_range {
                kept.add(Rule::AgeOutOfRange, Field::DateOfBirth, &text(Field::DateOfBirth), Action::FieldIgnored);
            }
            in_range
        });
        let coded = |field: Field, allowed: &[(&str, &'static str)], kept: &mut RowFindings| -> Option<&'static str> {
            let value = get(field)?;
            // Any case, with spaces or hyphens for underscores.
            let same = |code: &str| {
                code.len() == value.len()
                    && code.bytes().zip(value.bytes()).all(|(c, v)| {
                        c == v.to_ascii_lowercase() || (c == b'_' && (v == b' ' || v == b'-'))
                    })
            };
            let found = allowed.iter().find(|(k, _)| same(k)).map(|(_, v)| *v);
            if found.is_none() {
                kept.add(Rule::UnknownValue, field, &value, Action::FieldIgnored);
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
                kept.add(Rule::LongEpisode, Field::End, &text(Field::End), Action::Kept);
            }
        }
        if open {
            kept.add(Rule::OpenEpisode, Field::End, "", Action::Kept);
        }
        // An absence excluded by the rules has its one finding already.
        let counted = !(absent && !self.rules.include_absent);
        if counted {
            for (rule, (columns, values, action)) in kept.by_rule {
                findings.push(Finding { file: self.file, row, column: columns.join(";"), rule, value: values.join(";"), action });
            }
        }
        let sex = match get(Field::Sex).as_deref() {
            Some(v) if is_any(v, &["m", "male", "1"]) => "male",
            Some(v) if is_any(v, &["f", "female", "2"]) => "female",
            _ => "other_unknown",
        };
        let episode = Episode {
            origin: (self.file as u32, row as u32, counted),
            child_id: get(Field::ChildId).unwrap_or_default(),
            looked_after,
            absent,
            start: millis(start),
            end: end.map(millis),
            open,
            date_of_birth: date_of_birth.map(days_since_epoch),
            age: date_of_birth.map(|dob| age_in_years(dob, start.date())),
            sex,
            ethnicity_group: ethnicity_group(get(Field::Ethnicity).as_deref()),
            placement_area,
            uasc,
            reason: get(Field::Reason),
            cse_risk: cse,
            cce_risk: cce,
            rhi_offered,
            rhi_outcome,
            rhi_completed: rhi_completed.map(millis),
        };
        Parsed::Candidate(Candidate { file: self.file, row, episode_id, outcome: Outcome::Kept(episode, findings) })
    }

    /// Parses `rows` on every core (pure work), in input order.
    fn parse_rows<'r, C: Cells + Sync>(&'r self, rows: &'r [(usize, C)]) -> Vec<Parsed<'r>> {
        if !worth_threads(rows.len()) {
            return rows.iter().map(|(row, cells)| self.parse_row(*row, cells)).collect();
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        std::thread::scope(|scope| {
            let parts: Vec<_> = rows
                .chunks(rows.len().div_ceil(threads))
                .map(|part| scope.spawn(move || part.iter().map(|(row, cells)| self.parse_row(*row, cells)).collect::<Vec<_>>()))
                .collect();
            let mut parsed = Vec::with_capacity(rows.len());
            for part in parts {
                parsed.extend(part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
            }
            parsed
        })
    }
}

/// A row as `parse_row` leaves it.
enum Parsed<'r> {
    /// A blank workbook row: not a record at all.
    Blank,
    /// Left out by a rule decided before the duplicate check.
    Excluded(Finding),
    /// Kept or excluded depending on whether its episode id was seen before.
    Candidate(Candidate<'r>),
}

struct Candidate<'r> {
    file: usize,
    row: usize,
    episode_id: Cow<'r, str>,
    outcome: Outcome<'r>,
}

enum Outcome<'r> {
    /// Left out by a rule after the duplicate check (`future_start`, `other_la_excluded`).
    Excluded(Finding),
    /// In the frame, with the findings it carries.
    Kept(Episode<'r>, Vec<Finding>),
}

/// One row's values, as the `Builder` columns take them.
struct Episode<'r> {
    origin: (u32, u32, bool),
    child_id: Cow<'r, str>,
    looked_after: Option<bool>,
    absent: bool,
    start: i64,
    end: Option<i64>,
    open: bool,
    date_of_birth: Option<i32>,
    age: Option<i32>,
    sex: &'static str,
    ethnicity_group: &'static str,
    placement_area: Option<&'static str>,
    uasc: Option<bool>,
    reason: Option<Cow<'r, str>>,
    cse_risk: Option<bool>,
    cce_risk: Option<bool>,
    rhi_offered: Option<bool>,
    rhi_outcome: Option<&'static str>,
    rhi_completed: Option<i64>,
}

/// The rules that need the rows before (`duplicate_episode_id`: the first
/// stays), then the row into the columns. Called in input order.
fn apply(parsed: Parsed<'_>, duplicate: bool, child: u32, builder: &mut Builder, findings: &mut Vec<Finding>) {
    let candidate = match parsed {
        Parsed::Blank => return,
        Parsed::Excluded(finding) => return findings.push(finding),
        Parsed::Candidate(candidate) => candidate,
    };
    if duplicate {
        return findings.push(Finding {
            file: candidate.file,
            row: candidate.row,
            column: Field::EpisodeId.name().to_string(),
            rule: Rule::DuplicateEpisodeId,
            value: candidate.episode_id.into_owned(),
            action: Action::Excluded,
        });
    }
    let (episode, row_findings) = match candidate.outcome {
        Outcome::Excluded(finding) => return findings.push(finding),
        Outcome::Kept(episode, row_findings) => (episode, row_findings),
    };
    findings.extend(row_findings);
    builder.push(episode, child);
}

/// The number standing for `key`: the next one when `key` is new, so numbers
/// follow first appearance.
fn number_for(numbers: &mut FxHashMap<String, u32>, key: &str) -> u32 {
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
struct SeenIds {
    bytes: Vec<u8>,
    table: hashbrown::HashTable<(usize, usize)>,
}

impl SeenIds {
    fn hash(id: &[u8]) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(id)
    }

    fn reserve(&mut self, ids: usize) {
        let seen = &self.bytes;
        self.table.reserve(ids, |&(start, len)| Self::hash(&seen[start..start + len]));
    }

    /// Adds `id`; false when it was seen before.
    fn insert(&mut self, id: &str) -> bool {
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
struct Builder {
    /// Fast, deterministic hashing: the keys come from the user's own file.
    episode_ids: SeenIds,
    /// (file, row, counted) of each kept row, for findings made after all rows are read.
    origin: Vec<(u32, u32, bool)>,
    /// Child identifier → the number that stands for it in `child`.
    child_keys: FxHashMap<String, u32>,
    child: Vec<u32>,
    looked_after: Vec<Option<bool>>,
    absent: Vec<bool>,
    start: Vec<i64>,
    end: Vec<Option<i64>>,
    open: Vec<bool>,
    date_of_birth: Vec<Option<i32>>,
    age: Vec<Option<i32>>,
    sex: Vec<&'static str>,
    ethnicity_group: Vec<&'static str>,
    placement_area: Vec<Option<&'static str>>,
    uasc: Vec<Option<bool>>,
    /// Index into `reason_labels`; each distinct reason text is normalised once.
    reason: Vec<Option<u32>>,
    reason_labels: Vec<String>,
    reason_label_index: FxHashMap<String, u32>,
    reason_of_text: FxHashMap<String, Option<u32>>,
    cse_risk: Vec<Option<bool>>,
    cce_risk: Vec<Option<bool>>,
    rhi_offered: Vec<Option<bool>>,
    rhi_outcome: Vec<Option<&'static str>>,
    rhi_completed: Vec<Option<i64>>,
}

impl Builder {
    fn len(&self) -> usize {
        self.child.len()
    }

    /// Room for `rows` rows: measured, growing the columns and the id set a
    /// row at a time costs about a twentieth of ingest.
    fn reserve(&mut self, rows: usize) {
        self.episode_ids.reserve(rows);
        self.origin.reserve(rows);
        self.child.reserve(rows);
        self.looked_after.reserve(rows);
        self.absent.reserve(rows);
        self.start.reserve(rows);
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
    fn keys(&mut self, parsed: &[Parsed<'_>]) -> (Vec<bool>, Vec<u32>, Duration) {
        let (seen, children) = (&mut self.episode_ids, &mut self.child_keys);
        let duplicates = |seen: &mut SeenIds| -> (Vec<bool>, Duration) {
            let started = Instant::now();
            let flags = parsed.iter().map(|p| matches!(p, Parsed::Candidate(c) if !seen.insert(&c.episode_id))).collect();
            (flags, started.elapsed())
        };
        let numbers = |children: &mut FxHashMap<String, u32>| -> Vec<u32> {
            parsed
                .iter()
                .map(|p| match p {
                    Parsed::Candidate(Candidate { outcome: Outcome::Kept(episode, _), .. }) => number_for(children, &episode.child_id),
                    _ => 0,
                })
                .collect()
        };
        if !worth_threads(parsed.len()) {
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

    fn push(&mut self, episode: Episode<'_>, child: u32) {
        let reason = episode.reason.and_then(|text| self.reason_index(&text));
        self.origin.push(episode.origin);
        self.child.push(child);
        self.looked_after.push(episode.looked_after);
        self.absent.push(episode.absent);
        self.start.push(episode.start);
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

    /// The normalised reason labels of `text` as an index into `reason_labels`.
    fn reason_index(&mut self, text: &str) -> Option<u32> {
        if let Some(index) = self.reason_of_text.get(text) {
            return *index;
        }
        let labels = normalise_reasons(text);
        let index = (!labels.is_empty()).then(|| {
            let index = number_for(&mut self.reason_label_index, &labels);
            if index as usize == self.reason_labels.len() {
                self.reason_labels.push(labels);
            }
            index
        });
        self.reason_of_text.insert(text.to_string(), index);
        index
    }

    /// `overlapping_episodes`: among a child's kept episodes by start, one that
    /// starts before the latest end of the earlier ones (an earlier open
    /// episode is still running; an unknown end is not).
    fn flag_overlaps(&self, findings: &mut Vec<Finding>) {
        // Counted rows grouped by child (numbers are dense), then each
        // child's few rows put in start order.
        let children = self.child_keys.len();
        let mut first = vec![0usize; children + 1];
        for i in (0..self.len()).filter(|i| self.origin[*i].2) {
            first[self.child[i] as usize + 1] += 1;
        }
        for c in 0..children {
            first[c + 1] += first[c];
        }
        let mut next = first.clone();
        let mut order = vec![0usize; first[children]];
        for i in (0..self.len()).filter(|i| self.origin[*i].2) {
            let slot = &mut next[self.child[i] as usize];
            order[*slot] = i;
            *slot += 1;
        }
        for c in 0..children {
            order[first[c]..first[c + 1]].sort_unstable_by_key(|i| (self.start[*i], *i));
        }
        let mut latest_end: Option<i64> = None;
        for (position, &i) in order.iter().enumerate() {
            let first_of_child = position == 0 || self.child[order[position - 1]] != self.child[i];
            if first_of_child {
                latest_end = None;
            } else if latest_end.is_some_and(|end| self.start[i] < end) {
                let (file, row, _) = self.origin[i];
                findings.push(Finding {
                    file: file as usize,
                    row: row as usize,
                    column: "start".into(),
                    rule: Rule::OverlappingEpisodes,
                    value: format_millis(self.start[i]),
                    action: Action::Kept,
                });
            }
            let this_end = if self.open[i] { Some(i64::MAX) } else { self.end[i] };
            latest_end = latest_end.max(this_end);
        }
    }

    fn finish(self) -> PolarsResult<DataFrame> {
        let height = self.len();
        let datetime = |name: &str, values: Vec<Option<i64>>| -> Column {
            Int64Chunked::from_iter_options(name.into(), values.into_iter())
                .into_datetime(TimeUnit::Milliseconds, None)
                .into_column()
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
                self.reason.iter().map(|r| r.map(|i| self.reason_labels[i as usize].as_str())),
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

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid epoch");

fn millis(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_millis()
}

fn format_millis(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.naive_utc().format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

fn days_since_epoch(d: NaiveDate) -> i32 {
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
fn normalise_reasons(text: &str) -> String {
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
fn is_any(value: &str, words: &[&str]) -> bool {
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
fn parse_iso_exact(text: &str) -> Option<NaiveDateTime> {
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
fn parse_any_timestamp(text: &str) -> Option<NaiveDateTime> {
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
            "2023-04-03", "2023-04-03 14:05", "2023-04-03T14:05", "2023-04-03 14:05:09", "2023-04-03T23:59:59",
            "2024-02-29", "2023-02-29", "2023-02-31 10:00", "2023-13-01", "1899-12-31", "2100-12-31 23:59", "2101-01-01",
            "2023-04-03 24:00", "2023-04-03 14:60", "2023-04-03 14:05:60", "2023-04-03x14:05", "2023/04/03", "2023-4-03",
            "2023-04-03 9:05", "2023-04-03 14:05:09.123", "03/04/2023", "2023-04-0a", "abcd-ef-gh", "",
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

    fn read_text(text: &str, rules: &Rules) -> Result<(Episodes, DataQuality)> {
        read(&[InputFile { name: "t.csv".into(), bytes: text.as_bytes().to_vec() }], &IngestContext::new(rules))
    }

    #[test]
    fn counts_every_excluded_row_by_rule() {
        let text = "Episode_ID ; child_id;looked_after;start;end;other_la;episode_type\n\
                    e1;c1;Y;2023-04-01 10:00;2023-04-01 12:00;N;missing\n\
                    e1;c1;Y;2023-04-02 10:00;;N;missing\n\
                    e2;c2;N;01/13/2023;;N;\n\
                    e3;;N;2023-04-02;;N;\n\
                    e4;c4;Y;2023-04-05;2023-04-04;Y;\n\
                    e5;c5;Y;2023-04-05;2023-04-04;N;absent\n\
                    e6;c6;maybe;2023-04-05;2023-04-04;N;\n";
        let (episodes, quality) = read_text(text, &Rules::default()).unwrap();
        assert_eq!(quality.rows_read, 7);
        // e1, e5 (absence, kept for the absences count) and e6.
        assert_eq!(episodes.frame.height(), 3);
        let rules: Vec<(&str, usize, &str)> = quality.findings.iter().map(|f| (f.rule.id(), f.row, f.column.as_str())).collect();
        assert_eq!(
            rules,
            vec![
                ("duplicate_episode_id", 3, "episode_id"),
                ("unparseable_date", 4, "start"),
                ("missing_required", 5, "child_id"),
                ("other_la_excluded", 6, "other_la"),
                ("absence_excluded", 7, "episode_type"),
                ("end_before_start", 8, "end"),
                ("unknown_value", 8, "looked_after"),
            ]
        );
    }

    #[test]
    fn errors_name_file_row_and_problem() {
        let ragged = read_text("episode_id,child_id,looked_after,start\ne1,c1,Y,2023-04-01\ne2,c2,Y\n", &Rules::default());
        let text = format!("{:#}", ragged.unwrap_err());
        assert!(text.contains("t.csv: row 3") && text.contains("3 fields where the header has 4"), "{text}");
        let missing = read_text("episode_id,child_id,start\ne1,c1,2023-04-01\n", &Rules::default());
        let text = format!("{:#}", missing.unwrap_err());
        assert!(text.contains("t.csv: row 1") && text.contains("looked_after"), "{text}");
        let duplicated = read_text("episode_id,child_id,Start,start,looked_after\n", &Rules::default());
        assert!(format!("{:#}", duplicated.unwrap_err()).contains("`start` appears twice"));
    }
}
