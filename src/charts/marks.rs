//! What is drawn inside a frame: bars with their values, lines broken at
//! gaps, a compact legend, and direct labels at the end of lines spread
//! apart so that none overlaps another.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{row_position, value_text, Chart2d};
use super::style::{bold, draw_err, font, text_width, Area, LEGEND_SIZE, VALUE_SIZE};

/// How a series shows in the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Bar,
    Line,
    Dashed,
}

/// A legend along the top, wrapping into rows; `y` is the first row's middle.
pub fn legend(area: &Area<'_>, entries: &[(String, RGBColor, Mark)], y: i32) -> Result<()> {
    let (mut x, mut y) = (80, y);
    for (label, colour, mark) in entries {
        let width = 30 + text_width(label, LEGEND_SIZE) + 32;
        if x > 80 && x + width > super::style::WIDTH as i32 - 16 {
            (x, y) = (80, y + 28);
        }
        match mark {
            Mark::Bar => area.draw(&Rectangle::new([(x, y - 8), (x + 22, y + 8)], colour.filled())).map_err(draw_err)?,
            Mark::Line => area.draw(&PathElement::new(vec![(x, y), (x + 22, y)], colour.stroke_width(4))).map_err(draw_err)?,
            Mark::Dashed => {
                for start in [x, x + 9, x + 18] {
                    area.draw(&PathElement::new(vec![(start, y), (start + 5, y)], colour.stroke_width(3))).map_err(draw_err)?;
                }
            }
        }
        area.draw(&Text::new(label.clone(), (x + 30, y), font(LEGEND_SIZE).pos(Pos::new(HPos::Left, VPos::Center)))).map_err(draw_err)?;
        x += width;
    }
    Ok(())
}

/// How many legend rows `entries` take.
pub fn legend_rows(entries: &[(String, RGBColor, Mark)]) -> u32 {
    let (mut x, mut rows) = (80, 1);
    for (label, _, _) in entries {
        let width = 30 + text_width(label, LEGEND_SIZE) + 32;
        if x > 80 && x + width > super::style::WIDTH as i32 - 16 {
            (x, rows) = (80, rows + 1);
        }
        x += width;
    }
    rows
}

/// Whether bars carry their values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueLabels {
    Off,
    Counts,
    Percentages,
}

/// Vertical bars at each position (`None`: a gap), `offset` from the
/// position's centre and `width` wide (in positions); with `labels`, each
/// value above its bar, where every label fits its bar's width (otherwise
/// none: the values are in the chart's data).
pub fn columns(
    area: &Area<'_>,
    chart: &mut Chart2d<'_, '_>,
    values: &[Option<f64>],
    colour: RGBColor,
    (offset, width): (f64, f64),
    labels: ValueLabels,
) -> Result<()> {
    let bars = values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i as f64 + offset, v)));
    chart
        .draw_series(bars.map(|(x, v)| Rectangle::new([(x - width / 2.0, 0.0), (x + width / 2.0, v)], colour.filled())))
        .map_err(draw_err)?;
    let percent = labels == ValueLabels::Percentages;
    let room = chart.backend_coord(&(width, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0 + 6;
    let fits = values.iter().flatten().all(|v| super::style::text_width(&value_text(*v, percent), VALUE_SIZE) <= room);
    if labels != ValueLabels::Off && fits {
        for (i, v) in values.iter().enumerate() {
            let Some(v) = v else { continue };
            let (x, y) = chart.backend_coord(&(i as f64 + offset, *v));
            let text = value_text(*v, percent);
            area.draw(&Text::new(text, (x, y - 4), bold(VALUE_SIZE).pos(Pos::new(HPos::Center, VPos::Bottom)))).map_err(draw_err)?;
        }
    }
    Ok(())
}

/// Horizontal bars, row `i` of `n` (`None`: hidden, labelled `c`), `offset`
/// from the row's centre and `width` high; each labelled at its end.
pub fn rows(
    area: &Area<'_>,
    chart: &mut Chart2d<'_, '_>,
    values: &[Option<f64>],
    colour: RGBColor,
    (offset, width): (f64, f64),
) -> Result<()> {
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
    for (i, v) in values.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(v.unwrap_or(0.0), bar(i)));
        let text = v.map(|v| value_text(v, false)).unwrap_or_else(|| "c".into());
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

/// Labels to the right of the plot at the height of each line's last value,
/// moved apart where two would overlap.
pub fn end_labels(area: &Area<'_>, chart: &Chart2d<'_, '_>, labels: &[(f64, f64, String, RGBColor)]) -> Result<()> {
    const GAP: i32 = 20;
    let mut placed: Vec<(i32, i32, &str, RGBColor)> = labels
        .iter()
        .map(|(x, y, text, colour)| {
            let (px, py) = chart.backend_coord(&(*x, *y));
            (px, py, text.as_str(), *colour)
        })
        .collect();
    placed.sort_by_key(|(_, y, _, _)| *y);
    for i in 1..placed.len() {
        if placed[i].1 < placed[i - 1].1 + GAP {
            placed[i].1 = placed[i - 1].1 + GAP;
        }
    }
    let (_, bottom) = chart.backend_coord(&(0.0, 0.0));
    if let Some(last) = placed.last().map(|p| p.1) {
        let overshoot = last - bottom;
        if overshoot > 0 {
            for label in placed.iter_mut() {
                label.1 -= overshoot;
            }
        }
    }
    for (x, y, text, colour) in placed {
        area.draw(&Text::new(text.to_string(), (x + 12, y), bold(VALUE_SIZE).color(&colour).pos(Pos::new(HPos::Left, VPos::Center))))
            .map_err(draw_err)?;
    }
    Ok(())
}
