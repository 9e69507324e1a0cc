//! The data-quality appendix: files read, rows counted, and every rule's
//! findings by action, in words. Counts only: no identifier or value.

use serde::Serialize;

use crate::format::thousands;
use crate::ingest::{Action, DataQuality, QualityRule};
use crate::metrics::{Cohort, Metrics, Window};
use crate::period::long_date;

#[derive(Debug, Clone, Serialize)]
pub struct QualitySummary {
    pub files: Vec<String>,
    /// How files were read (e.g. transcoded), and the extract date in force.
    pub notes: Vec<String>,
    pub rows_read: String,
    pub rows_counted: String,
    pub absences: String,
    pub rules: Vec<QualityCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QualityCount {
    pub rule: &'static str,
    pub description: &'static str,
    pub action: &'static str,
    pub count: String,
}

pub(super) fn summary(metrics: &Metrics, quality: &DataQuality) -> QualitySummary {
    QualitySummary {
        files: quality.files.clone(),
        notes: notes(metrics, quality),
        rows_read: thousands(quality.rows_read as u64),
        rows_counted: whole_span_count(metrics),
        absences: thousands(quality.findings.iter().filter(|f| f.rule == QualityRule::AbsenceExcluded).count() as u64),
        rules: quality
            .counts()
            .into_iter()
            .map(|(rule, action, count)| QualityCount {
                rule: rule.id(),
                description: rule.description(),
                action: match action {
                    Action::Excluded => "row not counted",
                    Action::FieldIgnored => "value treated as unknown",
                    Action::Kept => "counted, flagged for checking",
                },
                count: thousands(count as u64),
            })
            .collect(),
    }
}

/// How the files were read, and the extract date in force.
fn notes(metrics: &Metrics, quality: &DataQuality) -> Vec<String> {
    let mut notes = quality.notes.clone();
    notes.push(match metrics.rules.extract_date {
        Some(date) => format!("Extract date {}: episodes starting after it are left out as future starts.", long_date(date)),
        None => {
            "Episodes starting after the day the report was built are left out as future starts (no extract date was configured).".into()
        }
    });
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
