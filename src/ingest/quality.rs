//! Accounting for every row not counted, or counted with a doubt: the
//! data-quality rules of INPUT.md, the findings they make, and the summary
//! `validate` prints and the report's appendix counts.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::Result;

use super::dfe::DfeRule;
use super::field::Field;
use super::unrecognised::Unrecognised;

/// The data-quality rules of INPUT.md, in the order of its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QualityRule {
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
    /// The DfE's rules for the SSDA903 Missing table.
    Ssda903(DfeRule),
}

impl QualityRule {
    pub fn id(self) -> &'static str {
        match self {
            QualityRule::MissingRequired => "missing_required",
            QualityRule::UnparseableDate => "unparseable_date",
            QualityRule::DuplicateEpisodeId => "duplicate_episode_id",
            QualityRule::FutureStart => "future_start",
            QualityRule::OverlappingEpisodes => "overlapping_episodes",
            QualityRule::EndBeforeStart => "end_before_start",
            QualityRule::RhiBeforeEnd => "rhi_before_end",
            QualityRule::RhiCompletedNotOffered => "rhi_completed_not_offered",
            QualityRule::AgeOutOfRange => "age_out_of_range",
            QualityRule::UnknownValue => "unknown_value",
            QualityRule::LongEpisode => "long_episode",
            QualityRule::OpenEpisode => "open_episode",
            QualityRule::OtherLaExcluded => "other_la_excluded",
            QualityRule::AbsenceExcluded => "absence_excluded",
            QualityRule::Ssda903(rule) => rule.id(),
        }
    }

    /// What the rule means, in words for the report's appendix.
    pub fn description(self) -> &'static str {
        match self {
            QualityRule::MissingRequired => "episode id, child id, start or looked-after status blank",
            QualityRule::UnparseableDate => "a date that could not be read (start: row excluded; other dates: treated as unknown)",
            QualityRule::DuplicateEpisodeId => "episode id already seen (the first row is kept)",
            QualityRule::FutureStart => "start after the date of the extract",
            QualityRule::OverlappingEpisodes => "starts before an earlier episode of the same child ended",
            QualityRule::EndBeforeStart => "return time earlier than the start (return treated as unknown)",
            QualityRule::RhiBeforeEnd => "return interview recorded before the return (never counted as within timescale)",
            QualityRule::RhiCompletedNotOffered => "return interview recorded but marked as not offered",
            QualityRule::AgeOutOfRange => "age at start below 0 or 25 and over (date of birth ignored)",
            QualityRule::UnknownValue => "a coded value that is not recognised (treated as unknown)",
            QualityRule::LongEpisode => "episode lasting more than a year",
            QualityRule::OpenEpisode => "no return recorded (still missing at extract)",
            QualityRule::OtherLaExcluded => "child looked after by another authority (not counted)",
            QualityRule::AbsenceExcluded => "absence rather than missing (counted separately as absences)",
            QualityRule::Ssda903(rule) => rule.message(),
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
    pub rule: QualityRule,
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
    /// The date `future_start` compared starts with: the configured extract
    /// date, or the day the tool ran (`None` before any file is read).
    pub extract_date: Option<chrono::NaiveDate>,
    /// Whether `extract_date` was configured rather than taken from the clock.
    pub extract_date_configured: bool,
    /// Rows read from each file, in `files` order.
    pub rows_per_file: Vec<usize>,
    /// Per file, each canonical field's column as the header spells it.
    pub column_names: Vec<BTreeMap<Field, String>>,
    /// Values of coded columns no mapping recognised (those of counted rows).
    pub unrecognised: Unrecognised,
}

impl DataQuality {
    /// (rule, action, count) in rule order; no identifiers.
    pub fn counts(&self) -> Vec<(QualityRule, Action, usize)> {
        let mut counts: BTreeMap<(QualityRule, Action), usize> = BTreeMap::new();
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

    /// The findings of several reads of the same files (the authorities of a
    /// regional extract, each read from its own rows) as one read of them all.
    pub fn combine(parts: Vec<DataQuality>) -> DataQuality {
        let mut whole = DataQuality::default();
        for part in parts {
            if whole.files.is_empty() {
                whole.files = part.files.clone();
                whole.column_names = part.column_names.clone();
                whole.rows_per_file = vec![0; part.rows_per_file.len()];
                whole.extract_date = part.extract_date;
                whole.extract_date_configured = part.extract_date_configured;
            }
            for note in part.notes {
                if !whole.notes.contains(&note) {
                    whole.notes.push(note);
                }
            }
            whole.rows_read += part.rows_read;
            whole.rows_kept += part.rows_kept;
            for (total, rows) in whole.rows_per_file.iter_mut().zip(&part.rows_per_file) {
                *total += rows;
            }
            whole.findings.extend(part.findings);
            whole.unrecognised.absorb(part.unrecognised);
        }
        whole.findings.sort_by_key(|f| (f.file, f.row, f.rule));
        whole
    }

    pub fn excluded(&self) -> usize {
        self.findings.iter().filter(|f| f.action == Action::Excluded && f.rule != QualityRule::AbsenceExcluded).count()
    }
}

impl DataQuality {
    /// For each date column that failed on more than half of a file's rows:
    /// two of its cells as written, the shapes read without configuration,
    /// and the `input.date_formats` line that would read them.
    pub fn date_hints(&self) -> Vec<String> {
        let mut failed: BTreeMap<(usize, &str), Vec<&str>> = BTreeMap::new();
        for finding in self.findings.iter().filter(|f| f.rule == QualityRule::UnparseableDate) {
            failed.entry((finding.file, finding.column.as_str())).or_default().push(finding.value.as_str());
        }
        let mut hints = Vec::new();
        for ((file, column), values) in failed {
            let rows = self.rows_per_file.get(file).copied().unwrap_or(0);
            if values.len() < 3 || values.len() * 2 <= rows {
                continue;
            }
            let samples: Vec<&str> = values.iter().take(2).copied().collect();
            let name = self.files.get(file).map(String::as_str).unwrap_or("");
            let fix = match super::values::suggest_date_format(&samples) {
                Some(pattern) => format!("add under input: `date_formats: [\"{pattern}\"]` to read them"),
                None => "add under input: `date_formats: [\"...\"]` with a strftime pattern for them (e.g. \"%m/%d/%Y %H:%M\")".to_string(),
            };
            hints.push(format!(
                "{name}: the dates in column {column} could not be read on {} of {rows} rows (e.g. `{}`); read without configuration: ISO (2023-04-03 14:05, 2023/04/03, with Z or +01:00), UK day-first (03/04/2023, 3-4-2023, 03.04.2023), 03-Apr-2023 or 3 April 2023, each with a 24- or 12-hour time; {fix}",
                values.len(),
                samples.join("`, `")
            ));
        }
        hints
    }
}

impl fmt::Display for DataQuality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Absences stay among the kept rows (counted apart), so the three parts add up to the rows read.
        let absences = self.findings.iter().filter(|f| f.rule == QualityRule::AbsenceExcluded).count();
        writeln!(
            f,
            "read {} rows from {} file(s): {} counted as missing episodes, {} absences counted apart, {} not counted",
            self.rows_read,
            self.files.len(),
            self.rows_kept - absences.min(self.rows_kept),
            absences,
            self.rows_read - self.rows_kept.min(self.rows_read)
        )?;
        for note in &self.notes {
            writeln!(f, "  note: {note}")?;
        }
        let mut by_rule: BTreeMap<QualityRule, Vec<(Action, usize)>> = BTreeMap::new();
        for (rule, action, count) in self.counts() {
            by_rule.entry(rule).or_default().push((action, count));
        }
        for (rule, actions) in by_rule {
            let total: usize = actions.iter().map(|(_, n)| n).sum();
            let what = actions.iter().map(|(a, n)| format!("{n} {}", a.id())).collect::<Vec<_>>().join(", ");
            writeln!(f, "  {:<28} {:>7}  ({what}) {}", rule.id(), total, rule.description())?;
        }
        for hint in self.date_hints() {
            writeln!(f, "  {hint}")?;
        }
        Ok(())
    }
}
