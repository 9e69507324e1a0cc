//! The look every chart shares, after the UK Government Analysis Function's
//! data visualisation guidance: its accessible categorical palette (at most
//! four colours in a chart), light horizontal gridlines, text in the font the
//! PDF embeds (registered with plotters from the same bytes, so it measures
//! and renders the same in the SVG and the PDF), and sizes for the A4 text
//! width: a chart 960 pixels wide is placed 17 cm wide, so 16-20 pixel text
//! prints at 8-10 pt. Also the SVG canvas itself, with its title and
//! description for readers who cannot see it.

use std::sync::Once;

use anyhow::{anyhow, Result};
use plotters::prelude::*;

use crate::assets;

pub const WIDTH: u32 = 960;
pub const HEIGHT: u32 = 440;

/// The Analysis Function's categorical palette, in the order it is used.
pub const DARK_BLUE: RGBColor = RGBColor(0x12, 0x43, 0x6d);
pub const ORANGE: RGBColor = RGBColor(0xf4, 0x6a, 0x25);
pub const TURQUOISE: RGBColor = RGBColor(0x28, 0xa1, 0x97);
pub const DARK_PINK: RGBColor = RGBColor(0x80, 0x16, 0x50);
pub const GRID: RGBColor = RGBColor(0xd9, 0xd9, 0xd9);
pub const TEXT: RGBColor = RGBColor(0x0b, 0x0c, 0x0c);

/// Text sizes in pixels (half a point each at the A4 text width).
pub const TICK_SIZE: u32 = 17;
pub const VALUE_SIZE: u32 = 16;
pub const LEGEND_SIZE: u32 = 18;

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
    (assets::FONT_FAMILY, size).into_font().color(&TEXT)
}

pub fn bold(size: u32) -> TextStyle<'static> {
    (assets::FONT_FAMILY, size).into_font().style(FontStyle::Bold).color(&TEXT)
}

/// Width of `text` in the regular face at `size` pixels.
pub fn text_width(text: &str, size: u32) -> i32 {
    plotters::style::FontDesc::new(plotters::style::FontFamily::Name(assets::FONT_FAMILY), size as f64, FontStyle::Normal)
        .box_size(text)
        .map(|(w, _)| w as i32)
        .unwrap_or(text.len() as i32 * size as i32 / 2)
}

pub fn draw_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing a chart failed: {e:?}")
}

/// An SVG of `height` pixels on white that `draw` fills in, carrying
/// `role="img"`, a `<title>` and a `<desc>` so a screen reader can say what
/// it shows. The ids are fixed: the same chart always gives the same bytes.
pub fn draw_svg(height: u32, title: &str, description: &str, draw: impl FnOnce(&Area<'_>) -> Result<()>) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        draw(&root)?;
        root.present().map_err(draw_err)?;
    }
    let Some(end_of_tag) = svg.find("<svg").and_then(|start| svg[start..].find('>').map(|end| start + end)) else {
        return Err(anyhow!("drawing a chart failed: plotters wrote no <svg> element"));
    };
    let (head, rest) = svg.split_at(end_of_tag);
    Ok(format!(
        "{head} role=\"img\" aria-labelledby=\"chart-title chart-desc\">\n<title id=\"chart-title\">{}</title>\n<desc id=\"chart-desc\">{}</desc>{}",
        escape_xml(title),
        escape_xml(description),
        &rest[1..]
    ))
}

/// Text safe inside an XML element.
pub fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_names_its_role_title_and_description() {
        register_fonts();
        let svg = draw_svg(100, "Children & episodes", "Rose from 1 to <2>.", |_| Ok(())).unwrap();
        assert!(svg.contains("role=\"img\""), "{svg}");
        assert!(svg.contains("<title id=\"chart-title\">Children &amp; episodes</title>"), "{svg}");
        assert!(svg.contains("<desc id=\"chart-desc\">Rose from 1 to &lt;2&gt;.</desc>"), "{svg}");
        assert_eq!(svg.matches("<svg").count(), 1);
    }
}
