//! Draws the report's graphs as SVG text with plotters, in memory. Text is
//! set in the font the PDF embeds (registered with plotters from the same
//! bytes), so labels measure and render the same in the SVG and the PDF.
//! Each chart carries a title, a caption and an alt text for the PDF.

use std::sync::Once;

use anyhow::{anyhow, Result};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::assets;
use crate::metrics::{Cohort, Metric, Metrics, Window};
use crate::period::YearMonth;
use crate::text::thousands;

/// One drawn chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem: `out/charts/<name>.svg`.
    pub name: &'static str,
    pub title: String,
    pub caption: String,
    /// Words for readers who cannot see the chart (PDF alt text).
    pub alt: String,
    pub svg: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Charts {
    pub charts: Vec<Chart>,
}

const WIDTH: u32 = 960;
const HEIGHT: u32 = 440;
const EPISODES_COLOUR: RGBColor = RGBColor(0x2b, 0x6c, 0xa3);
const CHILDREN_COLOUR: RGBColor = RGBColor(0xd9, 0x5f, 0x02);
const GRID_COLOUR: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
const TEXT_COLOUR: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// Up to 24 months of points ending at the report's period end.
struct Series {
    months: Vec<YearMonth>,
    episodes: Vec<u64>,
    children: Vec<u64>,
}

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are the shipped TTFs; a failure here would be a broken build.
        let _ = plotters::style::register_font(assets::FONT_FAMILY, FontStyle::Normal, assets::FONT_REGULAR);
        let _ = plotters::style::register_font(assets::FONT_FAMILY, FontStyle::Bold, assets::FONT_BOLD);
    });
}

/// Draws every chart the templates use.
pub fn render(metrics: &Metrics) -> Result<Charts> {
    register_fonts();
    let end = metrics.report.period_end;
    let monthly = series(metrics, end, |m| Window::new(m, m));
    let rolling = series(metrics, end, |m| Window::new(m.plus(-11), m));
    let mut charts = vec![monthly_chart(&monthly)?];
    if !rolling.months.is_empty() {
        charts.push(rolling_chart(&rolling)?);
    }
    Ok(Charts { charts })
}

fn series(metrics: &Metrics, end: YearMonth, window_of: impl Fn(YearMonth) -> Window) -> Series {
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

fn font(size: u32) -> TextStyle<'static> {
    (assets::FONT_FAMILY, size).into_font().color(&TEXT_COLOUR)
}

fn bold(size: u32) -> TextStyle<'static> {
    (assets::FONT_FAMILY, size).into_font().style(FontStyle::Bold).color(&TEXT_COLOUR)
}

/// A y-axis top a little above `max`, on a round number.
fn axis_top(max: u64) -> f64 {
    let max = (max.max(1) as f64) * 1.15;
    let magnitude = 10f64.powf(max.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|s| s * magnitude / 2.0).find(|s| max / s <= 8.0).unwrap_or(magnitude);
    (max / step).ceil() * step
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Chart2d<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>;

fn draw_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing a chart failed: {e:?}")
}

/// Frame, gridlines, y labels and month labels (year under January and the first month).
fn draw_axes<'a, 'b>(root: &'a Area<'b>, months: &[YearMonth], top: f64, y_label: &str) -> Result<Chart2d<'a, 'b>> {
    let n = months.len() as f64;
    let mut chart = ChartBuilder::on(root)
        .margin_top(54)
        .margin_right(24)
        .margin_left(12)
        .x_label_area_size(52)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.5..(n - 0.5), 0.0..top)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|v| thousands(v.round().max(0.0) as u64))
        .y_label_style(font(17))
        .y_desc(y_label)
        .axis_desc_style(font(17))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID_COLOUR)
        .axis_style(TEXT_COLOUR)
        .draw()
        .map_err(draw_err)?;
    for (i, month) in months.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64, 0.0));
        let name = &crate::period::MONTH_ABBREVIATIONS[month.month() as usize - 1];
        root.draw(&Text::new(name.to_string(), (x, y + 8), font(15).pos(Pos::new(HPos::Center, VPos::Top))))
            .map_err(draw_err)?;
        if i == 0 || month.month() == 1 {
            root.draw(&Text::new(month.year().to_string(), (x, y + 28), bold(15).pos(Pos::new(HPos::Center, VPos::Top))))
                .map_err(draw_err)?;
        }
    }
    Ok(chart)
}

/// A legend drawn by hand at the top left (plotters' own legend box is sized
/// from estimates and comes out too wide).
fn draw_legend(root: &Area<'_>, entries: &[(&str, RGBColor, bool)]) -> Result<()> {
    let mut x = 80;
    for (label, colour, is_bar) in entries {
        if *is_bar {
            root.draw(&Rectangle::new([(x, 16), (x + 22, 32)], colour.filled())).map_err(draw_err)?;
        } else {
            root.draw(&PathElement::new(vec![(x, 24), (x + 22, 24)], colour.stroke_width(4))).map_err(draw_err)?;
            root.draw(&Circle::new((x + 11, 24), 5, colour.filled())).map_err(draw_err)?;
        }
        root.draw(&Text::new(label.to_string(), (x + 30, 24), font(18).pos(Pos::new(HPos::Left, VPos::Center)))).map_err(draw_err)?;
        let width = plotters::style::FontDesc::new(plotters::style::FontFamily::Name(assets::FONT_FAMILY), 18.0, FontStyle::Normal)
            .box_size(label)
            .map(|(w, _)| w as i32)
            .unwrap_or(label.len() as i32 * 9);
        x += 30 + width + 36;
    }
    Ok(())
}

fn monthly_chart(series: &Series) -> Result<Chart> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let top = axis_top(series.episodes.iter().chain(&series.children).copied().max().unwrap_or(0));
        let chart = draw_axes(&root, &series.months, top, "Number")?;
        let mut chart = chart;
        chart
            .draw_series(series.episodes.iter().enumerate().map(|(i, v)| {
                Rectangle::new([(i as f64 - 0.36, 0.0), (i as f64 + 0.36, *v as f64)], EPISODES_COLOUR.mix(0.85).filled())
            }))
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
            root.draw(&Text::new(thousands(*episodes), (x, y - 4), bold(14).color(&EPISODES_COLOUR).pos(Pos::new(HPos::Center, VPos::Bottom))))
                .map_err(draw_err)?;
            let (x, y) = chart.backend_coord(&(i as f64, *children as f64));
            root.draw(&Text::new(thousands(*children), (x, y + 8), bold(14).color(&WHITE).pos(Pos::new(HPos::Center, VPos::Top))))
                .map_err(draw_err)?;
        }
        draw_legend(&root, &[("Missing episodes", EPISODES_COLOUR, true), ("Children who went missing", CHILDREN_COLOUR, false)])?;
        root.present().map_err(draw_err)?;
    }
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

fn rolling_chart(series: &Series) -> Result<Chart> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let top = axis_top(series.episodes.iter().chain(&series.children).copied().max().unwrap_or(0));
        let mut chart = draw_axes(&root, &series.months, top, "Number in the 12 months to the month shown")?;
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
        draw_legend(&root, &[("Missing episodes (rolling 12 months)", EPISODES_COLOUR, false), ("Children who went missing (rolling 12 months)", CHILDREN_COLOUR, false)])?;
        root.present().map_err(draw_err)?;
    }
    Ok(Chart {
        name: "rolling12_children_episodes",
        title: "Missing children and missing episodes, rolling 12 months".into(),
        caption: "Each point covers the twelve months ending with the month shown. Children are counted once in each twelve-month window, however many times they went missing in it.".into(),
        alt: describe("Line chart of rolling twelve-month totals", series, "episodes", "children"),
        svg,
    })
}

/// Alt text: what the chart shows, its range and its latest values. No identifiers.
fn describe(kind: &str, series: &Series, a: &str, b: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_and_above_the_maximum() {
        assert!(axis_top(0) >= 1.0);
        assert_eq!(axis_top(137), 200.0);
        assert_eq!(axis_top(1288), 1500.0);
        assert!(axis_top(99) >= 99.0 * 1.15);
    }
}
