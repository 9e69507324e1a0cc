//! Draws the report's charts as SVG text with plotters, in memory, from the
//! `Metrics` value (no figure is computed twice). `style` holds the look
//! and the canvas, `axes` the frames, `marks` the bars, lines and labels,
//! `series` the values over months, `describe` the alt text; one file per
//! chart family (`trend`, `rates`, `quarters`, `categories`, `spc` for the
//! statistical process control charts, and `regional` for the authorities
//! of a region side by side); `png` turns
//! an SVG into a PNG. Each chart carries a title, a caption, alt text and
//! the data it shows.

mod axes;
mod categories;
mod chart;
mod context;
mod describe;
mod marks;
mod png;
mod quarters;
mod rates;
mod regional;
mod series;
mod spc;
mod style;
mod trend;

use anyhow::Result;

pub use chart::{Chart, ChartData, Charts, OmittedChart};
pub use context::ChartContext;
pub use png::to_png;
pub use regional::{authorities, PER_CHART};
pub use spc::chart_name as spc_chart_name;

use crate::metrics::Metrics;
use chart::Drawn;

/// Draws every chart the templates use; the files are written in this order
/// (the template places each chart by name).
pub fn draw(metrics: &Metrics, context: &ChartContext) -> Result<Charts> {
    style::register_fonts();
    let mut drawn = vec![
        trend::monthly_children_episodes(metrics)?,
        trend::rolling12_children_episodes(metrics)?,
        trend::repeat_children(metrics)?,
        rates::monthly_rhi_rates(metrics, context)?,
        quarters::quarterly_comparison(metrics)?,
    ];
    for (name, dimension, subject) in categories::BREAKDOWNS {
        drawn.push(categories::breakdown(metrics, name, dimension, subject)?);
    }
    drawn.push(categories::episodes_per_child(metrics)?);
    drawn.extend(spc::charts(metrics, context)?);
    let mut charts = Charts::default();
    for chart in drawn {
        match chart {
            Drawn::Chart(chart) => charts.charts.push(chart),
            Drawn::Omitted(omitted) => charts.omitted.push(omitted),
        }
    }
    Ok(charts)
}
