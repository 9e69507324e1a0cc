//! Targets a council sets for a metric (`targets:` in the configuration):
//! the value aimed for and which way is better. Charts draw them as
//! reference lines.

use serde::{Deserialize, Deserializer};

use super::catalogue::Metric;

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub target: f64,
    #[serde(default)]
    pub better: Better,
}

/// Which way a metric should move.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    #[default]
    Higher,
    Lower,
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

    #[test]
    fn targets_are_keyed_by_metric_id() {
        let targets: BTreeMap<Metric, Target> =
            serde_yaml::from_str("pct_rhi_within_72h: {target: 80}\nepisodes: {target: 100, better: lower}\n").unwrap();
        assert_eq!(targets[&Metric::PctRhiWithin72h], Target { target: 80.0, better: Better::Higher });
        assert_eq!(targets[&Metric::Episodes].better, Better::Lower);
        let error = serde_yaml::from_str::<BTreeMap<Metric, Target>>("pct_within: {target: 80}\n").unwrap_err().to_string();
        assert!(error.contains("`pct_within` is not a metric") && error.contains("pct_rhi_within_72h"), "{error}");
    }
}
