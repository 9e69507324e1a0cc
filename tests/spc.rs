//! `spc.csv` (METRICS.md "Statistical process control"): checked against XmR charts
//! recomputed here from the doc's text, and on series built by hand to show each signal.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use common::*;

/// The series METRICS.md charts: these cohorts, and these metrics where the input has their columns.
const COHORTS: [&str; 2] = ["all", "looked_after"];
const METRICS: [&str; 4] = ["episodes", "children", "pct_episodes_rhi_offered", "pct_rhi_within_72h"];

/// The near ("2 sigma") limits: METRICS.md prints 1.7733, which is 2 x 2.66 / 3 rounded
/// (rules.md section 2). No value of the example, the Gateshead fixture or the cases below
/// lies between the two, so the tests hold whichever an implementation uses.
const NEAR: f64 = 2.0 * 2.66 / 3.0;

/// One row of `spc.csv`, every field as written.
#[derive(Debug)]
struct Row {
    cohort: String,
    metric: String,
    month: String,
    value: String,
    mean: String,
    lower: String,
    upper: String,
    signal: String,
    variation: String,
    assurance: String,
}

impl Row {
    /// Everything but the series' name, to compare two series month by month.
    fn figures(&self) -> [&str; 8] {
        [&self.month, &self.value, &self.mean, &self.lower, &self.upper, &self.signal, &self.variation, &self.assurance]
    }
}

/// `out/spc.csv`, after checking its header and that rows are sorted by cohort, metric and month, each once.
fn read_spc(out: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(out.join("spc.csv")).expect("build writes spc.csv");
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, ["cohort", "metric", "month", "value", "mean", "lower_limit", "upper_limit", "signal", "variation", "assurance"]);
    let rows: Vec<Row> = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let field = |i: usize| record[i].to_string();
            Row {
                cohort: field(0),
                metric: field(1),
                month: field(2),
                value: field(3),
                mean: field(4),
                lower: field(5),
                upper: field(6),
                signal: field(7),
                variation: field(8),
                assurance: field(9),
            }
        })
        .collect();
    let keys: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r.cohort.as_str(), r.metric.as_str(), r.month.as_str())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted, "spc.csv rows are sorted by cohort, metric and month, one row per month");
    rows
}

/// The `n` months ending with `end` (`YYYY-MM`), oldest first.
fn months_ending(end: &str, n: i32) -> Vec<String> {
    let (year, month) = end.split_once('-').unwrap();
    let last = year.parse::<i32>().unwrap() * 12 + month.parse::<i32>().unwrap() - 1;
    (last - n + 1..=last).map(|m| format!("{}-{:02}", m / 12, m % 12 + 1)).collect()
}

fn assert_close(got: &str, want: f64, what: &str) {
    let value: f64 = got.parse().unwrap_or_else(|_| panic!("{what}: {got:?} is not a number"));
    assert!((value - want).abs() <= 1e-9 * want.abs().max(1.0), "{what}: {value}, expected {want}");
}

/// An XmR chart of one series: its centre line and limits, and each value's signal and variation.
struct Chart {
    mean: f64,
    lower: f64,
    upper: f64,
    points: Vec<(&'static str, &'static str)>,
}

/// METRICS.md "Statistical process control", worked out from its text alone for a series
/// whose baseline is all its values (no `spc.baseline_months`, no `spc.rebase`). `better`
/// is the better direction: +1 higher, -1 lower, 0 neutral. Fewer than 12 values: no chart.
fn xmr(values: &[f64], better: i32) -> Option<Chart> {
    let n = values.len();
    if n < 12 {
        return None;
    }
    let average = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let mean = average(values);
    // Moving ranges; those of 3.267 x their mean or more are dropped and the mean taken again, once.
    let ranges: Vec<f64> = values.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let first = average(&ranges);
    let kept: Vec<f64> = ranges.iter().copied().filter(|&r| r < 3.267 * first).collect();
    let moving_range = average(&kept);
    let (lower, upper) = (mean - 2.66 * moving_range, mean + 2.66 * moving_range);
    let (near_lower, near_upper) = (mean - NEAR * moving_range, mean + NEAR * moving_range);

    // +1 above the mean, -1 below, 0 on it.
    let side: Vec<i32> = values.iter().map(|v| v.partial_cmp(&mean).map_or(0, |o| o as i32)).collect();
    let outside: Vec<bool> = values.iter().map(|&v| v > upper || v < lower).collect();
    let close: Vec<bool> = values.iter().zip(&outside).map(|(&v, &out)| !out && (v > near_upper || v < near_lower)).collect();
    // Trend: 7 values each strictly above (or each strictly below) the one before.
    let mut trend = vec![false; n];
    for start in 0..n - 6 {
        let steps: Vec<f64> = values[start..start + 7].windows(2).map(|w| w[1] - w[0]).collect();
        if steps.iter().all(|&d| d > 0.0) || steps.iter().all(|&d| d < 0.0) {
            trend[start..start + 7].fill(true);
        }
    }
    // Two in three: 3 values on one side of the mean, 2 or more of them beyond a near limit
    // but not outside; only those are flagged.
    let mut two_in_three = vec![false; n];
    for start in 0..n - 2 {
        let window = &side[start..start + 3];
        let beyond = close[start..start + 3].iter().filter(|&&c| c).count();
        if window[0] != 0 && window.iter().all(|&s| s == window[0]) && beyond >= 2 {
            for (flag, &c) in two_in_three[start..start + 3].iter_mut().zip(&close[start..start + 3]) {
                *flag |= c;
            }
        }
    }
    // Shift: 7 values on one side of the mean; a value on the mean is on neither side.
    let mut shift = vec![false; n];
    for start in 0..n - 6 {
        let window = &side[start..start + 7];
        if window[0] != 0 && window.iter().all(|&s| s == window[0]) {
            shift[start..start + 7].fill(true);
        }
    }

    let up_or_down = |s: i32| if s > 0 { 1 } else { -1 };
    let points = (0..n)
        .map(|i| {
            let (signal, direction) = if outside[i] {
                ("outside", up_or_down(side[i]))
            } else if trend[i] {
                // The way the trend goes here; a peak or trough shared by two trends takes the
                // direction of the one to its right (rules.md section 3).
                let step = if i + 1 < n && trend[i + 1] {
                    values[i + 1] - values[i]
                } else if i > 0 {
                    values[i] - values[i - 1]
                } else {
                    0.0
                };
                ("trend", if step > 0.0 { 1 } else { -1 })
            } else if two_in_three[i] {
                ("two_in_three", up_or_down(side[i]))
            } else if shift[i] {
                ("shift", up_or_down(side[i]))
            } else {
                ("", 0)
            };
            let variation = match (signal, direction * better) {
                ("", _) => "common_cause",
                (_, 0) => "neutral",
                (_, way) if way > 0 => "improvement",
                _ => "concern",
            };
            (signal, variation)
        })
        .collect();
    Some(Chart { mean, lower, upper, points })
}

/// The export's key of a headline figure of a month.
fn month_key(cohort: &str, month: &str, metric: &str) -> Key {
    (cohort.to_string(), "month".to_string(), month.to_string(), "all".to_string(), "all".to_string(), metric.to_string())
}

/// The better direction METRICS.md gives a metric without a target: lower for counts, higher for interview rates.
fn default_better(metric: &str) -> i32 {
    if metric.starts_with("pct_") {
        1
    } else {
        -1
    }
}

/// Checks every row of `out/spc.csv` against charts recomputed from `out/metrics.csv`; returns
/// the rows compared by series and the signals the recomputation found.
fn assert_agrees_with_recomputation(out: &Path, period_end: &str) -> (BTreeMap<(String, String), usize>, BTreeSet<&'static str>) {
    let export = read_export(&std::fs::read_to_string(out.join("metrics.csv")).unwrap());
    let months = months_ending(period_end, 24);
    let rows = read_spc(out);
    assert_eq!(rows.iter().map(|r| r.month.as_str()).max(), Some(period_end), "the charts end with the period end");
    let mut by_series: BTreeMap<(String, String), Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        by_series.entry((row.cohort.clone(), row.metric.clone())).or_default().push(row);
    }
    // The series are those the export has a monthly value for.
    let expected: BTreeSet<(String, String)> = COHORTS
        .iter()
        .flat_map(|c| METRICS.iter().map(move |m| (c.to_string(), m.to_string())))
        .filter(|(c, m)| months.iter().any(|month| export.get(&month_key(c, month, m)).is_some_and(|v| !v.is_empty())))
        .collect();
    assert_eq!(by_series.keys().cloned().collect::<BTreeSet<_>>(), expected, "{}: the series charted", out.display());

    let mut compared = BTreeMap::new();
    let mut signals = BTreeSet::new();
    for ((cohort, metric), got) in &by_series {
        // The months of the window with a value; an empty rate is left out of the series.
        let series: Vec<(&String, &String)> =
            months.iter().filter_map(|m| export.get(&month_key(cohort, m, metric)).filter(|v| !v.is_empty()).map(|v| (m, v))).collect();
        let got_months: Vec<&String> = got.iter().map(|r| &r.month).collect();
        assert_eq!(got_months, series.iter().map(|(m, _)| *m).collect::<Vec<_>>(), "{cohort} {metric}: the months charted");
        let values: Vec<f64> = series.iter().map(|(_, v)| v.parse().unwrap()).collect();
        let chart = xmr(&values, default_better(metric));
        for (i, row) in got.iter().enumerate() {
            let what = format!("{} {cohort} {metric} {}", out.display(), row.month);
            assert_eq!(&row.value, series[i].1, "{what}: the value is the export's");
            assert_eq!(row.assurance, "", "{what}: no target, no assurance");
            match &chart {
                None => assert_eq!(row.figures()[2..7], ["", "", "", "", ""], "{what}: fewer than 12 values, no limits"),
                Some(chart) => {
                    assert_close(&row.mean, chart.mean, &format!("{what}: mean"));
                    assert_close(&row.lower, chart.lower, &format!("{what}: lower limit"));
                    assert_close(&row.upper, chart.upper, &format!("{what}: upper limit"));
                    let (signal, variation) = chart.points[i];
                    assert_eq!((row.signal.as_str(), row.variation.as_str()), (signal, variation), "{what}: value {}", row.value);
                    signals.insert(signal);
                }
            }
        }
        compared.insert((cohort.clone(), metric.clone()), got.len());
    }
    (compared, signals)
}

#[test]
fn spc_csv_agrees_with_an_independent_recomputation_from_metrics_csv() {
    let dir = tempfile::tempdir().unwrap();
    // (a) The bundled example (no input, no configuration): its period end is March 2025.
    let example = dir.path().join("example");
    assert_ok(&run(binary().current_dir(dir.path()).arg("build").arg("--out").arg(&example)));
    let (example_rows, example_signals) = assert_agrees_with_recomputation(&example, "2025-03");
    // (b) The Gateshead fixture to March 2024, the last of its 24 months.
    let gateshead = dir.path().join("gateshead");
    let input = fixture("gateshead/episodes.csv");
    assert_ok(&run(binary().current_dir(dir.path()).args(["build", "--period", "2024-03", "-i"]).arg(&input).arg("--out").arg(&gateshead)));
    let (gateshead_rows, gateshead_signals) = assert_agrees_with_recomputation(&gateshead, "2024-03");

    for (name, rows) in [("example", &example_rows), ("Gateshead", &gateshead_rows)] {
        // Both inputs record interviews: all eight series, every month of the window.
        assert_eq!(rows.len(), 8, "{name}: {rows:?}");
        assert_eq!(rows[&("all".to_string(), "episodes".to_string())], 24, "{name}: all/episodes rows compared");
        assert_eq!(rows.values().sum::<usize>(), 8 * 24, "{name}: rows compared");
    }
    // The data hold special causes of three kinds (no trend: the hand-built series below has one).
    let signals: BTreeSet<&str> = example_signals.union(&gateshead_signals).copied().collect();
    for signal in ["", "outside", "two_in_three", "shift"] {
        assert!(signals.contains(signal), "no month of the data shows {signal:?}: the comparison proves less than it should");
    }
}

/// A series of monthly counts of episodes (April 2022 to March 2024) built to show one
/// signal, with its chart worked out by hand (python) as literals.
struct Case {
    name: &'static str,
    counts: [u32; 24],
    mean: f64,
    lower: f64,
    upper: f64,
    signals: [&'static str; 24],
    variations: [&'static str; 24],
    /// The latest month (March 2024) in the alt text's words.
    latest: &'static str,
    /// Each run of signals in the alt text's words, in order.
    said: &'static [&'static str],
    /// The normal range as the narrative prints it.
    range: &'static str,
}

const NO: &str = "";
const OUTSIDE: &str = "outside";
const TREND: &str = "trend";
const TWO: &str = "two_in_three";
const SHIFT: &str = "shift";
const CC: &str = "common_cause";
const IMP: &str = "improvement";
const CON: &str = "concern";

/// Months 0-23 are April 2022 to March 2024. Fewer episodes is better, so a signal above the
/// mean is a concern and one below an improvement.
const CASES: [Case; 4] = [
    // Counts around 40 (sum 960: mean exactly 40), with 60 in January 2023 (month 9) and 15 in
    // September 2023 (month 17). Of the 23 moving ranges (sum 175, mean 7.6087) the two of 29
    // and 25 are at least 3.267 x 7.6087 = 24.857 and are dropped: mean moving range 121/21 =
    // 5.7619, limits 40 -/+ 15.3267. 60 is above 55.327 (it would not be above the unscreened
    // 60.24) and 15 below 24.673. December 2022 and October 2023 lie on the mean.
    Case {
        name: "outside",
        counts: [38, 42, 37, 43, 39, 41, 36, 44, 40, 60, 42, 38, 41, 37, 43, 39, 44, 15, 40, 42, 38, 41, 37, 43],
        mean: 40.0,
        lower: 24.673333333333332,
        upper: 55.32666666666667,
        signals: [NO, NO, NO, NO, NO, NO, NO, NO, NO, OUTSIDE, NO, NO, NO, NO, NO, NO, NO, OUTSIDE, NO, NO, NO, NO, NO, NO],
        variations: [CC, CC, CC, CC, CC, CC, CC, CC, CC, CON, CC, CC, CC, CC, CC, CC, CC, IMP, CC, CC, CC, CC, CC, CC],
        latest: "no signal: March 2024's 43 missing episodes are within normal variation",
        said: &["in January 2023: above the upper limit (a concern)", "in September 2023: below the lower limit (an improvement)"],
        range: "between 25 and 55",
    },
    // Sum 962, mean 40.0833; moving ranges sum 80, mean 3.4783, none dropped (the largest, 9,
    // is under 11.36): limits 40.0833 -/+ 9.2522. December 2022 to June 2023 (months 8-14)
    // fall 46, 44, ... 34, each strictly below the one before: a trend (improvement), across
    // the mean so no shift. August 2023 to February 2024 rise 35, 37, 39, 39, 41, 43, 45 but
    // the tie breaks it: no trend.
    Case {
        name: "trend",
        counts: [38, 42, 37, 43, 39, 41, 36, 44, 46, 44, 42, 40, 38, 36, 34, 43, 35, 37, 39, 39, 41, 43, 45, 40],
        mean: 40.083333333333336,
        lower: 30.831159420289858,
        upper: 49.335507246376814,
        signals: [NO, NO, NO, NO, NO, NO, NO, NO, TREND, TREND, TREND, TREND, TREND, TREND, TREND, NO, NO, NO, NO, NO, NO, NO, NO, NO],
        variations: [CC, CC, CC, CC, CC, CC, CC, CC, IMP, IMP, IMP, IMP, IMP, IMP, IMP, CC, CC, CC, CC, CC, CC, CC, CC, CC],
        latest: "no signal: March 2024's 40 missing episodes are within normal variation",
        said: &["from December 2022 to June 2023: a falling trend (an improvement)"],
        range: "between 31 and 49",
    },
    // Sum 960, mean exactly 40; moving ranges sum 73, mean 3.1739, none dropped: limits
    // 40 -/+ 8.4426, near limits 40 -/+ 5.6283 (no value beyond them). April to October 2022
    // (months 0-6): 7 values above the mean, never 7 rising or falling: a shift (concern).
    // November 2022 to June 2023 (months 7-14): 8 values, 3 below, 40 on the mean, 4 below:
    // the value on the mean breaks the run, so no shift. August 2023 to January 2024 (months
    // 16-21): only 6 below, no shift.
    Case {
        name: "shift",
        counts: [43, 45, 42, 44, 42, 45, 43, 37, 35, 38, 40, 36, 39, 37, 38, 45, 37, 35, 38, 36, 39, 37, 45, 44],
        mean: 40.0,
        lower: 31.557391304347824,
        upper: 48.442608695652176,
        signals: [SHIFT, SHIFT, SHIFT, SHIFT, SHIFT, SHIFT, SHIFT, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO],
        variations: [CON, CON, CON, CON, CON, CON, CON, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC],
        latest: "no signal: March 2024's 44 missing episodes are within normal variation",
        said: &["from April 2022 to October 2022: a run above the average (a concern)"],
        range: "between 32 and 48",
    },
    // Sum 960, mean exactly 40, otherwise 41 and 39 in turn. Moving ranges sum 78, mean 3.3913;
    // the 14 from 47 to 33 (months 17-18) is at least 11.079 and is dropped: mean moving range
    // 64/22 = 2.9091, limits 40 -/+ 7.7382, near limits 40 -/+ 5.1587. July and August 2022
    // (47, 46) are beyond the upper near limit, not outside, and with September's 41 make 3 on
    // one side: two in three, those two only (concern). January and February 2023 (33, 34) the
    // same below (improvement); unscreened, the near limit would be 33.99 and 34 not beyond it.
    // September and October 2023 (47, 33) are beyond near limits on opposite sides: nothing.
    Case {
        name: "two_in_three",
        counts: [41, 39, 41, 47, 46, 41, 39, 41, 39, 33, 34, 39, 41, 39, 41, 39, 41, 47, 33, 39, 41, 39, 41, 39],
        mean: 40.0,
        lower: 32.26181818181818,
        upper: 47.73818181818182,
        signals: [NO, NO, NO, TWO, TWO, NO, NO, NO, NO, TWO, TWO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO],
        variations: [CC, CC, CC, CON, CON, CC, CC, CC, CC, IMP, IMP, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC],
        latest: "no signal: March 2024's 39 missing episodes are within normal variation",
        said: &[
            "from July 2022 to August 2022: close to the upper limit (a concern)",
            "from January 2023 to February 2023: close to the lower limit (an improvement)",
        ],
        range: "between 33 and 47",
    },
];

/// Canonical episodes, `counts[i]` of them in the `i`th month of `months`, each of its own
/// child in care (aged 11 to 13), reported missing on day 1-28 and back three hours later.
fn episodes_csv(months: &[String], counts: &[u32; 24]) -> String {
    let mut text = String::from("episode_id,child_id,date_of_birth,sex,looked_after,start,end\n");
    for (month, &count) in months.iter().zip(counts) {
        for k in 0..count {
            let (day, hour, sex) = (1 + k % 28, 10 + k / 28, if k % 2 == 0 { "F" } else { "M" });
            let date = format!("{month}-{day:02}");
            writeln!(text, "E{month}-{k:03},C{month}-{k:03},2010-06-15,{sex},Y,{date} {hour:02}:15,{date} {:02}:15", hour + 3).unwrap();
        }
    }
    text
}

#[test]
fn a_series_built_to_show_each_signal_gives_that_signal() {
    let dir = tempfile::tempdir().unwrap();
    let months = months_ending("2024-03", 24);
    let mut compared = 0;
    for case in &CASES {
        let input = dir.path().join(format!("{}.csv", case.name));
        std::fs::write(&input, episodes_csv(&months, &case.counts)).unwrap();
        let out = dir.path().join(case.name);
        assert_ok(&run(binary().args(["build", "--period", "2024-03", "-i"]).arg(&input).arg("--out").arg(&out)));
        let rows = read_spc(&out);

        // No interview columns, so no interview series; every child is in care.
        let series: BTreeSet<(&str, &str)> = rows.iter().map(|r| (r.cohort.as_str(), r.metric.as_str())).collect();
        let all_four = [("all", "children"), ("all", "episodes"), ("looked_after", "children"), ("looked_after", "episodes")];
        assert_eq!(series, BTreeSet::from(all_four), "{}", case.name);

        let episodes: Vec<&Row> = rows.iter().filter(|r| r.cohort == "all" && r.metric == "episodes").collect();
        assert_eq!(episodes.iter().map(|r| &r.month).collect::<Vec<_>>(), months.iter().collect::<Vec<_>>(), "{}", case.name);
        for (i, row) in episodes.iter().enumerate() {
            let what = format!("{} {}", case.name, row.month);
            assert_eq!(row.value, case.counts[i].to_string(), "{what}: the month's episodes");
            assert_close(&row.mean, case.mean, &format!("{what}: mean"));
            assert_close(&row.lower, case.lower, &format!("{what}: lower limit"));
            assert_close(&row.upper, case.upper, &format!("{what}: upper limit"));
            assert_eq!((row.signal.as_str(), row.variation.as_str()), (case.signals[i], case.variations[i]), "{what}: value {}", row.value);
            assert_eq!(row.assurance, "", "{what}: no target, no assurance");
            compared += 1;
        }
        // Each episode is a child of its own, in care: the other three series are this one,
        // children (better lower too) included.
        for (cohort, metric) in [("all", "children"), ("looked_after", "episodes"), ("looked_after", "children")] {
            let same: Vec<[&str; 8]> = rows.iter().filter(|r| r.cohort == cohort && r.metric == metric).map(Row::figures).collect();
            assert_eq!(same, episodes.iter().map(|r| r.figures()).collect::<Vec<_>>(), "{}: {cohort} {metric}", case.name);
        }

        // The chart's alt text and the paper's narrative name the same signals in words.
        let svg = std::fs::read_to_string(out.join("charts/spc_all_episodes.svg")).unwrap();
        let alt = svg.split("<desc id=\"chart-desc\">").nth(1).and_then(|rest| rest.split("</desc>").next()).unwrap().to_string();
        assert!(alt.contains(case.latest), "{}: the alt text says the latest month is {:?}: {alt}", case.name, case.latest);
        for phrase in case.said {
            assert!(alt.contains(phrase), "{}: the alt text names {phrase:?}: {alt}", case.name);
        }
        let paper = pdf_text(&out.join("report.pdf"));
        let last = case.said.last().unwrap();
        let sentence =
            format!("within normal variation ({} a month): not a change in performance. The last signal was {last}.", case.range);
        assert!(paper.contains(&sentence), "{}: the narrative says {sentence:?}", case.name);
    }
    assert_eq!(compared, 4 * 24, "every month of every hand-built series compared");
}
