//! Plain sentences a committee reads, written from the same numbers as the
//! tables so the paper cannot disagree with itself. Changes are computed from
//! unrounded values; a rate whose printed values are equal is "unchanged".
//! The month-by-month series are described by their statistical process
//! control signal (`signals`), never by the month's change alone.

use serde::Serialize;

use crate::format::{capitalise, thousands};
use crate::metrics::{Change, Cohort, Metric, Metrics, Value, Window};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// What the sentence is about (a metric id, or `latest_month`), for templates that pick sentences.
    pub topic: &'static str,
    /// The cohort it describes (`all`, `looked_after`, `not_looked_after`).
    pub cohort: &'static str,
    pub text: String,
}

/// The sentences of the report's summary, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Narrative {
    pub sentences: Vec<Sentence>,
}

/// "The number of X rose from A to B in P, an increase of C%." and its kin.
/// `subject` completes "The number of ..." for counts and "The percentage of
/// ..." for rates; `period` is a phrase such as "in 2024-25 compared with 2023-24".
/// Percentages are printed to `decimals` places, as in the tables.
pub fn describe_change(subject: &str, change: &Change, period: &str, decimals: usize) -> String {
    let d = decimals;
    if change.is_rate {
        let (from, to) = (format!("{:.d$}%", change.from), format!("{:.d$}%", change.to));
        if from == to {
            return format!("The percentage of {subject} was unchanged at {to} {period}.");
        }
        let points = format!("{:.d$}", change.absolute.abs());
        let unit = if points.trim_end_matches('0').trim_end_matches('.') == "1" { "percentage point" } else { "percentage points" };
        let (verb, noun) = direction(change.absolute);
        return format!("The percentage of {subject} {verb} from {from} to {to} {period}, {noun} of {points} {unit}.");
    }
    let whole = |v: f64| v.fract() == 0.0;
    let number = |v: f64| if whole(v) { thousands(v.abs() as u64) } else { format!("{v:.d$}") };
    let (from, to) = (number(change.from), number(change.to));
    if from == to {
        return format!("The number of {subject} was unchanged at {to} {period}.");
    }
    let (verb, noun) = direction(change.absolute);
    match change.percent {
        Some(percent) => format!("The number of {subject} {verb} from {from} to {to} {period}, {noun} of {:.d$}%.", percent.abs()),
        None => format!("The number of {subject} {verb} from {from} to {to} {period}."),
    }
}

fn direction(difference: f64) -> (&'static str, &'static str) {
    if difference > 0.0 {
        ("rose", "an increase")
    } else {
        ("fell", "a decrease")
    }
}

/// `1 child`, `2 children`.
pub fn children(n: u64) -> String {
    if n == 1 {
        "1 child".into()
    } else {
        format!("{} children", thousands(n))
    }
}

/// The summary sentences for the report's windows (all children), the
/// openings of the children-in-care and missing-from-home sections, and the
/// latest month; percentages to `decimals` places.
pub fn summarise(metrics: &Metrics, decimals: usize) -> Narrative {
    let windows = &metrics.windows;
    let year = metrics.year;
    let current = windows.year_to_date;
    let earlier = current.year_earlier();
    let ytd_phrase = if current.first == current.last {
        format!("in {} compared with {}", current.last.long_name(), current.last.plus(-12).long_name())
    } else if windows.partial_year {
        format!(
            "in {} to {} compared with the same months a year earlier",
            crate::period::MONTH_NAMES[current.first.month() as usize - 1],
            current.last.long_name()
        )
    } else {
        format!("in {} compared with {}", year.year_label(current.first), year.year_label(earlier.first))
    };
    let rolling = windows.rolling12;
    let rolling_phrase =
        format!("in the 12 months to {} compared with the 12 months to {}", rolling.last.long_name(), rolling.last.plus(-12).long_name());
    let mut sentences = Vec::new();
    let mut compare_cohort = |cohort: Cohort, metric: Metric, subject: &str, from: Window, to: Window, phrase: &str| {
        if metrics.covers(from) && metrics.covers(to) {
            if let Some(change) = metrics.change(cohort, metric, from, to) {
                sentences.push(Sentence {
                    topic: metric.id(),
                    cohort: cohort.id(),
                    text: describe_change(subject, &change, phrase, decimals),
                });
            }
        }
    };
    for (cohort, who) in [(Cohort::LookedAfter, "children in our care"), (Cohort::NotLookedAfter, "children missing from home")] {
        compare_cohort(cohort, Metric::Children, &format!("{who} who went missing"), earlier, current, &ytd_phrase);
        compare_cohort(cohort, Metric::Episodes, &format!("missing episodes of {who}"), earlier, current, &ytd_phrase);
        compare_cohort(cohort, Metric::PctRhiAccepted, &format!("interview offers accepted by {who}"), earlier, current, &ytd_phrase);
    }
    let mut compare = |metric: Metric, subject: &str, from: Window, to: Window, phrase: &str| {
        compare_cohort(Cohort::All, metric, subject, from, to, phrase)
    };
    compare(Metric::Children, "children who went missing", earlier, current, &ytd_phrase);
    compare(Metric::Episodes, "missing episodes", earlier, current, &ytd_phrase);
    // The rolling window is the year itself when the period ends with the year.
    if rolling != current {
        compare(Metric::Children, "children who went missing", rolling.year_earlier(), rolling, &rolling_phrase);
    }
    compare(Metric::PctRhiAccepted, "return home interview offers accepted", earlier, current, &ytd_phrase);
    compare(Metric::PctRhiWithin72h, "interviews completed within 72 hours of return", earlier, current, &ytd_phrase);

    let window_name = if windows.partial_year { current.name() } else { year.year_label(current.first) };
    let threshold = metrics.suppression_threshold as u64;
    if let Some(Value::Count(n)) = metrics.value(Cohort::All, current, Metric::ChildrenRepeat) {
        let rule = metrics.rules.repeat;
        let who = if n > 0 && n < threshold { format!("Fewer than {threshold} children") } else { capitalise(&children(n)) };
        let verb = if n == 1 { "was" } else { "were" };
        sentences.push(Sentence {
            topic: Metric::ChildrenRepeat.id(),
            cohort: Cohort::All.id(),
            text: format!(
                "{who} {verb} reported missing {} times within {} days at least once in {window_name} (the repeat-missing trigger).",
                rule.episodes, rule.days
            ),
        });
    }
    if let (Some(Value::Rate(Some(share))), Some(total)) =
        (metrics.value(Cohort::All, current, Metric::Top20Share), metrics.totals(Cohort::All, current))
    {
        let top = (metrics.rules.top_n as u64).min(total.children);
        let who = if top == 1 { "The child".to_string() } else { format!("The {top} children") };
        sentences.push(Sentence {
            topic: Metric::Top20Share.id(),
            cohort: Cohort::All.id(),
            text: format!("{who} with the most episodes accounted for {share:.decimals$}% of all missing episodes in {window_name}."),
        });
    }
    if let Some(text) = latest_month(metrics) {
        sentences.push(Sentence { topic: "latest_month", cohort: Cohort::All.id(), text });
    }
    // What each charted monthly series shows: a signal, or normal variation.
    for series in &metrics.spc {
        if let Some(text) = crate::signals::narrative(series, decimals) {
            sentences.push(Sentence { topic: spc_topic(series.metric), cohort: series.cohort.id(), text });
        }
    }
    Narrative { sentences }
}

/// The topic of a sentence about a statistical process control series: `spc_episodes`.
fn spc_topic(metric: Metric) -> &'static str {
    match metric {
        Metric::Episodes => "spc_episodes",
        Metric::Children => "spc_children",
        Metric::PctEpisodesRhiOffered => "spc_pct_episodes_rhi_offered",
        Metric::PctRhiWithin72h => "spc_pct_rhi_within_72h",
        _ => "spc",
    }
}

/// "In March 2025, 45 children went missing in 60 episodes (February 2025: 40 children; March 2024: 52 children)."
fn latest_month(metrics: &Metrics) -> Option<String> {
    let month = metrics.windows.period_end;
    let children_in = |m: crate::period::YearMonth| {
        let window = Window::new(m, m);
        match metrics.covers(window).then(|| metrics.value(Cohort::All, window, Metric::Children)).flatten() {
            Some(Value::Count(n)) => Some(n),
            _ => None,
        }
    };
    let now = children_in(month)?;
    let episodes = match metrics.value(Cohort::All, Window::new(month, month), Metric::Episodes) {
        Some(Value::Count(n)) => n,
        _ => return None,
    };
    let episode_word = if episodes == 1 { "episode" } else { "episodes" };
    let verb = if now == 1 { "child" } else { "children" };
    let mut text = format!("In {}, {} {verb} went missing in {} {episode_word}", month.long_name(), thousands(now), thousands(episodes));
    let earlier: Vec<String> = [month.plus(-1), month.plus(-12)]
        .into_iter()
        .filter_map(|m| children_in(m).map(|n| format!("{}: {}", m.long_name(), children(n))))
        .collect();
    if !earlier.is_empty() {
        text.push_str(&format!(" ({})", earlier.join("; ")));
    }
    text.push('.');
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(from: u64, to: u64) -> Change {
        Change::between(Metric::Children, Some(Value::Count(from)), Some(Value::Count(to))).unwrap()
    }

    fn rate(from: f64, to: f64) -> Change {
        Change::between(Metric::PctRhiAccepted, Some(Value::Rate(Some(from))), Some(Value::Rate(Some(to)))).unwrap()
    }

    #[test]
    fn a_rise_in_a_count_is_a_percentage_of_the_old_value() {
        assert_eq!(
            describe_change("children who went missing", &count(233, 288), "in the 12 months to September 2021", 1),
            "The number of children who went missing rose from 233 to 288 in the 12 months to September 2021, an increase of 23.6%."
        );
        assert_eq!(
            describe_change("missing episodes", &count(1567, 1166), "in 2023-24 compared with 2022-23", 1),
            "The number of missing episodes fell from 1,567 to 1,166 in 2023-24 compared with 2022-23, a decrease of 25.6%."
        );
        assert_eq!(
            describe_change("missing episodes", &count(0, 4), "in May", 1),
            "The number of missing episodes rose from 0 to 4 in May."
        );
    }

    #[test]
    fn a_change_in_a_rate_is_in_percentage_points() {
        let text = describe_change("offers accepted", &rate(56.5, 77.7), "in 2023-24", 1);
        assert_eq!(text, "The percentage of offers accepted rose from 56.5% to 77.7% in 2023-24, an increase of 21.2 percentage points.");
        assert!(describe_change("x", &rate(50.0, 49.0), "now", 1).ends_with("a decrease of 1.0 percentage point."));
    }

    #[test]
    fn equal_values_are_unchanged_even_when_rates_differ_beyond_print() {
        assert_eq!(
            describe_change("missing episodes", &count(288, 288), "in 2024", 1),
            "The number of missing episodes was unchanged at 288 in 2024."
        );
        assert_eq!(
            describe_change("offers accepted", &rate(56.51, 56.54), "in 2024", 1),
            "The percentage of offers accepted was unchanged at 56.5% in 2024."
        );
    }

    #[test]
    fn counts_children_in_the_singular_and_plural() {
        assert_eq!(children(1), "1 child");
        assert_eq!(children(0), "0 children");
        assert_eq!(children(1200), "1,200 children");
    }
}
