//! What is drawn inside a frame: bars with their values, lines broken at
//! gaps, a compact legend, and direct labels at the end of lines spread
//! apart so that none overlaps another.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{row_position, value_text, Chart2d};
use super::chart::Point;
use super::style::{bold, draw_err, font, text_width, Area, LEGEND_SIZE, VALUE_SIZE};

/// How a series shows in the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Bar,
    Line,
    Dashed,
    /// A dot the chart draws over the legend entry itself (SPC months).
    Dot,
}

/// Where each legend entry starts: rows along the top from `y`, wrapping
/// before an entry that would pass the right edge.
pub fn legend_layout(entries: &[(String, RGBColor, Mark)], y: i32) -> Vec<(i32, i32)> {
    let (mut x, mut y) = (80, y);
    let mut places = Vec::new();
    for (label, _, _) in entries {
        let width = 30 + text_width(label, LEGEND_SIZE) + 32;
        if x > 80 && x + width > super::style::WIDTH as i32 - 16 {
            (x, y) = (80, y + 28);
        }
        places.push((x, y));
        x += width;
    }
    places
}

/// A legend along the top, wrapping into rows; `y` is the first row's middle.
pub fn legend(area: &Area<'_>, entries: &[(String, RGBColor, Mark)], y: i32) -> Result<()> {
    for ((label, colour, mark), (x, y)) in entries.iter().zip(legend_layout(entries, y)) {
        match mark {
            Mark::Bar => area.draw(&Rectangle::new([(x, y - 8), (x + 22, y + 8)], colour.filled())).map_err(draw_err)?,
            Mark::Line => area.draw(&PathElement::new(vec![(x, y), (x + 22, y)], colour.stroke_width(4))).map_err(draw_err)?,
            Mark::Dot => {}
            Mark::Dashed => {
                for start in [x, x + 9, x + 18] {
                    area.draw(&PathElement::new(vec![(start, y), (start + 5, y)], colour.stroke_width(3))).map_err(draw_err)?;
                }
            }
        }
        area.draw(&Text::new(label.clone(), (x + 30, y), font(LEGEND_SIZE).pos(Pos::new(HPos::Left, VPos::Center)))).map_err(draw_err)?;
    }
    Ok(())
}

/// How many legend rows `entries` take.
pub fn legend_rows(entries: &[(String, RGBColor, Mark)]) -> u32 {
    let places = legend_layout(entries, 0);
    places.last().map_or(0, |(_, y)| *y as u32 / 28 + 1)
}

/// Vertical bars of counts at each position (`None`: a gap), `offset` from
/// the position's centre and `width` wide (in positions), each with its
/// value above it where every label fits its bar's width (otherwise none:
/// the values are in the chart's data).
pub fn columns(
    area: &Area<'_>,
    chart: &mut Chart2d<'_, '_>,
    values: &[Option<f64>],
    colour: RGBColor,
    (offset, width): (f64, f64),
) -> Result<()> {
    let bars = values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i as f64 + offset, v)));
    chart
        .draw_series(bars.map(|(x, v)| Rectangle::new([(x - width / 2.0, 0.0), (x + width / 2.0, v)], colour.filled())))
        .map_err(draw_err)?;
    let room = chart.backend_coord(&(width, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0 + 6;
    let fits = values.iter().flatten().all(|v| text_width(&value_text(*v, false), VALUE_SIZE) <= room);
    if fits {
        for (i, v) in values.iter().enumerate() {
            let Some(v) = v else { continue };
            let (x, y) = chart.backend_coord(&(i as f64 + offset, *v));
            let text = value_text(*v, false);
            area.draw(&Text::new(text, (x, y - 4), bold(VALUE_SIZE).pos(Pos::new(HPos::Center, VPos::Bottom)))).map_err(draw_err)?;
        }
    }
    Ok(())
}

/// Horizontal bars, row `i` of `n`, `offset` from the row's centre and
/// `width` high; each labelled at its end (`c` where hidden, nothing where
/// there is no value).
pub fn rows(area: &Area<'_>, chart: &mut Chart2d<'_, '_>, points: &[Point], colour: RGBColor, (offset, width): (f64, f64)) -> Result<()> {
    let values: Vec<Option<f64>> = points.iter().map(|p| p.value()).collect();
    let n = values.len();
    let bar = |i: usize| row_position(i, n) - offset;
    chart
        .draw_series(
            values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| Rectangle::new([(0.0, bar(i) - width / 2.0), (v, bar(i) + width / 2.0)], colour.filled()))),
        )
        .map_err(draw_err)?;
    for (i, point) in points.iter().enumerate() {
        let text = match point {
            Point::Value(v) => value_text(*v, false),
            Point::Hidden => "c".into(),
            Point::Missing => continue,
        };
        let (x, y) = chart.backend_coord(&(point.value().unwrap_or(0.0), bar(i)));
        area.draw(&Text::new(text, (x + 6, y), font(VALUE_SIZE).pos(Pos::new(HPos::Left, VPos::Center)))).map_err(draw_err)?;
    }
    Ok(())
}

/// A line through the positions with a value, broken where there is none,
/// with a marker at each point.
pub fn line(chart: &mut Chart2d<'_, '_>, values: &[Option<f64>], colour: RGBColor, mark: Mark) -> Result<()> {
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut runs = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => run.push((i as f64, *v)),
            None => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    for run in runs.into_iter().filter(|r| !r.is_empty()) {
        if mark == Mark::Dashed {
            chart.draw_series(DashedLineSeries::new(run, 8, 6, colour.stroke_width(3))).map_err(draw_err)?;
            continue;
        }
        chart.draw_series(LineSeries::new(run.iter().copied(), colour.stroke_width(3))).map_err(draw_err)?;
        chart.draw_series(run.iter().map(|p| Circle::new(*p, 4, colour.filled()))).map_err(draw_err)?;
    }
    Ok(())
}

/// Labels to the right of the plot, one per line at the height of its last
/// value, moved apart where two would overlap and kept between the top and
/// the foot of the plot. `last` is the last position of the plot.
pub fn end_labels(area: &Area<'_>, chart: &Chart2d<'_, '_>, last: f64, labels: &[(f64, String, RGBColor)]) -> Result<()> {
    const GAP: i32 = 20;
    let (x, _) = chart.backend_coord(&(last, 0.0));
    let (_, bottom) = chart.backend_coord(&(last, 0.0));
    let top = chart.backend_coord(&(last, chart.y_range().end)).1;
    let mut placed: Vec<(i32, &str, RGBColor)> =
        labels.iter().map(|(value, text, colour)| (chart.backend_coord(&(last, *value)).1, text.as_str(), *colour)).collect();
    placed.sort_by_key(|(y, _, _)| *y);
    for i in 0..placed.len() {
        let floor = if i == 0 { top } else { placed[i - 1].0 + GAP };
        placed[i].0 = placed[i].0.max(floor);
    }
    if let Some(overshoot) = placed.last().map(|p| p.0 - bottom).filter(|o| *o > 0) {
        for label in placed.iter_mut() {
            label.0 -= overshoot;
        }
    }
    for (y, text, colour) in placed {
        area.draw(&Text::new(text.to_string(), (x + 12, y), bold(VALUE_SIZE).color(&colour).pos(Pos::new(HPos::Left, VPos::Center))))
            .map_err(draw_err)?;
    }
    Ok(())
}
