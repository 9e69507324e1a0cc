//! The list's repeat triggers are the metrics' own: for every month of two
//! extracts, the children the list flags over that month are as many as
//! the metrics count, for 3 in 30 days and for the local trigger.

use super::assess::{children_on_list, Window};
use super::settings::{TriggerSwitches, WatchlistSettings};
use super::trigger::Trigger;
use super::*;
use crate::ingest::{read_identified, InputFile};
use crate::metrics::{compute, Cohort, Metric, MetricsContext, Value};

fn flagged_each_month(name: &str, bytes: Vec<u8>) -> usize {
    let rules = CountingRules::default();
    let (episodes, _, _) = read_identified(&[InputFile { name: name.into(), bytes }], &IngestContext::new(&rules)).unwrap();
    let metrics = compute(&episodes, &MetricsContext::with_rules(rules.clone())).unwrap();
    let off =
        TriggerSwitches { still_missing: false, exploitation: false, repeat_30d: false, repeat: false, long_episode: false, rhi: false };
    let mut months_checked = 0;
    for (trigger, metric) in [(Trigger::Repeat30d, Metric::ChildrenRepeat30d), (Trigger::Repeat, Metric::ChildrenRepeat)] {
        let mut switches = off;
        *trigger.switch(&mut switches) = true;
        let settings = WatchlistSettings { triggers: switches, ..WatchlistSettings::default() };
        let last = YearMonth::of(last_start(&episodes).unwrap());
        for month in (0..60).map(|back| last.plus(-back)) {
            // Months outside the data have no figure.
            let Some(Value::Count(counted)) = metrics.value(Cohort::All, crate::metrics::Window::new(month, month), metric) else {
                continue;
            };
            let window = Window { first_day: month.first_day(), as_of: month.last_day() };
            let episodes = episodes::counted_until(&episodes, &rules, window.end()).unwrap();
            let listed = children_on_list(&episodes, &window, &settings, &rules);
            assert_eq!(listed.len() as u64, counted, "{name} {month}: {} listed, {metric:?} {counted}", trigger.id());
            months_checked += 1;
        }
    }
    months_checked
}

#[test]
fn each_month_the_list_flags_as_many_children_for_a_repeat_trigger_as_the_metrics_count() {
    assert!(flagged_each_month("example", crate::assets::EXAMPLE_EPISODES.to_vec()) >= 2 * 36);
    let gateshead = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gateshead/episodes.csv")).unwrap();
    assert!(flagged_each_month("gateshead", gateshead) >= 2 * 12);
}
