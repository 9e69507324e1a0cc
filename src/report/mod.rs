//! The format-neutral view of a paper that every edition receives: every
//! figure already computed and formatted for print, so a template is pure
//! layout and can be edited by someone who knows no Rust. Built only from
//! `Metrics`, `Charts`, `DataQuality`, the narrative, the commentary and the
//! cover details: no identifiers reach it. Handed to Typst as `data.json`;
//! `report_templates/README.md` documents it field by field.

mod breakdowns;
mod charts;
pub mod commentary;
mod context;
mod definitions;
mod details;
mod figures;
mod periods;
mod quality;
mod regional;
mod spc;
mod summary;
mod table;

use std::collections::BTreeMap;

use serde::Serialize;

pub use charts::{ChartRef, OmittedChartRef};
pub use commentary::{Commentary, CommentaryFile, NumberFinding, TemplateSlot};
pub use context::ReportContext;
pub use definitions::Definition;
pub use details::{Classification, ReportDetails};
pub use figures::{Numbers, NOT_RECORDED, NO_DATA, NO_VALUE, SUPPRESSED};
pub use periods::Series;
pub use quality::{plain_name, QualitySummary};
pub use spc::SpcSummary;
pub use summary::KeyFigure;
pub use table::{Row, Table, CHANGE_NOTE};

use crate::charts::Charts;
use crate::ingest::DataQuality;
use crate::metrics::Metrics;
use crate::narrative::{Narrative, Sentence};
use crate::period::long_date;
use periods::Year;

#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub meta: Meta,
    pub key_figures: Vec<KeyFigure>,
    /// Sentences computed from the same figures as the tables, by cohort and topic.
    pub narrative: Vec<Sentence>,
    /// Every table by name (see `report_templates/README.md` for the names).
    pub tables: BTreeMap<String, Table>,
    /// Monthly and quarterly series of every metric for every cohort.
    pub series: Vec<Series>,
    /// Each statistical process control series: its latest month, reading and icons.
    pub spc: Vec<SpcSummary>,
    /// The small-number rule, when suppression is on.
    pub suppression: Option<String>,
    pub charts: Vec<ChartRef>,
    /// Charts left out because the input cannot support them, each with its note.
    pub omitted_charts: Vec<OmittedChartRef>,
    pub commentary: Commentary,
    pub data_quality: QualitySummary,
    pub definitions: Vec<Definition>,
}

/// The cover details and the periods, in words.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    #[serde(flatten)]
    pub details: ReportDetails,
    /// The figures are the bundled fictional example's.
    pub example_data: bool,
    /// The built-in template's name, or `custom`.
    pub template: String,
    /// `1 May 2025`: the meeting date, or the last day of the period.
    pub date: String,
    /// The same as `2025-05-01`: the PDF's creation date.
    pub date_iso: String,
    /// `March 2025`.
    pub period_end: String,
    /// `2024-25` (or `2024-25 to date`).
    pub year_label: String,
    pub previous_year_label: String,
    /// `April 2024 to March 2025`.
    pub reporting_period: String,
    pub partial_year: bool,
    /// `March 2025`: the month the latest-month table shows.
    pub latest_month: String,
    /// `2024-25 Q4 (Jan 2025 to Mar 2025)`: the latest complete quarter.
    pub latest_quarter: String,
    /// `1 April 2022 to 31 March 2025`: the span of the episodes read.
    pub data_span: String,
}

impl ReportData {
    /// The paper's view of the figures.
    pub fn new(context: &ReportContext, metrics: &Metrics, charts: &Charts, quality: &DataQuality, narrative: &Narrative) -> Self {
        let numbers = Numbers { decimals: context.details.decimals };
        let threshold = metrics.suppression_threshold;
        let suppression = (threshold > 0).then(|| {
            format!("Counts from 1 to {} are shown as c (and one more cell where a hidden count could otherwise be worked out), so that no child can be identified. Totals are exact.", threshold - 1)
        });
        let mut tables = vec![
            summary::headline(metrics, numbers),
            summary::latest_month(metrics, numbers),
            summary::latest_quarter(metrics, numbers),
            summary::targets(context, metrics, numbers),
            periods::monthly(metrics, numbers),
        ];
        for (cohort, _) in periods::COHORTS {
            tables.push(periods::monthly_cohort(metrics, numbers, cohort));
            tables
                .extend([Year::Current, Year::Previous].into_iter().filter_map(|year| periods::quarterly(metrics, numbers, cohort, year)));
        }
        tables.extend([Year::Current, Year::Previous].into_iter().filter_map(|year| periods::repeat(metrics, numbers, year)));
        tables.extend(breakdowns::breakdowns(metrics, numbers, suppression.as_deref()));
        let spc = spc::summaries(metrics, numbers);
        tables.push(spc::table(&spc, &metrics.windows.period_end.long_name()));
        tables.push(quality::table(quality));
        tables.push(definitions::rules_table(context, metrics, quality));
        ReportData {
            meta: meta(context, metrics),
            key_figures: summary::key_figures(metrics, numbers),
            narrative: narrative.sentences.clone(),
            tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
            series: periods::series(metrics, numbers),
            spc,
            suppression,
            charts: charts::chart_refs(charts),
            omitted_charts: charts::omitted_chart_refs(charts),
            commentary: Commentary::default(),
            data_quality: quality::summary(metrics, quality),
            definitions: definitions::definitions(context, metrics),
        }
    }
}

impl ReportData {
    /// Takes the managers' commentary: fills in its live figures, then
    /// returns the typed numbers that match no figure of the paper.
    pub fn set_commentary(&mut self, metrics: &Metrics, mut file: CommentaryFile) -> anyhow::Result<Vec<NumberFinding>> {
        let numbers = Numbers { decimals: self.meta.details.decimals };
        let m = &self.meta;
        let periods = [
            ("month", m.latest_month.clone()),
            ("quarter", m.latest_quarter.clone()),
            ("year", m.year_label.clone()),
            ("previous_year", m.previous_year_label.clone()),
            ("reporting_period", m.reporting_period.clone()),
            ("rolling12", metrics.windows.rolling12.name()),
        ];
        let book = commentary::FigureBook::new(metrics, numbers, &periods);
        book.fill(&mut file)?;
        let findings = commentary::check(&mut file, &commentary::candidates(&self.tables, &book));
        self.commentary = file.commentary();
        Ok(findings)
    }
}

fn meta(context: &ReportContext, metrics: &Metrics) -> Meta {
    let windows = &metrics.windows;
    let ytd = windows.year_to_date;
    let to_date = if windows.partial_year { " to date" } else { "" };
    let quarter = summary::latest_quarter_window(metrics);
    let date = context.details.meeting_date.unwrap_or_else(|| windows.period_end.last_day());
    Meta {
        details: context.details.clone(),
        example_data: context.example_data,
        template: context.template.clone(),
        date: long_date(date),
        date_iso: date.format("%Y-%m-%d").to_string(),
        period_end: windows.period_end.long_name(),
        year_label: format!("{}{to_date}", metrics.year.year_label(ytd.first)),
        previous_year_label: metrics.year.year_label(ytd.first.plus(-12)),
        reporting_period: if ytd.first == ytd.last {
            ytd.first.long_name()
        } else {
            format!("{} to {}", ytd.first.long_name(), ytd.last.long_name())
        },
        partial_year: windows.partial_year,
        latest_month: windows.period_end.long_name(),
        latest_quarter: format!("{} ({})", metrics.year.quarter_label(quarter.first), quarter.name()),
        data_span: format!("{} to {}", long_date(metrics.first_month.first_day()), long_date(metrics.last_month.last_day())),
    }
}
