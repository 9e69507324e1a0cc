//! Tables over the months and quarters of the reporting year: the monthly
//! table of a scrutiny report, the quarterly summary tables of a corporate
//! parenting pack for each cohort, repeat missing by quarter, and the
//! monthly and quarterly series every template receives.

use serde::Serialize;

use super::figures::Numbers;
use super::table::Table;
use crate::metrics::{Cohort, Metric, Metrics, Window};
use crate::period::MONTH_ABBREVIATIONS;

/// The cohorts of the paper with their names in print.
pub const COHORTS: [(Cohort, &str); 3] =
    [(Cohort::All, "All children"), (Cohort::LookedAfter, "Children in our care"), (Cohort::NotLookedAfter, "Children missing from home")];

fn cohort_name(cohort: Cohort) -> &'static str {
    COHORTS.iter().find(|(c, _)| *c == cohort).map_or("", |(_, name)| name)
}

/// The rows of the monthly table (seed 001's "five key areas" and their rates).
const MONTHLY: [(Metric, &str); 7] = [
    (Metric::Children, "Children who went missing"),
    (Metric::ChildrenRhiOffered, "Children offered a return home interview"),
    (Metric::ChildrenRhiCompleted, "Children with an interview done"),
    (Metric::Episodes, "Missing episodes"),
    (Metric::EpisodesRhiCompleted, "Episodes with an interview done"),
    (Metric::PctChildrenRhiOffered, "Interview offer rate for children"),
    (Metric::PctEpisodesRhiCompleted, "Interviews done as % of episodes"),
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

const DISTINCT_NOTE: &str = "Children are counted once in each column: the year figure is the number of different children in the year, not the sum of the columns.";

/// The month columns of the reporting year to the period end, and the year to date.
fn month_columns(metrics: &Metrics) -> (Vec<Window>, Vec<String>) {
    let ytd = metrics.windows.year_to_date;
    let months: Vec<Window> = ytd.months().map(|m| Window::new(m, m)).collect();
    let mut columns = vec![String::new()];
    columns.extend(months.iter().map(|w| format!("{} {:02}", MONTH_ABBREVIATIONS[w.first.month() as usize - 1], w.first.year() % 100)));
    columns.push(year_column(metrics));
    (months, columns)
}

fn year_column(metrics: &Metrics) -> String {
    if metrics.windows.partial_year {
        "Year to date".into()
    } else {
        "Year".into()
    }
}

/// One row of `metric` for `cohort` over `windows` and the year to date.
fn cells(metrics: &Metrics, numbers: Numbers, cohort: Cohort, windows: &[Window], year: Window, metric: Metric) -> Vec<String> {
    let mut cells: Vec<String> = windows.iter().map(|w| numbers.cell(metrics, cohort, *w, metric)).collect();
    cells.push(numbers.cell(metrics, cohort, year, metric));
    cells
}

/// The scrutiny report's monthly table: the months of the reporting year to
/// the period end as columns, all children, and the interview rate for
/// children in our care as its last row.
pub(super) fn monthly(metrics: &Metrics, numbers: Numbers) -> Table {
    let ytd = metrics.windows.year_to_date;
    let (months, columns) = month_columns(metrics);
    let mut table = Table::new("monthly", format!("Month by month, {}", ytd.name()), columns);
    for (metric, label) in MONTHLY {
        table.row(label, cells(metrics, numbers, Cohort::All, &months, ytd, metric), metric.is_rate());
    }
    let metric = Metric::PctEpisodesRhiCompleted;
    table.row(
        "Interviews done as % of episodes: children in our care",
        cells(metrics, numbers, Cohort::LookedAfter, &months, ytd, metric),
        true,
    );
    table.note(DISTINCT_NOTE).note(
        "An interview is counted in the month the episode started. The offer rate is children offered an interview as a share of children who went missing; interviews done are a share of episodes.",
    )
}

/// The same rows as `monthly` for one cohort.
pub(super) fn monthly_cohort(metrics: &Metrics, numbers: Numbers, cohort: Cohort) -> Table {
    let ytd = metrics.windows.year_to_date;
    let (months, columns) = month_columns(metrics);
    let name = format!("monthly_{}", cohort.id());
    let mut table = Table::new(name, format!("{}, month by month, {}", cohort_name(cohort), ytd.name()), columns);
    for (metric, label) in MONTHLY {
        table.row(label, cells(metrics, numbers, cohort, &months, ytd, metric), metric.is_rate());
    }
    table.note(DISTINCT_NOTE)
}

/// Which reporting year a quarterly table shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Year {
    Current,
    Previous,
}

impl Year {
    fn id(self) -> &'static str {
        match self {
            Year::Current => "current",
            Year::Previous => "previous",
        }
    }
}

/// The quarters of `year` (the current year's up to the period end) and its whole window.
fn quarters(metrics: &Metrics, year: Year) -> (Vec<Window>, Window) {
    let windows = &metrics.windows;
    match year {
        Year::Current => (windows.quarters.clone(), windows.year_to_date),
        Year::Previous => (windows.quarters.iter().map(|w| w.year_earlier()).collect(), windows.year_to_date.year_earlier()),
    }
}

fn quarter_columns(metrics: &Metrics, quarters: &[Window]) -> Vec<String> {
    let mut columns = vec![String::new()];
    columns.extend((1..=4).map(|q| match quarters.get(q - 1) {
        Some(w) if w.last.0 - w.first.0 < 2 => format!("Q{q} to {}", MONTH_ABBREVIATIONS[w.last.month() as usize - 1]),
        _ => format!("Q{q}"),
    }));
    columns.push(year_column(metrics));
    columns
}

fn quarter_cells(metrics: &Metrics, numbers: Numbers, cohort: Cohort, quarters: &[Window], year: Window, metric: Metric) -> Vec<String> {
    let mut cells: Vec<String> =
        (0..4).map(|q| quarters.get(q).map_or(super::figures::NO_VALUE.into(), |w| numbers.cell(metrics, cohort, *w, metric))).collect();
    cells.push(numbers.cell(metrics, cohort, year, metric));
    cells
}

/// `April 2024 to March 2025`, or `April 2024` for one month.
pub(super) fn in_words(window: Window) -> String {
    if window.first == window.last {
        window.first.long_name()
    } else {
        format!("{} to {}", window.first.long_name(), window.last.long_name())
    }
}

fn year_title(metrics: &Metrics, subject: &str, year: Window) -> String {
    let label = metrics.year.year_label(year.first);
    if metrics.windows.partial_year {
        format!("{subject}, {label} ({})", in_words(year))
    } else {
        format!("{subject}, {label}")
    }
}

/// The quarterly summary table of one cohort and year; `None` when the data
/// does not cover that year.
pub(super) fn quarterly(metrics: &Metrics, numbers: Numbers, cohort: Cohort, year: Year) -> Option<Table> {
    let (quarters, whole) = quarters(metrics, year);
    if !metrics.covers(whole) {
        return None;
    }
    let name = format!("quarterly_{}_{}", cohort.id(), year.id());
    let mut table = Table::new(name, year_title(metrics, cohort_name(cohort), whole), quarter_columns(metrics, &quarters));
    for (metric, label) in QUARTERLY {
        table.row(label, quarter_cells(metrics, numbers, cohort, &quarters, whole, metric), metric.is_rate());
    }
    Some(table.note(DISTINCT_NOTE).note(format!(
        "% accepted is of interviews offered; % within {} hours is of interviews completed, measured from the time the child was found or returned.",
        metrics.rules.rhi_timescale_hours
    )))
}

/// Repeat missing by quarter: the configured trigger, 3 in 30 days, the
/// top-N share and episodes per child, for all children and children in care.
pub(super) fn repeat(metrics: &Metrics, numbers: Numbers, year: Year) -> Option<Table> {
    let (quarters, whole) = quarters(metrics, year);
    if !metrics.covers(whole) {
        return None;
    }
    let rules = &metrics.rules;
    let trigger = format!("Children missing {} times within {} days", rules.repeat.episodes, rules.repeat.days);
    let mut rows: Vec<(Metric, String)> = vec![(Metric::ChildrenRepeat, trigger)];
    if !(rules.repeat.episodes == 3 && rules.repeat.days == 30) {
        rows.push((Metric::ChildrenRepeat30d, "Children missing 3 times within 30 days".into()));
    }
    rows.push((Metric::Top20Share, format!("% of episodes: the {} children with most", rules.top_n)));
    rows.push((Metric::EpisodesPerChild, "Episodes per child".into()));
    let mut table =
        Table::new(format!("repeat_{}", year.id()), year_title(metrics, "Repeat missing", whole), quarter_columns(metrics, &quarters));
    for (cohort, prefix) in [(Cohort::All, "All children"), (Cohort::LookedAfter, "In our care")] {
        for (metric, label) in &rows {
            table.row(
                format!("{prefix}: {}", lowercase_first(label)),
                quarter_cells(metrics, numbers, cohort, &quarters, whole, *metric),
                metric.is_rate(),
            );
        }
    }
    Some(table.note(format!(
        "A child meets the trigger in a period when one of their episodes in it completes a run of {} episodes starting within {} days (earlier episodes may fall before the period); this is when a strategy meeting is expected. Each column counts children once.",
        rules.repeat.episodes, rules.repeat.days
    )))
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A cohort's figures over consecutive periods, for template authors' own tables.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub cohort: &'static str,
    pub cohort_label: &'static str,
    /// `month` (the 24 months to the period end) or `quarter` (the 8 quarters to its end).
    pub kind: &'static str,
    /// `Apr 2024`, or `2024-25 Q1`.
    pub periods: Vec<String>,
    /// Metric id to one printed value per period.
    pub values: std::collections::BTreeMap<&'static str, Vec<String>>,
}

pub(super) fn series(metrics: &Metrics, numbers: Numbers) -> Vec<Series> {
    let end = metrics.windows.period_end;
    let months: Vec<Window> = (0..24).rev().map(|k| end.plus(-k)).map(|m| Window::new(m, m)).collect();
    let last_quarter = metrics.year.quarter_start(end);
    let quarters: Vec<Window> = (0..8).rev().map(|k| last_quarter.plus(-3 * k)).map(|q| Window::new(q, q.plus(2).min(end))).collect();
    let mut all = Vec::new();
    for (cohort, cohort_label) in COHORTS {
        for (kind, windows) in [("month", &months), ("quarter", &quarters)] {
            let periods =
                windows.iter().map(|w| if kind == "month" { w.first.short_name() } else { metrics.year.quarter_label(w.first) }).collect();
            let values = metrics
                .available
                .iter()
                .map(|metric| (metric.id(), windows.iter().map(|w| numbers.cell(metrics, cohort, *w, *metric)).collect()))
                .collect();
            all.push(Series { cohort: cohort.id(), cohort_label, kind, periods, values });
        }
    }
    all
}
