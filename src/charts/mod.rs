//! Draws the report's graphs as SVG text with plotters, in memory. `style`
//! holds the shared look and canvas, `axes` the month axes and legends, one
//! file per chart family (`trend`: month on month and rolling 12 months).
//! Each chart carries a title, a caption and an alt text for the paper.

mod axes;
mod chart;
mod style;
mod trend;

use anyhow::Result;

pub use chart::{Chart, Charts};

use crate::metrics::{Metrics, Window};

/// Draws every chart the templates use.
pub fn draw(metrics: &Metrics) -> Result<Charts> {
    style::register_fonts();
    let end = metrics.windows.period_end;
    let monthly = trend::series(metrics, end, |m| Window::new(m, m));
    let rolling = trend::series(metrics, end, |m| Window::new(m.plus(-11), m));
    let mut charts = vec![trend::monthly_chart(&monthly)?];
    if !rolling.months.is_empty() {
        charts.push(trend::rolling_chart(&rolling)?);
    }
    Ok(Charts { charts })
}
