//! The vocabulary of METRICS.md: cohorts, period kinds, the headline
//! metrics with their export ids and the input columns they need, and how a
//! metric's value follows from a window's `Totals`.

use crate::ingest::Field;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cohort {
    All,
    LookedAfter,
    NotLookedAfter,
}

impl Cohort {
    pub const ALL: [Cohort; 3] = [Cohort::All, Cohort::LookedAfter, Cohort::NotLookedAfter];
    pub fn id(self) -> &'static str {
        match self {
            Cohort::All => "all",
            Cohort::LookedAfter => "looked_after",
            Cohort::NotLookedAfter => "not_looked_after",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
    Rolling12,
}

impl PeriodKind {
    pub fn id(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
            PeriodKind::Rolling12 => "rolling12",
        }
    }
}

/// Sums over one cohort and window. `children*` are distinct over the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub episodes: u64,
    pub children: u64,
    pub absences: u64,
    pub episodes_open: u64,
    pub episodes_over_24h: u64,
    pub episodes_rhi_offered: u64,
    pub episodes_rhi_accepted: u64,
    pub episodes_rhi_declined: u64,
    pub episodes_rhi_completed: u64,
    pub episodes_rhi_within_72h: u64,
    pub children_rhi_offered: u64,
    pub children_rhi_completed: u64,
    /// Children with an episode completing a run of the repeat trigger.
    pub children_repeat: u64,
    pub children_repeat_30d: u64,
    /// Episodes of the `top_n` children with most episodes.
    pub episodes_top_children: u64,
    /// Children by number of episodes, in `EPISODES_PER_CHILD_BANDS` order.
    pub children_by_episodes: [u64; 7],
}

/// The headline metrics of METRICS.md, with their export ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    Episodes,
    Children,
    EpisodesPerChild,
    Absences,
    EpisodesOpen,
    EpisodesOver24h,
    EpisodesRhiOffered,
    EpisodesRhiAccepted,
    EpisodesRhiDeclined,
    EpisodesRhiCompleted,
    EpisodesRhiWithin72h,
    ChildrenRhiOffered,
    ChildrenRhiCompleted,
    PctChildrenRhiOffered,
    PctEpisodesRhiOffered,
    PctRhiAccepted,
    PctEpisodesRhiCompleted,
    PctRhiWithin72h,
    ChildrenRepeat,
    ChildrenRepeat30d,
    Top20Share,
}

/// A metric's value: a count, or a percentage that is empty when its denominator is 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Count(u64),
    Rate(Option<f64>),
    /// A small count hidden by suppression (`c`).
    Suppressed,
}

impl Value {
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Rate(r) => r,
            Value::Suppressed => None,
        }
    }
}

pub(super) fn ratio(numerator: u64, denominator: u64, scale: f64) -> Value {
    Value::Rate((denominator > 0).then(|| numerator as f64 * scale / denominator as f64))
}

impl Metric {
    pub const ALL: [Metric; 21] = [
        Metric::Episodes,
        Metric::Children,
        Metric::EpisodesPerChild,
        Metric::Absences,
        Metric::EpisodesOpen,
        Metric::EpisodesOver24h,
        Metric::EpisodesRhiOffered,
        Metric::EpisodesRhiAccepted,
        Metric::EpisodesRhiDeclined,
        Metric::EpisodesRhiCompleted,
        Metric::EpisodesRhiWithin72h,
        Metric::ChildrenRhiOffered,
        Metric::ChildrenRhiCompleted,
        Metric::PctChildrenRhiOffered,
        Metric::PctEpisodesRhiOffered,
        Metric::PctRhiAccepted,
        Metric::PctEpisodesRhiCompleted,
        Metric::PctRhiWithin72h,
        Metric::ChildrenRepeat,
        Metric::ChildrenRepeat30d,
        Metric::Top20Share,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Metric::Episodes => "episodes",
            Metric::Children => "children",
            Metric::EpisodesPerChild => "episodes_per_child",
            Metric::Absences => "absences",
            Metric::EpisodesOpen => "episodes_open",
            Metric::EpisodesOver24h => "episodes_over_24h",
            Metric::EpisodesRhiOffered => "episodes_rhi_offered",
            Metric::EpisodesRhiAccepted => "episodes_rhi_accepted",
            Metric::EpisodesRhiDeclined => "episodes_rhi_declined",
            Metric::EpisodesRhiCompleted => "episodes_rhi_completed",
            Metric::EpisodesRhiWithin72h => "episodes_rhi_within_72h",
            Metric::ChildrenRhiOffered => "children_rhi_offered",
            Metric::ChildrenRhiCompleted => "children_rhi_completed",
            Metric::PctChildrenRhiOffered => "pct_children_rhi_offered",
            Metric::PctEpisodesRhiOffered => "pct_episodes_rhi_offered",
            Metric::PctRhiAccepted => "pct_rhi_accepted",
            Metric::PctEpisodesRhiCompleted => "pct_episodes_rhi_completed",
            Metric::PctRhiWithin72h => "pct_rhi_within_72h",
            Metric::ChildrenRepeat => "children_repeat",
            Metric::ChildrenRepeat30d => "children_repeat_30d",
            Metric::Top20Share => "top20_share",
        }
    }

    pub fn is_rate(self) -> bool {
        matches!(self.value(&Totals::default()), Value::Rate(_))
    }

    /// Input columns the metric needs beyond the required ones.
    pub fn needs(self) -> &'static [Field] {
        match self {
            Metric::Episodes
            | Metric::Children
            | Metric::EpisodesPerChild
            | Metric::ChildrenRepeat
            | Metric::ChildrenRepeat30d
            | Metric::Top20Share => &[],
            Metric::Absences => &[Field::EpisodeType],
            Metric::EpisodesOpen | Metric::EpisodesOver24h => &[Field::End],
            Metric::EpisodesRhiOffered | Metric::ChildrenRhiOffered | Metric::PctChildrenRhiOffered | Metric::PctEpisodesRhiOffered => {
                &[Field::RhiOffered]
            }
            Metric::EpisodesRhiAccepted | Metric::EpisodesRhiDeclined => &[Field::RhiOffered, Field::RhiOutcome],
            Metric::PctRhiAccepted => &[Field::RhiOffered, Field::RhiOutcome],
            Metric::EpisodesRhiCompleted | Metric::ChildrenRhiCompleted | Metric::PctEpisodesRhiCompleted => &[Field::RhiCompleted],
            Metric::EpisodesRhiWithin72h | Metric::PctRhiWithin72h => &[Field::RhiCompleted, Field::End],
        }
    }

    pub fn value(self, t: &Totals) -> Value {
        match self {
            Metric::Episodes => Value::Count(t.episodes),
            Metric::Children => Value::Count(t.children),
            Metric::EpisodesPerChild => ratio(t.episodes, t.children, 1.0),
            Metric::Absences => Value::Count(t.absences),
            Metric::EpisodesOpen => Value::Count(t.episodes_open),
            Metric::EpisodesOver24h => Value::Count(t.episodes_over_24h),
            Metric::EpisodesRhiOffered => Value::Count(t.episodes_rhi_offered),
            Metric::EpisodesRhiAccepted => Value::Count(t.episodes_rhi_accepted),
            Metric::EpisodesRhiDeclined => Value::Count(t.episodes_rhi_declined),
            Metric::EpisodesRhiCompleted => Value::Count(t.episodes_rhi_completed),
            Metric::EpisodesRhiWithin72h => Value::Count(t.episodes_rhi_within_72h),
            Metric::ChildrenRhiOffered => Value::Count(t.children_rhi_offered),
            Metric::ChildrenRhiCompleted => Value::Count(t.children_rhi_completed),
            Metric::PctChildrenRhiOffered => ratio(t.children_rhi_offered, t.children, 100.0),
            Metric::PctEpisodesRhiOffered => ratio(t.episodes_rhi_offered, t.episodes, 100.0),
            Metric::PctRhiAccepted => ratio(t.episodes_rhi_accepted, t.episodes_rhi_offered, 100.0),
            Metric::PctEpisodesRhiCompleted => ratio(t.episodes_rhi_completed, t.episodes, 100.0),
            Metric::PctRhiWithin72h => ratio(t.episodes_rhi_within_72h, t.episodes_rhi_completed, 100.0),
            Metric::ChildrenRepeat => Value::Count(t.children_repeat),
            Metric::ChildrenRepeat30d => Value::Count(t.children_repeat_30d),
            Metric::Top20Share => ratio(t.episodes_top_children, t.episodes, 100.0),
        }
    }
}
