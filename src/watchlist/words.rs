//! The list's words: each trigger's short name and rule as the first page
//! states it, what happened to a return interview, and a length of time as
//! a manager reads it.

use super::episodes::{moment, Episode, DAY_MS, HOUR_MS};
use super::settings::WatchlistSettings;
use super::trigger::Trigger;
use crate::rules::CountingRules;

impl Trigger {
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
                "an episode whose return interview fell due in the window ({} hours after the return) with no interview offered, or offered and not done in that time",
                rules.rhi_timescale_hours
            ),
        }
    }
}

/// Why a returned episode's interview falls short (`None`: done within the timescale).
pub(super) fn rhi_shortfall(episode: &Episode, returned: i64, timescale: i64) -> Option<String> {
    match interview(episode, returned, timescale) {
        Interview::InTime => None,
        Interview::Late(gap) => Some(format!("done {} after the return", span(gap))),
        Interview::BeforeReturn => Some("interview recorded before the return".into()),
        Interview::NotDone => Some(offer(episode).into()),
    }
}

/// The last episode's return interview in words, as at `end`.
pub(super) fn rhi_status(episode: &Episode, still_out: bool, end: i64, timescale: i64, hours: u32) -> String {
    if still_out {
        return "not due: still missing".into();
    }
    let Some(returned) = episode.end else {
        return if episode.rhi_completed.is_some() { "done (return time not known)".into() } else { "return time not known".into() };
    };
    match interview(episode, returned, timescale) {
        Interview::InTime => format!("done within {hours} hours"),
        Interview::Late(gap) => format!("done {} after the return", span(gap)),
        Interview::BeforeReturn => "recorded before the return".into(),
        Interview::NotDone if end - returned <= timescale => {
            format!("{} (due by {})", offer(episode), moment(returned + timescale).format("%d/%m/%Y %H:%M"))
        }
        Interview::NotDone => offer(episode).into(),
    }
}

/// The offer of an interview not done, as recorded.
fn offer(episode: &Episode) -> &'static str {
    match (episode.rhi_offered, episode.rhi_outcome.as_deref()) {
        (Some(false), _) => "not offered",
        (None, _) => "offer not recorded",
        (Some(true), Some("declined")) => "offered, declined",
        (Some(true), Some("no_contact")) => "offered, no contact",
        (Some(true), Some("accepted")) => "offered and accepted, not done",
        (Some(true), Some("pending")) => "offered, pending",
        (Some(true), _) => "offered, not done",
    }
}

/// A length of time as a manager reads it: hours under three days, then days.
pub(super) fn span(millis: i64) -> String {
    let hours = millis / HOUR_MS;
    if hours < 72 {
        return if hours == 1 { "1 hour".into() } else { format!("{hours} hours") };
    }
    format!("{} days", millis / DAY_MS)
}

/// A returned episode's interview: done within the timescale, or what
/// happened instead.
enum Interview {
    InTime,
    /// Done this many milliseconds after the return, over the timescale.
    Late(i64),
    BeforeReturn,
    /// Not done: the offer as recorded.
    NotDone,
}

fn interview(episode: &Episode, returned: i64, timescale: i64) -> Interview {
    match episode.rhi_completed.map(|done| done - returned) {
        Some(gap) if gap < 0 => Interview::BeforeReturn,
        Some(gap) if gap <= timescale => Interview::InTime,
        Some(gap) => Interview::Late(gap),
        None => Interview::NotDone,
    }
}
