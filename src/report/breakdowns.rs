//! "Who went missing": each breakdown of the reporting year to date as one
//! table, with all children and children in our care side by side, and
//! children by number of episodes in the latest complete quarter. Reasons
//! run from the most to the least common, with "other" and "unknown" last.
//! An in-care cell is also hidden where, beside the all-children cell, it
//! would give away a small number of children missing from home.

use super::figures::Numbers;
use super::summary::latest_quarter_window;
use super::table::Table;
use crate::labels::category_label;
use crate::metrics::{BreakdownRow, Cohort, Dimension, Metrics, Value, Window};

/// (dimension, title, note) in the order a paper shows them.
const BREAKDOWNS: [(Dimension, &str, Option<&str>); 9] = [
    (
        Dimension::AgeBand,
        "Age at the start of the episode",
        Some("A child who had a birthday between episodes counts in each age band they went missing in."),
    ),
    (Dimension::Sex, "Sex", None),
    (Dimension::EthnicityGroup, "Ethnicity", None),
    (
        Dimension::Reason,
        "Reasons recorded",
        Some("An episode with several reasons counts under each, so the reasons add up to more than the episodes."),
    ),
    (
        Dimension::Exploitation,
        "Exploitation concerns",
        Some("CSE: child sexual exploitation; CCE: child criminal exploitation, recorded as a risk in the episode."),
    ),
    (Dimension::DurationBand, "How long the episode lasted", None),
    (Dimension::PlacementArea, "Children in our care: where placed", None),
    (Dimension::Uasc, "Children in our care: unaccompanied asylum-seeking children", None),
    (
        Dimension::EpisodesPerChild,
        "Children by number of episodes",
        Some("Each child is counted once, in the band of their number of episodes in the period."),
    ),
];

/// Categories that go last in a table ordered by size.
const LAST: [&str; 3] = ["other", "unknown", "not_recorded"];

/// Every breakdown the input supports, for the reporting year to date,
/// then children by number of episodes in the latest complete quarter (the
/// "times missing in the last three months" view of seed 004).
pub(super) fn breakdowns(metrics: &Metrics, numbers: Numbers, suppression_note: Option<&str>) -> Vec<Table> {
    let year = metrics.windows.year_to_date;
    let mut tables: Vec<Table> = BREAKDOWNS
        .into_iter()
        .filter_map(|(dimension, title, note)| {
            let shown = Shown { name: dimension.id().to_string(), title: title.to_string(), note, window: year };
            breakdown(metrics, numbers, suppression_note, dimension, shown)
        })
        .collect();
    let quarter = latest_quarter_window(metrics);
    let shown = Shown {
        name: format!("{}_latest_quarter", Dimension::EpisodesPerChild.id()),
        title: format!("Children by number of episodes in {} ({})", metrics.year.quarter_label(quarter.first), quarter.name()),
        note: Some("Each child is counted once, in the band of their number of episodes in the quarter."),
        window: quarter,
    };
    tables.extend(breakdown(metrics, numbers, suppression_note, Dimension::EpisodesPerChild, shown));
    tables
}

/// What one breakdown table shows: its name, title, note and window.
struct Shown {
    name: String,
    title: String,
    note: Option<&'static str>,
    window: Window,
}

/// One breakdown over one window, or `None` when the input lacks it.
fn breakdown(metrics: &Metrics, numbers: Numbers, suppression_note: Option<&str>, dimension: Dimension, shown: Shown) -> Option<Table> {
    let threshold = metrics.suppression_threshold;
    let both = dimension.cohorts().contains(&Cohort::All);
    let all = metrics.breakdown(Cohort::All, shown.window, dimension);
    let care = metrics.breakdown(Cohort::LookedAfter, shown.window, dimension)?;
    let mut order: Vec<usize> = (0..care.len()).collect();
    if dimension == Dimension::Reason {
        let rows = all.unwrap_or(care);
        order.sort_by_key(|&i| {
            (LAST.iter().position(|l| *l == rows[i].category), std::cmp::Reverse(size(&rows[i])), rows[i].category.clone())
        });
    }
    let has_episodes = care.iter().any(|r| r.episodes.is_some());
    let mut columns = vec![String::new()];
    let mut cohort_columns: Vec<Vec<Value>> = Vec::new();
    let mut add = |name: &str, rows: &[BreakdownRow]| {
        columns.push(format!("{name}: children"));
        cohort_columns.push(rows.iter().map(|r| r.children).collect());
        if has_episodes {
            columns.push(format!("{name}: episodes"));
            cohort_columns.push(rows.iter().map(|r| r.episodes.unwrap_or(Value::Count(0))).collect());
        }
    };
    match (both, all) {
        (true, Some(all)) => {
            add("All children", all);
            add("In our care", care);
        }
        _ => add("In our care", care),
    }
    let mut table = Table::new(&shown.name, &shown.title, columns);
    let metric = crate::metrics::Metric::Children;
    for &i in &order {
        let cells = cohort_columns.iter().map(|column| numbers.value(metric, Some(column[i]))).collect();
        table.row(category_label(dimension, &care[i].category, &metrics.reasons), cells, false);
    }
    let unrecorded = metrics.unrecorded.get(&dimension).map(Vec::as_slice).unwrap_or_default();
    for category in unrecorded {
        let cells = (0..cohort_columns.len()).map(|_| numbers.value(metric, None)).collect();
        table.row(category_label(dimension, category, &metrics.reasons), cells, false);
    }
    if !unrecorded.is_empty() {
        let (counted, missing) = if unrecorded.contains(&"cse") { ("CCE", "CSE") } else { ("CSE", "CCE") };
        table = table.note(format!(
            "The input records {counted} concerns but not {missing} concerns, so {counted} counts every episode with a {counted} concern and the other groups are not recorded."
        ));
    }
    if let Some(note) = shown.note {
        table = table.note(note);
    }
    if dimension != Dimension::EpisodesPerChild {
        table =
            table.note("A child counts under every group one of their episodes falls in, so children may add up to more than the total.");
    }
    if let Some(suppression) = suppression_note.filter(|_| threshold > 0) {
        table = table.note(suppression);
    }
    Some(table)
}

/// The size a reason is ordered by: its episodes, or its children.
fn size(row: &BreakdownRow) -> u64 {
    match row.episodes.unwrap_or(row.children) {
        Value::Count(n) => n,
        _ => 0,
    }
}
