//! The authorities of a region side by side (`build --by authority`): one
//! figure per chart, a bar per authority and the region's figure as a
//! dashed line, at most forty authorities to a chart so every name stays
//! readable on the page.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{bar_frame, row_position, Margins, ValueAxis};
use super::chart::{Chart, ChartData, Point};
use super::marks::{legend, Mark};
use super::style::{draw_err, draw_svg, font, DARK_BLUE, HEIGHT, ORANGE, VALUE_SIZE};
use crate::metrics::{Metric, RegionalFigures, Value, COMPARED};

/// Authorities in one chart.
pub const PER_CHART: usize = 40;

/// The figures charted: metric, file stem, what a bar shows.
const CHARTED: [(Metric, &str, &str); 2] = [
    (Metric::PctEpisodesRhiOffered, "authorities_rhi_offered", "Episodes offered a return home interview (per cent)"),
    (Metric::EpisodesPerChild, "authorities_episodes_per_child", "Missing episodes per child"),
];

/// A figure as the bars are labelled: one decimal place, `%` for a percentage.
fn figure_text(value: f64, percent: bool) -> String {
    if percent {
        format!("{value:.1}%")
    } else {
        format!("{value:.1}")
    }
}

/// The charts of the figures the input records, each split into parts of `PER_CHART` authorities.
pub fn authorities(figures: &RegionalFigures) -> Result<Vec<Chart>> {
    let mut charts = Vec::new();
    let period = figures.window.name();
    for (metric, stem, what) in CHARTED {
        let Some(position) = COMPARED.iter().position(|m| *m == metric) else { continue };
        let Some(Value::Rate(Some(region))) = figures.region[position] else { continue };
        let percent = metric != Metric::EpisodesPerChild;
        let parts: Vec<&[(String, _)]> = figures.authorities.chunks(PER_CHART).collect();
        for (part, authorities) in parts.iter().enumerate() {
            let name = if parts.len() == 1 { stem.to_string() } else { format!("{stem}_{}", part + 1) };
            let first = part * PER_CHART + 1;
            let which = if parts.len() == 1 {
                String::new()
            } else {
                format!(" (authorities {first} to {} of {})", first + authorities.len() - 1, figures.authorities.len())
            };
            let title = format!("{what}, {period}, by authority{which}");
            let labels: Vec<String> = authorities.iter().map(|(name, _)| name.clone()).collect();
            let points: Vec<Point> = authorities.iter().map(|(_, values)| Point::of(values[position])).collect();
            let region_text = figure_text(region, percent);
            let description = describe(&what.to_lowercase(), &period, &labels, &points, &region_text, percent);
            let largest = points.iter().filter_map(|p| p.value()).fold(region, f64::max);
            let axis = if percent { ValueAxis::percent("Per cent") } else { ValueAxis::counts(largest, "Episodes per child") };
            let height = (150 + 24 * labels.len() as u32).max(HEIGHT / 2);
            let entries = vec![("Authority".to_string(), DARK_BLUE, Mark::Bar), (format!("Region: {region_text}"), ORANGE, Mark::Dashed)];
            let svg = draw_svg(height, &title, &description, |root| {
                let mut chart = bar_frame(root, &labels, axis, Margins { top: 52, right: 70, bottom: 52, left: 80 })?;
                let n = points.len();
                let bar = |i: usize| row_position(i, n);
                chart
                    .draw_series(points.iter().enumerate().filter_map(|(i, p)| {
                        p.value().map(|v| Rectangle::new([(0.0, bar(i) - 0.32), (v, bar(i) + 0.32)], DARK_BLUE.filled()))
                    }))
                    .map_err(draw_err)?;
                for (i, point) in points.iter().enumerate() {
                    let text = match point {
                        Point::Value(v) => figure_text(*v, percent),
                        Point::Hidden => "c".into(),
                        Point::Missing => "not recorded".into(),
                    };
                    // Past the bar and the region's line both, so no label is crossed by the line.
                    let (x, y) = chart.backend_coord(&(point.value().unwrap_or(0.0).max(region), bar(i)));
                    root.draw(&Text::new(text, (x + 6, y), font(VALUE_SIZE).pos(Pos::new(HPos::Left, VPos::Center)))).map_err(draw_err)?;
                }
                let top = n as f64 - 0.5;
                chart
                    .draw_series(DashedLineSeries::new(vec![(region, -0.5), (region, top)], 8, 6, ORANGE.stroke_width(3)))
                    .map_err(draw_err)?;
                legend(root, &entries, 20)
            })?;
            let mut rows: Vec<Vec<String>> =
                labels.iter().zip(&points).map(|(label, point)| vec![label.clone(), point.text(false)]).collect();
            rows.push(vec!["Region".into(), Point::Value(region).text(false)]);
            charts.push(Chart {
                name: name.into(),
                caption: format!(
                    "{what} in {period}: each authority from its own episodes; the dashed line is the region's figure ({region_text}), from all the authorities' episodes together."
                ),
                data: ChartData { columns: vec!["Authority".into(), what.to_string()], rows },
                title,
                alt: description,
                svg,
            });
        }
    }
    Ok(charts)
}

/// The chart in words: what it shows, the region's figure, the highest and
/// lowest authorities and how many are above the region.
fn describe(what: &str, period: &str, labels: &[String], points: &[Point], region: &str, percent: bool) -> String {
    let mut known: Vec<(&str, f64)> = labels.iter().zip(points).filter_map(|(l, p)| p.value().map(|v| (l.as_str(), v))).collect();
    let mut text = format!(
        "Horizontal bar chart of {what} in {period} for {} authorities, with the region's figure, {region}, as a dashed line.",
        labels.len()
    );
    if known.is_empty() {
        return text;
    }
    known.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let (high, low) = (known[0], known[known.len() - 1]);
    text.push_str(&format!(
        " Highest: {} ({}); lowest: {} ({}).",
        high.0,
        figure_text(high.1, percent),
        low.0,
        figure_text(low.1, percent)
    ));
    let missing = points.len() - known.len();
    if missing > 0 {
        text.push_str(&format!(" {missing} with no figure."));
    }
    text
}
