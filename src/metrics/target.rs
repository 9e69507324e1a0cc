//! Targets a council sets for a metric (`targets:` in the configuration):
//! the value aimed for and which way is better. Charts draw them as
//! reference lines; the report judges a status by them; SPC reads the
//! direction for its variation and the value for its assurance.

use serde::{Deserialize, Deserializer};

use super::catalogue::Metric;

/// A metric's target after the configuration is resolved: the value aimed
/// for, if one is set, and which way is better (the configured way, else the
/// metric's own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub target: Option<f64>,
    pub better: Better,
}

/// One entry of `targets:` as written: `{target: 80, better: higher}`, either key may be left out.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSetting {
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub better: Option<Better>,
}

impl TargetSetting {
    /// The target for `metric`, or why it cannot be used.
    pub fn resolve(self, metric: Metric) -> Result<Target, String> {
        let better = self.better.unwrap_or(metric.better_by_default());
        match (self.target, better) {
            (None, _) if self.better.is_none() => Err(format!("targets.{} sets neither `target` nor `better`", metric.id())),
            (Some(t), _) if !t.is_finite() => Err(format!("targets.{}.target must be a number", metric.id())),
            (Some(_), Better::Neutral) => Err(format!(
                "targets.{}: a target needs a better direction, `better: higher` or `better: lower`, to be met or missed",
                metric.id()
            )),
            (target, better) => Ok(Target { target, better }),
        }
    }
}

/// Which way a metric should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
    /// Neither: a change is reported, never judged (SPC variation `neutral`).
    Neutral,
}

impl Metric {
    /// Which way is better when the configuration does not say: fewer
    /// children missing, fewer episodes, fewer long or open episodes; more
    /// interviews offered, accepted, done and in time. Counts of interviews
    /// grow with the episodes, so they are neither.
    pub fn better_by_default(self) -> Better {
        match self {
            Metric::Episodes
            | Metric::Children
            | Metric::EpisodesPerChild
            | Metric::Absences
            | Metric::EpisodesOpen
            | Metric::EpisodesOver24h
            | Metric::EpisodesRhiDeclined
            | Metric::ChildrenRepeat
            | Metric::ChildrenRepeat30d
            | Metric::Top20Share => Better::Lower,
            Metric::PctChildrenRhiOffered
            | Metric::PctEpisodesRhiOffered
            | Metric::PctRhiAccepted
            | Metric::PctEpisodesRhiCompleted
            | Metric::PctRhiWithin72h => Better::Higher,
            Metric::EpisodesRhiOffered
            | Metric::EpisodesRhiAccepted
            | Metric::EpisodesRhiCompleted
            | Metric::EpisodesRhiWithin72h
            | Metric::ChildrenRhiOffered
            | Metric::ChildrenRhiCompleted => Better::Neutral,
        }
    }
}

/// A metric is written by its export id (`pct_rhi_within_72h`).
impl<'de> Deserialize<'de> for Metric {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::checked::text(deserializer, "a metric id of METRICS.md", |id| {
            Metric::ALL.into_iter().find(|m| m.id() == id.trim()).ok_or_else(|| {
                let ids: Vec<&str> = Metric::ALL.iter().map(|m| m.id()).collect();
                format!("`{id}` is not a metric of METRICS.md ({})", ids.join(", "))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn resolve(yaml: &str) -> Result<BTreeMap<Metric, Target>, String> {
        let settings: BTreeMap<Metric, TargetSetting> = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
        settings.into_iter().map(|(metric, setting)| Ok((metric, setting.resolve(metric)?))).collect()
    }

    #[test]
    fn targets_are_keyed_by_metric_id_and_take_the_metric_s_direction_unless_told() {
        let targets = resolve("pct_rhi_within_72h: {target: 80}\nepisodes: {target: 100}\nchildren: {better: neutral}\n").unwrap();
        assert_eq!(targets[&Metric::PctRhiWithin72h], Target { target: Some(80.0), better: Better::Higher });
        assert_eq!(targets[&Metric::Episodes], Target { target: Some(100.0), better: Better::Lower });
        assert_eq!(targets[&Metric::Children], Target { target: None, better: Better::Neutral });
        let error = resolve("pct_within: {target: 80}\n").unwrap_err();
        assert!(error.contains("`pct_within` is not a metric") && error.contains("pct_rhi_within_72h"), "{error}");
    }

    #[test]
    fn a_target_needs_a_direction_and_an_entry_needs_a_key() {
        let error = resolve("episodes: {target: 100, better: neutral}\n").unwrap_err();
        assert!(error.contains("targets.episodes") && error.contains("better: lower"), "{error}");
        assert!(resolve("episodes: {}\n").unwrap_err().contains("neither"));
        assert!(resolve("episodes: {target: .nan}\n").unwrap_err().contains("must be a number"));
    }
}
