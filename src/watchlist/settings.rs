//! The `watchlist:` section: which triggers are in force, their
//! thresholds, and how many days the list looks back. The repeat triggers'
//! counts come from the counting rules (`rules.repeat`, and METRICS.md's 3
//! in 30 days), so the list flags exactly the children the paper counts.

use serde::Deserialize;

/// What the restricted list looks for; every key optional, unknown keys refused.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WatchlistSettings {
    /// Days the list looks back, ending on the as-of date (7: the weekly list).
    pub window_days: u32,
    /// An episode longer than this is a `long_episode`.
    pub long_episode_hours: u32,
    pub triggers: TriggerSwitches,
}

/// Each trigger on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TriggerSwitches {
    /// An episode still open at the as-of date, however long ago it started.
    pub still_missing: bool,
    /// A CSE or CCE concern on an episode in the window.
    pub exploitation: bool,
    /// An episode in the window completing 3 episodes in 30 days (`children_repeat_30d`).
    pub repeat_30d: bool,
    /// An episode in the window completing the local trigger of `rules.repeat` (`children_repeat`).
    pub repeat: bool,
    /// An episode in the window lasting over `long_episode_hours`.
    pub long_episode: bool,
    /// An episode in the window whose return interview was not offered, or
    /// not done within `rules.rhi_timescale_hours` of the return.
    pub rhi: bool,
}

impl Default for WatchlistSettings {
    fn default() -> Self {
        WatchlistSettings { window_days: 7, long_episode_hours: 24, triggers: TriggerSwitches::default() }
    }
}

impl Default for TriggerSwitches {
    fn default() -> Self {
        TriggerSwitches { still_missing: true, exploitation: true, repeat_30d: true, repeat: true, long_episode: true, rhi: true }
    }
}

impl WatchlistSettings {
    /// The first setting a list cannot be made with: its key under `watchlist:` and the problem.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if !(1..=366).contains(&self.window_days) {
            return Some(("window_days", format!("watchlist.window_days must be from 1 to 366 (found {})", self.window_days)));
        }
        if !(1..=8784).contains(&self.long_episode_hours) {
            let found = self.long_episode_hours;
            return Some(("long_episode_hours", format!("watchlist.long_episode_hours must be from 1 to 8784 (found {found})")));
        }
        let t = self.triggers;
        if ![t.still_missing, t.exploitation, t.repeat_30d, t.repeat, t.long_episode, t.rhi].contains(&true) {
            return Some(("triggers", "watchlist.triggers: every trigger is off, so the list could never name a child".into()));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_a_list_cannot_be_made_with_are_named() {
        assert_eq!(WatchlistSettings::default().problem(), None);
        let none = WatchlistSettings { window_days: 0, ..WatchlistSettings::default() };
        assert_eq!(none.problem().map(|p| p.0), Some("window_days"));
        let off = TriggerSwitches {
            still_missing: false,
            exploitation: false,
            repeat_30d: false,
            repeat: false,
            long_episode: false,
            rhi: false,
        };
        let silent = WatchlistSettings { triggers: off, ..WatchlistSettings::default() };
        assert!(silent.problem().unwrap().1.contains("every trigger is off"));
    }
}
