//! The month-on-month and rolling-twelve-month charts of children and
//! episodes, with their captions and alt text written from the data.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{axis_top, draw_axes, draw_legend};
use super::chart::Chart;
use super::style::{bold, draw_err, draw_svg, CHILDREN_COLOUR, EPISODES_COLOUR};
use crate::format::thousands;
use crate::metrics::{Cohort, Metric, Metrics, Window};
use crate::period::YearMonth;

/// Up to 24 months of points ending at the report's period end.
pub struct Series {
    pub months: Vec<YearMonth>,
    pub episodes: Vec<u64>,
    pub children: Vec<u64>,
}

pub fn series(metrics: &Metrics, end: YearMonth, window_of: impl Fn(YearMonth) -> Window) -> Series {
    let mut out = Series { months: Vec::new(), episodes: Vec::new(), children: Vec::new() };
    for month in Window::new(end.plus(-23), end).months() {
        let window = window_of(month);
        if !metrics.covers(window) {
            continue;
        }
        let (Some(episodes), Some(children)) = (
            metrics.value(Cohort::All, window, Metric::Episodes).and_then(|v| v.as_f64()),
            metrics.value(Cohort::All, window, Metric::Children).and_then(|v| v.as_f64()),
        ) else {
            continue;
        };
        out.months.push(month);
        out.episodes.push(episodes as u64);
        out.children.push(children as u64);
    }
    out
}

pub fn monthly_chart(series: &Series) -> Result<Chart> {
    let svg = draw_svg(|root| {
        let top = axis_top(series.episodes.iter().chain(&series.children).copied().max().unwrap_or(0));
        let mut chart = draw_axes(root, &series.months, top, "Number")?;
        chart
            .draw_series(
                series.episodes.iter().enumerate().map(|(i, v)| {
                    Rectangle::new([(i as f64 - 0.36, 0.0), (i as f64 + 0.36, *v as f64)], EPISODES_COLOUR.mix(0.85).filled())
                }),
            )
            .map_err(draw_err)?;
        chart
            .draw_series(LineSeries::new(
                series.children.iter().enumerate().map(|(i, v)| (i as f64, *v as f64)),
                CHILDREN_COLOUR.stroke_width(3),
            ))
            .map_err(draw_err)?;
        chart
            .draw_series(series.children.iter().enumerate().map(|(i, v)| Circle::new((i as f64, *v as f64), 4, CHILDREN_COLOUR.filled())))
            .map_err(draw_err)?;
        // Values: episodes above each bar, children just below the line, in the series colours.
        for (i, (episodes, children)) in series.episodes.iter().zip(&series.children).enumerate() {
            let (x, y) = chart.backend_coord(&(i as f64, *episodes as f64));
            root.draw(&Text::new(
                thousands(*episodes),
                (x, y - 4),
                bold(14).color(&EPISODES_COLOUR).pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))
            .map_err(draw_err)?;
            let (x, y) = chart.backend_coord(&(i as f64, *children as f64));
            root.draw(&Text::new(thousands(*children), (x, y + 8), bold(14).color(&WHITE).pos(Pos::new(HPos::Center, VPos::Top))))
                .map_err(draw_err)?;
        }
        draw_legend(root, &[("Missing episodes", EPISODES_COLOUR, true), ("Children who went missing", CHILDREN_COLOUR, false)])
    })?;
    let (first, last) = (series.months.first(), series.months.last());
    let span = match (first, last) {
        (Some(f), Some(l)) => format!("{} to {}", f.short_name(), l.short_name()),
        _ => "no months".into(),
    };
    Ok(Chart {
        name: "monthly_children_episodes",
        title: "Missing children and missing episodes, month on month".into(),
        caption: format!(
            "Episodes that started in each month (bars) and the number of different children they involved (line), {span}. A child who went missing several times in a month is counted once in that month."
        ),
        alt: describe("Bar and line chart by month", series, "episodes", "children"),
        svg,
    })
}

pub fn rolling_chart(series: &Series) -> Result<Chart> {
    let svg = draw_svg(|root| {
        let top = axis_top(series.episodes.iter().chain(&series.children).copied().max().unwrap_or(0));
        let mut chart = draw_axes(root, &series.months, top, "Number in the 12 months to the month shown")?;
        for (values, colour) in [(&series.episodes, EPISODES_COLOUR), (&series.children, CHILDREN_COLOUR)] {
            chart
                .draw_series(LineSeries::new(values.iter().enumerate().map(|(i, v)| (i as f64, *v as f64)), colour.stroke_width(3)))
                .map_err(draw_err)?;
            chart
                .draw_series(values.iter().enumerate().map(|(i, v)| Circle::new((i as f64, *v as f64), 3, colour.filled())))
                .map_err(draw_err)?;
            // Label the first and last points and every third month between.
            let last = values.len().saturating_sub(1);
            for (i, v) in values.iter().enumerate() {
                if i % 3 != last % 3 && i != 0 {
                    continue;
                }
                let (x, y) = chart.backend_coord(&(i as f64, *v as f64));
                root.draw(&Text::new(thousands(*v), (x, y - 10), bold(14).color(&colour).pos(Pos::new(HPos::Center, VPos::Bottom))))
                    .map_err(draw_err)?;
            }
        }
        draw_legend(
            root,
            &[
                ("Missing episodes (rolling 12 months)", EPISODES_COLOUR, false),
                ("Children who went missing (rolling 12 months)", CHILDREN_COLOUR, false),
            ],
        )
    })?;
    Ok(Chart {
        name: "rolling12_children_episodes",
        title: "Missing children and missing episodes, rolling 12 months".into(),
        caption: "Each point covers the twelve months ending with the month shown. Children are counted once in each twelve-month window, however many times they went missing in it.".into(),
        alt: describe("Line chart of rolling twelve-month totals", series, "episodes", "children"),
        svg,
    })
}

/// Alt text: what the chart shows, its range and its latest values. No identifiers.
pub fn describe(kind: &str, series: &Series, a: &str, b: &str) -> String {
    let (Some(first), Some(last)) = (series.months.first(), series.months.last()) else {
        return format!("{kind}: no data.");
    };
    let range = |values: &[u64]| -> String {
        let (min_i, min) = values.iter().enumerate().min_by_key(|(_, v)| **v).map(|(i, v)| (i, *v)).unwrap_or((0, 0));
        let (max_i, max) = values.iter().enumerate().max_by_key(|(_, v)| **v).map(|(i, v)| (i, *v)).unwrap_or((0, 0));
        format!("from {min} ({}) to {max} ({})", series.months[min_i].short_name(), series.months[max_i].short_name())
    };
    format!(
        "{kind} from {} to {}. Missing {a} ranged {}; {b} ranged {}. In {}: {} {a} and {} {b}.",
        first.short_name(),
        last.short_name(),
        range(&series.episodes),
        range(&series.children),
        last.short_name(),
        series.episodes.last().unwrap_or(&0),
        series.children.last().unwrap_or(&0),
    )
}
