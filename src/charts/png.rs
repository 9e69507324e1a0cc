//! A chart's PNG for slide packs and documents that take no SVG: the same
//! SVG rendered at twice its size with resvg, with only the fonts the
//! binary carries (never the machine's), so the pixels are the same
//! everywhere.

use std::sync::Arc;

use anyhow::{anyhow, Context, Result};
use resvg::{tiny_skia, usvg};

use crate::assets;

/// The PNG of `svg` at twice its pixel size.
pub fn to_png(svg: &str) -> Result<Vec<u8>> {
    let mut fonts = usvg::fontdb::Database::new();
    for font in assets::FONTS {
        fonts.load_font_data(font.to_vec());
    }
    fonts.set_sans_serif_family(assets::FONT_FAMILY);
    let options = usvg::Options { fontdb: Arc::new(fonts), font_family: assets::FONT_FAMILY.to_string(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).context("reading a chart's SVG for its PNG")?;
    let size = tree.size().to_int_size().scale_by(2.0).ok_or_else(|| anyhow!("a chart is too large for a PNG"))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| anyhow!("a chart is too large for a PNG"))?;
    resvg::render(&tree, tiny_skia::Transform::from_scale(2.0, 2.0), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| anyhow!("encoding a chart's PNG: {e}"))
}
