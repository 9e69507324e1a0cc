//! The counting rules of METRICS.md that configuration may change. A leaf:
//! ingest (which rows to leave out), metrics (how to count) and the report
//! (how to describe the counting) all read the same value, exactly as the
//! YAML `rules:` section holds it.

use anyhow::{bail, Result};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::period::optional_iso_date;

/// The `rules:` section: every key optional, unknown keys refused.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CountingRules {
    /// Count episodes of children looked after by another authority.
    pub include_other_la: bool,
    /// Count absences as missing episodes.
    pub include_absent: bool,
    pub rhi_timescale_hours: u32,
    /// The local repeat-missing trigger (`children_repeat`).
    pub repeat: RepeatTrigger,
    /// How many children `top20_share` takes.
    pub top_n: u32,
    /// Lower bounds (ages in years) of the age bands after the first:
    /// `[10, 13, 16, 18]` gives under_10, 10_12, 13_15, 16_17, 18_plus.
    pub age_bands: Vec<u32>,
    /// Starts after this date are `future_start` findings; `None`: the day the tool runs.
    #[serde(deserialize_with = "optional_iso_date")]
    pub extract_date: Option<NaiveDate>,
}

impl Default for CountingRules {
    fn default() -> Self {
        CountingRules {
            include_other_la: false,
            include_absent: false,
            rhi_timescale_hours: 72,
            repeat: RepeatTrigger { episodes: 3, days: 90 },
            top_n: 20,
            age_bands: vec![10, 13, 16, 18],
            extract_date: None,
        }
    }
}

impl CountingRules {
    /// Whether an episode is counted as missing: absences only when they are included.
    pub fn counts(&self, absent: bool) -> bool {
        self.include_absent || !absent
    }

    /// Refuses rules that cannot be counted with (serde has checked the types).
    pub fn check(&self) -> Result<()> {
        match self.problem() {
            Some((_, problem)) => bail!("configuration error: {problem}"),
            None => Ok(()),
        }
    }

    /// The first rule that cannot be counted with: its key under `rules:` and the problem.
    pub fn problem(&self) -> Option<(&'static [&'static str], String)> {
        if self.rhi_timescale_hours == 0 {
            return Some((&["rhi_timescale_hours"], "rules.rhi_timescale_hours must be at least 1".into()));
        }
        if self.repeat.episodes < 2 || self.repeat.days == 0 {
            let key: &'static [&'static str] = if self.repeat.episodes < 2 { &["repeat", "episodes"] } else { &["repeat", "days"] };
            let (episodes, days) = (self.repeat.episodes, self.repeat.days);
            return Some((key, format!("rules.repeat needs at least 2 episodes and 1 day (found {episodes} episodes in {days} days)")));
        }
        if self.top_n == 0 {
            return Some((&["top_n"], "rules.top_n must be at least 1".into()));
        }
        let bands = &self.age_bands;
        if bands.is_empty() || bands.windows(2).any(|w| w[0] >= w[1]) || bands[0] == 0 {
            let problem = format!("rules.age_bands must be increasing ages above 0, e.g. [10, 13, 16, 18] (found {bands:?})");
            return Some((&["age_bands"], problem));
        }
        None
    }
}

/// The repeat-missing trigger: `episodes` episodes starting within `days` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepeatTrigger {
    pub episodes: u32,
    pub days: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_that_cannot_be_counted_with_are_refused() {
        assert!(CountingRules::default().check().is_ok());
        let refused = |rules: CountingRules| format!("{:#}", rules.check().unwrap_err());
        assert!(refused(CountingRules { rhi_timescale_hours: 0, ..Default::default() }).contains("rhi_timescale_hours"));
        let once = CountingRules { repeat: RepeatTrigger { episodes: 1, days: 30 }, ..Default::default() };
        assert!(refused(once).contains("found 1 episodes in 30 days"));
        assert!(refused(CountingRules { top_n: 0, ..Default::default() }).contains("top_n"));
        assert!(refused(CountingRules { age_bands: vec![10, 10], ..Default::default() }).contains("[10, 10]"));
        assert!(refused(CountingRules { age_bands: vec![], ..Default::default() }).contains("age_bands"));
    }
}
