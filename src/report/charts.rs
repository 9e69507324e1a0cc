//! The charts as a template places them: the file to open, title, caption
//! and alt text; and the note shown where a chart is left out.

use serde::Serialize;

use crate::charts::Charts;

#[derive(Debug, Clone, Serialize)]
pub struct ChartRef {
    pub name: String,
    /// Path the template opens: `charts/<name>.svg`.
    pub file: String,
    pub title: String,
    pub caption: String,
    pub alt: String,
    /// What it shows, as a table (the web edition prints it under the chart).
    pub data: crate::charts::ChartData,
}

/// A chart the input could not support, and the note the paper shows instead.
#[derive(Debug, Clone, Serialize)]
pub struct OmittedChartRef {
    pub name: String,
    pub title: String,
    pub note: String,
}

pub(super) fn chart_refs(charts: &Charts) -> Vec<ChartRef> {
    charts
        .charts
        .iter()
        .map(|c| ChartRef {
            name: c.name.to_string(),
            file: c.file("svg"),
            title: c.title.clone(),
            caption: c.caption.clone(),
            alt: c.alt.clone(),
            data: c.data.clone(),
        })
        .collect()
}

pub(super) fn omitted_chart_refs(charts: &Charts) -> Vec<OmittedChartRef> {
    charts.omitted.iter().map(|c| OmittedChartRef { name: c.name.to_string(), title: c.title.clone(), note: c.note.clone() }).collect()
}
