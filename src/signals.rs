//! What a statistical process control series says, in words a councillor
//! who has never seen an XmR chart still reads correctly: the chart's alt
//! text, the narrative and the paper's SPC table take their words from
//! here, so they say the same thing. A month within normal variation is
//! never called an increase or a decrease in performance.

use crate::format::{capitalise, thousands};
use crate::metrics::{Better, Cohort, Direction, Metric, Signal, SpcPoint, SpcSeries, Variation};
use crate::period::YearMonth;

/// "missing episodes", "children who went missing", ... for a charted metric.
pub fn subject(metric: Metric) -> &'static str {
    match metric {
        Metric::Episodes => "missing episodes",
        Metric::Children => "children who went missing",
        Metric::PctEpisodesRhiOffered => "episodes offered a return home interview",
        Metric::PctRhiWithin72h => "interviews done within 72 hours of return",
        _ => metric.id(),
    }
}

/// "all children", "children in our care".
pub fn cohort_words(cohort: Cohort) -> &'static str {
    match cohort {
        Cohort::All => "all children",
        Cohort::LookedAfter => "children in our care",
        Cohort::NotLookedAfter => "children missing from home",
    }
}

/// "missing episodes", "the share of episodes offered a return home interview".
pub fn series_subject(series: &SpcSeries) -> String {
    if series.metric.is_rate() {
        format!("the share of {}", subject(series.metric))
    } else {
        subject(series.metric).to_string()
    }
}

/// "Missing episodes, all children".
pub fn series_name(series: &SpcSeries) -> String {
    let what = series_subject(series);
    format!("{}, {}", capitalise(what.trim_start_matches("the ")), cohort_words(series.cohort))
}

/// A value as the paper prints it: `163` or `77.8%`.
pub fn value_text(metric: Metric, value: f64, decimals: usize) -> String {
    if metric.is_rate() {
        format!("{value:.decimals$}%")
    } else if value.fract() == 0.0 && value >= 0.0 {
        thousands(value as u64)
    } else {
        format!("{value:.1}")
    }
}

/// The usual range of a month, the process limits kept to what a value can
/// be (no count below 0, no share above 100%): "between 14 and 192".
pub fn usual_range(series: &SpcSeries, point: &SpcPoint, decimals: usize) -> Option<String> {
    let limits = point.limits?;
    let top = if series.metric.is_rate() { 100.0 } else { f64::INFINITY };
    let (low, high) = (limits.lower.max(0.0), limits.upper.min(top));
    // A count's range holds the whole numbers within the limits, so a value
    // just beyond a limit never prints inside the range.
    let (low, high) = if series.metric.is_rate() { (low, high) } else { (low.ceil(), high.floor()) };
    let text = |v: f64, decimals: usize| value_text(series.metric, v, decimals);
    // Limits close enough to print alike are printed with two more places.
    let places = if text(low, decimals) == text(high, decimals) && low != high { decimals + 2 } else { decimals };
    Some(format!("between {} and {}", text(low, places), text(high, places)))
}

/// What a variation means for performance, as a noun phrase.
pub fn variation_words(variation: Variation) -> &'static str {
    match variation {
        Variation::CommonCause => "normal variation",
        Variation::Improvement => "an improvement",
        Variation::Concern => "a concern",
        Variation::Neutral => "a change, neither better nor worse",
    }
}

/// The signal's name for a reader: "outside the limits", "a trend", ...
pub fn signal_words(signal: Signal, direction: Direction) -> &'static str {
    match (signal, direction) {
        (Signal::Outside, Direction::Up) => "above the upper limit",
        (Signal::Outside, Direction::Down) => "below the lower limit",
        (Signal::Trend, Direction::Up) => "a rising trend",
        (Signal::Trend, Direction::Down) => "a falling trend",
        (Signal::TwoInThree, Direction::Up) => "close to the upper limit",
        (Signal::TwoInThree, Direction::Down) => "close to the lower limit",
        (Signal::Shift, Direction::Up) => "a run above the average",
        (Signal::Shift, Direction::Down) => "a run below the average",
    }
}

/// The index of the first point of the latest point's group (the points
/// sharing its limits since the last rebase): no run reaches before it.
fn group_start(series: &SpcSeries) -> usize {
    let Some(last) = series.points.last() else { return 0 };
    series.points.len() - series.points.iter().rev().take_while(|p| p.limits == last.limits).count()
}

/// How many values up to the last lie on the last one's side of the mean, in a row.
fn run_on_side(series: &SpcSeries) -> usize {
    let side = |p: &SpcPoint| p.limits.map(|l| (p.value - l.mean).signum() as i8 * (p.value != l.mean) as i8).unwrap_or(0);
    let Some(last) = series.points.last().map(side) else { return 0 };
    series.points.iter().rev().take_while(|p| last != 0 && side(p) == last).count()
}

/// How many values up to the last rise (or fall) one after another, in a row.
fn run_of_steps(series: &SpcSeries) -> usize {
    let values: Vec<f64> = series.points[group_start(series)..].iter().map(|p| p.value).collect();
    let n = values.len();
    if n < 2 {
        return n;
    }
    let rising = values[n - 1] > values[n - 2];
    1 + values.windows(2).rev().take_while(|w| if rising { w[1] > w[0] } else { w[1] < w[0] }).count()
}

/// How many of the last three months (of the latest group) are two-in-three months.
fn near_in_last_three(series: &SpcSeries) -> usize {
    series.points[group_start(series)..].iter().rev().take(3).filter(|p| p.signal.map(|s| s.0) == Some(Signal::TwoInThree)).count()
}

/// "72 missing episodes are", "1 child who went missing is": a count and its verb.
fn counted(metric: Metric, value: f64, decimals: usize) -> String {
    let one = value == 1.0;
    let noun = match (metric, one) {
        (Metric::Episodes, true) => "missing episode",
        (Metric::Children, true) => "child who went missing",
        _ => subject(metric),
    };
    format!("{} {noun} {}", value_text(metric, value, decimals), if one { "is" } else { "are" })
}

fn month_of(series: &SpcSeries, back: usize) -> YearMonth {
    series.points[series.points.len() - back].month
}

/// The latest month in a sentence, or `None` without limits (under 12
/// months of values): "no signal: March 2025's 72 missing episodes are
/// within normal variation (between 14 and 192 a month)".
pub fn latest_reading(series: &SpcSeries, decimals: usize) -> Option<String> {
    let point = series.latest()?;
    let limits = point.limits?;
    let variation = point.variation?;
    let month = point.month.long_name();
    let value = value_text(series.metric, point.value, decimals);
    let what = subject(series.metric);
    // "72 missing episodes are", "share of episodes offered an interview, 77.8%, is".
    let of_is =
        if series.metric.is_rate() { format!("share of {what}, {value}, is") } else { counted(series.metric, point.value, decimals) };
    let mean = value_text(series.metric, limits.mean, decimals);
    Some(match point.signal {
        None => format!(
            "no signal: {month}'s {of_is} within normal variation ({} a month)",
            usual_range(series, point, decimals).unwrap_or_default()
        ),
        Some((signal, direction)) => {
            let verdict = variation_words(variation);
            match signal {
                Signal::Outside => {
                    let limit = if direction == Direction::Up { limits.upper } else { limits.lower };
                    let limit = value_text(series.metric, limit, decimals);
                    let of = if series.metric.is_rate() { format!("share of {what}, {value},") } else { value.clone() };
                    format!(
                        "a signal: {month}'s {of} is {} limit of {limit}, {verdict}",
                        if direction == Direction::Up { "above the upper" } else { "below the lower" }
                    )
                }
                Signal::Trend => {
                    let run = run_of_steps(series);
                    format!(
                        "a trend: {run} months {} one after another, from {} to {month}, {verdict}",
                        if direction == Direction::Up { "rising" } else { "falling" },
                        month_of(series, run).long_name()
                    )
                }
                Signal::Shift => format!(
                    "a shift: {} months in a row {} the average of {mean}, since {}, {verdict}",
                    run_on_side(series),
                    if direction == Direction::Up { "above" } else { "below" },
                    month_of(series, run_on_side(series)).long_name()
                ),
                Signal::TwoInThree => {
                    format!(
                        "a signal: {} of the last 3 months close to the {} limit, {month}'s {value} among them, {verdict}",
                        near_in_last_three(series),
                        if direction == Direction::Up { "upper" } else { "lower" }
                    )
                }
            }
        }
    })
}

/// The signals before the latest month's, one phrase per run of charted
/// months in a row with a signal pointing the same way (better or worse):
/// "from May 2023 to November 2023: close to the upper limit, above the
/// upper limit and a run above the average (a concern)".
pub fn earlier_signals(series: &SpcSeries) -> Vec<String> {
    struct Run {
        variation: Variation,
        first: YearMonth,
        last: usize,
        kinds: Vec<(Signal, Direction)>,
    }
    let mut runs: Vec<Run> = Vec::new();
    for (i, p) in series.points.iter().enumerate() {
        let (Some(signal), Some(variation)) = (p.signal, p.variation) else { continue };
        match runs.last_mut() {
            Some(run) if run.variation == variation && run.last + 1 == i && series.points[run.last].limits == p.limits => {
                run.last = i;
                if !run.kinds.contains(&signal) {
                    run.kinds.push(signal);
                }
            }
            _ => runs.push(Run { variation, first: p.month, last: i, kinds: vec![signal] }),
        }
    }
    // The run the latest month belongs to is the latest reading's.
    if runs.last().is_some_and(|run| run.last + 1 == series.points.len()) {
        runs.pop();
    }
    runs.into_iter()
        .map(|run| {
            let last = series.points[run.last].month;
            let when = if run.first == last {
                format!("in {}", last.long_name())
            } else {
                format!("from {} to {}", run.first.long_name(), last.long_name())
            };
            let kinds: Vec<&str> = run.kinds.iter().map(|(s, d)| signal_words(*s, *d)).collect();
            let kinds = match kinds.as_slice() {
                [one] => one.to_string(),
                [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
                [] => String::new(),
            };
            format!("{when}: {kinds} ({})", variation_words(run.variation))
        })
        .collect()
}

/// A sentence for the narrative about the latest month that uses the
/// signal: "Missing episodes fell from 88 in February 2025 to 72 in March
/// 2025, but the fall is within normal variation." (and, after normal
/// variation, the last signal before it). `None` without limits.
pub fn narrative(series: &SpcSeries, decimals: usize) -> Option<String> {
    let point = series.latest()?;
    let limits = point.limits?;
    let what = subject(series.metric);
    let cohort = match series.cohort {
        Cohort::All => "",
        Cohort::LookedAfter => " (children in our care)",
        Cohort::NotLookedAfter => " (children missing from home)",
    };
    let value = |v: f64| value_text(series.metric, v, decimals);
    let whole = if series.metric.is_rate() { format!("The share of {what}{cohort}") } else { format!("{}{cohort}", capitalise(what)) };
    let month = point.month.long_name();
    let has = if series.metric.is_rate() { "has" } else { "have" };
    let judged = |variation: Option<Variation>, sustained: bool| match (variation, series.better, sustained) {
        (Some(Variation::Improvement), _, true) => "a sustained improvement",
        (Some(Variation::Concern), _, true) => "a sustained deterioration",
        (Some(Variation::Improvement), _, false) => "an improvement",
        (Some(Variation::Concern), _, false) => "a concern",
        (_, Better::Neutral, _) | (Some(Variation::Neutral), _, _) => "a real change, neither better nor worse",
        _ => "a change",
    };
    let last_signal = earlier_signals(series).pop().map(|phrase| format!(" The last signal was {phrase}.")).unwrap_or_default();
    Some(match point.signal {
        None => {
            let previous = series.points.len().checked_sub(2).map(|i| series.points[i]);
            let range = usual_range(series, point, decimals).unwrap_or_default();
            let latest = match previous {
                Some(before) if value(before.value) != value(point.value) => {
                    let (verb, noun) = if point.value > before.value { ("rose", "rise") } else { ("fell", "fall") };
                    format!(
                        "{whole} {verb} from {} in {} to {} in {month}, but the {noun} is within normal variation ({range} a month): not a change in performance.",
                        value(before.value),
                        before.month.long_name(),
                        value(point.value)
                    )
                }
                _ => format!(
                    "{whole} in {month} ({}) {} within normal variation ({range} a month).",
                    value(point.value),
                    if series.metric.is_rate() { "was" } else { "were" }
                ),
            };
            latest + &last_signal
        }
        Some((Signal::Outside, direction)) => format!(
            "{whole} in {month} ({}) {} limit of {}: more than normal variation, {}.",
            value(point.value),
            if direction == Direction::Up { "went above the upper" } else { "fell below the lower" },
            value(if direction == Direction::Up { limits.upper } else { limits.lower }),
            judged(point.variation, false)
        ),
        Some((Signal::Trend, direction)) => {
            let run = run_of_steps(series);
            let first = series.points[series.points.len() - run];
            format!(
                "{whole} {has} {} month after month over {run} months, from {} in {} to {} in {month}: {}.",
                if direction == Direction::Up { "risen" } else { "fallen" },
                value(first.value),
                first.month.long_name(),
                value(point.value),
                judged(point.variation, true)
            )
        }
        Some((Signal::Shift, direction)) => format!(
            "{whole} {has} been {} the average of {} for {} months in a row since {}: {}.",
            if direction == Direction::Up { "above" } else { "below" },
            value(limits.mean),
            run_on_side(series),
            month_of(series, run_on_side(series)).long_name(),
            judged(point.variation, true)
        ),
        Some((Signal::TwoInThree, direction)) => format!(
            "{whole} in {month} ({}) was close to the {} limit, in {} of the last 3 months: an early signal, {}.",
            value(point.value),
            if direction == Direction::Up { "upper" } else { "lower" },
            near_in_last_three(series),
            judged(point.variation, false)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Limits;

    fn series(metric: Metric, values: &[f64], signals: &[Option<(Signal, Direction)>], better: Better) -> SpcSeries {
        let limits = Limits { mean: 100.0, lower: -4.0, upper: 192.4, near_lower: 30.0, near_upper: 160.0 };
        let points = values
            .iter()
            .zip(signals)
            .enumerate()
            .map(|(i, (v, s))| SpcPoint {
                month: YearMonth::new(2024, 4).plus(i as i32),
                value: *v,
                limits: Some(limits),
                signal: *s,
                variation: Some(Variation::of(*s, better)),
            })
            .collect();
        SpcSeries { cohort: Cohort::All, metric, better, target: None, assurance: None, points }
    }

    #[test]
    fn a_change_within_normal_variation_is_said_to_be_one() {
        let s = series(Metric::Episodes, &[88.0, 72.0], &[None, None], Better::Lower);
        assert_eq!(
            narrative(&s, 1).unwrap(),
            "Missing episodes fell from 88 in April 2024 to 72 in May 2024, but the fall is within normal variation (between 0 and 192 a month): not a change in performance."
        );
        assert_eq!(
            latest_reading(&s, 1).unwrap(),
            "no signal: May 2024's 72 missing episodes are within normal variation (between 0 and 192 a month)"
        );
    }

    #[test]
    fn a_shift_counts_its_months_and_says_which_way_is_better() {
        let below = Some((Signal::Shift, Direction::Down));
        let values = [120.0, 90.0, 95.0, 80.0, 99.0, 85.0, 70.0, 90.0];
        let s = series(Metric::Children, &values, &[None, below, below, below, below, below, below, below], Better::Lower);
        assert_eq!(
            narrative(&s, 1).unwrap(),
            "Children who went missing have been below the average of 100 for 7 months in a row since May 2024: a sustained improvement."
        );
        assert_eq!(latest_reading(&s, 1).unwrap(), "a shift: 7 months in a row below the average of 100, since May 2024, an improvement");
        let up = Some((Signal::Outside, Direction::Up));
        let s = series(Metric::PctRhiWithin72h, &[50.0, 95.0, 60.0], &[None, up, None], Better::Higher);
        assert_eq!(earlier_signals(&s), ["in May 2024: above the upper limit (an improvement)"]);
        let text = narrative(&s, 1).unwrap();
        assert!(
            text.starts_with("The share of interviews done within 72 hours of return fell from 95.0% in May 2024 to 60.0% in June 2024, but the fall is within normal variation"),
            "{text}"
        );
        assert!(
            text.ends_with("not a change in performance. The last signal was in May 2024: above the upper limit (an improvement)."),
            "{text}"
        );
    }

    #[test]
    fn one_is_singular_and_a_count_s_range_holds_only_whole_numbers_within_the_limits() {
        assert_eq!(counted(Metric::Children, 1.0, 1), "1 child who went missing is");
        assert_eq!(counted(Metric::Episodes, 1.0, 1), "1 missing episode is");
        assert_eq!(counted(Metric::Episodes, 2.0, 1), "2 missing episodes are");
        let s = series(Metric::Episodes, &[150.0], &[None], Better::Lower);
        assert_eq!(usual_range(&s, &s.points[0], 1).unwrap(), "between 0 and 192", "192.4 is the limit: 193 would be outside");
    }

    #[test]
    fn a_trend_counts_the_rises_in_a_row() {
        let up = Some((Signal::Trend, Direction::Up));
        let values = [50.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0];
        let s = series(Metric::PctRhiWithin72h, &values, &[None, up, up, up, up, up, up, up], Better::Higher);
        assert_eq!(
            narrative(&s, 1).unwrap(),
            "The share of interviews done within 72 hours of return has risen month after month over 7 months, from 40.0% in May 2024 to 46.0% in November 2024: a sustained improvement."
        );
        assert!(latest_reading(&s, 1)
            .unwrap()
            .starts_with("a trend: 7 months rising one after another, from May 2024 to November 2024, an improvement"));
    }
}
