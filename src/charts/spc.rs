//! Statistical process control charts in the manner of NHS England's "Making
//! Data Count": a month's value as a dot coloured (and shaped, for print in
//! black and white) by its variation, the average as a solid line, the
//! process limits dashed, the target dashed in red; one chart per SPC series
//! (`spc_<cohort>_<metric>`), its alt text from `signals`.

use anyhow::Result;
use plotters::prelude::*;

use super::axes::{axis_top, column_frame, label_months, Margins, ValueAxis};
use super::chart::{Chart, ChartData, Drawn, OmittedChart};
use super::context::ChartContext;
use super::marks::{self, legend, legend_rows, Mark};
use super::series::span;
use super::style::{draw_err, draw_svg, Area, HEIGHT, TEXT};
use crate::metrics::{Limits, Metrics, SpcSeries, Variation, SPC_MIN_VALUES};
use crate::period::YearMonth;
use crate::signals;

/// The Making Data Count palette: normal variation grey, improvement blue,
/// concern orange, neutral purple.
pub const COMMON_CAUSE: RGBColor = RGBColor(0xa6, 0xa6, 0xa6);
pub const IMPROVEMENT: RGBColor = RGBColor(0x00, 0xb0, 0xf0);
pub const CONCERN: RGBColor = RGBColor(0xe4, 0x6c, 0x0a);
pub const NEUTRAL: RGBColor = RGBColor(0x49, 0x00, 0x92);
const LIMIT_GREY: RGBColor = RGBColor(0x59, 0x59, 0x59);
const TARGET_RED: RGBColor = RGBColor(0xb0, 0x00, 0x20);

/// Every series' chart, in `Metrics::spc` order.
pub fn charts(metrics: &Metrics, context: &ChartContext) -> Result<Vec<Drawn>> {
    metrics.spc.iter().map(|series| chart(series, context.decimals)).collect()
}

/// `spc_all_episodes`.
pub fn chart_name(series: &SpcSeries) -> String {
    format!("spc_{}_{}", series.cohort.id(), series.metric.id())
}

fn colour(variation: Option<Variation>) -> RGBColor {
    match variation {
        Some(Variation::Improvement) => IMPROVEMENT,
        Some(Variation::Concern) => CONCERN,
        Some(Variation::Neutral) => NEUTRAL,
        _ => COMMON_CAUSE,
    }
}

fn chart(series: &SpcSeries, decimals: usize) -> Result<Drawn> {
    let name = chart_name(series);
    let what = signals::series_name(series);
    let title = format!("{what}: normal variation or a signal, month by month");
    let (Some(first), Some(last)) = (series.points.first(), series.points.last()) else {
        return Ok(Drawn::Omitted(OmittedChart { name: name.into(), title, note: "No month in the chart has a value.".into() }));
    };
    if last.limits.is_none() {
        let since_rebase = series.points.iter().rev().take_while(|p| p.limits.is_none()).count();
        let note = if since_rebase == series.points.len() {
            format!("Process limits need at least {SPC_MIN_VALUES} months with a value; the data holds {since_rebase} for this chart.")
        } else {
            format!("Process limits need at least {SPC_MIN_VALUES} months with a value since the last rebase month (spc.rebase); there are {since_rebase} so far.")
        };
        return Ok(Drawn::Omitted(OmittedChart { name: name.into(), title, note }));
    }
    // Every month from the first to the last, a gap where a month has no value.
    let months: Vec<YearMonth> = (0..=last.month.0 - first.month.0).map(|i| first.month.plus(i)).collect();
    let at = |m: YearMonth| series.points.iter().find(|p| p.month == m);
    let percent = series.metric.is_rate();

    let limits: Vec<&Limits> = series.points.iter().filter_map(|p| p.limits.as_ref()).collect();
    let highest = series.points.iter().map(|p| p.value).chain(limits.iter().map(|l| l.upper)).chain(series.target).fold(0.0, f64::max);
    let lowest =
        series.points.iter().map(|p| p.value).chain(limits.iter().map(|l| l.lower)).chain(series.target).fold(f64::INFINITY, f64::min);
    let axis_title = if percent { "Per cent" } else { "Number in the month" };
    let axis = if percent {
        ValueAxis::percent_fitted(lowest, highest, axis_title)
    } else {
        ValueAxis::counts(axis_top(highest) / 1.12, axis_title)
    };

    // The dots' entries first, each with the variation whose dot it shows.
    let mut dots: Vec<Option<Variation>> = vec![Some(Variation::CommonCause)];
    let mut entries: Vec<(String, RGBColor, Mark)> = vec![("Normal variation".into(), COMMON_CAUSE, Mark::Dot)];
    for (variation, label) in [
        (Variation::Improvement, "Improvement"),
        (Variation::Concern, "Concern"),
        (Variation::Neutral, "Signal (neither better nor worse)"),
    ] {
        if variation != Variation::Neutral || series.points.iter().any(|p| p.variation == Some(variation)) {
            entries.push((label.into(), colour(Some(variation)), Mark::Dot));
            dots.push(Some(variation));
        }
    }
    entries.push(("Average".into(), TEXT, Mark::Line));
    entries.push(("Process limits".into(), LIMIT_GREY, Mark::Dashed));
    if series.target.is_some() {
        entries.push(("Target".into(), TARGET_RED, Mark::Dashed));
    }
    let rows = legend_rows(&entries);
    let margins = Margins { top: 24 + 28 * rows, right: 128, bottom: 44, left: 78 };
    let clamp = |v: f64| v.clamp(axis.bottom, axis.top);

    let latest = signals::latest_reading(series, decimals).unwrap_or_default();
    let earlier = signals::earlier_signals(series);
    let last_limits = last.limits.unwrap_or(Limits { mean: 0.0, lower: 0.0, upper: 0.0, near_lower: 0.0, near_upper: 0.0 });
    let value = |v: f64| signals::value_text(series.metric, v, decimals);
    let range = signals::usual_range(series, last, decimals).unwrap_or_default();
    let description = format!(
        "Statistical process control chart of {} each month ({}), {}. The average is {}; the normal range (the process limits) is {range} a month. Latest month: {latest}.",
        signals::series_subject(series),
        signals::cohort_words(series.cohort),
        span(&months),
        value(last_limits.mean),
    );
    let mut description = description;
    if !earlier.is_empty() {
        description.push_str(&format!(" Earlier signals: {}.", earlier.join("; ")));
    }
    if let Some(target) = series.target {
        description.push_str(&format!(" The target is {}.", value(target)));
    }

    let svg = draw_svg(HEIGHT, &title, &description, |root| {
        let mut chart = column_frame(root, months.len(), axis, margins)?;
        let index = |m: YearMonth| (m.0 - first.month.0) as f64;
        // Average and limits, a segment per group of months sharing them.
        let mut groups: Vec<(Limits, f64, f64)> = Vec::new();
        for p in &series.points {
            let Some(l) = p.limits else { continue };
            match groups.last_mut() {
                Some(g) if g.0 == l => g.2 = index(p.month),
                _ => groups.push((l, index(p.month), index(p.month))),
            }
        }
        for (l, from, to) in &groups {
            let (from, to) = (from - 0.3, to + 0.3);
            chart.draw_series(LineSeries::new([(from, clamp(l.mean)), (to, clamp(l.mean))], TEXT.stroke_width(2))).map_err(draw_err)?;
            for limit in [l.lower, l.upper].into_iter().filter(|v| (axis.bottom..=axis.top).contains(v)) {
                chart
                    .draw_series(DashedLineSeries::new([(from, limit), (to, limit)], 9, 6, LIMIT_GREY.stroke_width(2)))
                    .map_err(draw_err)?;
            }
        }
        if let Some(target) = series.target.filter(|t| (axis.bottom..=axis.top).contains(t)) {
            let ends = [(-0.4, target), (months.len() as f64 - 0.6, target)];
            chart.draw_series(DashedLineSeries::new(ends, 12, 6, TARGET_RED.stroke_width(3))).map_err(draw_err)?;
        }
        // The months joined by a thin line, broken where a month has no value.
        for pair in months.windows(2) {
            if let (Some(a), Some(b)) = (at(pair[0]), at(pair[1])) {
                let line = [(index(a.month), clamp(a.value)), (index(b.month), clamp(b.value))];
                chart.draw_series(LineSeries::new(line, COMMON_CAUSE.stroke_width(2))).map_err(draw_err)?;
            }
        }
        for p in &series.points {
            dot(root, chart.backend_coord(&(index(p.month), clamp(p.value))), p.variation)?;
        }
        let mut ends = vec![(last_limits.mean, format!("Average {}", value(last_limits.mean)), TEXT)];
        for (limit, word) in [(last_limits.upper, "Upper"), (last_limits.lower, "Lower")] {
            if (axis.bottom..=axis.top).contains(&limit) {
                ends.push((limit, format!("{word} {}", value(limit)), LIMIT_GREY));
            }
        }
        marks::end_labels(root, &chart, months.len().saturating_sub(1) as f64, &ends)?;
        label_months(root, &chart, &months)?;
        legend(root, &entries, 20)?;
        for (variation, (x, y)) in dots.iter().zip(marks::legend_layout(&entries, 20)) {
            dot(root, (x + 11, y), *variation)?;
        }
        Ok(())
    })?;

    let text = |v: f64| if percent { format!("{v:.1}") } else { format!("{}", v.round() as i64) };
    let data = ChartData {
        columns: ["Month", "Value", "Average", "Lower limit", "Upper limit", "Signal", "Variation"].map(String::from).to_vec(),
        rows: series
            .points
            .iter()
            .map(|p| {
                let limit = |f: fn(&Limits) -> f64| p.limits.as_ref().map(|l| format!("{:.1}", f(l))).unwrap_or_default();
                vec![
                    p.month.label(),
                    text(p.value),
                    limit(|l| l.mean),
                    limit(|l| l.lower),
                    limit(|l| l.upper),
                    p.signal.map_or(String::new(), |(s, d)| signals::signal_words(s, d).to_string()),
                    p.variation.map_or("", |v| signals::variation_words(v)).to_string(),
                ]
            })
            .collect(),
    };
    Ok(Drawn::Chart(Chart {
        name: name.into(),
        caption: format!(
            "Each dot is a month, {}. The solid line is the average and the dashed lines the process limits, worked out from the months shown (or the baseline months set): a month outside the limits, 7 months in a row on one side of the average, 7 rising or falling one after another, or 2 of 3 months close to a limit is a signal, coloured blue (round) where it is an improvement and orange (square) where it is a concern{}; grey dots are normal variation.",
            span(&months),
            if series.better == crate::metrics::Better::Neutral { ", purple (diamond) where neither is better" } else { "" }
        ),
        data,
        title,
        alt: description,
        svg,
    }))
}

/// A month's dot at a point of the canvas: grey and small for normal
/// variation, a larger blue circle for an improvement, an orange square for
/// a concern, a purple diamond for a neutral signal. The chart and its
/// legend draw the same dots.
fn dot(root: &Area<'_>, (x, y): (i32, i32), variation: Option<Variation>) -> Result<()> {
    let fill = colour(variation).filled();
    match variation {
        Some(Variation::Concern) => root.draw(&Rectangle::new([(x - 6, y - 6), (x + 6, y + 6)], fill)),
        Some(Variation::Improvement) => root.draw(&Circle::new((x, y), 7, fill)),
        Some(Variation::Neutral) => root.draw(&Polygon::new(vec![(x, y - 8), (x + 8, y), (x, y + 8), (x - 8, y)], fill)),
        _ => root.draw(&Circle::new((x, y), 5, fill)),
    }
    .map_err(draw_err)
}
