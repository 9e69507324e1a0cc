//! The definitions page: what each term means under the counting rules in
//! force, so the paper always describes the rules it was counted by.

use serde::Serialize;

use super::context::ReportContext;
use super::table::Table;
use crate::ingest::DataQuality;
use crate::labels::category_label;
use crate::metrics::{age_band_labels, Dimension, Metrics};
use crate::period::long_date;
use crate::period::MONTH_NAMES;
use crate::reasons::ReasonVocabulary;

#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub term: String,
    pub meaning: String,
}

pub(super) fn definitions(context: &ReportContext, metrics: &Metrics) -> Vec<Definition> {
    let rules = &metrics.rules;
    let d = |term: &str, meaning: String| Definition { term: term.into(), meaning };
    vec![
        d("Missing episode", "One occasion on which a child was reported missing, counted in the month, quarter and year in which it started.".into()),
        d("Children", "Different children with at least one counted episode in the period. A child is counted once in a period however many times they went missing in it, so yearly figures are not the sum of monthly or quarterly ones.".into()),
        d("Children in our care", "Episodes where the child was looked after by this authority when the episode started.".into()),
        d(
            "Children looked after by other authorities",
            if rules.include_other_la {
                "Included: their episodes are counted.".into()
            } else {
                "Not counted: the placing authority is responsible for their return home interviews. The number left out is in the data-quality appendix.".into()
            },
        ),
        d(
            "Absences",
            if rules.include_absent {
                "Episodes recorded as absent (whereabouts known) are counted as missing episodes.".into()
            } else {
                "Episodes recorded as absent (away from placement, whereabouts known) are not missing episodes; they are counted separately as absences.".into()
            },
        ),
        d("Return home interview (RHI)", "A conversation offered to the child after each return to understand why they went missing and what risks they face. Statutory guidance expects it within 72 hours of return. Offers accepted or declined are counted among episodes recorded as offered.".into()),
        d(
            "Within 72 hours",
            format!(
                "An interview completed no more than {} hours after the time the child was found or returned. An interview recorded before the return, or with no return time, is never counted as within.",
                rules.rhi_timescale_hours
            ),
        ),
        d(
            "Repeat missing",
            format!(
                "A child is counted when one of their episodes is the last of {} episodes that started within {} days (the local strategy-meeting trigger); earlier episodes may fall before the period.",
                rules.repeat.episodes, rules.repeat.days
            ),
        ),
        d(
            "Most frequently missing",
            format!("The share of the period's episodes that belong to the {} children with the most episodes in it.", rules.top_n),
        ),
        d(
            "Age",
            format!(
                "Age in completed years at the start of the episode, in the bands {}.",
                age_bands_in_words(rules)
            ),
        ),
        d(
            "Small numbers",
            if metrics.suppression_threshold > 0 {
                format!("Breakdown counts from 1 to {} are shown as c, with one more cell hidden where a hidden count could otherwise be worked out from the total. Totals are exact.", metrics.suppression_threshold - 1)
            } else {
                "No counts are suppressed (suppression.threshold is 0). Set a threshold before publishing breakdowns of small groups.".into()
            },
        ),
        d(
            "Reporting year",
            format!(
                "Runs from {} to {}. This report covers {}; the period end is {}.",
                MONTH_NAMES[(metrics.year.start_month - 1) as usize],
                MONTH_NAMES[((metrics.year.start_month + 10) % 12) as usize],
                super::periods::in_words(metrics.windows.year_to_date),
                if context.period_end_set { "set in the configuration" } else { "the last complete month in the data" }
            ),
        ),
    ]
}

/// The counting rules in force, one row each, as the appendix prints them.
pub(super) fn rules_table(context: &ReportContext, metrics: &Metrics, quality: &DataQuality) -> Table {
    let rules = &metrics.rules;
    let mut table = Table::new("rules", "Counting rules in force", vec!["Rule".into(), "In force".into()]);
    let yes_no = |included: bool| if included { "Counted".to_string() } else { "Not counted".to_string() };
    let mut row = |rule: &str, setting: String| table.row(rule, vec![setting], false);
    row(
        "Reporting year",
        format!(
            "{} to {}",
            MONTH_NAMES[(metrics.year.start_month - 1) as usize],
            MONTH_NAMES[((metrics.year.start_month + 10) % 12) as usize]
        ),
    );
    row(
        "Period end",
        format!(
            "{} ({})",
            metrics.windows.period_end.long_name(),
            if context.period_end_set { "set in the configuration" } else { "the last complete month in the data" }
        ),
    );
    row("Children looked after by other authorities", yes_no(rules.include_other_la));
    row(
        "Absences (whereabouts known)",
        if rules.include_absent { "Counted as missing".into() } else { "Counted separately, not as missing".into() },
    );
    row("Interview timescale", format!("{} hours from the return", rules.rhi_timescale_hours));
    row("Repeat-missing trigger", format!("{} episodes within {} days", rules.repeat.episodes, rules.repeat.days));
    row("Most frequently missing", format!("The {} children with most episodes", rules.top_n));
    row("Age bands", age_bands_in_words(rules));
    row(
        "Small numbers",
        if metrics.suppression_threshold > 0 {
            format!("Counts from 1 to {} in breakdowns shown as c", metrics.suppression_threshold - 1)
        } else {
            "Not suppressed".into()
        },
    );
    if let Some(date) = quality.extract_date {
        let source = if quality.extract_date_configured { "configured" } else { "the day the report was built" };
        row("Extract date (future starts)", format!("{} ({source})", long_date(date)));
    }
    table
}

/// `Under 10, 10 to 12, 13 to 15, 16 to 17, 18 and over`.
fn age_bands_in_words(rules: &crate::rules::CountingRules) -> String {
    age_band_labels(&rules.age_bands)
        .iter()
        .filter(|l| *l != "unknown")
        .map(|l| category_label(Dimension::AgeBand, l, &ReasonVocabulary::default()))
        .collect::<Vec<_>>()
        .join(", ")
}
