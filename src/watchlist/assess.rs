//! Assesses each child: which triggers they met in the window, with the
//! episodes that met them, and what a manager needs beside that: recent
//! episodes, the last episode and its return interview. Children are
//! numbers here; names come later, in `list`.

use chrono::{NaiveDate, NaiveDateTime};

use super::episodes::{millis_at, moment, Episode, DAY_MS, HOUR_MS};
use super::settings::WatchlistSettings;
use super::trigger::Trigger;
use super::words::{rhi_shortfall, rhi_status, span};
use crate::rules::CountingRules;

/// The days the list looks back over, ending with the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first_day: NaiveDate,
    pub as_of: NaiveDate,
}

impl Window {
    /// Where the window starts, in ingest's milliseconds.
    pub(super) fn start(&self) -> i64 {
        millis_at(self.first_day)
    }

    /// The end of the as-of date (exclusive): the moment the list is as at.
    pub(super) fn end(&self) -> i64 {
        millis_at(self.as_of) + DAY_MS
    }

    /// Whether the episode was missing at some time in the window: it started
    /// in it, or before it and had not returned by its start.
    fn holds(&self, episode: &Episode) -> bool {
        if episode.start >= self.end() {
            return false;
        }
        episode.start >= self.start() || still_out_at(episode, self.start())
    }
}

/// Missing at `moment`: started before it and neither returned by then nor
/// ended at a time ingest could not use.
fn still_out_at(episode: &Episode, moment: i64) -> bool {
    episode.start < moment && (episode.open || episode.end.is_some_and(|end| end > moment))
}

/// One date and time that met a trigger, with what about it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occasion {
    /// The start of the episode.
    pub start: NaiveDateTime,
    pub note: Option<String>,
}

/// A child the list names, by number until `list` gives the identifier.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildOnList {
    pub child: u32,
    /// Whole years at the as-of date.
    pub age: Option<i32>,
    /// As recorded on the last episode.
    pub looked_after: Option<bool>,
    /// The triggers met, in `Trigger` order, each with its occasions.
    pub met: Vec<(Trigger, Vec<Occasion>)>,
    /// Episodes starting in the last 30, 90 and 365 days to the as-of date.
    pub recent: [usize; 3],
    pub last: LastEpisode,
    /// Met the still-missing trigger: missing since this moment (the earliest open episode).
    pub missing_since: Option<NaiveDateTime>,
}

/// The child's latest episode up to the as-of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastEpisode {
    pub start: NaiveDateTime,
    /// `None` while still missing at the as-of date, or when the end could not be read.
    pub end: Option<NaiveDateTime>,
    /// Not returned by the end of the as-of date.
    pub still_missing: bool,
    pub rhi: String,
}

/// Every child meeting a trigger in force, in child order. `episodes`: one
/// child's episodes together, by start (`episodes::counted_until`).
pub(super) fn children_on_list(
    episodes: &[Episode],
    window: &Window,
    settings: &WatchlistSettings,
    rules: &CountingRules,
) -> Vec<ChildOnList> {
    let mut list = Vec::new();
    let mut from = 0;
    while from < episodes.len() {
        let child = episodes[from].child;
        let to = from + episodes[from..].iter().take_while(|e| e.child == child).count();
        if let Some(on_list) = assess(&episodes[from..to], window, settings, rules) {
            list.push(on_list);
        }
        from = to;
    }
    list
}

/// One child's episodes (by start, all before the end of the as-of date):
/// the triggers met, or `None` when none is.
fn assess(episodes: &[Episode], window: &Window, settings: &WatchlistSettings, rules: &CountingRules) -> Option<ChildOnList> {
    let end = window.end();
    let timescale = rules.rhi_timescale_hours as i64 * HOUR_MS;
    let in_window: Vec<&Episode> = episodes.iter().filter(|e| window.holds(e)).collect();
    let occasion = |e: &Episode, note: Option<String>| Occasion { start: moment(e.start), note };
    let mut met = Vec::new();
    for trigger in Trigger::ALL.into_iter().filter(|t| t.in_force(settings)) {
        let occasions: Vec<Occasion> = match trigger {
            Trigger::StillMissing => episodes
                .iter()
                .filter(|e| still_out_at(e, end))
                .map(|e| occasion(e, Some(format!("missing {}", span(end - e.start)))))
                .collect(),
            Trigger::Exploitation => in_window
                .iter()
                .filter_map(|e| match (e.cse, e.cce) {
                    (true, true) => Some(occasion(e, Some("CSE and CCE".into()))),
                    (true, false) => Some(occasion(e, Some("CSE".into()))),
                    (false, true) => Some(occasion(e, Some("CCE".into()))),
                    (false, false) => None,
                })
                .collect(),
            Trigger::Repeat30d => run_occasions(episodes, window, 3, |e| e.completes_30d),
            Trigger::Repeat => run_occasions(episodes, window, rules.repeat.episodes as usize, |e| e.completes_repeat),
            Trigger::LongEpisode => in_window
                .iter()
                .filter_map(|e| {
                    let still_out = still_out_at(e, end);
                    // An open episode is listed once, as still missing, when that trigger is in force.
                    if still_out && settings.triggers.still_missing {
                        return None;
                    }
                    let lasted = if still_out { end - e.start } else { e.end? - e.start };
                    (lasted > settings.long_episode_hours as i64 * HOUR_MS).then(|| {
                        let note = if still_out { format!("{} so far", span(lasted)) } else { span(lasted) };
                        occasion(e, Some(note))
                    })
                })
                .collect(),
            // Judged when the interview falls due, so each return is judged in
            // exactly one of a run of back-to-back windows.
            Trigger::Rhi => episodes
                .iter()
                .filter(|e| !still_out_at(e, end))
                .filter_map(|e| {
                    let returned = e.end?;
                    let due = returned + timescale;
                    (due >= window.start() && due < end).then_some(())?;
                    rhi_shortfall(e, returned, timescale).map(|note| occasion(e, Some(note)))
                })
                .collect(),
        };
        if !occasions.is_empty() {
            met.push((trigger, occasions));
        }
    }
    if met.is_empty() {
        return None;
    }
    let last = episodes.last()?;
    let recent = [30, 90, 365].map(|days| episodes.iter().filter(|e| e.start >= end - days * DAY_MS).count());
    // Put first only when the still-missing trigger is in force and met.
    let missing_since = met.iter().find(|(t, _)| *t == Trigger::StillMissing).and_then(|(_, o)| o.first()).map(|o| o.start);
    let last_still_out = still_out_at(last, end);
    let age = last.date_of_birth.and_then(|born| window.as_of.years_since(born)).map(|years| years as i32);
    Some(ChildOnList {
        child: last.child,
        age,
        looked_after: last.looked_after,
        met,
        recent,
        last: LastEpisode {
            start: moment(last.start),
            end: if last_still_out { None } else { last.end.map(moment) },
            still_missing: last_still_out,
            rhi: rhi_status(last, last_still_out, end, timescale, rules.rhi_timescale_hours),
        },
        missing_since,
    })
}

/// Every episode of the runs that an episode in the window completes: the
/// completing one and the `length - 1` before it (which may precede the window).
fn run_occasions(episodes: &[Episode], window: &Window, length: usize, completes: impl Fn(&Episode) -> bool) -> Vec<Occasion> {
    let mut places: Vec<usize> = Vec::new();
    for (at, episode) in episodes.iter().enumerate() {
        if completes(episode) && episode.start >= window.start() && episode.start < window.end() {
            places.extend(at + 1 - length.min(at + 1)..=at);
        }
    }
    places.sort_unstable();
    places.dedup();
    places.into_iter().map(|at| Occasion { start: moment(episodes[at].start), note: None }).collect()
}
