//! Hand-worked figures: each test builds a few episode rows, computes the
//! metrics and checks the values worked out by hand from the rows.

use super::catalogue::{Cohort, Metric, PeriodKind, Value};
use super::compute::{compute, Metrics, MetricsContext};
use super::windows::{last_complete_month, ReportWindows, Window};
use crate::ingest::{read, IngestContext, InputFile};
use crate::period::{ReportingYear, YearMonth};
use crate::rules::CountingRules;

fn compute_from(csv: &str, rules: CountingRules) -> Metrics {
    let file = InputFile { name: "t.csv".into(), bytes: csv.as_bytes().to_vec() };
    let (episodes, _) = read(&[file], &IngestContext::new(&rules)).unwrap();
    let context = MetricsContext::with_rules(rules);
    compute(&episodes, &context).unwrap()
}

fn export(metrics: &Metrics, cohort: &str, kind: &str, period: &str, metric: &str) -> Option<String> {
    metrics
        .export_rows()
        .into_iter()
        .find(|r| r.cohort.id() == cohort && r.period_kind.id() == kind && r.period == period && r.metric.id() == metric)
        .map(|r| r.value.export_text())
}

const HEADER: &str = "episode_id,child_id,looked_after,other_la,episode_type,start,end,rhi_offered,rhi_outcome,rhi_completed\n";

#[test]
fn a_child_missing_in_two_months_counts_once_per_window() {
    let rows = "e1,c1,Y,N,missing,2023-04-10 10:00,2023-04-10 12:00,Y,accepted,2023-04-11 09:00\n\
                e2,c1,Y,N,missing,2023-05-10 10:00,2023-05-10 12:00,Y,declined,\n\
                e3,c2,N,N,missing,2023-05-20 10:00,2023-05-21 12:00,N,,\n\
                e4,c1,Y,N,missing,2024-03-02 10:00,2024-03-02 12:00,N,,\n";
    let m = compute_from(&format!("{HEADER}{rows}"), CountingRules::default());
    assert_eq!(export(&m, "all", "month", "2023-04", "children").as_deref(), Some("1"));
    assert_eq!(export(&m, "all", "month", "2023-05", "children").as_deref(), Some("2"));
    assert_eq!(export(&m, "all", "quarter", "2023-24 Q1", "children").as_deref(), Some("2"));
    assert_eq!(export(&m, "all", "quarter", "2023-24 Q1", "episodes").as_deref(), Some("3"));
    assert_eq!(export(&m, "all", "year", "2023-24", "children").as_deref(), Some("2"));
    assert_eq!(export(&m, "all", "year", "2023-24", "episodes").as_deref(), Some("4"));
    assert_eq!(export(&m, "all", "rolling12", "2024-03", "children").as_deref(), Some("2"));
    assert_eq!(export(&m, "looked_after", "year", "2023-24", "children").as_deref(), Some("1"));
    assert_eq!(export(&m, "not_looked_after", "year", "2023-24", "episodes").as_deref(), Some("1"));
    // Months with no episode are present with zero counts and empty rates.
    assert_eq!(export(&m, "all", "month", "2023-06", "episodes").as_deref(), Some("0"));
    assert_eq!(export(&m, "all", "month", "2023-06", "pct_rhi_accepted").as_deref(), Some(""));
    // 1 accepted of 2 offered in Q1; children offered: c1 only.
    assert_eq!(export(&m, "all", "quarter", "2023-24 Q1", "pct_rhi_accepted").as_deref(), Some("50"));
    assert_eq!(export(&m, "all", "quarter", "2023-24 Q1", "children_rhi_offered").as_deref(), Some("1"));
    assert_eq!(export(&m, "all", "quarter", "2023-24 Q1", "episodes_over_24h").as_deref(), Some("1"));
    // The first rolling window ends in the twelfth month of data.
    assert_eq!(export(&m, "all", "rolling12", "2024-02", "episodes"), None);
}

#[test]
fn interview_timescale_includes_72_hours_exactly_and_not_a_minute_more() {
    let rows = "e1,c1,Y,N,,2023-04-01 10:00,2023-04-02 10:00,Y,accepted,2023-04-05 10:00\n\
                e2,c2,Y,N,,2023-04-01 10:00,2023-04-02 10:00,Y,accepted,2023-04-05 10:01\n\
                e3,c3,Y,N,,2023-04-01 10:00,2023-04-02 10:00,Y,accepted,2023-04-02 09:00\n\
                e4,c4,Y,N,,2023-04-01 10:00,,Y,accepted,2023-04-02 09:00\n";
    let m = compute_from(&format!("{HEADER}{rows}"), CountingRules::default());
    // e3 took place before the return and e4 has no return: never within.
    assert_eq!(export(&m, "all", "month", "2023-04", "episodes_rhi_completed").as_deref(), Some("4"));
    assert_eq!(export(&m, "all", "month", "2023-04", "episodes_rhi_within_72h").as_deref(), Some("1"));
    assert_eq!(export(&m, "all", "month", "2023-04", "pct_rhi_within_72h").as_deref(), Some("25"));
    assert_eq!(export(&m, "all", "month", "2023-04", "episodes_open").as_deref(), Some("1"));
}

#[test]
fn other_authority_children_and_absences_follow_the_rules() {
    let rows = "e1,c1,Y,N,missing,2023-04-01 10:00,2023-04-01 12:00,Y,accepted,\n\
                e2,c2,Y,Y,missing,2023-04-01 10:00,2023-04-01 12:00,Y,accepted,\n\
                e3,c3,Y,N,absent,2023-04-01 10:00,2023-04-01 12:00,N,,\n";
    let text = format!("{HEADER}{rows}");
    let m = compute_from(&text, CountingRules::default());
    assert_eq!(export(&m, "all", "month", "2023-04", "episodes").as_deref(), Some("1"));
    assert_eq!(export(&m, "all", "month", "2023-04", "absences").as_deref(), Some("1"));
    let m = compute_from(&text, CountingRules { include_other_la: true, include_absent: true, ..CountingRules::default() });
    assert_eq!(export(&m, "all", "month", "2023-04", "episodes").as_deref(), Some("3"));
    assert_eq!(export(&m, "all", "month", "2023-04", "children").as_deref(), Some("3"));
    assert_eq!(export(&m, "all", "month", "2023-04", "absences").as_deref(), Some("1"));
}

#[test]
fn unknown_care_status_counts_in_all_only_and_missing_columns_drop_metrics() {
    let text = "episode_id,child_id,looked_after,start\n\
                e1,c1,Y,2023-04-01\n\
                e2,c2,maybe,2023-04-02\n\
                e3,c3,N,2023-04-03\n";
    let m = compute_from(text, CountingRules::default());
    assert_eq!(export(&m, "all", "month", "2023-04", "episodes").as_deref(), Some("3"));
    assert_eq!(export(&m, "looked_after", "month", "2023-04", "episodes").as_deref(), Some("1"));
    assert_eq!(export(&m, "not_looked_after", "month", "2023-04", "episodes").as_deref(), Some("1"));
    // No end, episode type or interview columns: those metrics are not exported.
    assert_eq!(export(&m, "all", "month", "2023-04", "episodes_open"), None);
    assert_eq!(export(&m, "all", "month", "2023-04", "absences"), None);
    assert_eq!(export(&m, "all", "month", "2023-04", "pct_rhi_accepted"), None);
    assert_eq!(export(&m, "all", "month", "2023-04", "episodes_per_child").as_deref(), Some("1"));
}

fn breakdown(m: &Metrics, kind: &str, period: &str, dimension: &str, category: &str, metric: &str) -> Option<String> {
    m.export_rows()
        .into_iter()
        .find(|r| {
            r.cohort == Cohort::All
                && r.period_kind.id() == kind
                && r.period == period
                && r.dimension == dimension
                && r.category == category
                && r.metric.id() == metric
        })
        .map(|r| r.value.export_text())
}

#[test]
fn an_episode_with_several_reasons_counts_under_each() {
    let text = "episode_id,child_id,looked_after,start,reason\n\
                e1,c1,Y,2023-04-01,with_friends; CSE\n\
                e2,c1,Y,2023-04-05,cse\n\
                e3,c2,N,2023-04-07,\n";
    let m = compute_from(text, CountingRules::default());
    assert_eq!(breakdown(&m, "month", "2023-04", "reason", "cse", "episodes").as_deref(), Some("2"));
    assert_eq!(breakdown(&m, "month", "2023-04", "reason", "cse", "children").as_deref(), Some("1"));
    assert_eq!(breakdown(&m, "month", "2023-04", "reason", "with_friends", "episodes").as_deref(), Some("1"));
    assert_eq!(breakdown(&m, "month", "2023-04", "reason", "not_recorded", "episodes").as_deref(), Some("1"));
}

#[test]
fn age_is_taken_at_each_start_across_a_birthday_and_a_leap_day() {
    let text = "episode_id,child_id,looked_after,start,date_of_birth\n\
                e1,c1,Y,2023-04-14 23:00,2007-04-15\n\
                e2,c1,Y,2023-04-15 00:30,2007-04-15\n\
                e3,c2,Y,2023-02-28 10:00,2007-02-28\n\
                e4,c3,Y,2023-02-28 10:00,2007-02-29\n\
                e5,c4,Y,2023-02-28 10:00,2008-02-29\n\
                e6,c4,Y,2023-03-01 10:00,2008-02-29\n";
    let m = compute_from(text, CountingRules::default());
    let age = |period: &str, band: &str| breakdown(&m, "year", period, "age_band", band, "children");
    // c1 turns 16 between its two episodes: once in each band, once in the year.
    assert_eq!(age("2023-24", "13_15").as_deref(), Some("1"));
    assert_eq!(age("2023-24", "16_17").as_deref(), Some("1"));
    assert_eq!(breakdown(&m, "year", "2023-24", "all", "all", "children").as_deref(), Some("1"));
    // 2007-02-29 does not exist: its date of birth is unreadable, so the age is unknown.
    // c2 turns 16 on 28 February; c4 (born 29 February 2008) turns 15 on 1 March 2023.
    assert_eq!(age("2022-23", "16_17").as_deref(), Some("1"));
    assert_eq!(age("2022-23", "unknown").as_deref(), Some("1"));
    assert_eq!(breakdown(&m, "month", "2023-02", "age_band", "13_15", "children").as_deref(), Some("1"));
    assert_eq!(breakdown(&m, "month", "2023-03", "age_band", "13_15", "children").as_deref(), Some("1"));
    assert_eq!(breakdown(&m, "month", "2023-02", "age_band", "16_17", "children").as_deref(), Some("1"));
}

#[test]
fn repeat_trigger_counts_runs_within_the_window_even_if_they_start_earlier() {
    // c1: 1 Jan, 1 Feb, 1 Apr 2023 = 90 days: met in April.
    // c2: 1 Jan, 1 Feb, 2 Apr 2023 = 91 days: not met.
    // c3: 20 Mar, 25 Mar (2022-23) and 5 Apr (2023-24): met in 2023-24 Q1.
    let text = "episode_id,child_id,looked_after,start\n\
                a1,c1,Y,2023-01-01\na2,c1,Y,2023-02-01\na3,c1,Y,2023-04-01\n\
                b1,c2,Y,2023-01-01\nb2,c2,Y,2023-02-01\nb3,c2,Y,2023-04-02\n\
                d1,c3,N,2023-03-20\nd2,c3,N,2023-03-25\nd3,c3,N,2023-04-05\n";
    let m = compute_from(text, CountingRules::default());
    assert_eq!(breakdown(&m, "month", "2023-04", "all", "all", "children_repeat").as_deref(), Some("2"));
    assert_eq!(breakdown(&m, "quarter", "2022-23 Q4", "all", "all", "children_repeat").as_deref(), Some("0"));
    assert_eq!(breakdown(&m, "quarter", "2023-24 Q1", "all", "all", "children_repeat").as_deref(), Some("2"));
    assert_eq!(breakdown(&m, "quarter", "2023-24 Q1", "all", "all", "children_repeat_30d").as_deref(), Some("1"));
    let m = compute_from(text, CountingRules { repeat: crate::rules::RepeatTrigger { episodes: 3, days: 91 }, ..CountingRules::default() });
    assert_eq!(breakdown(&m, "month", "2023-04", "all", "all", "children_repeat").as_deref(), Some("3"));
}

#[test]
fn top_share_with_fewer_children_than_n_is_every_episode() {
    let text = "episode_id,child_id,looked_after,start\n\
                e1,c1,Y,2023-04-01\ne2,c1,Y,2023-04-02\ne3,c2,Y,2023-04-03\ne4,c3,N,2023-04-04\n";
    let m = compute_from(text, CountingRules::default());
    assert_eq!(breakdown(&m, "month", "2023-04", "all", "all", "top20_share").as_deref(), Some("100"));
    let m = compute_from(text, CountingRules { top_n: 1, ..CountingRules::default() });
    assert_eq!(breakdown(&m, "month", "2023-04", "all", "all", "top20_share").as_deref(), Some("50"));
    assert_eq!(breakdown(&m, "month", "2023-04", "episodes_per_child", "2", "children").as_deref(), Some("1"));
    assert_eq!(breakdown(&m, "month", "2023-04", "episodes_per_child", "1", "children").as_deref(), Some("2"));
}

#[test]
fn comparisons_give_changes_against_the_previous_period_and_a_year_earlier() {
    let text = "episode_id,child_id,looked_after,start\n\
                e1,c1,Y,2022-04-01\ne2,c2,Y,2022-05-01\ne3,c3,Y,2023-04-01\ne4,c4,Y,2023-04-02\ne5,c5,Y,2023-04-03\n\
                e6,c6,Y,2023-05-01\n";
    let m = compute_from(text, CountingRules::default());
    let april = m.periods.iter().find(|p| p.kind == PeriodKind::Month && p.label == "2023-04").unwrap();
    let c = m.compare(Cohort::All, april, Metric::Episodes);
    assert_eq!(c.value, Some(Value::Count(3)));
    let year = c.year_earlier.unwrap();
    assert_eq!((year.from, year.to, year.absolute), (1.0, 3.0, 2.0));
    assert_eq!(year.percent, Some(200.0));
    // March 2023 had no episodes: a change from 0 has no percentage.
    let previous = c.previous_period.unwrap();
    assert_eq!((previous.from, previous.percent), (0.0, None));
}

#[test]
fn report_windows_follow_the_period_end() {
    let windows = ReportWindows::new(YearMonth::new(2024, 11), ReportingYear { start_month: 4 });
    assert_eq!(windows.year_to_date, Window::new(YearMonth::new(2024, 4), YearMonth::new(2024, 11)));
    assert!(windows.partial_year);
    assert_eq!(windows.quarters.len(), 3);
    assert_eq!(windows.quarters[2], Window::new(YearMonth::new(2024, 10), YearMonth::new(2024, 11)));
    assert_eq!(windows.rolling12.first, YearMonth::new(2023, 12));
    assert_eq!(last_complete_month(YearMonth::new(2025, 4), YearMonth::new(2022, 4)), YearMonth::new(2025, 3));
}

#[test]
fn the_default_period_ends_the_month_before_the_extract_date() {
    // An interview recorded on 1 April 2025 puts the latest time in April;
    // without an extract date the period ends in March, the month before.
    let csv = "episode_id,child_id,looked_after,start,end,rhi_completed\ne1,c1,Y,2024-04-10 10:00,2024-04-10 12:00,\ne2,c2,Y,2025-03-30 10:00,2025-03-31 12:00,2025-04-01 09:00\n";
    assert_eq!(compute_from(csv, CountingRules::default()).windows.period_end, YearMonth::new(2025, 3));
    // With the extract taken on 2 April 2025, March is complete and ends the period, even with no April record.
    let early = "episode_id,child_id,looked_after,start,end\ne1,c1,Y,2024-04-10 10:00,2024-04-10 12:00\ne2,c2,Y,2025-03-30 10:00,2025-03-31 12:00\n";
    assert_eq!(compute_from(early, CountingRules::default()).windows.period_end, YearMonth::new(2025, 2));
    let rules = CountingRules { extract_date: chrono::NaiveDate::from_ymd_opt(2025, 4, 2), ..CountingRules::default() };
    assert_eq!(compute_from(early, rules.clone()).windows.period_end, YearMonth::new(2025, 3));
    // An extract date past the data keeps the period within it.
    let late = CountingRules { extract_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 5), ..rules };
    assert_eq!(compute_from(early, late).windows.period_end, YearMonth::new(2025, 3));
}
