//! The look every chart shares: size, colours, the embedded font (registered
//! with plotters from the same bytes the PDF embeds, so text measures and
//! renders the same in the SVG and the PDF), and the SVG canvas itself.

use std::sync::Once;

use anyhow::{anyhow, Result};
use plotters::prelude::*;

use crate::assets;

pub const WIDTH: u32 = 960;
pub const HEIGHT: u32 = 440;
pub const EPISODES_COLOUR: RGBColor = RGBColor(0x2b, 0x6c, 0xa3);
pub const CHILDREN_COLOUR: RGBColor = RGBColor(0xd9, 0x5f, 0x02);
pub const GRID_COLOUR: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
pub const TEXT_COLOUR: RGBColor = RGBColor(0x33, 0x33, 0x33);

pub type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are the shipped TTFs; a failure here would be a broken build.
        let _ = plotters::style::register_font(assets::FONT_FAMILY, FontStyle::Normal, assets::FONT_REGULAR);
        let _ = plotters::style::register_font(assets::FONT_FAMILY, FontStyle::Bold, assets::FONT_BOLD);
    });
}

pub fn font(size: u32) -> TextStyle<'static> {
    (assets::FONT_FAMILY, size).into_font().color(&TEXT_COLOUR)
}

pub fn bold(size: u32) -> TextStyle<'static> {
    (assets::FONT_FAMILY, size).into_font().style(FontStyle::Bold).color(&TEXT_COLOUR)
}

/// Width of `text` in the regular face at `size` pixels.
pub fn text_width(text: &str, size: f64) -> i32 {
    plotters::style::FontDesc::new(plotters::style::FontFamily::Name(assets::FONT_FAMILY), size, FontStyle::Normal)
        .box_size(text)
        .map(|(w, _)| w as i32)
        .unwrap_or(text.len() as i32 * 9)
}

pub fn draw_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing a chart failed: {e:?}")
}

/// A chart-sized SVG on white; `draw` fills it in.
pub fn draw_svg(draw: impl FnOnce(&Area<'_>) -> Result<()>) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        draw(&root)?;
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}
