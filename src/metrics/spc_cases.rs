//! The XmR arithmetic against NHSRplotthedots' known-answer cases and the
//! derived edge cases kept in `../shared/external/spc/` (outside this
//! repository, so read from there, never copied): every point's mean,
//! limits, side, flags, rule label and variation, and each case's assurance.
//! `MISSING_REPORT_SPC_CASES` names another folder holding the two files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::spc::{Assurance, Variation};
use super::target::Better;
use super::xmr::{self, Direction, Signal, XmrOptions};

/// How each case is run (from `cases.md`): options, direction and target.
fn case_options(case: &str) -> (XmrOptions, Better, Option<f64>) {
    let defaults = XmrOptions::default();
    let unscreened = XmrOptions { screen: false, ..defaults };
    let fixed = XmrOptions { baseline: Some(12), ..defaults };
    match case {
        "PTD-A3" | "PTD-C2" => (unscreened, Better::Higher, None),
        "AE-RQM" => (defaults, Better::Lower, Some(1200.0)),
        "AE-RRK" | "X4" => (defaults, Better::Lower, None),
        "X5a" => (fixed, Better::Higher, Some(15.0)),
        "X5b" => (defaults, Better::Higher, Some(15.0)),
        "X6" => (fixed, Better::Neutral, None),
        _ => (defaults, Better::Higher, None),
    }
}

/// The assurance `cases.md` states for a case with a target.
fn stated_assurance(case: &str) -> Option<Assurance> {
    match case {
        "AE-RQM" | "X5a" => Some(Assurance::HitAndMiss),
        "X5b" => Some(Assurance::Pass),
        _ => None,
    }
}

fn cases_folder() -> Option<PathBuf> {
    let folder = std::env::var_os("MISSING_REPORT_SPC_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/external/spc"));
    folder.join("cases.csv").is_file().then_some(folder)
}

/// NHSRplotthedots' label for a point.
fn label(signal: Option<(Signal, Direction)>) -> &'static str {
    match signal {
        None => "Common Cause",
        Some((Signal::Outside, Direction::Up)) => "Above UCL",
        Some((Signal::Outside, Direction::Down)) => "Below LCL",
        Some((Signal::Trend, Direction::Up)) => "7 Point Trend (Increasing)",
        Some((Signal::Trend, Direction::Down)) => "7 Point Trend (Decreasing)",
        Some((Signal::TwoInThree, Direction::Up)) => "2 in 3 Above CL",
        Some((Signal::TwoInThree, Direction::Down)) => "2 in 3 Below CL",
        Some((Signal::Shift, Direction::Up)) => "7 Points Above CL",
        Some((Signal::Shift, Direction::Down)) => "7 Points Below CL",
    }
}

/// NHSRplotthedots' point type: our variation, with a neutral signal's side.
fn point_type(signal: Option<(Signal, Direction)>, better: Better) -> &'static str {
    match (Variation::of(signal, better), signal) {
        (Variation::CommonCause, _) => "common_cause",
        (Variation::Improvement, _) => "special_cause_improvement",
        (Variation::Concern, _) => "special_cause_concern",
        (Variation::Neutral, Some((_, Direction::Up))) => "special_cause_neutral_high",
        (Variation::Neutral, _) => "special_cause_neutral_low",
    }
}

fn close(found: f64, expected: f64) -> bool {
    (found - expected).abs() <= 1e-6 * expected.abs().max(1.0)
}

/// Runs every case of one file; how many points were checked.
fn check_file(path: PathBuf) -> usize {
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut cases: BTreeMap<String, Vec<csv::StringRecord>> = BTreeMap::new();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("{} has no `{name}`", path.display()));
    let (id, value, group, mean, lpl, upl) =
        (column("case_id"), column("value"), column("rebase_group"), column("mean"), column("lpl"), column("upl"));
    let (side, outside, near, label_at, type_at) = (
        column("relative_to_mean"),
        column("outside_limits"),
        column("close_to_limits"),
        column("special_cause_type"),
        column("point_type"),
    );
    for record in reader.records() {
        let record = record.unwrap();
        cases.entry(record[id].to_string()).or_default().push(record);
    }
    let mut checked = 0;
    for (case, rows) in &cases {
        let (options, better, target) = case_options(case);
        let values: Vec<f64> = rows.iter().map(|r| r[value].parse().unwrap()).collect();
        let starts: Vec<usize> = (1..rows.len()).filter(|i| rows[*i][group] != rows[i - 1][group]).collect();
        let points = xmr::chart(&values, &starts, options);
        for (i, (row, point)) in rows.iter().zip(&points).enumerate() {
            let at = format!("{case} point {}", i + 1);
            let number = |column: usize| row[column].parse::<f64>().unwrap();
            let limits = point.limits;
            assert!(close(limits.mean, number(mean)), "{at}: mean {} expected {}", limits.mean, &row[mean]);
            assert!(close(limits.lower, number(lpl)), "{at}: lower limit {} expected {}", limits.lower, &row[lpl]);
            assert!(close(limits.upper, number(upl)), "{at}: upper limit {} expected {}", limits.upper, &row[upl]);
            assert_eq!(point.side.to_string(), row[side], "{at}: side of the mean");
            assert_eq!(point.outside, &row[outside] == "TRUE", "{at}: outside");
            assert_eq!(point.near, &row[near] == "TRUE", "{at}: near a limit");
            assert_eq!(label(point.signal), &row[label_at], "{at}: rule");
            assert_eq!(point_type(point.signal, better), &row[type_at], "{at}: point type");
            checked += 1;
        }
        let last = points.last().unwrap();
        let assurance = target.and_then(|t| Assurance::of(&last.limits, t, better));
        assert_eq!(assurance, stated_assurance(case), "{case}: assurance");
    }
    checked
}

#[test]
fn every_known_answer_case_of_nhsrplotthedots_and_every_derived_edge_case_passes() {
    let Some(folder) = cases_folder() else {
        eprintln!("skipped: ../shared/external/spc/cases.csv is not beside this clone (set MISSING_REPORT_SPC_CASES to its folder)");
        return;
    };
    // 8 upstream cases (160 points) and 10 derived ones (189 points).
    assert_eq!(check_file(folder.join("cases.csv")), 160);
    assert_eq!(check_file(folder.join("cases_derived.csv")), 189);
}

#[test]
fn assurance_against_the_limits_as_nhsrplotthedots_tests_it() {
    // Target 4 against limits 1..3, 5..7 and 1..5, higher then lower better.
    let limits = |lower: f64, upper: f64| xmr::Limits { mean: (lower + upper) / 2.0, lower, upper, near_lower: lower, near_upper: upper };
    assert_eq!(Assurance::of(&limits(1.0, 3.0), 4.0, Better::Higher), Some(Assurance::Fail));
    assert_eq!(Assurance::of(&limits(5.0, 7.0), 4.0, Better::Higher), Some(Assurance::Pass));
    assert_eq!(Assurance::of(&limits(1.0, 5.0), 4.0, Better::Higher), Some(Assurance::HitAndMiss));
    assert_eq!(Assurance::of(&limits(1.0, 3.0), 4.0, Better::Lower), Some(Assurance::Pass));
    assert_eq!(Assurance::of(&limits(5.0, 7.0), 4.0, Better::Lower), Some(Assurance::Fail));
    assert_eq!(Assurance::of(&limits(4.0, 7.0), 4.0, Better::Lower), Some(Assurance::HitAndMiss), "a target on a limit");
    assert_eq!(Assurance::of(&limits(1.0, 3.0), 4.0, Better::Neutral), None);
}
