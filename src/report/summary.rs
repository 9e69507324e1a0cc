//! The paper's headline view: the year to date against a year earlier, the
//! latest month and the latest complete quarter against the period before
//! and a year earlier, and the key-figure cards.

use serde::Serialize;

use super::context::ReportContext;
use super::figures::Numbers;
use super::table::{Table, CHANGE_NOTE};
use crate::metrics::{Better, Cohort, Metric, Metrics, Value, Window};

/// A card on the cover: a figure, what it counts, and how it compares.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub value: String,
    /// Completes the value: "children went missing".
    pub label: String,
    /// The same figure a year earlier, or what it is a share of.
    pub note: String,
    /// The chart of its monthly series for all children (`spc_all_episodes`),
    /// whose entry in `spc` gives the latest month's icons; null when not charted.
    pub spc: Option<String>,
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

const LATEST: [(Metric, &str); 8] = [
    (Metric::Children, "Children who went missing"),
    (Metric::Episodes, "Missing episodes"),
    (Metric::EpisodesOver24h, "Episodes lasting more than 24 hours"),
    (Metric::ChildrenRepeat, "Children meeting the repeat-missing trigger"),
    (Metric::PctChildrenRhiOffered, "Children offered a return home interview"),
    (Metric::PctRhiAccepted, "Offers accepted"),
    (Metric::PctEpisodesRhiCompleted, "Episodes with an interview completed"),
    (Metric::PctRhiWithin72h, "Interviews completed within 72 hours"),
];

const RATE_NOTE: &str = "Children offered an interview are a share of children who went missing; episodes with an interview offered or completed a share of episodes; offers accepted a share of interviews offered; interviews within 72 hours a share of interviews completed.";

/// The reporting year to date against the same months a year earlier.
pub(super) fn headline(metrics: &Metrics, numbers: Numbers) -> Table {
    let current = metrics.windows.year_to_date;
    let previous = current.year_earlier();
    let columns = vec![String::new(), current.name(), previous.name(), "Change".into()];
    let mut table = Table::new("headline", format!("Headline figures, {} and a year earlier", current.name()), columns);
    for (metric, label) in HEADLINE {
        let cells = vec![
            numbers.cell(metrics, Cohort::All, current, metric),
            numbers.cell(metrics, Cohort::All, previous, metric),
            numbers.change_between(metrics, Cohort::All, metric, previous, current),
        ];
        table.row(label, cells, metric.is_rate());
    }
    table.note(RATE_NOTE).note(CHANGE_NOTE)
}

/// `latest` against `before` and the same window a year earlier, with both changes.
fn compare(metrics: &Metrics, numbers: Numbers, name: &str, title: String, latest: (Window, String), before: (Window, String)) -> Table {
    let earlier = latest.0.year_earlier();
    let columns = vec![
        String::new(),
        latest.1.clone(),
        before.1.clone(),
        earlier.name(),
        format!("Change on {}", before.1),
        "Change on a year earlier".into(),
    ];
    let mut table = Table::new(name, title, columns);
    for (metric, label) in LATEST {
        let cells = vec![
            numbers.cell(metrics, Cohort::All, latest.0, metric),
            numbers.cell(metrics, Cohort::All, before.0, metric),
            numbers.cell(metrics, Cohort::All, earlier, metric),
            numbers.change_between(metrics, Cohort::All, metric, before.0, latest.0),
            numbers.change_between(metrics, Cohort::All, metric, earlier, latest.0),
        ];
        table.row(label, cells, metric.is_rate());
    }
    table.note(CHANGE_NOTE)
}

/// The last month of the period against the month before and a year earlier.
pub(super) fn latest_month(metrics: &Metrics, numbers: Numbers) -> Table {
    let month = metrics.windows.period_end;
    let latest = Window::new(month, month);
    let before = Window::new(month.plus(-1), month.plus(-1));
    compare(
        metrics,
        numbers,
        "latest_month",
        format!("{}: the latest month", month.long_name()),
        (latest, latest.name()),
        (before, before.name()),
    )
}

/// The latest complete quarter: the one ending with the period, or else the one before it.
pub(super) fn latest_quarter_window(metrics: &Metrics) -> Window {
    let end = metrics.windows.period_end;
    let start = metrics.year.quarter_start(end);
    let first = if start.plus(2) == end { start } else { start.plus(-3) };
    Window::new(first, first.plus(2))
}

/// The latest complete quarter against the quarter before and a year earlier.
pub(super) fn latest_quarter(metrics: &Metrics, numbers: Numbers) -> Table {
    let quarter = latest_quarter_window(metrics);
    let before = Window::new(quarter.first.plus(-3), quarter.last.plus(-3));
    let label = |w: Window| format!("{} ({})", metrics.year.quarter_label(w.first), w.name());
    let mut table = compare(
        metrics,
        numbers,
        "latest_quarter",
        format!("{}: the latest complete quarter", label(quarter)),
        (quarter, metrics.year.quarter_label(quarter.first)),
        (before, metrics.year.quarter_label(before.first)),
    );
    table.columns[3] = metrics.year.quarter_label(quarter.first.plus(-12));
    table.note(format!("Quarters of the reporting year: {} is {}.", metrics.year.quarter_label(quarter.first), quarter.name()))
}

/// The four cards on the cover, for the reporting year to date, each with the figure a year earlier.
pub(super) fn key_figures(metrics: &Metrics, numbers: Numbers) -> Vec<KeyFigure> {
    let current = metrics.windows.year_to_date;
    let previous = current.year_earlier();
    let earlier = |metric: Metric| {
        if metrics.covers(previous) && metrics.available.contains(&metric) {
            format!("{}: {}", previous.name(), numbers.cell(metrics, Cohort::All, previous, metric))
        } else {
            String::new()
        }
    };
    let figure = |metric: Metric, label: &str, note: &str| {
        let compared = earlier(metric);
        KeyFigure {
            value: numbers.cell(metrics, Cohort::All, current, metric),
            label: label.into(),
            note: [note, compared.as_str()].iter().filter(|t| !t.is_empty()).copied().collect::<Vec<_>>().join(". "),
            spc: metrics.spc_series(Cohort::All, metric).filter(|s| s.latest().is_some()).map(crate::charts::spc_chart_name),
        }
    };
    vec![
        figure(Metric::Children, "children went missing", "Each child counted once"),
        figure(Metric::Episodes, "missing episodes", "Every occasion counted"),
        figure(Metric::PctRhiAccepted, "of return home interviews offered were accepted", ""),
        figure(Metric::PctRhiWithin72h, "of interviews completed were within 72 hours of return", ""),
    ]
}

/// How far short of a target (in its units) still counts as amber.
const AMBER_MARGIN: f64 = 5.0;

/// Each configured target against the year to date and the latest month,
/// with a status from the year to date: green when met, amber when within
/// 5 (percentage points, or of a count) of it, red otherwise.
pub(super) fn targets(context: &ReportContext, metrics: &Metrics, numbers: Numbers) -> Table {
    let current = metrics.windows.year_to_date;
    let month = Window::new(metrics.windows.period_end, metrics.windows.period_end);
    let columns = vec!["Measure".into(), current.name(), month.name(), "Target".into(), "Gap to target".into(), "Status".into()];
    let mut table = Table::new("targets", "Performance against targets", columns);
    for (metric, target, aimed) in context.targets.iter().filter_map(|(m, t)| Some((m, t, t.target?))) {
        let status = match metrics.covers(current).then(|| metrics.value(Cohort::All, current, *metric)).flatten() {
            Some(Value::Count(n)) => rag(n as f64, aimed, target.better),
            Some(Value::Rate(Some(r))) => rag(r, aimed, target.better),
            _ => None,
        };
        let aim = if target.better == Better::Higher { "at least" } else { "at most" };
        let target_text = if metric.is_rate() && *metric != Metric::EpisodesPerChild {
            format!("{aim} {}", numbers.percent(aimed))
        } else {
            format!("{aim} {aimed}")
        };
        let gap = match metrics.covers(current).then(|| metrics.value(Cohort::All, current, *metric)).flatten() {
            Some(value @ (Value::Count(_) | Value::Rate(Some(_)))) => gap_words(
                value.as_f64().unwrap_or_default(),
                aimed,
                target.better,
                metric.is_rate() && *metric != Metric::EpisodesPerChild,
                numbers,
            ),
            _ => "–".to_string(),
        };
        let words = match status {
            Some("green") => "Met",
            Some("amber") => "Close (within 5)",
            Some(_) => "Not met",
            None => "No figure",
        };
        let cells = vec![
            numbers.cell(metrics, Cohort::All, current, *metric),
            numbers.cell(metrics, Cohort::All, month, *metric),
            target_text,
            gap,
            words.to_string(),
        ];
        table.row(metric_label(*metric), cells, metric.is_rate());
        if let Some(row) = table.rows.last_mut() {
            row.status = status;
        }
    }
    table.note("Status is judged on the year to date: met (the figure is at or beyond the target), close (short of it by no more than 5 percentage points, or 5 of a count) or not met (short by more). The status is written in words as well as coloured, so it reads the same in black and white. Targets are set in the configuration (targets:).")
}

/// How far the year to date is from the target, in words that say which
/// side: "4.3 percentage points short", "166 over", "met, 1.2 percentage
/// points to spare", "met exactly". Met as `rag` judges it.
fn gap_words(value: f64, target: f64, better: Better, percent: bool, numbers: Numbers) -> String {
    let beyond = match better {
        Better::Lower => target - value,
        _ => value - target,
    };
    let d = numbers.decimals;
    let amount = if percent {
        let printed = format!("{:.d$}", beyond.abs());
        let smallest = format!("{:.d$}", 10f64.powi(-(d as i32)));
        match printed.chars().all(|c| c == '0' || c == '.') {
            true => format!("less than {smallest} percentage point"),
            false if printed.trim_end_matches('0').trim_end_matches('.') == "1" => "1 percentage point".to_string(),
            false => format!("{printed} percentage points"),
        }
    } else if beyond.fract().abs() < 1e-9 {
        crate::format::thousands(beyond.abs().round() as u64)
    } else {
        format!("{:.d$}", beyond.abs())
    };
    if beyond.abs() <= 1e-9 {
        "met exactly".into()
    } else if beyond > 0.0 {
        format!("met, {amount} to spare")
    } else if better == Better::Lower {
        format!("{amount} over")
    } else {
        format!("{amount} short")
    }
}

/// `None` for a metric with no better direction (the configuration refuses a target on one).
fn rag(value: f64, target: f64, better: Better) -> Option<&'static str> {
    let short = match better {
        Better::Higher => target - value,
        Better::Lower => value - target,
        Better::Neutral => return None,
    };
    Some(if short <= 1e-9 {
        "green"
    } else if short <= AMBER_MARGIN {
        "amber"
    } else {
        "red"
    })
}

/// The printed name of a metric in the headline and latest tables, else its id.
fn metric_label(metric: Metric) -> String {
    HEADLINE.iter().chain(LATEST.iter()).find(|(m, _)| *m == metric).map_or_else(|| metric.id().replace('_', " "), |(_, l)| l.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_green_when_met_amber_when_close_and_red_otherwise() {
        assert_eq!(rag(80.0, 80.0, Better::Higher), Some("green"));
        assert_eq!(rag(76.0, 80.0, Better::Higher), Some("amber"));
        assert_eq!(rag(74.9, 80.0, Better::Higher), Some("red"));
        assert_eq!(rag(90.0, 100.0, Better::Lower), Some("green"));
        assert_eq!(rag(104.0, 100.0, Better::Lower), Some("amber"));
        assert_eq!(rag(104.0, 100.0, Better::Neutral), None);
    }

    #[test]
    fn the_gap_to_a_target_says_which_side_in_words() {
        let numbers = Numbers { decimals: 1 };
        assert_eq!(gap_words(75.7, 80.0, Better::Higher, true, numbers), "4.3 percentage points short");
        assert_eq!(gap_words(81.24, 80.0, Better::Higher, true, numbers), "met, 1.2 percentage points to spare");
        assert_eq!(gap_words(80.0, 80.0, Better::Higher, true, numbers), "met exactly");
        assert_eq!(gap_words(79.98, 80.0, Better::Higher, true, numbers), "less than 0.1 percentage point short");
        assert_eq!(gap_words(79.0, 80.0, Better::Higher, true, Numbers { decimals: 0 }), "1 percentage point short");
        assert_eq!(gap_words(1166.0, 1000.0, Better::Lower, false, numbers), "166 over");
        assert_eq!(gap_words(900.0, 1000.0, Better::Lower, false, numbers), "met, 100 to spare");
    }
}
