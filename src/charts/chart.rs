//! What a drawn chart is: its file name, words for the paper and for
//! readers who cannot see it, and the SVG text.

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
