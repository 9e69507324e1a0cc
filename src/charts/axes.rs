//! Axes and legends drawn the same way on every month-by-month chart.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{bold, draw_err, font, text_width, Area, GRID_COLOUR, TEXT_COLOUR};
use crate::format::thousands;
use crate::period::{YearMonth, MONTH_ABBREVIATIONS};

/// A y-axis top a little above `max`, on a round number.
pub fn axis_top(max: u64) -> f64 {
    let max = (max.max(1) as f64) * 1.15;
    let magnitude = 10f64.powf(max.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|s| s * magnitude / 2.0).find(|s| max / s <= 8.0).unwrap_or(magnitude);
    (max / step).ceil() * step
}

pub type Chart2d<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>;

/// Frame, gridlines, y labels and month labels (year under January and the first month).
pub fn draw_axes<'a, 'b>(root: &'a Area<'b>, months: &[YearMonth], top: f64, y_label: &str) -> Result<Chart2d<'a, 'b>> {
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
        let name = &MONTH_ABBREVIATIONS[month.month() as usize - 1];
        root.draw(&Text::new(name.to_string(), (x, y + 8), font(15).pos(Pos::new(HPos::Center, VPos::Top)))).map_err(draw_err)?;
        if i == 0 || month.month() == 1 {
            root.draw(&Text::new(month.year().to_string(), (x, y + 28), bold(15).pos(Pos::new(HPos::Center, VPos::Top))))
                .map_err(draw_err)?;
        }
    }
    Ok(chart)
}

/// A legend drawn by hand at the top left (plotters' own legend box is sized
/// from estimates and comes out too wide).
pub fn draw_legend(root: &Area<'_>, entries: &[(&str, RGBColor, bool)]) -> Result<()> {
    let mut x = 80;
    for (label, colour, is_bar) in entries {
        if *is_bar {
            root.draw(&Rectangle::new([(x, 16), (x + 22, 32)], colour.filled())).map_err(draw_err)?;
        } else {
            root.draw(&PathElement::new(vec![(x, 24), (x + 22, 24)], colour.stroke_width(4))).map_err(draw_err)?;
            root.draw(&Circle::new((x + 11, 24), 5, colour.filled())).map_err(draw_err)?;
        }
        root.draw(&Text::new(label.to_string(), (x + 30, 24), font(18).pos(Pos::new(HPos::Left, VPos::Center)))).map_err(draw_err)?;
        let width = text_width(label, 18.0);
        x += 30 + width + 36;
    }
    Ok(())
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
