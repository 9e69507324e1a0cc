//! Return home interviews by month: the share of episodes offered one, of
//! offers accepted, and of completed interviews done within the timescale,
//! with any configured target as a reference line.

use anyhow::Result;
use plotters::prelude::RGBColor;

use super::axes::{column_frame, label_months, Margins, ValueAxis};
use super::chart::{Chart, Drawn, OmittedChart, Point};
use super::context::ChartContext;
use super::describe::month_series;
use super::marks::{self, legend, legend_rows, Mark};
use super::series::{self, label_at, month_table, single, span, values};
use super::style::{draw_svg, DARK_BLUE, HEIGHT, ORANGE, TURQUOISE};
use crate::metrics::{Cohort, Metric, Metrics};

pub fn monthly_rhi_rates(metrics: &Metrics, context: &ChartContext) -> Result<Drawn> {
    let title = "Return home interviews, month by month".to_string();
    let hours = metrics.rules.rhi_timescale_hours;
    let within = format!("Completed interviews within {hours} hours");
    let wanted = [
        (Metric::PctEpisodesRhiOffered, "Episodes offered an interview".to_string(), DARK_BLUE),
        (Metric::PctRhiAccepted, "Offers accepted".to_string(), ORANGE),
        (Metric::PctRhiWithin72h, within, TURQUOISE),
    ];
    let shown: Vec<_> = wanted.iter().filter(|(metric, _, _)| metrics.available.contains(metric)).cloned().collect();
    let months = series::months(metrics, single);
    if shown.is_empty() {
        let mut needed: Vec<&str> = wanted.iter().flat_map(|(metric, _, _)| metric.needs()).map(|f| f.name()).collect();
        needed.sort_unstable();
        needed.dedup();
        return Ok(Drawn::Omitted(OmittedChart {
            name: "monthly_rhi_rates".into(),
            title,
            note: format!(
                "Return home interviews are not recorded in the input (the chart needs the {} columns), so their chart is left out.",
                needed.join(", ")
            ),
        }));
    }
    if months.is_empty() {
        return Ok(Drawn::no_months("monthly_rhi_rates", title));
    }
    let lines: Vec<(Metric, String, RGBColor, Vec<Point>)> = shown
        .into_iter()
        .map(|(metric, name, colour)| {
            let points = series::points(metrics, Cohort::All, metric, &months, single);
            (metric, name, colour, points)
        })
        .collect();
    // Each target is dashed in its line's colour, so two targets cannot be mistaken for each other.
    let targets: Vec<(f64, String, RGBColor)> = lines
        .iter()
        .filter_map(|(metric, name, colour, _)| context.targets.get(metric).map(|t| (*t, name.to_lowercase(), *colour)))
        .collect();

    let mut description = format!("Line chart of percentages by month, {}.", span(&months));
    for (_, name, _, points) in &lines {
        description.push(' ');
        description.push_str(&month_series(&format!("{name} (per cent)"), &months, points, true));
    }
    // A one-month chart has no line to draw a target along.
    if months.len() > 1 {
        for (target, name, _) in &targets {
            description.push_str(&format!(" The target for {name}, {}, is drawn as a dashed line.", target_text(*target)));
        }
    }

    let mut entries: Vec<(String, RGBColor, Mark)> = lines.iter().map(|(_, name, colour, _)| (name.clone(), *colour, Mark::Line)).collect();
    // Targets are named in the legend, not over the lines, so no data is hidden behind a label.
    for (target, name, colour) in targets.iter().filter(|_| months.len() > 1) {
        entries.push((format!("Target: {name} {}", target_text(*target)), *colour, Mark::Dashed));
    }
    let rows = legend_rows(&entries);
    let margins = Margins { top: 24 + 28 * rows, right: 72, bottom: 44, left: 78 };
    let svg = draw_svg(HEIGHT, &title, &description, |root| {
        let mut chart = column_frame(root, months.len(), ValueAxis::percent("Per cent"), margins)?;
        for (target, _, colour) in &targets {
            marks::line(&mut chart, &vec![Some(*target); months.len()], *colour, Mark::Dashed)?;
        }
        let mut ends = Vec::new();
        for (_, _, colour, points) in &lines {
            marks::line(&mut chart, &values(points), *colour, Mark::Line)?;
            if let Some((i, v)) = points.iter().enumerate().rev().find_map(|(i, p)| p.value().map(|v| (i, v))) {
                ends.push((v, label_at(v, &months, i, true), *colour));
            }
        }
        marks::end_labels(root, &chart, months.len().saturating_sub(1) as f64, &ends)?;
        label_months(root, &chart, &months)?;
        legend(root, &entries, 20)
    })?;
    let columns: Vec<(String, &[Point], bool)> =
        lines.iter().map(|(_, name, _, points)| (format!("{name} (%)"), points.as_slice(), true)).collect();
    let columns: Vec<(&str, &[Point], bool)> = columns.iter().map(|(n, p, r)| (n.as_str(), *p, *r)).collect();
    Ok(Drawn::Chart(Chart {
        name: "monthly_rhi_rates".into(),
        caption: format!(
            "Of episodes that started in each month: the percentage offered a return home interview, of those offered the percentage accepted, and of interviews completed the percentage done within {hours} hours of the child's return. A month with nothing to divide by is left as a gap."
        ),
        data: month_table(&months, &columns),
        title,
        alt: description,
        svg,
    }))
}

/// A target as set: `80%`, or `85.5%` when it is not whole.
fn target_text(target: f64) -> String {
    if target.fract() == 0.0 {
        format!("{target:.0}%")
    } else {
        format!("{target:.1}%")
    }
}
