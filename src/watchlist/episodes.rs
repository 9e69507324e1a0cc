//! The episodes the list reads: those the metrics count (the same rows, the
//! same absence rule), started before the end of the as-of date, in
//! child-and-start order, each marked where it completes a repeat run by
//! the metrics' own mechanism (`metrics::repeats`).

use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use polars::prelude::*;

use crate::ingest::Episodes;
use crate::metrics::repeats::{self, THREE_IN_30_DAYS};
use crate::rules::CountingRules;

/// One counted episode, as the list needs it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Episode {
    /// The number standing for the child.
    pub child: u32,
    pub looked_after: Option<bool>,
    /// Milliseconds of UK local time, as ingest holds them.
    pub start: i64,
    /// `None`: open (no end recorded) or an end ingest could not use.
    pub end: Option<i64>,
    /// No end was recorded: still missing at the extract.
    pub open: bool,
    pub date_of_birth: Option<NaiveDate>,
    pub cse: bool,
    pub cce: bool,
    pub rhi_offered: Option<bool>,
    /// The coded outcome (`accepted`, `declined`, `no_contact`, `pending`).
    pub rhi_outcome: Option<String>,
    pub rhi_completed: Option<i64>,
    /// Completes a run of 3 episodes in 30 days (`children_repeat_30d`).
    pub completes_30d: bool,
    /// Completes a run of `rules.repeat` (`children_repeat`).
    pub completes_repeat: bool,
}

/// The counted episodes starting before `until` (milliseconds, exclusive),
/// by child and start.
pub(super) fn counted_until(episodes: &Episodes, rules: &CountingRules, until: i64) -> Result<Vec<Episode>> {
    let frame = &episodes.frame;
    let child: Vec<u32> = frame.column("child")?.u32()?.iter().map(|c| c.unwrap_or(u32::MAX)).collect();
    let start: Vec<i64> = frame.column("start")?.cast(&DataType::Int64)?.i64()?.iter().map(|s| s.unwrap_or(i64::MAX)).collect();
    let absent: Vec<bool> = frame.column("absent")?.bool()?.iter().map(|a| a.unwrap_or(false)).collect();
    // Exactly `metrics`' order and rule: the runs are marked over every
    // counted episode, then the ones after the as-of date are left out (a
    // run looks only backwards, so leaving them out changes no mark).
    let order = repeats::child_and_start_order(&child, &start, |row| rules.counts(absent[row]));
    let ordered_child: Vec<u32> = order.iter().map(|&row| child[row]).collect();
    let ordered_start: Vec<i64> = order.iter().map(|&row| start[row]).collect();
    let mut completes_30d = vec![false; order.len()];
    let mut completes_repeat = vec![false; order.len()];
    for at in repeats::completing(&ordered_child, &ordered_start, THREE_IN_30_DAYS) {
        completes_30d[at] = true;
    }
    for at in repeats::completing(&ordered_child, &ordered_start, rules.repeat) {
        completes_repeat[at] = true;
    }

    let times = |name: &str| -> Result<Vec<Option<i64>>> { Ok(frame.column(name)?.cast(&DataType::Int64)?.i64()?.iter().collect()) };
    let flags = |name: &str| -> Result<Vec<Option<bool>>> { Ok(frame.column(name)?.bool()?.iter().collect()) };
    let (end, rhi_completed) = (times("end")?, times("rhi_completed")?);
    let (open, looked_after, cse, cce, offered) =
        (flags("open")?, flags("looked_after")?, flags("cse_risk")?, flags("cce_risk")?, flags("rhi_offered")?);
    let born: Vec<Option<i32>> = frame.column("date_of_birth")?.cast(&DataType::Int32)?.i32()?.iter().collect();
    let outcome: Vec<Option<String>> = frame.column("rhi_outcome")?.str()?.iter().map(|o| o.map(str::to_string)).collect();
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();

    Ok(order
        .iter()
        .enumerate()
        .filter(|(_, &row)| start[row] < until)
        .map(|(at, &row)| Episode {
            child: child[row],
            looked_after: looked_after[row],
            start: start[row],
            end: end[row],
            open: open[row].unwrap_or(false),
            date_of_birth: born[row].and_then(|days| epoch.checked_add_signed(chrono::Duration::days(days as i64))),
            cse: cse[row] == Some(true),
            cce: cce[row] == Some(true),
            rhi_offered: offered[row],
            rhi_outcome: outcome[row].clone(),
            rhi_completed: rhi_completed[row],
            completes_30d: completes_30d[at],
            completes_repeat: completes_repeat[at],
        })
        .collect())
}

pub(super) const HOUR_MS: i64 = 3_600_000;
pub(super) const DAY_MS: i64 = 24 * HOUR_MS;

/// Milliseconds as ingest holds them, as a date and time.
pub(super) fn moment(millis: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp_millis(millis).map(|t| t.naive_utc()).unwrap_or_default()
}

/// The first moment of `date`, in ingest's milliseconds.
pub(super) fn millis_at(date: NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_millis()
}
