//! A region's authorities side by side (`build --by authority`): each
//! authority's headline figures over the reporting year, as its own paper
//! prints them, and the region's, computed from every authority's episodes
//! together (each child counted under its own authority).

use super::catalogue::{Cohort, Metric, Value};
use super::compute::Metrics;
use super::windows::Window;

/// The figures compared, in the order the table and charts show them.
pub const COMPARED: [Metric; 7] = [
    Metric::Children,
    Metric::Episodes,
    Metric::EpisodesPerChild,
    Metric::PctEpisodesRhiOffered,
    Metric::PctRhiAccepted,
    Metric::PctRhiWithin72h,
    Metric::ChildrenRepeat,
];

/// One authority's (or the region's) `COMPARED` figures: `None` where its
/// input lacks the columns a figure needs.
pub type ComparedFigures = [Option<Value>; COMPARED.len()];

/// Every authority's headline figures beside the region's.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionalFigures {
    /// The reporting year to the period end, the same for every authority.
    pub window: Window,
    pub region: ComparedFigures,
    /// By authority name, in name order.
    pub authorities: Vec<(String, ComparedFigures)>,
}

impl RegionalFigures {
    /// `region`: the metrics of every authority's episodes together.
    pub fn new(region: &Metrics, authorities: Vec<(String, ComparedFigures)>) -> RegionalFigures {
        let window = region.windows.year_to_date;
        RegionalFigures { window, region: compared(region, window), authorities }
    }
}

/// `metrics`' figures to compare over `window` (all children).
pub fn compared(metrics: &Metrics, window: Window) -> ComparedFigures {
    COMPARED.map(|metric| metrics.value(Cohort::All, window, metric))
}
