//! Chart frames drawn the same way on every chart: a value axis from zero
//! with light gridlines and a titled axis, and a month axis (`Apr 23`), a
//! row of categories, or categories down the side for horizontal bars.

use anyhow::Result;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{draw_err, font, text_width, Area, GRID, TEXT, TICK_SIZE};
use crate::format::thousands;
use crate::period::{YearMonth, MONTH_ABBREVIATIONS};

pub type Chart2d<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A value axis: how far it runs, what it measures, and how its ticks read.
#[derive(Debug, Clone, Copy)]
pub struct ValueAxis<'t> {
    /// Where the axis starts: 0, except on a chart fitted to its values (SPC).
    pub bottom: f64,
    pub top: f64,
    pub title: &'t str,
    pub percent: bool,
}

impl<'t> ValueAxis<'t> {
    /// A count axis from zero to a round number above `max` (a whole number, so ticks are whole too).
    pub fn counts(max: f64, title: &'t str) -> Self {
        ValueAxis { bottom: 0.0, top: axis_top(max).ceil(), title, percent: false }
    }

    /// How many ticks to ask for: on a short count axis one per whole number,
    /// so no tick falls between two counts (and reads as a repeated label).
    fn ticks(self) -> usize {
        if !self.percent && self.top <= 5.0 {
            self.top as usize + 1
        } else {
            6
        }
    }

    /// A percentage axis fitted to values from `low` to `high`: whole tens
    /// around them, within 0 to 100, so a chart of rates that move within a
    /// few points shows the movement.
    pub fn percent_fitted(low: f64, high: f64, title: &'t str) -> Self {
        let bottom = ((low.max(0.0) / 10.0).floor() * 10.0 - 10.0).max(0.0);
        let top = ((high.min(100.0) / 10.0).ceil() * 10.0 + 10.0).min(100.0);
        ValueAxis { bottom, top, title, percent: true }
    }

    /// A percentage axis from 0 to 100.
    pub fn percent(title: &'t str) -> Self {
        ValueAxis { bottom: 0.0, top: 100.0, title, percent: true }
    }
}

/// A top a little above `max`, on a round number.
pub fn axis_top(max: f64) -> f64 {
    let max = max.max(1.0) * 1.12;
    let magnitude = 10f64.powf(max.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|s| s * magnitude / 10.0).find(|s| max / s <= 8.0).unwrap_or(magnitude);
    (max / step).ceil() * step
}

/// A tick or value as printed: `1,250` or `75%`.
pub fn value_text(value: f64, percent: bool) -> String {
    if percent {
        format!("{}%", value.round() as i64)
    } else {
        thousands(value.round().max(0.0) as u64)
    }
}

/// `Apr 23`.
pub fn month_label(month: YearMonth) -> String {
    format!("{} {:02}", MONTH_ABBREVIATIONS[month.month() as usize - 1], month.year().rem_euclid(100))
}

/// Space around the plot: `top` for the legend, `right` for direct labels.
#[derive(Debug, Clone, Copy)]
pub struct Margins {
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
    pub left: u32,
}

/// Which way the value axis runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Orientation {
    /// Values up the side, positions along the bottom.
    Columns,
    /// Values along the bottom, positions down the side.
    Rows,
}

/// A frame over `positions` evenly spaced positions with the value axis from
/// zero, light gridlines across the values only, and its title.
fn frame<'a, 'b>(
    area: &'a Area<'b>,
    orientation: Orientation,
    positions: usize,
    axis: ValueAxis<'_>,
    margins: Margins,
) -> Result<Chart2d<'a, 'b>> {
    let n = positions.max(1) as f64;
    let (x, y) = match orientation {
        Orientation::Columns => (-0.5..(n - 0.5), axis.bottom..axis.top),
        Orientation::Rows => (axis.bottom..axis.top, -0.5..(n - 0.5)),
    };
    let mut chart = ChartBuilder::on(area)
        .margin_top(margins.top)
        .margin_right(margins.right)
        .margin_left(8)
        .x_label_area_size(margins.bottom)
        .y_label_area_size(margins.left)
        .build_cartesian_2d(x, y)
        .map_err(draw_err)?;
    let percent = axis.percent;
    let formatter = |v: &f64| value_text(*v, percent);
    {
        let mut mesh = chart.configure_mesh();
        mesh.axis_desc_style(font(TICK_SIZE)).light_line_style(TRANSPARENT).bold_line_style(GRID).axis_style(TEXT);
        match orientation {
            Orientation::Columns => mesh
                .disable_x_mesh()
                .x_labels(0)
                .y_labels(axis.ticks())
                .y_label_formatter(&formatter)
                .y_label_style(font(TICK_SIZE))
                .y_desc(axis.title),
            Orientation::Rows => mesh
                .disable_y_mesh()
                .y_labels(0)
                .x_labels(axis.ticks())
                .x_label_formatter(&formatter)
                .x_label_style(font(TICK_SIZE))
                .x_desc(axis.title),
        };
        mesh.draw().map_err(draw_err)?;
    }
    Ok(chart)
}

/// A frame over `slots` evenly spaced positions (months or categories) with
/// the value axis up the side; the caller labels the positions.
pub fn column_frame<'a, 'b>(area: &'a Area<'b>, slots: usize, axis: ValueAxis<'_>, margins: Margins) -> Result<Chart2d<'a, 'b>> {
    frame(area, Orientation::Columns, slots, axis, margins)
}

/// `labels` centred under the positions of a column frame.
pub fn label_columns(area: &Area<'_>, chart: &Chart2d<'_, '_>, labels: &[String]) -> Result<()> {
    let foot = chart.y_range().start;
    for (i, label) in labels.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64, foot));
        area.draw(&Text::new(label.clone(), (x, y + 8), font(TICK_SIZE).pos(Pos::new(HPos::Center, VPos::Top)))).map_err(draw_err)?;
    }
    Ok(())
}

/// Month labels under a column frame: every month when there are a dozen or
/// fewer, otherwise every other month counting back from the last.
pub fn label_months(area: &Area<'_>, chart: &Chart2d<'_, '_>, months: &[YearMonth]) -> Result<()> {
    let every = if months.len() <= 12 { 1 } else { 2 };
    let labels: Vec<String> = months
        .iter()
        .enumerate()
        .map(|(i, m)| if (months.len() - 1 - i).is_multiple_of(every) { month_label(*m) } else { String::new() })
        .collect();
    label_columns(area, chart, &labels)
}

/// A frame for horizontal bars: `categories` down the left side, first at
/// the top, the value axis along the bottom with vertical gridlines.
pub fn bar_frame<'a, 'b>(area: &'a Area<'b>, categories: &[String], axis: ValueAxis<'_>, margins: Margins) -> Result<Chart2d<'a, 'b>> {
    let label_width = categories.iter().map(|c| text_width(c, TICK_SIZE)).max().unwrap_or(0) as u32 + 16;
    let margins = Margins { left: label_width.max(margins.left), ..margins };
    let chart = frame(area, Orientation::Rows, categories.len(), axis, margins)?;
    for (i, category) in categories.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(0.0, row_position(i, categories.len())));
        area.draw(&Text::new(category.clone(), (x - 10, y), font(TICK_SIZE).pos(Pos::new(HPos::Right, VPos::Center)))).map_err(draw_err)?;
    }
    Ok(chart)
}

/// The y position of row `i` of `n` in a bar frame (the first at the top).
pub fn row_position(i: usize, n: usize) -> f64 {
    (n - 1 - i) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_and_above_the_maximum() {
        assert!(axis_top(0.0) >= 1.0);
        assert_eq!(axis_top(137.0), 160.0);
        assert_eq!(axis_top(1288.0), 1600.0);
        assert!(axis_top(99.0) >= 99.0 * 1.12);
    }

    #[test]
    fn short_count_axes_tick_at_whole_numbers() {
        let axis = ValueAxis::counts(3.0, "Children");
        assert_eq!((axis.top, axis.ticks()), (4.0, 5));
        let empty = ValueAxis::counts(0.0, "Children");
        assert_eq!((empty.top, empty.ticks()), (2.0, 3));
        assert_eq!(ValueAxis::counts(137.0, "Episodes").ticks(), 6);
        assert_eq!(ValueAxis::percent("Per cent").ticks(), 6);
        let fitted = ValueAxis::percent_fitted(84.0, 97.6, "Per cent");
        assert_eq!((fitted.bottom, fitted.top), (70.0, 100.0));
        let fitted = ValueAxis::percent_fitted(-3.0, 41.0, "Per cent");
        assert_eq!((fitted.bottom, fitted.top), (0.0, 60.0));
    }

    #[test]
    fn months_and_values_read_as_printed() {
        assert_eq!(month_label(YearMonth::new(2023, 4)), "Apr 23");
        assert_eq!(month_label(YearMonth::new(2009, 12)), "Dec 09");
        assert_eq!(value_text(1250.0, false), "1,250");
        assert_eq!(value_text(72.6, true), "73%");
    }
}
