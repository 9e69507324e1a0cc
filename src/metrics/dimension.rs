//! The breakdown dimensions of METRICS.md: their ids, categories, the
//! cohorts and metrics each is reported for, and the input columns it needs.

use super::catalogue::{Cohort, Metric};
use crate::ingest::Field;
use crate::rules::CountingRules;

/// The breakdown dimensions of METRICS.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    AgeBand,
    Sex,
    EthnicityGroup,
    Reason,
    Exploitation,
    DurationBand,
    PlacementArea,
    Uasc,
    EpisodesPerChild,
}

/// `episodes_per_child` categories: (lowest, highest, label) episodes per child.
pub const EPISODES_PER_CHILD_BANDS: [(u32, u32, &str); 7] =
    [(1, 1, "1"), (2, 2, "2"), (3, 3, "3"), (4, 4, "4"), (5, 5, "5"), (6, 10, "6_10"), (11, u32::MAX, "11_plus")];

/// `under_10`, `10_12`, ..., `18_plus`, `unknown` for bounds `[10, 13, 16, 18]`.
pub fn age_band_labels(bounds: &[u32]) -> Vec<String> {
    let mut labels = Vec::new();
    if let Some(first) = bounds.first() {
        labels.push(format!("under_{first}"));
    }
    for pair in bounds.windows(2) {
        labels.push(format!("{}_{}", pair[0], pair[1] - 1));
    }
    if let Some(last) = bounds.last() {
        labels.push(format!("{last}_plus"));
    }
    labels.push("unknown".into());
    labels
}

impl Dimension {
    pub const ALL: [Dimension; 9] = [
        Dimension::AgeBand,
        Dimension::Sex,
        Dimension::EthnicityGroup,
        Dimension::Reason,
        Dimension::Exploitation,
        Dimension::DurationBand,
        Dimension::PlacementArea,
        Dimension::Uasc,
        Dimension::EpisodesPerChild,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Dimension::AgeBand => "age_band",
            Dimension::Sex => "sex",
            Dimension::EthnicityGroup => "ethnicity_group",
            Dimension::Reason => "reason",
            Dimension::Exploitation => "exploitation",
            Dimension::DurationBand => "duration_band",
            Dimension::PlacementArea => "placement_area",
            Dimension::Uasc => "uasc",
            Dimension::EpisodesPerChild => "episodes_per_child",
        }
    }

    /// Input columns the dimension is read from.
    pub fn needs(self) -> &'static [Field] {
        match self {
            Dimension::AgeBand => &[Field::DateOfBirth],
            Dimension::Sex => &[Field::Sex],
            Dimension::EthnicityGroup => &[Field::Ethnicity],
            Dimension::Reason => &[Field::Reason],
            Dimension::Exploitation => &[Field::CseRisk, Field::CceRisk],
            Dimension::DurationBand => &[Field::End],
            Dimension::PlacementArea => &[Field::PlacementArea],
            Dimension::Uasc => &[Field::Uasc],
            Dimension::EpisodesPerChild => &[],
        }
    }

    /// Whether the input has what the dimension is read from: every column
    /// it needs, or for `exploitation` either of the pair (`partial`).
    pub fn available(self, has: impl Fn(Field) -> bool) -> bool {
        match self {
            Dimension::Exploitation => self.needs().iter().any(|f| has(*f)),
            _ => self.needs().iter().all(|f| has(*f)),
        }
    }

    /// With only one of the `exploitation` pair: the one category that can
    /// be counted (`cse`: episodes with a CSE concern) and those that are not
    /// recorded. `None` when the dimension has all it needs.
    pub fn partial(self, has: impl Fn(Field) -> bool) -> Option<(&'static str, [&'static str; 3])> {
        if self != Dimension::Exploitation {
            return None;
        }
        match (has(Field::CseRisk), has(Field::CceRisk)) {
            (true, false) => Some(("cse", ["cce", "both", "none"])),
            (false, true) => Some(("cce", ["cse", "both", "none"])),
            _ => None,
        }
    }

    /// An episode may fall under several categories (reasons).
    pub fn multi_valued(self) -> bool {
        self == Dimension::Reason
    }

    /// Cohorts the dimension is reported for.
    pub fn cohorts(self) -> &'static [Cohort] {
        match self {
            Dimension::PlacementArea | Dimension::Uasc => &[Cohort::LookedAfter],
            _ => &Cohort::ALL,
        }
    }

    /// Metrics reported per category.
    pub fn metrics(self) -> &'static [Metric] {
        match self {
            Dimension::EpisodesPerChild => &[Metric::Children],
            _ => &[Metric::Children, Metric::Episodes],
        }
    }

    /// The fixed categories, in report order; `None` for reasons (read from the data).
    pub fn categories(self, rules: &CountingRules) -> Option<Vec<String>> {
        let fixed = |labels: &[&str]| Some(labels.iter().map(|l| l.to_string()).collect());
        match self {
            Dimension::AgeBand => Some(age_band_labels(&rules.age_bands)),
            Dimension::Sex => fixed(&["male", "female", "other_unknown"]),
            Dimension::EthnicityGroup => fixed(&["white", "mixed", "asian", "black", "other", "not_known"]),
            Dimension::Reason => None,
            Dimension::Exploitation => fixed(&["cse", "cce", "both", "none"]),
            Dimension::DurationBand => fixed(&["under_24h", "24_72h", "3_7_days", "over_7_days", "open", "unknown"]),
            Dimension::PlacementArea => fixed(&["in_area", "out_of_area", "unknown"]),
            Dimension::Uasc => fixed(&["uasc", "not_uasc", "unknown"]),
            Dimension::EpisodesPerChild => Some(EPISODES_PER_CHILD_BANDS.iter().map(|(_, _, l)| l.to_string()).collect()),
        }
    }
}
