//! Which children meet a trigger in the window, with the episodes that met
//! it, and what a manager needs beside that: recent episodes, the last
//! episode and its return interview. Children are numbers here; names come
//! later, in `list`.

use chrono::{NaiveDate, NaiveDateTime};

use super::episodes::{millis_at, moment, Episode};
use super::settings::{TriggerSwitches, WatchlistSettings};
use crate::rules::CountingRules;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// A trigger, in the order of urgency the list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Trigger {
    StillMissing,
    Exploitation,
    Repeat30d,
    Repeat,
    LongEpisode,
    Rhi,
}

impl Trigger {
    pub const ALL: [Trigger; 6] =
        [Trigger::StillMissing, Trigger::Exploitation, Trigger::Repeat30d, Trigger::Repeat, Trigger::LongEpisode, Trigger::Rhi];

    /// The key under `watchlist.triggers` and the column of `watchlist.csv`.
    pub fn id(self) -> &'static str {
        match self {
            Trigger::StillMissing => "still_missing",
            Trigger::Exploitation => "exploitation",
            Trigger::Repeat30d => "repeat_30d",
            Trigger::Repeat => "repeat",
            Trigger::LongEpisode => "long_episode",
            Trigger::Rhi => "rhi",
        }
    }

    pub fn in_force(self, settings: &WatchlistSettings) -> bool {
        let mut switches = settings.triggers;
        *self.switch(&mut switches)
    }

    pub(super) fn switch_off(self, switches: &mut TriggerSwitches) {
        *self.switch(switches) = false;
    }

    pub(super) fn switch(self, t: &mut TriggerSwitches) -> &mut bool {
        match self {
            Trigger::StillMissing => &mut t.still_missing,
            Trigger::Exploitation => &mut t.exploitation,
            Trigger::Repeat30d => &mut t.repeat_30d,
            Trigger::Repeat => &mut t.repeat,
            Trigger::LongEpisode => &mut t.long_episode,
            Trigger::Rhi => &mut t.rhi,
        }
    }

    /// A short name, for the list's cells.
    pub fn name(self, settings: &WatchlistSettings, rules: &CountingRules) -> String {
        match self {
            Trigger::StillMissing => "Still missing".into(),
            Trigger::Exploitation => "Exploitation concern".into(),
            Trigger::Repeat30d => "3 in 30 days".into(),
            Trigger::Repeat => format!("{} in {} days", rules.repeat.episodes, rules.repeat.days),
            Trigger::LongEpisode => format!("Over {} hours", settings.long_episode_hours),
            Trigger::Rhi => "Return interview".into(),
        }
    }

    /// What meets the trigger, in full, for the list's first page.
    pub fn rule(self, settings: &WatchlistSettings, rules: &CountingRules) -> String {
        match self {
            Trigger::StillMissing => "an episode still open at the end of the as-of date, however long ago it started".into(),
            Trigger::Exploitation => "a child sexual (CSE) or criminal (CCE) exploitation concern on an episode in the window".into(),
            Trigger::Repeat30d => {
                "an episode in the window that is the third of 3 starting within 30 days (earlier ones may fall before the window)".into()
            }
            Trigger::Repeat => format!(
                "an episode in the window that completes {} episodes starting within {} days (the local strategy-meeting trigger, rules.repeat)",
                rules.repeat.episodes, rules.repeat.days
            ),
            Trigger::LongEpisode if settings.triggers.still_missing => format!(
                "an episode in the window that lasted over {} hours (one still open is listed as still missing)",
                settings.long_episode_hours
            ),
            Trigger::LongEpisode => format!(
                "an episode in the window that lasted over {} hours, or has been open that long by the end of the as-of date",
                settings.long_episode_hours
            ),
            Trigger::Rhi => format!(
                "an episode in the window that ended over {} hours before the end of the as-of date with no return interview offered, or offered and not done within {} hours of the return",
                rules.rhi_timescale_hours, rules.rhi_timescale_hours
            ),
        }
    }
}

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
    /// Still missing at the end of the as-of date, since this moment.
    pub missing_since: Option<NaiveDateTime>,
}

/// The child's latest episode up to the as-of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastEpisode {
    pub start: NaiveDateTime,
    /// `None` while still missing at the as-of date, or when the end could not be read.
    pub end: Option<NaiveDateTime>,
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
            Trigger::Rhi => in_window
                .iter()
                .filter(|e| !still_out_at(e, end))
                .filter_map(|e| {
                    let returned = e.end?;
                    (end - returned > timescale).then_some(())?;
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
    let missing_since = episodes.iter().find(|e| still_out_at(e, end)).map(|e| moment(e.start));
    let age = last.date_of_birth.and_then(|born| window.as_of.years_since(born)).map(|years| years as i32);
    Some(ChildOnList {
        child: last.child,
        age,
        looked_after: last.looked_after,
        met,
        recent,
        last: LastEpisode {
            start: moment(last.start),
            end: if still_out_at(last, end) { None } else { last.end.map(moment) },
            rhi: rhi_status(last, end, timescale, rules.rhi_timescale_hours),
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

/// Why a returned episode's interview falls short (`None`: done within the timescale).
fn rhi_shortfall(episode: &Episode, returned: i64, timescale: i64) -> Option<String> {
    if let Some(done) = episode.rhi_completed {
        if done < returned {
            return Some("interview recorded before the return".into());
        }
        if done - returned <= timescale {
            return None;
        }
        return Some(format!("done {} after the return", span(done - returned)));
    }
    Some(match (episode.rhi_offered, episode.rhi_outcome.as_deref()) {
        (Some(false), _) => "not offered".into(),
        (None, _) => "offer not recorded".into(),
        (Some(true), Some("declined")) => "offered, declined".into(),
        (Some(true), Some("no_contact")) => "offered, no contact".into(),
        (Some(true), _) => "offered, not done".into(),
    })
}

/// The last episode's return interview in words.
fn rhi_status(episode: &Episode, end: i64, timescale: i64, hours: u32) -> String {
    if still_out_at(episode, end) {
        return "not due: still missing".into();
    }
    let Some(returned) = episode.end else {
        return match episode.rhi_completed {
            Some(_) => "done (return time not known)".into(),
            None => "return time not known".into(),
        };
    };
    if let Some(done) = episode.rhi_completed {
        return match done - returned {
            gap if gap < 0 => "recorded before the return".into(),
            gap if gap <= timescale => format!("done within {hours} hours"),
            gap => format!("done {} after the return", span(gap)),
        };
    }
    let due = moment(returned + timescale);
    let offer = match (episode.rhi_offered, episode.rhi_outcome.as_deref()) {
        (Some(false), _) => "not offered",
        (None, _) => "offer not recorded",
        (Some(true), Some("declined")) => "offered, declined",
        (Some(true), Some("no_contact")) => "offered, no contact",
        (Some(true), Some("accepted")) => "offered and accepted, not done",
        (Some(true), Some("pending")) => "offered, pending",
        (Some(true), _) => "offered, not done",
    };
    if end - returned <= timescale {
        format!("{offer} (due by {})", due.format("%d/%m/%Y %H:%M"))
    } else {
        offer.to_string()
    }
}

/// A length of time as a manager reads it: hours under three days, then days.
fn span(millis: i64) -> String {
    let hours = millis / HOUR_MS;
    if hours < 72 {
        return if hours == 1 { "1 hour".into() } else { format!("{hours} hours") };
    }
    format!("{} days", millis / DAY_MS)
}
