//! The data-quality appendix for councillors: the files read (by name, not
//! path), rows counted, each rule's findings in plain words with what
//! happened to the rows, and the extract date used for future starts.
//! Counts only: no identifier or value. Rule ids stay in the findings file.

use std::borrow::Cow;

use serde::Serialize;

use super::table::Table;
use crate::format::{capitalise, thousands};
use crate::ingest::{Action, DataQuality, QualityRule};
use crate::metrics::{Cohort, Metrics, Window};
use crate::period::long_date;

#[derive(Debug, Clone, Serialize)]
pub struct QualitySummary {
    /// File names, without their folders.
    pub files: Vec<String>,
    /// How files were read (e.g. transcoded), and the extract date in force.
    pub notes: Vec<String>,
    pub rows_read: String,
    pub rows_counted: String,
    pub absences: String,
    /// How many rule lines the findings table has (0: no findings).
    pub findings: usize,
}

/// A rule's name in plain words, for a reader who has not seen the findings file.
pub fn plain_name(rule: QualityRule) -> Cow<'static, str> {
    let name = match rule {
        QualityRule::MissingRequired => "Required details missing",
        QualityRule::UnparseableDate => "Date that could not be read",
        QualityRule::DuplicateEpisodeId => "Episode recorded twice",
        QualityRule::FutureStart => "Start after the extract date",
        QualityRule::OverlappingEpisodes => "Episodes of one child overlapping",
        QualityRule::EndBeforeStart => "Return before the start",
        QualityRule::RhiBeforeEnd => "Interview before the return",
        QualityRule::RhiCompletedNotOffered => "Interview with no offer recorded",
        QualityRule::AgeOutOfRange => "Age out of range",
        QualityRule::UnknownValue => "Code not recognised",
        QualityRule::LongEpisode => "Episode longer than a year",
        QualityRule::OpenEpisode => "Still missing (no return recorded)",
        QualityRule::OtherLaExcluded => "Looked after by another authority",
        QualityRule::AbsenceExcluded => "Absence, not a missing episode",
        QualityRule::Ssda903(rule) => return Cow::Owned(format!("DfE return check {}", rule.code())),
    };
    Cow::Borrowed(name)
}

fn action_text(action: Action) -> &'static str {
    match action {
        Action::Excluded => "Not counted",
        Action::FieldIgnored => "Value treated as unknown",
        Action::Kept => "Counted, flagged for checking",
    }
}

pub(super) fn summary(metrics: &Metrics, quality: &DataQuality) -> QualitySummary {
    QualitySummary {
        files: quality.files.iter().map(|f| file_name(f)).collect(),
        notes: notes(quality),
        rows_read: thousands(quality.rows_read as u64),
        rows_counted: whole_span_count(metrics),
        absences: thousands(quality.findings.iter().filter(|f| f.rule == QualityRule::AbsenceExcluded).count() as u64),
        findings: quality.counts().len(),
    }
}

/// The findings by rule, as the appendix prints them.
pub(super) fn table(quality: &DataQuality) -> Table {
    let columns = vec!["What was found".into(), "What it means".into(), "What happened".into(), "Rows".into()];
    let mut table = Table::new("data_quality", "Data-quality findings", columns);
    for (rule, action, count) in quality.counts() {
        // The DfE's checks judge the return as submitted; the counting is the rules' above.
        let happened = if matches!(rule, QualityRule::Ssda903(_)) { "To correct in the DfE return" } else { action_text(action) };
        table.row(plain_name(rule), vec![capitalise(rule.description()), happened.into(), thousands(count as u64)], false);
    }
    table.note("Every row read is either counted or listed here; no row is left out without being counted in this table. The data team's findings file lists each row by file, row and column.")
}

/// `data/2024/episodes.csv` → `episodes.csv`.
fn file_name(name: &str) -> String {
    std::path::Path::new(name).file_name().and_then(|n| n.to_str()).unwrap_or(name).to_string()
}

/// How the files were read, and the extract date used for future starts.
fn notes(quality: &DataQuality) -> Vec<String> {
    // Notes name files by path; show the name only.
    let mut notes: Vec<String> = quality
        .notes
        .iter()
        .map(|note| quality.files.iter().fold(note.clone(), |note, path| note.replace(path.as_str(), &file_name(path))))
        .collect();
    match quality.extract_date {
        Some(date) if quality.extract_date_configured => {
            notes.push(format!("Extract date {}: episodes starting after it are left out as future starts.", long_date(date)))
        }
        Some(date) => notes.push(format!(
            "Episodes starting after {}, the day this report was built, are left out as future starts (no extract date was configured: set rules.extract_date to the day the data was extracted).",
            long_date(date)
        )),
        None => {}
    }
    notes
}

/// Episodes counted over the whole data (sum of every month).
fn whole_span_count(metrics: &Metrics) -> String {
    let total: u64 = Window::new(metrics.first_month, metrics.last_month)
        .months()
        .filter_map(|m| metrics.totals(Cohort::All, Window::new(m, m)))
        .map(|t| t.episodes)
        .sum();
    thousands(total)
}
