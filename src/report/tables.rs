//! The paper's tables and cards: headline figures against a year earlier,
//! key-figure cards, quarterly tables by cohort, "who went missing"
//! breakdowns, and the charts' references.

use serde::Serialize;

use super::figures::{change_text, format_value, NO_VALUE};
use crate::charts::Charts;
use crate::labels::category_label;
use crate::metrics::{Cohort, Dimension, Metric, Metrics, Window};
use crate::period::MONTH_ABBREVIATIONS;

/// Headline figures for the reporting year to date against the same months a year earlier.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub current_label: String,
    pub previous_label: String,
    pub rows: Vec<HeadlineRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeadlineRow {
    pub label: String,
    pub current: String,
    pub previous: String,
    pub change: String,
    /// `up`, `down`, `same` or `none`: for arrows, never for judging good or bad.
    pub direction: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownTable {
    pub dimension: &'static str,
    pub cohort: &'static str,
    pub title: String,
    /// Rows of (category label, children, episodes); episodes blank where not reported.
    pub rows: Vec<[String; 3]>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartRef {
    pub name: String,
    /// Path the template opens: `charts/<name>.svg`.
    pub file: String,
    pub title: String,
    pub caption: String,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuarterlyTable {
    pub cohort: &'static str,
    pub title: String,
    pub year_label: String,
    pub columns: Vec<String>,
    pub rows: Vec<TableRow>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    pub label: String,
    pub cells: Vec<String>,
    /// Rates are set in italics and rows of counts in roman.
    pub is_rate: bool,
}

const HEADLINE: [(Metric, &str); 11] = [
    (Metric::Children, "Children who went missing"),
    (Metric::Episodes, "Missing episodes"),
    (Metric::EpisodesPerChild, "Episodes per child"),
    (Metric::EpisodesOver24h, "Episodes lasting more than 24 hours"),
    (Metric::Absences, "Absences (not counted as missing)"),
    (Metric::PctChildrenRhiOffered, "Children offered a return home interview"),
    (Metric::PctEpisodesRhiOffered, "Episodes with an interview offered"),
    (Metric::PctRhiAccepted, "Offers accepted"),
    (Metric::PctEpisodesRhiCompleted, "Episodes with an interview completed"),
    (Metric::PctRhiWithin72h, "Interviews completed within 72 hours of return"),
    (Metric::EpisodesOpen, "Episodes with no return recorded"),
];

const QUARTERLY: [(Metric, &str); 9] = [
    (Metric::Children, "Children who went missing"),
    (Metric::Episodes, "Missing episodes"),
    (Metric::EpisodesRhiOffered, "Interviews offered"),
    (Metric::EpisodesRhiAccepted, "Offers accepted"),
    (Metric::PctRhiAccepted, "% of offers accepted"),
    (Metric::EpisodesRhiDeclined, "Offers declined"),
    (Metric::EpisodesRhiCompleted, "Interviews completed"),
    (Metric::EpisodesRhiWithin72h, "Completed within 72 hours"),
    (Metric::PctRhiWithin72h, "% completed within 72 hours"),
];

/// The reporting year to date against the same months a year earlier.
pub(super) fn headline(metrics: &Metrics) -> Headline {
    let current = metrics.windows.year_to_date;
    let previous = current.year_earlier();
    let rows = HEADLINE
        .iter()
        .map(|(metric, label)| {
            let new = metrics.value(Cohort::All, current, *metric);
            let old = if metrics.covers(previous) { metrics.value(Cohort::All, previous, *metric) } else { None };
            let (change, direction) = change_text(*metric, old, new);
            let previous_text = if metrics.covers(previous) { format_value(*metric, old) } else { "no data".into() };
            HeadlineRow { label: label.to_string(), current: format_value(*metric, new), previous: previous_text, change, direction }
        })
        .collect();
    Headline { current_label: current.name(), previous_label: previous.name(), rows }
}

/// The four cards on the cover, for the reporting year to date.
pub(super) fn key_figures(metrics: &Metrics) -> Vec<KeyFigure> {
    let current = metrics.windows.year_to_date;
    let figure = |metric: Metric, label: &str, note: &str| KeyFigure {
        label: label.into(),
        value: format_value(metric, metrics.value(Cohort::All, current, metric)),
        note: note.into(),
    };
    vec![
        figure(Metric::Children, "children went missing", "each counted once in the period"),
        figure(Metric::Episodes, "missing episodes", "each occasion counted"),
        figure(Metric::PctRhiAccepted, "of interview offers accepted", "episodes offered an interview"),
        figure(Metric::PctRhiWithin72h, "of interviews within 72 hours", "of interviews completed"),
    ]
}

/// A chart the input could not support, and the note the paper shows instead.
#[derive(Debug, Clone, Serialize)]
pub struct OmittedChartRef {
    pub name: String,
    pub title: String,
    pub note: String,
}

pub(super) fn omitted_chart_refs(charts: &Charts) -> Vec<OmittedChartRef> {
    charts.omitted.iter().map(|c| OmittedChartRef { name: c.name.to_string(), title: c.title.clone(), note: c.note.clone() }).collect()
}

pub(super) fn chart_refs(charts: &Charts) -> Vec<ChartRef> {
    charts
        .charts
        .iter()
        .map(|c| ChartRef {
            name: c.name.to_string(),
            file: c.file("svg"),
            title: c.title.clone(),
            caption: c.caption.clone(),
            alt: c.alt.clone(),
        })
        .collect()
}

/// Quarters of the reporting year and of the year before, for all children
/// and for children in care; a year the data does not cover is left out.
pub(super) fn quarterly_tables(metrics: &Metrics) -> Vec<QuarterlyTable> {
    let windows = &metrics.windows;
    let current = windows.year_to_date;
    let previous = current.year_earlier();
    let mut quarterly = Vec::new();
    for (cohort, title) in [(Cohort::All, "All children"), (Cohort::LookedAfter, "Children in our care")] {
        for (quarters, ytd) in
            [(windows.quarters.clone(), current), (windows.quarters.iter().map(|w| w.year_earlier()).collect(), previous)]
        {
            if !metrics.covers(ytd) {
                continue;
            }
            let year_label = metrics.year.year_label(ytd.first);
            quarterly.push(quarterly_table(metrics, cohort, title, &quarters, ytd, year_label, windows.partial_year));
        }
    }
    quarterly
}

/// "Who went missing": the breakdowns of the reporting year to date.
pub(super) fn profile(metrics: &Metrics) -> Vec<BreakdownTable> {
    let window = metrics.windows.year_to_date;
    let titles = [
        (Dimension::AgeBand, Cohort::All, "Age at the start of the episode", None),
        (Dimension::Sex, Cohort::All, "Sex", None),
        (Dimension::EthnicityGroup, Cohort::All, "Ethnicity", None),
        (Dimension::Exploitation, Cohort::All, "Exploitation concerns", None),
        (Dimension::Reason, Cohort::All, "Reasons recorded", Some("An episode with several reasons counts under each.")),
        (Dimension::DurationBand, Cohort::All, "How long the episode lasted", None),
        (Dimension::EpisodesPerChild, Cohort::All, "Children by number of episodes", None),
        (Dimension::PlacementArea, Cohort::LookedAfter, "Children in our care: where placed", None),
    ];
    let mut tables = Vec::new();
    for (dimension, cohort, title, note) in titles {
        let Some(rows) = metrics.breakdown(cohort, window, dimension) else { continue };
        let rows = rows
            .iter()
            .map(|r| {
                let episodes = r.episodes.map(|e| format_value(Metric::Episodes, Some(e))).unwrap_or_default();
                [category_label(dimension, &r.category), format_value(Metric::Children, Some(r.children)), episodes]
            })
            .collect();
        tables.push(BreakdownTable {
            dimension: dimension.id(),
            cohort: cohort.id(),
            title: title.into(),
            rows,
            note: note.map(str::to_string),
        });
    }
    tables
}

fn quarterly_table(
    metrics: &Metrics,
    cohort: Cohort,
    title: &str,
    quarters: &[Window],
    year: Window,
    year_label: String,
    partial: bool,
) -> QuarterlyTable {
    let mut columns: Vec<String> = (1..=4)
        .map(|q| match quarters.get(q - 1) {
            Some(w) if w.last.0 - w.first.0 < 2 => format!("Q{q} to {}", MONTH_ABBREVIATIONS[w.last.month() as usize - 1]),
            _ => format!("Q{q}"),
        })
        .collect();
    columns.push(if partial { "Year to date".into() } else { "Year".into() });
    let rows = QUARTERLY
        .iter()
        .map(|(metric, label)| {
            let mut cells: Vec<String> = (0..4)
                .map(|q| match quarters.get(q) {
                    Some(w) => format_value(*metric, metrics.value(cohort, *w, *metric)),
                    None => NO_VALUE.into(),
                })
                .collect();
            cells.push(format_value(*metric, metrics.value(cohort, year, *metric)));
            TableRow { label: label.to_string(), cells, is_rate: metric.is_rate() }
        })
        .collect();
    QuarterlyTable {
        cohort: cohort.id(),
        title: if partial {
            format!("{title}, {year_label} ({} to {})", year.first.long_name(), year.last.long_name())
        } else {
            format!("{title}, {year_label}")
        },
        year_label,
        columns,
        rows,
        note: "Children are counted once in each column: the year figure is the number of different children in the year, not the sum of the quarters. % accepted is of interviews offered; % within 72 hours is of interviews completed, measured from the time the child was found or returned.".into(),
    }
}
