//! The format-neutral view of a paper that every edition receives: every
//! figure already computed and formatted for print, so a template is pure
//! layout and can be edited by someone who knows no Rust. Built only from
//! `Metrics`, `Charts`, `DataQuality`, the narrative, the commentary and the
//! cover details: no identifiers reach it. Handed to Typst as `data.json`.

pub mod commentary;
mod context;
mod definitions;
mod details;
mod figures;
mod quality;
mod tables;

use serde::Serialize;

pub use commentary::Commentary;
pub use context::ReportContext;
pub use definitions::Definition;
pub use details::ReportDetails;
pub use figures::{change_text, format_value, NOT_RECORDED, NO_VALUE};
pub use quality::{QualityCount, QualitySummary};
pub use tables::{BreakdownTable, ChartRef, Headline, HeadlineRow, KeyFigure, OmittedChartRef, QuarterlyTable, TableRow};

use crate::charts::Charts;
use crate::ingest::DataQuality;
use crate::metrics::Metrics;
use crate::narrative::{Narrative, Sentence};

#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub meta: Meta,
    pub headline: Headline,
    /// Summary sentences computed from the same figures as the tables.
    pub narrative: Vec<Sentence>,
    /// Breakdowns of the reporting year to date ("who went missing").
    pub profile: Vec<BreakdownTable>,
    /// The small-number threshold, when suppression is on.
    pub suppression: Option<String>,
    pub key_figures: Vec<KeyFigure>,
    pub charts: Vec<ChartRef>,
    /// Charts left out because the input cannot support them, each with its note.
    pub omitted_charts: Vec<OmittedChartRef>,
    pub quarterly: Vec<QuarterlyTable>,
    pub commentary: Commentary,
    pub data_quality: QualitySummary,
    pub definitions: Vec<Definition>,
}

/// The cover details and the periods, in words.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    #[serde(flatten)]
    pub details: ReportDetails,
    /// `March 2025`.
    pub period_end: String,
    /// `2024-25` (or `2024-25 to date`).
    pub year_label: String,
    pub previous_year_label: String,
    /// `April 2024 to March 2025`.
    pub reporting_period: String,
    pub partial_year: bool,
    /// `1 April 2022 to 31 March 2025`: the span of the episodes read.
    pub data_span: String,
}

impl ReportData {
    /// The paper's view of the figures.
    pub fn new(
        context: &ReportContext,
        metrics: &Metrics,
        charts: &Charts,
        quality: &DataQuality,
        narrative: &Narrative,
        commentary: Commentary,
    ) -> Self {
        let threshold = metrics.suppression_threshold;
        ReportData {
            meta: meta(&context.details, metrics),
            headline: tables::headline(metrics),
            narrative: narrative.sentences.clone(),
            profile: tables::profile(metrics),
            suppression: (threshold > 0).then(|| {
                format!("Counts from 1 to {} in the breakdowns are shown as c (and one more cell where a hidden count could otherwise be worked out from the total), so that no child can be identified. Totals are exact.", threshold - 1)
            }),
            key_figures: tables::key_figures(metrics),
            charts: tables::chart_refs(charts),
            omitted_charts: tables::omitted_chart_refs(charts),
            quarterly: tables::quarterly_tables(metrics),
            commentary,
            data_quality: quality::summary(metrics, quality),
            definitions: definitions::definitions(context, metrics),
        }
    }
}

fn meta(details: &ReportDetails, metrics: &Metrics) -> Meta {
    let windows = &metrics.windows;
    let ytd = windows.year_to_date;
    let to_date = if windows.partial_year { " to date" } else { "" };
    Meta {
        details: details.clone(),
        period_end: windows.period_end.long_name(),
        year_label: format!("{}{to_date}", metrics.year.year_label(ytd.first)),
        previous_year_label: metrics.year.year_label(ytd.first.plus(-12)),
        reporting_period: format!("{} to {}", ytd.first.long_name(), ytd.last.long_name()),
        partial_year: windows.partial_year,
        data_span: format!("{} to {}", metrics.first_month.long_name(), metrics.last_month.long_name()),
    }
}
