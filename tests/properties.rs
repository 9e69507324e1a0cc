//! Property tests: invariants of the metrics on generated episode sets.

use std::collections::BTreeMap;

use missing_report::ingest::{read, IngestContext, InputFile};
use missing_report::metrics::{compute, Metrics, MetricsContext, Value};
use missing_report::rules::CountingRules;
use proptest::prelude::*;

/// One generated episode: child, day offset from 1 Jan 2022, hour, hours
/// missing (None: open), looked after, reasons, offered, outcome, hours to interview.
type Spec = (u8, u16, u8, Option<u16>, bool, u8, bool, u8, Option<u16>, u8);

fn episodes() -> impl Strategy<Value = Vec<Spec>> {
    prop::collection::vec(
        (
            0u8..25,
            0u16..900,
            0u8..24,
            prop::option::weighted(0.9, 1u16..400),
            any::<bool>(),
            0u8..8,
            any::<bool>(),
            0u8..4,
            prop::option::of(0u16..200),
            0u8..20,
        ),
        1..120,
    )
}

fn to_csv(specs: &[Spec]) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let reasons = ["with_friends", "cse", "cce", "family_contact"];
    let mut text = String::from(
        "episode_id,child_id,looked_after,start,end,reason,rhi_offered,rhi_outcome,rhi_completed,date_of_birth,sex,ethnicity,cse_risk,cce_risk,placement_area\n",
    );
    for (i, (child, day, hour, hours, looked_after, reason_bits, offered, outcome, delay, age)) in specs.iter().enumerate() {
        let start = base + chrono::Duration::days(*day as i64) + chrono::Duration::hours(*hour as i64);
        let end = hours.map(|h| start + chrono::Duration::hours(h as i64));
        let fmt = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
        let reason: Vec<&str> = reasons.iter().enumerate().filter(|(b, _)| reason_bits & (1 << b) != 0).map(|(_, r)| *r).collect();
        let outcome = ["accepted", "declined", "no_contact", ""][*outcome as usize];
        let completed = match (end, delay, outcome) {
            (Some(e), Some(d), "accepted") => fmt(e + chrono::Duration::hours(*d as i64)),
            _ => String::new(),
        };
        let born = base.date() - chrono::Duration::days(365 * (*child as i64 % 9 + 8) + *age as i64);
        text.push_str(&format!(
            "e{i},c{child},{},{},{},{},{},{outcome},{completed},{born},{},{},{},{},{}\n",
            if *looked_after { "Y" } else { "N" },
            fmt(start),
            end.map(fmt).unwrap_or_default(),
            reason.join(";"),
            if *offered { "Y" } else { "N" },
            ["M", "F", "X"][*child as usize % 3],
            ["WBRI", "BCRB", "APKN", "MWBC", "NOBT"][*child as usize % 5],
            if reason_bits & 2 != 0 { "Y" } else { "N" },
            if reason_bits & 4 != 0 { "Y" } else { "N" },
            if *looked_after { ["in_area", "out_of_area"][*child as usize % 2] } else { "" },
        ));
    }
    text
}

fn metrics_of(specs: &[Spec], threshold: u32) -> Metrics {
    let file = InputFile { name: "generated.csv".into(), bytes: to_csv(specs).into_bytes() };
    let rules = CountingRules::default();
    let (episodes, _) = read(&[file], &IngestContext::new(&rules)).expect("generated rows are valid");
    let context = MetricsContext { suppression_threshold: threshold, ..MetricsContext::with_rules(rules) };
    compute(&episodes, &context).expect("metrics compute")
}

type Group = (String, String, String, String, String);
/// (cohort, period kind, period, metric) of a headline value.
type HeadlineKey = (String, String, String, String);

/// Headline values by (cohort, kind, period, metric) and breakdown cells by group.
fn index(m: &Metrics) -> (BTreeMap<HeadlineKey, Value>, BTreeMap<Group, Vec<Value>>) {
    let mut headline = BTreeMap::new();
    let mut groups: BTreeMap<Group, Vec<Value>> = BTreeMap::new();
    for r in &m.export_rows() {
        if r.dimension == "all" {
            headline.insert((r.cohort.id().into(), r.period_kind.id().into(), r.period.clone(), r.metric.id().into()), r.value);
        } else {
            groups
                .entry((r.cohort.id().into(), r.period_kind.id().into(), r.period.clone(), r.dimension.clone(), r.metric.id().into()))
                .or_default()
                .push(r.value);
        }
    }
    (headline, groups)
}

fn count(v: &Value) -> u64 {
    match v {
        Value::Count(n) => *n,
        other => panic!("expected a count, found {other:?}"),
    }
}

const SINGLE_VALUED: [&str; 6] = ["age_band", "sex", "ethnicity_group", "exploitation", "duration_band", "placement_area"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn counts_rates_and_breakdowns_are_consistent(specs in episodes()) {
        let m = metrics_of(&specs, 0);
        let (headline, groups) = index(&m);
        for ((cohort, kind, period, metric), value) in &headline {
            if metric == "children" {
                let episodes = count(&headline[&(cohort.clone(), kind.clone(), period.clone(), "episodes".into())]);
                prop_assert!(count(value) <= episodes, "children > episodes in {cohort} {kind} {period}");
            }
            if let Value::Rate(Some(r)) = value {
                if metric.starts_with("pct_") || metric == "top20_share" {
                    prop_assert!((0.0..=100.0).contains(r), "{metric} = {r}");
                }
                prop_assert!(r.is_finite());
            }
        }
        for ((cohort, kind, period, dimension, metric), cells) in &groups {
            if metric == "episodes" && SINGLE_VALUED.contains(&dimension.as_str()) {
                let total = count(&headline[&(cohort.clone(), kind.clone(), period.clone(), "episodes".into())]);
                let sum: u64 = cells.iter().map(count).sum();
                prop_assert_eq!(sum, total, "{} {} {} {}", cohort, kind, period, dimension);
            }
            if metric == "children" && dimension == "episodes_per_child" {
                let total = count(&headline[&(cohort.clone(), kind.clone(), period.clone(), "children".into())]);
                prop_assert_eq!(cells.iter().map(count).sum::<u64>(), total);
            }
        }
        // Rolling-12 children are at least the children of any month in the window.
        for p in m.periods.iter().filter(|p| p.kind.id() == "rolling12") {
            let rolling = count(&headline[&(String::from("all"), "rolling12".into(), p.label.clone(), "children".into())]);
            for month in p.window.months() {
                let monthly = count(&headline[&(String::from("all"), "month".into(), month.label(), "children".into())]);
                prop_assert!(rolling >= monthly, "rolling {} < month {}", p.label, month.label());
            }
        }
    }

    #[test]
    fn suppression_never_leaves_a_recoverable_cell(specs in episodes(), threshold in 2u32..8) {
        let m = metrics_of(&specs, threshold);
        let (headline, groups) = index(&m);
        for ((cohort, kind, period, dimension, metric), cells) in &groups {
            let hidden = cells.iter().filter(|v| **v == Value::Suppressed).count();
            for v in cells {
                if let Value::Count(n) = v {
                    prop_assert!(*n == 0 || *n >= threshold as u64, "a count of {} shown under threshold {}", n, threshold);
                }
            }
            let adds_up = SINGLE_VALUED.contains(&dimension.as_str()) || dimension == "episodes_per_child" || metric == "children";
            // A breakdown with one category (reasons, when the data records
            // only one) repeats its total, which stays exact by rule: it has
            // no other cell to hide and nothing beyond the total to give away.
            if adds_up && cells.len() > 1 {
                prop_assert!(hidden != 1, "one hidden cell recoverable from the total in {} {} {} {} {}", cohort, kind, period, dimension, metric);
            }
            // Totals stay exact.
            let total = &headline[&(cohort.clone(), kind.clone(), period.clone(), "episodes".into())];
            prop_assert!(matches!(total, Value::Count(_)));
        }
    }
}
