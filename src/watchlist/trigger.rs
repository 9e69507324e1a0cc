//! The triggers the list looks for, in the order of urgency it is sorted
//! by, each with its key under `watchlist.triggers` and its switch.

use super::settings::{TriggerSwitches, WatchlistSettings};

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

    /// The key under `watchlist.triggers` and the column of `watchlist-OFFICIAL-SENSITIVE.csv`.
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

    /// Whether the configuration has the trigger on.
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
}
